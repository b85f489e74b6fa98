// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ProtocolTimeoutDiagnoser.h"

#include "core/appprotocol/ProtocolDefaults.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/protocol/CloseCode.h"
#include "core/text/DurationText.h"

namespace wsi::ProtocolTimeoutDiagnoser {
namespace {

using namespace ProtocolDefaults;

// Action Cable's monitor polls every 3 s or more (with jitter) before it sees the threshold passed.
constexpr qint64 actionCablePollMs = 6000;

QString seconds(qint64 ms)
{
    return DurationText::tenths(ms);
}

// Whether `measured` fits a timer of `timerMs`, in the window intermediary timers are matched in.
bool fits(qint64 measured, qint64 timerMs, qint64 extraLateMs = 0)
{
    return measured >= timerMs - DisconnectDiagnoser::earlySlackMs &&
           measured <= timerMs + DisconnectDiagnoser::lateSlackMs(timerMs) + extraLateMs;
}

class Reading
{
public:
    explicit Reading(const SessionEvidence &evidence)
        : e(evidence)
        , p(evidence.protocol)
    {}

    std::optional<ProtocolTimeout> run();

private:
    bool endedByServer() const
    {
        return e.close && (e.close->initiator == CloseRecord::Initiator::Server ||
                           e.close->initiator == CloseRecord::Initiator::Transport);
    }
    bool endedByClient() const { return e.close && e.close->initiator == CloseRecord::Initiator::Client; }
    qint64 since(qint64 atMs) const { return std::max<qint64>(0, atMs - e.openedMs); }
    // Nothing from that end (any message of the protocol, or any frame) for this long before the end.
    qint64 silenceOf(Endpoint side) const
    {
        const std::optional<qint64> &last = side == Endpoint::Client ? p.lastFromClientMs : p.lastFromServerMs;
        return std::max<qint64>(0, e.endMs - last.value_or(e.openedMs));
    }
    // "with a Close frame without a status (1005)", "with Close 4408 "Connection initialisation timeout"", "by
    // closing TCP without a Close frame".
    QString how() const;
    ProtocolTimeout make(const QString &enforcedBy, const QString &knob, std::optional<qint64> value,
                         const QString &from, std::optional<qint64> defaultMs, const QString &source) const
    {
        ProtocolTimeout t;
        t.protocol = p.protocol;
        t.enforcedBy = enforcedBy;
        t.knob = knob;
        t.valueMs = value;
        t.valueFrom = from;
        t.defaultMs = defaultMs;
        t.defaultSource = source;
        return t;
    }

    std::optional<ProtocolTimeout> socketIo() const;
    std::optional<ProtocolTimeout> graphqlTransportWs() const;
    std::optional<ProtocolTimeout> mqtt() const;
    std::optional<ProtocolTimeout> stomp() const;
    std::optional<ProtocolTimeout> signalR() const;
    std::optional<ProtocolTimeout> phoenix() const;
    std::optional<ProtocolTimeout> actionCable() const;
    std::optional<ProtocolTimeout> sockJs() const;

    const SessionEvidence &e;
    const ProtocolEvidence &p;
};

QString Reading::how() const
{
    const CloseRecord &c = *e.close;
    if (c.initiator == CloseRecord::Initiator::Transport)
        return QStringLiteral("by closing TCP without a Close frame (1006)");
    if (c.code == 1005)
        return QStringLiteral("with a Close frame without a status (1005)");
    QString text = QStringLiteral("with Close %1").arg(c.code);
    if (!c.reason.isEmpty())
        text += QStringLiteral(" \"%1\"").arg(c.reason);
    return text;
}

std::optional<ProtocolTimeout> Reading::socketIo() const
{
    if (!endedByServer())
        return std::nullopt;
    const qint64 interval = p.pingIntervalMs.value_or(engineIoPingIntervalMs);
    const qint64 timeout = p.pingTimeoutMs.value_or(engineIoPingTimeoutMs);
    const QString announced = p.pingTimeoutMs ? QStringLiteral("announced") : QStringLiteral("default");
    const QString source = QStringLiteral("engine.io 6.6 build/server.js");
    // engine.io 6 restarts the ping timeout once when another packet of the client arrives while it waits.
    const std::optional<qint64> &refreshed = p.fromServer.otherMessageAfterLastMs;
    if (p.engineIoVersion != 3 && p.fromServer.lastMs && !p.fromServer.lastAnswered &&
        (fits(e.endMs - *p.fromServer.lastMs, timeout) || (refreshed && fits(e.endMs - *refreshed, timeout)))) {
        ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("pingTimeout"), timeout, announced,
                                 engineIoPingTimeoutMs, source);
        const QString client = p.fromServer.answered == 0
                                   ? QStringLiteral("your client does not answer Engine.IO pings")
                                   : QStringLiteral("your client answered %1 of its %2 pings, then stopped")
                                         .arg(p.fromServer.answered)
                                         .arg(p.fromServer.sent);
        t.summary = QStringLiteral("The Socket.IO server closed %1 after the upgrade %2: its ping (\"2\") at %3 got no "
                                   "pong (\"3\") within pingTimeout %4; %5. (pingInterval %6, pingTimeout %4 from "
                                   "the open packet; defaults 25 s and 20 s.)")
                        .arg(seconds(e.ageMs()), how(), seconds(since(*p.fromServer.lastMs)),
                             DurationText::format(timeout), client, DurationText::format(interval));
        if (refreshed && !fits(e.endMs - *p.fromServer.lastMs, timeout))
            t.summary += QStringLiteral(" The client's packet at %1 restarted that timeout once (engine.io does so for "
                                        "any packet but a pong), which is why the end came later.")
                             .arg(seconds(since(*refreshed)));
        t.fix = QStringLiteral("Answer every \"2\" from the server with \"3\" at once (a Socket.IO client does this "
                               "itself; a plain WebSocket client must do it by hand), or raise the server's "
                               "pingTimeout (now %1) if answers are merely slow.")
                    .arg(DurationText::format(timeout));
        return t;
    }
    if (p.engineIoVersion == 3) {
        // Engine.IO 3: the client pings; the server gives up pingInterval + pingTimeout after the last one.
        const qint64 limit = interval + timeout;
        const qint64 silent = e.endMs - p.fromClient.lastMs.value_or(p.initSentMs.value_or(e.openedMs));
        if (fits(silent, limit)) {
            ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("pingInterval + pingTimeout"), limit,
                                     announced, engineIoPingIntervalMs + engineIoPingTimeoutMs, source);
            t.summary = QStringLiteral("The Socket.IO server (Engine.IO 3) closed %1 after the upgrade %2: no ping "
                                       "(\"2\") came from the client for %3, and an Engine.IO 3 server gives up "
                                       "after pingInterval + pingTimeout (%4 + %5).")
                            .arg(seconds(e.ageMs()), how(), seconds(silent), DurationText::format(interval),
                                 DurationText::format(timeout));
            t.fix = QStringLiteral("Send \"2\" every pingInterval (%1) and expect \"3\" back: in Engine.IO 3 the "
                                   "client pings.")
                        .arg(DurationText::format(interval));
            return t;
        }
    }
    if (!p.initSentMs && fits(e.ageMs(), socketIoConnectTimeoutMs)) {
        ProtocolTimeout t =
            make(QStringLiteral("server"), QStringLiteral("connectTimeout"), e.ageMs(), QStringLiteral("measured"),
                 socketIoConnectTimeoutMs, QStringLiteral("socket.io 4.8 dist/index.js"));
        t.summary = QStringLiteral("The Socket.IO server closed %1 after the upgrade %2: the client never joined a "
                                   "namespace (no CONNECT \"40\"), and Socket.IO closes such a connection after "
                                   "connectTimeout (default 45 s).")
                        .arg(seconds(e.ageMs()), how());
        t.fix = QStringLiteral("Send \"40\" (CONNECT to \"/\", or \"40/NAMESPACE,\" with an auth payload) right after "
                               "the open packet.");
        return t;
    }
    return std::nullopt;
}

std::optional<ProtocolTimeout> Reading::graphqlTransportWs() const
{
    if (!e.close || e.close->code != 4408 || e.close->initiator != CloseRecord::Initiator::Server)
        return std::nullopt;
    const qint64 waited = e.ageMs();
    ProtocolTimeout t =
        make(QStringLiteral("server"), QStringLiteral("connectionInitWaitTimeout"), waited, QStringLiteral("measured"),
             graphqlInitWaitMs, QStringLiteral("graphql-ws 6.4 dist/server"));
    const QString sent =
        p.initSentMs ? QStringLiteral("the client's connection_init came only at %1").arg(seconds(since(*p.initSentMs)))
                     : QStringLiteral("the client never sent connection_init");
    t.summary = QStringLiteral("The GraphQL server (graphql-transport-ws) closed %1 after the upgrade %2 because no "
                               "connection_init arrived within its connectionInitWaitTimeout (about %1 here; "
                               "graphql-ws's default is 3 s): %3.")
                    .arg(seconds(waited), how(), sent);
    t.fix = QStringLiteral("Send {\"type\":\"connection_init\",\"payload\":{...}} (with the authentication your server "
                           "expects in payload) as the first message, right after the upgrade, then wait for "
                           "connection_ack before subscribing.");
    return t;
}

std::optional<ProtocolTimeout> Reading::mqtt() const
{
    const std::optional<qint64> keepAlive = p.mqttKeepAliveMs();
    if (!endedByServer() || !keepAlive || *keepAlive <= 0)
        return std::nullopt;
    // MQTT 3.1.1 §3.1.2.10 (MQTT-3.1.2-24): one and a half times the Keep Alive without a packet from the client.
    const qint64 limit = *keepAlive * 3 / 2;
    const qint64 silent = silenceOf(Endpoint::Client);
    if (!fits(silent, limit))
        return std::nullopt;
    const QString knob =
        p.serverKeepAliveMs ? QStringLiteral("Server Keep Alive x 1.5") : QStringLiteral("Keep Alive x 1.5");
    ProtocolTimeout t =
        make(QStringLiteral("server"), knob, limit, QStringLiteral("announced"), mqttJsKeepAliveMs * 3 / 2,
             QStringLiteral("MQTT 3.1.1 §3.1.2.10; mqtt.js 5 keepalive 60 s"));
    const QString pings =
        p.fromClient.sent == 0
            ? QStringLiteral("the client sent no PINGREQ")
            : QStringLiteral("the client's last PINGREQ was at %1").arg(seconds(since(*p.fromClient.lastMs)));
    t.summary = QStringLiteral("The MQTT broker closed the connection %1 after the upgrade %2, %3 after the client's "
                               "last packet: the client's %4 is %5, and a broker drops a client that sends nothing "
                               "for 1.5 x Keep Alive (%6); %7.")
                    .arg(seconds(e.ageMs()), how(), seconds(silent),
                         p.serverKeepAliveMs ? QStringLiteral("Server Keep Alive (CONNACK)")
                                             : QStringLiteral("Keep Alive (CONNECT)"),
                         DurationText::format(*keepAlive), DurationText::format(limit), pings);
    t.fix = QStringLiteral("Send PINGREQ (C0 00) whenever nothing else has gone out for a Keep Alive (%1), or "
                           "raise the Keep Alive in CONNECT (mqtt.js keepalive, default 60 s; 0 turns it off).")
                .arg(DurationText::format(*keepAlive));
    return t;
}

std::optional<ProtocolTimeout> Reading::stomp() const
{
    const qint64 clientPeriod = p.stompClientPeriodMs();
    const qint64 serverPeriod = p.stompServerPeriodMs();
    const QString negotiated = QStringLiteral("CONNECT heart-beat:%1,%2, CONNECTED heart-beat:%3,%4")
                                   .arg(p.clientHeartBeat ? p.clientHeartBeat->at(0) : 0)
                                   .arg(p.clientHeartBeat ? p.clientHeartBeat->at(1) : 0)
                                   .arg(p.serverHeartBeat ? p.serverHeartBeat->at(0) : 0)
                                   .arg(p.serverHeartBeat ? p.serverHeartBeat->at(1) : 0);
    if (endedByServer() && clientPeriod > 0) {
        // Brokers wait between one period (ActiveMQ Classic) and about three (RabbitMQ: 2 to 3) before giving up.
        const qint64 silent = silenceOf(Endpoint::Client);
        if (silent >= clientPeriod - DisconnectDiagnoser::earlySlackMs &&
            silent <= 3 * clientPeriod + DisconnectDiagnoser::lateSlackMs(3 * clientPeriod)) {
            ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("heart-beat (client to server)"),
                                     clientPeriod, QStringLiteral("announced"), stompJsHeartBeatMs,
                                     QStringLiteral("STOMP 1.2 Heart-beating; @stomp/stompjs 7"));
            t.summary =
                QStringLiteral("The STOMP broker closed %1 after the upgrade %2: the negotiated heart-beat asks "
                               "the client for a beat every %3 (%4: max(cx, sy)), and nothing came from "
                               "the client for %5 (%6 periods). Brokers give up after 1 period (ActiveMQ "
                               "Classic), 2 (Artemis) or 2 to 3 (RabbitMQ, which closes 1000 \"STOMP "
                               "died\").")
                    .arg(seconds(e.ageMs()), how(), DurationText::format(clientPeriod), negotiated, seconds(silent))
                    .arg(double(silent) / double(clientPeriod), 0, 'f', 1);
            t.fix = QStringLiteral("Send a heart-beat (a bare end-of-line, \"\\n\") at least every %1 when nothing "
                                   "else goes out, or ask for less in CONNECT (heart-beat:0,... turns the client's "
                                   "beats off).")
                        .arg(DurationText::format(clientPeriod));
            return t;
        }
    }
    if (endedByClient() && serverPeriod > 0) {
        // @stomp/stompjs: heartbeatToleranceMultiplier 2.
        const qint64 silent = silenceOf(Endpoint::Server);
        if (fits(silent, 2 * serverPeriod)) {
            ProtocolTimeout t =
                make(QStringLiteral("client"), QStringLiteral("heartbeatToleranceMultiplier x incoming"),
                     2 * serverPeriod, QStringLiteral("announced"), 2 * stompJsHeartBeatMs,
                     QStringLiteral("@stomp/stompjs 7 stomp-handler.js"));
            t.summary = QStringLiteral("The STOMP client gave up %1 after the upgrade: the server owed a heart-beat "
                                       "every %2 (%3), and nothing came for %4; @stomp/stompjs closes after 2 "
                                       "periods.")
                            .arg(seconds(e.ageMs()), DurationText::format(serverPeriod), negotiated, seconds(silent));
            t.fix = QStringLiteral("Look at why the broker went quiet (or the path dropped it); a client that "
                                   "answers late can ask for a longer heart-beat in CONNECT.");
            return t;
        }
    }
    return std::nullopt;
}

std::optional<ProtocolTimeout> Reading::signalR() const
{
    const QString hub = QStringLiteral("aspnetcore HubOptionsSetup.cs");
    if (endedByServer()) {
        if (!p.initSentMs && fits(e.ageMs(), signalRHandshakeTimeoutMs)) {
            ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("HandshakeTimeout"), e.ageMs(),
                                     QStringLiteral("measured"), signalRHandshakeTimeoutMs, hub);
            t.summary = QStringLiteral("The SignalR server closed %1 after the upgrade %2: no handshake "
                                       "{\"protocol\":\"json\",\"version\":1} arrived within its HandshakeTimeout "
                                       "(default 15 s).")
                            .arg(seconds(e.ageMs()), how());
            t.fix = QStringLiteral("Send {\"protocol\":\"json\",\"version\":1} followed by the record separator 0x1E "
                                   "as the first message.");
            return t;
        }
        const qint64 silent = silenceOf(Endpoint::Client);
        if (fits(silent, signalRClientTimeoutMs)) {
            ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("ClientTimeoutInterval"), silent,
                                     QStringLiteral("measured"), signalRClientTimeoutMs, hub);
            t.summary = QStringLiteral("The SignalR server closed %1 after the upgrade %2, after %3 without a message "
                                       "from the client: its ClientTimeoutInterval is 30 s by default, and the "
                                       "client's pings ({\"type\":6}, every 15 s by default) did not come.")
                            .arg(seconds(e.ageMs()), how(), seconds(silent));
            t.fix = QStringLiteral("Send {\"type\":6} (a Ping record) at most every 15 s when nothing else goes out "
                                   "(keepAliveIntervalInMilliseconds), or raise ClientTimeoutInterval.");
            return t;
        }
    }
    if (endedByClient()) {
        const qint64 silent = silenceOf(Endpoint::Server);
        if (fits(silent, signalRServerTimeoutMs)) {
            ProtocolTimeout t = make(QStringLiteral("client"), QStringLiteral("serverTimeoutInMilliseconds"), silent,
                                     QStringLiteral("measured"), signalRServerTimeoutMs,
                                     QStringLiteral("@microsoft/signalr HubConnection.ts"));
            t.summary = QStringLiteral("The SignalR client gave up %1 after the upgrade: nothing came from the server "
                                       "for %2 (\"Server timeout elapsed without receiving a message from the "
                                       "server.\"; serverTimeoutInMilliseconds defaults to 30 s).")
                            .arg(seconds(e.ageMs()), seconds(silent));
            t.fix = QStringLiteral("The server pings every KeepAliveInterval (15 s by default): keep it well under the "
                                   "client's serverTimeoutInMilliseconds, and look for what stopped its messages.");
            return t;
        }
    }
    return std::nullopt;
}

std::optional<ProtocolTimeout> Reading::phoenix() const
{
    const QString client = QStringLiteral("phoenix assets/js/phoenix/socket.js");
    if (endedByClient() && p.fromClient.lastMs && !p.fromClient.lastAnswered &&
        (e.close->reason == QLatin1StringView("heartbeat timeout") ||
         fits(e.endMs - *p.fromClient.lastMs, p.fromClient.longestIntervalMs.value_or(phoenixHeartbeatMs)))) {
        const qint64 interval = p.fromClient.longestIntervalMs.value_or(phoenixHeartbeatMs);
        ProtocolTimeout t =
            make(QStringLiteral("client"), QStringLiteral("heartbeatIntervalMs"), interval,
                 p.fromClient.longestIntervalMs ? QStringLiteral("measured") : QStringLiteral("default"),
                 phoenixHeartbeatMs, client);
        t.summary = QStringLiteral("The Phoenix client closed %1 after the upgrade (\"heartbeat timeout\"): its "
                                   "heartbeat at %2 got no phx_reply before the next one was due (every %3; "
                                   "default 30 s).")
                        .arg(seconds(e.ageMs()), seconds(since(*p.fromClient.lastMs)), DurationText::format(interval));
        t.fix = QStringLiteral("The server (or the path) stopped answering on topic \"phoenix\": look at the server's "
                               "load and logs at that time.");
        return t;
    }
    if (endedByServer() && fits(silenceOf(Endpoint::Client), phoenixServerTimeoutMs)) {
        ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("timeout"), silenceOf(Endpoint::Client),
                                 QStringLiteral("measured"), phoenixServerTimeoutMs,
                                 QStringLiteral("phoenix lib/phoenix/transports/websocket.ex"));
        t.summary = QStringLiteral("The Phoenix server closed %1 after the upgrade %2, after %3 without a message "
                                   "from the client: the socket's timeout is 60 s by default, and the client's "
                                   "heartbeat (every 30 s) did not come.")
                        .arg(seconds(e.ageMs()), how(), seconds(silenceOf(Endpoint::Client)));
        t.fix = QStringLiteral("Send [null,REF,\"phoenix\",\"heartbeat\",{}] every 30 s (the phoenix client does).");
        return t;
    }
    return std::nullopt;
}

std::optional<ProtocolTimeout> Reading::actionCable() const
{
    if (!endedByClient() || p.fromServer.sent == 0)
        return std::nullopt;
    const qint64 silent = silenceOf(Endpoint::Server);
    if (silent < actionCableStaleMs - DisconnectDiagnoser::earlySlackMs ||
        silent > actionCableStaleMs + actionCablePollMs + DisconnectDiagnoser::lateSlackMs(actionCableStaleMs))
        return std::nullopt;
    ProtocolTimeout t =
        make(QStringLiteral("client"), QStringLiteral("staleThreshold"), actionCableStaleMs, QStringLiteral("default"),
             actionCableStaleMs, QStringLiteral("rails actioncable connection_monitor.js"));
    t.summary = QStringLiteral("The Action Cable client closed %1 after the upgrade: no ping came from the server for "
                               "%2, and the client counts a connection stale after 6 s without one (the server "
                               "pings every 3 s), then reopens it.")
                    .arg(seconds(e.ageMs()), seconds(silent));
    t.fix = QStringLiteral("The server stopped pinging (or the path stopped passing): look at the server's load and "
                           "logs at that time.");
    return t;
}

std::optional<ProtocolTimeout> Reading::sockJs() const
{
    if (!p.announcedClose || p.announcedClose->sender != Endpoint::Server)
        return std::nullopt;
    const ProtocolEvidence::AnnouncedClose &c = *p.announcedClose;
    const QString announced = QStringLiteral("The SockJS server closed the session %1 after the upgrade with "
                                             "c[%2,\"%3\"]")
                                  .arg(seconds(since(c.atMs)))
                                  .arg(c.code.value_or(0))
                                  .arg(c.reason);
    const QString source = QStringLiteral("sockjs 0.3.24 lib/trans-websocket.js heartbeat (fixed 10 s), lib/sockjs.js "
                                          "heartbeat_delay");
    if (c.reason != QLatin1StringView("No response from heartbeat")) {
        ProtocolTimeout t =
            make(QStringLiteral("server"), QString(), std::nullopt, QStringLiteral("announced"), std::nullopt, source);
        t.summary = announced + u'.';
        return t;
    }
    // sockjs-node pings at the WebSocket level every heartbeat_delay on its framed WebSocket transport and closes
    // the session when a ping's pong has not come 10 s later; the Close frame after the c[...] frame says 1000.
    ProtocolTimeout t = make(QStringLiteral("server"), QStringLiteral("pong wait"), sockJsPongWaitMs,
                             QStringLiteral("default"), sockJsPongWaitMs, source);
    const std::optional<qint64> &unanswered = e.unansweredPingReceivedMs;
    t.summary = announced;
    if (unanswered && fits(c.atMs - *unanswered, sockJsPongWaitMs)) {
        const QString client = e.pongsSent == 0
                                   ? QStringLiteral("your client does not answer WebSocket pings")
                                   : QStringLiteral("your client answered %1 of its %2 pings, then stopped")
                                         .arg(e.pongsSent)
                                         .arg(e.pingsReceived);
        t.summary += QStringLiteral(", then %1: its WebSocket ping at %2 got no pong within the 10 s it waits; %3.")
                         .arg(how(), seconds(since(*unanswered)), client);
    } else {
        t.summary +=
            QStringLiteral(", then %1: one of its WebSocket pings got no pong within the 10 s it waits.").arg(how());
    }
    t.summary +=
        QStringLiteral(" (sockjs-node pings every heartbeat_delay, 25 s by default%1, on its framed "
                       "WebSocket transport <prefix>/<server>/<session>/websocket, and waits a fixed 10 s "
                       "for each pong; it sends no \"h\" frames there.)")
            .arg(e.firstPingReceivedMs
                     ? QStringLiteral(", %1 here from its first ping").arg(seconds(since(*e.firstPingReceivedMs)))
                     : QString());
    t.fix = QStringLiteral("Answer WebSocket pings with pongs (auto-pong on; a browser does it by itself) and keep "
                           "reading the socket: a client that stops reading stops answering too.");
    return t;
}

std::optional<ProtocolTimeout> Reading::run()
{
    if (!p.recognised() || !e.close)
        return std::nullopt;
    const std::optional<AppProtocol> protocol = AppProtocols::fromName(p.protocol);
    if (!protocol)
        return std::nullopt;
    switch (*protocol) {
    case AppProtocol::SocketIo:
        return socketIo();
    case AppProtocol::GraphqlTransportWs:
        return graphqlTransportWs();
    case AppProtocol::Mqtt:
        return mqtt();
    case AppProtocol::Stomp:
        return stomp();
    case AppProtocol::SignalR:
        return signalR();
    case AppProtocol::Phoenix:
        return phoenix();
    case AppProtocol::ActionCable:
        return actionCable();
    case AppProtocol::SockJs:
        return sockJs();
    case AppProtocol::GraphqlWs:
    case AppProtocol::Wamp:
    case AppProtocol::JsonRpc:
        break;
    }
    return std::nullopt;
}

} // namespace

std::optional<ProtocolTimeout> diagnose(const SessionEvidence &evidence)
{
    return Reading(evidence).run();
}

} // namespace wsi::ProtocolTimeoutDiagnoser
