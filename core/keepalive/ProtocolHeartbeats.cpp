// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ProtocolHeartbeats.h"

#include "core/keepalive/HeartbeatPresets.h"
#include "core/text/DurationText.h"

namespace wsi {
namespace {

std::optional<HeartbeatSpec> roleOf(const HeartbeatPresets &presets, const char *id, Endpoint side)
{
    const HeartbeatPreset *preset = presets.find(QString::fromLatin1(id));
    return preset ? preset->role(side) : std::nullopt;
}

QString ms(qint64 value)
{
    return DurationText::format(value);
}

} // namespace

std::optional<ProtocolHeartbeats> ProtocolHeartbeats::fromEvidence(const SessionEvidence &evidence,
                                                                   const HeartbeatPresets &presets)
{
    const ProtocolEvidence &p = evidence.protocol;
    if (!p.recognised())
        return std::nullopt;
    ProtocolHeartbeats result;
    QStringList said;
    // The recording already holds the client's opening message: replayed, it must not go out twice.
    const auto recordedClient = [&](const char *id) {
        std::optional<HeartbeatSpec> spec = roleOf(presets, id, Endpoint::Client);
        if (spec)
            spec->sendsInit = false;
        return spec;
    };
    const QString answered = QStringLiteral("the client answered %1 of the server's %2 heartbeats");
    if (p.protocol == QLatin1StringView("socket.io") && p.engineIoVersion != 3) {
        result.server = roleOf(presets, "socketio", Endpoint::Server);
        if (result.server) {
            result.server->intervalMs = p.pingIntervalMs.value_or(result.server->intervalMs);
            result.server->timeoutMs = p.pingTimeoutMs ? p.pingTimeoutMs : result.server->timeoutMs;
            said.append(QStringLiteral("server: pingInterval %1, pingTimeout %2%3")
                            .arg(ms(result.server->intervalMs), ms(result.server->timeoutMs.value_or(0)),
                                 p.pingTimeoutMs ? QStringLiteral(" (open packet)") : QStringLiteral(" (defaults)")));
        }
        if (p.fromServer.answered > 0) {
            result.client = recordedClient("socketio");
            if (result.client && p.pingIntervalMs && p.pingTimeoutMs)
                result.client->receiveTimeoutMs = *p.pingIntervalMs + *p.pingTimeoutMs;
        }
        said.append(answered.arg(p.fromServer.answered).arg(p.fromServer.sent) +
                    (result.client ? QStringLiteral(": it speaks Engine.IO")
                                   : QStringLiteral(": it is taken not to answer Engine.IO pings")));
    } else if (p.protocol == QLatin1StringView("socket.io")) {
        // Engine.IO 3: the client pings; the server gives up pingInterval + pingTimeout after the last ping.
        const qint64 interval = p.pingIntervalMs.value_or(25000);
        const qint64 timeout = p.pingTimeoutMs.value_or(20000);
        result.server = roleOf(presets, "socketio", Endpoint::Server);
        if (result.server) {
            result.server->kind = HeartbeatSpec::Kind::None;
            result.server->timeoutMs.reset();
            result.server->receiveTimeoutMs = interval + timeout;
            result.server->receiveTimeoutKnob = QStringLiteral("pingInterval + pingTimeout (Engine.IO 3)");
        }
        if (p.fromClient.sent > 0) {
            result.client = recordedClient("socketio");
            if (result.client) {
                result.client->kind = HeartbeatSpec::Kind::App;
                result.client->intervalMs = interval;
                result.client->timeoutMs = timeout;
                result.client->timeoutKnob = QStringLiteral("pingTimeout");
                result.client->beatName = QStringLiteral("ping (\"2\")");
                result.client->replyName = QStringLiteral("pong (\"3\")");
            }
        }
        said.append(QStringLiteral("Engine.IO 3: the client pings; the server gives up after pingInterval %1 + "
                                   "pingTimeout %2 without one; the client %3")
                        .arg(ms(interval), ms(timeout),
                             result.client ? QStringLiteral("pings") : QStringLiteral("sent no ping")));
    } else if (p.protocol == QLatin1StringView("mqtt")) {
        const std::optional<qint64> keepAlive = p.mqttKeepAliveMs();
        if (!keepAlive || *keepAlive == 0) {
            said.append(QStringLiteral("Keep Alive 0: no keepalive at the MQTT level"));
        } else {
            result.server = roleOf(presets, "mqtt", Endpoint::Server);
            if (result.server)
                result.server->receiveTimeoutMs = *keepAlive * 3 / 2;
            if (p.fromClient.sent > 0) {
                result.client = recordedClient("mqtt");
                if (result.client) {
                    result.client->intervalMs = *keepAlive;
                    result.client->timeoutMs = *keepAlive / 2;
                }
            }
            said.append(QStringLiteral("Keep Alive %1 (%2): the broker drops a client silent for %3; the client %4")
                            .arg(ms(*keepAlive),
                                 p.serverKeepAliveMs ? QStringLiteral("CONNACK's Server Keep Alive")
                                                     : QStringLiteral("CONNECT"),
                                 ms(*keepAlive * 3 / 2),
                                 result.client ? QStringLiteral("sends PINGREQ every Keep Alive")
                                               : QStringLiteral("sent no PINGREQ in the recording")));
        }
    } else if (p.protocol == QLatin1StringView("stomp")) {
        const qint64 toServer = p.stompClientPeriodMs();
        const qint64 toClient = p.stompServerPeriodMs();
        result.server = roleOf(presets, "stomp", Endpoint::Server);
        if (result.server) {
            result.server->kind = toClient > 0 ? HeartbeatSpec::Kind::App : HeartbeatSpec::Kind::None;
            result.server->intervalMs = toClient;
            // RabbitMQ gives up after 2 to 3 periods: 3 for a client silent since its CONNECT.
            result.server->receiveTimeoutMs = toServer > 0 ? std::optional<qint64>(3 * toServer) : std::nullopt;
        }
        if (p.fromClient.sent > 0) {
            result.client = recordedClient("stomp");
            if (result.client) {
                result.client->kind = toServer > 0 ? HeartbeatSpec::Kind::App : HeartbeatSpec::Kind::None;
                result.client->intervalMs = toServer;
                result.client->receiveTimeoutMs = toClient > 0 ? std::optional<qint64>(2 * toClient) : std::nullopt;
            }
        }
        said.append(QStringLiteral("negotiated heart-beat: %1 from the client, %2 from the server (0: off)")
                        .arg(ms(toServer), ms(toClient)));
    } else if (p.protocol == QLatin1StringView("graphql-transport-ws")) {
        result.server = roleOf(presets, "graphql-ws", Endpoint::Server);
        if (result.server && evidence.close && evidence.close->code == 4408)
            result.server->initTimeoutMs = evidence.ageMs();
        if (p.initSentMs)
            result.client = recordedClient("graphql-ws");
        said.append(QStringLiteral("connectionInitWaitTimeout %1%2; the client %3")
                        .arg(ms(result.server ? result.server->initTimeoutMs.value_or(0) : 0),
                             evidence.close && evidence.close->code == 4408 ? QStringLiteral(" (as the 4408 showed)")
                                                                            : QStringLiteral(" (default)"),
                             p.initSentMs ? QStringLiteral("sent connection_init")
                                          : QStringLiteral("sent no connection_init")));
    } else if (p.protocol == QLatin1StringView("sockjs")) {
        // sockjs-node's first WebSocket ping comes heartbeat_delay after the session opened.
        result.server = roleOf(presets, "sockjs", Endpoint::Server);
        if (result.server && evidence.firstPingReceivedMs)
            result.server->intervalMs = *evidence.firstPingReceivedMs - evidence.openedMs;
        // The client's part is the WebSocket pong. Its recorded pongs are replayed; past them it answers only if it
        // answered every ping to the end, so a client that stopped answering stops in the simulation too.
        result.client = recordedClient("sockjs");
        if (result.client)
            result.client->answersPings = !evidence.unansweredPingReceivedMs;
        said.append(QStringLiteral("heartbeat_delay %1%2; the client answered %3 of the server's %4 WebSocket pings")
                        .arg(ms(result.server ? result.server->intervalMs : 0),
                             evidence.firstPingReceivedMs ? QStringLiteral(" (from its first ping)")
                                                          : QStringLiteral(" (default)"))
                        .arg(evidence.pongsSent)
                        .arg(evidence.pingsReceived));
    } else {
        const char *id = p.protocol == QLatin1StringView("signalr")       ? "signalr"
                         : p.protocol == QLatin1StringView("phoenix")     ? "phoenix"
                         : p.protocol == QLatin1StringView("actioncable") ? "actioncable"
                                                                          : nullptr;
        if (!id)
            return std::nullopt;
        result.server = roleOf(presets, id, Endpoint::Server);
        if (p.fromClient.sent > 0 || p.initSentMs)
            result.client = recordedClient(id);
        said.append(QStringLiteral("the %1 preset's defaults").arg(QLatin1StringView(id)));
    }
    result.summary = QStringLiteral("%1 from the recording: %2").arg(p.protocol, said.join(QStringLiteral("; ")));
    return result;
}

} // namespace wsi
