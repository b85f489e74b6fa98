// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/AppProtocolSpeaker.h"

#include "core/appprotocol/ActionCableMessages.h"
#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/ConnectionDecoder.h"
#include "core/appprotocol/GraphqlWsMessages.h"
#include "core/appprotocol/MqttPackets.h"
#include "core/appprotocol/PhoenixMessages.h"
#include "core/appprotocol/ProtocolDefaults.h"
#include "core/appprotocol/SignalRMessages.h"
#include "core/appprotocol/SocketIoMessages.h"
#include "core/appprotocol/StompFrames.h"
#include "core/appprotocol/WampMessages.h"
#include "core/session/Session.h"
#include "core/text/DurationText.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace wsi {
namespace {

// A reply to our heartbeat missed this many times in a row makes the protocol's heartbeat dead.
constexpr int missesUntilDead = 2;
using namespace ProtocolDefaults;

int timerMs(qint64 ms)
{
    return int(std::clamp<qint64>(ms, 1, std::numeric_limits<int>::max()));
}

qint64 field(const DecodedMessage &message, const char *name)
{
    return qint64(message.fields.value(QLatin1StringView(name)).toDouble(-1));
}

QString text(const DecodedMessage &message, const char *name)
{
    return message.fields.value(QLatin1StringView(name)).toString();
}

int engineIoVersionOf(const QUrl &url)
{
    return QUrlQuery(url).queryItemValue(QStringLiteral("EIO")) == QLatin1StringView("3") ? 3 : 4;
}

// STOMP 1.2 "Heart-beating": each side's period is the larger of what one offers and the other wants; 0 on either
// side turns that direction off.
qint64 stompPeriod(qint64 offered, qint64 wanted)
{
    return offered == 0 || wanted == 0 ? 0 : std::max(offered, wanted);
}

} // namespace

AppProtocolSpeaker::AppProtocolSpeaker(Session &session, AppProtocolSettings settings, Clock clock,
                                       std::shared_ptr<HeartbeatHistory> history, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_settings(std::move(settings))
    , m_clock(std::move(clock))
    , m_history(std::move(history))
    , m_beatTimer(this)
    , m_deadlineTimer(this)
    , m_peerTimer(this)
{
    // Short heartbeats (a few hundred ms in tests and tight setups) would show a coarse timer's slack.
    for (QTimer *timer : {&m_beatTimer, &m_deadlineTimer, &m_peerTimer})
        timer->setTimerType(Qt::PreciseTimer);
    m_deadlineTimer.setSingleShot(true);
    m_peerTimer.setSingleShot(true);
    connect(&m_beatTimer, &QTimer::timeout, this, &AppProtocolSpeaker::beat);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &AppProtocolSpeaker::checkDeadlines);
    connect(&m_peerTimer, &QTimer::timeout, this, &AppProtocolSpeaker::checkDeadlines);
}

AppProtocolSpeaker::~AppProtocolSpeaker() = default;

void AppProtocolSpeaker::opened(const ConnectionFacts &facts)
{
    if (m_running || m_settings.mode == AppProtocolSettings::Mode::None)
        return;
    Recognition recognition;
    if (m_settings.mode == AppProtocolSettings::Mode::Speak) {
        recognition.protocol = m_settings.protocol;
        recognition.confidence = 100;
        recognition.engineIoVersion = engineIoVersionOf(facts.url);
    } else {
        const auto recognised = AppProtocolRegistry::recognize(facts);
        if (!recognised || recognised->confidence < ConnectionDecoder::handshakeConfidence)
            return; // nothing sure enough to speak: the session stays a plain WebSocket client
        recognition = *recognised;
    }
    m_protocol = recognition.protocol;
    m_engineIoVersion = recognition.engineIoVersion;
    m_decoder = AppProtocolRegistry::createDecoder(recognition);
    m_running = true;
    m_lastPeerBeatNs = m_clock();

    switch (*m_protocol) {
    case AppProtocol::SocketIo:
        break; // Engine.IO's open packet comes first
    case AppProtocol::Stomp:
        send(StompFrames::connect(m_settings.stompHost.isEmpty() ? facts.url.host() : m_settings.stompHost,
                                  m_settings.stompLogin, m_settings.stompPasscode, m_settings.stompHeartbeatSendMs,
                                  m_settings.stompHeartbeatReceiveMs));
        break;
    case AppProtocol::Mqtt: {
        // mqtt.js makes up "mqttjs_" and 8 hex digits when given none.
        const QString clientId =
            m_settings.mqttClientId.isEmpty()
                ? QStringLiteral("wsi_%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'))
                : m_settings.mqttClientId;
        send(MqttPackets::connect(clientId, m_settings.mqttKeepAliveSeconds, m_settings.mqttUsername,
                                  m_settings.mqttPassword, m_settings.mqttCleanSession),
             true);
        break;
    }
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        send(GraphqlWsMessages::connectionInit(m_settings.graphqlInitPayload, *m_protocol == AppProtocol::GraphqlWs));
        break;
    case AppProtocol::SignalR:
        send(SignalRMessages::handshake());
        break;
    case AppProtocol::Phoenix:
        if (!m_settings.phoenixTopic.isEmpty()) {
            m_phoenixJoinRef = ++m_phoenixRef;
            send(PhoenixMessages::join(m_settings.phoenixTopic, m_settings.phoenixJoinPayload, *m_phoenixJoinRef));
        }
        startHeartbeat({AppProtocols::name(*m_protocol),
                        QStringLiteral("Phoenix: the client sends \"heartbeat\" on topic \"phoenix\" every %1 and "
                                       "expects its phx_reply before the next")
                            .arg(DurationText::format(phoenixHeartbeatMs)),
                        phoenixHeartbeatMs, phoenixHeartbeatMs, 0, 0});
        if (m_settings.phoenixTopic.isEmpty())
            acceptHandshake();
        break;
    case AppProtocol::ActionCable:
    case AppProtocol::SockJs:
        break; // the server's welcome, or SockJS's open frame "o", comes first
    case AppProtocol::Wamp:
        // HELLO joins a realm; without one the session is decoded only.
        if (m_settings.wampRealm.isEmpty())
            acceptHandshake();
        else
            send(WampMessages::hello(m_settings.wampRealm));
        break;
    case AppProtocol::JsonRpc:
        acceptHandshake(); // nothing of its own to send first, no heartbeat: decoded only
        break;
    }
}

void AppProtocolSpeaker::follow(AppProtocol protocol, const ConnectionFacts &facts)
{
    if (m_protocol)
        return;
    Recognition recognition;
    recognition.protocol = protocol;
    recognition.confidence = 100;
    recognition.engineIoVersion = engineIoVersionOf(facts.url);
    m_protocol = protocol;
    m_engineIoVersion = recognition.engineIoVersion;
    m_decoder = AppProtocolRegistry::createDecoder(recognition);
    m_following = true;
    m_running = true;
    m_handshakeDone = true;
}

void AppProtocolSpeaker::stop()
{
    m_running = false;
    m_beatTimer.stop();
    m_deadlineTimer.stop();
    m_peerTimer.stop();
}

void AppProtocolSpeaker::messageSent(const AppMessage &message)
{
    if (!m_decoder)
        return;
    m_decoder->decode(message);
    // MQTT's Keep Alive counts from the client's last packet of any kind (MQTT 3.1.1 §3.1.2.10).
    if (m_protocol == AppProtocol::Mqtt && m_beatTimer.isActive())
        m_beatTimer.start();
}

void AppProtocolSpeaker::messageReceived(const AppMessage &message, qint64 timeNs, qsizetype frame)
{
    if (!m_decoder || !m_running)
        return;
    // Any message from the peer shows it alive: engine.io-client resets its ping timeout on every packet, and
    // STOMP counts any data as a heart-beat.
    if (m_peerMissed > 0) {
        m_peerMissed = 0;
        m_peerHealth = HeartbeatEvent::Health::Healthy;
    }
    m_lastPeerDataNs = timeNs;
    const DecodedMessages decoded = m_decoder->decode(message);
    for (const DecodedMessage &one : decoded)
        received(one, timeNs, frame);
    armPeerWatch();
}

void AppProtocolSpeaker::received(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    if (m_following)
        return; // decoded only to keep the decoder in step
    switch (message.protocol) {
    case AppProtocol::SocketIo:
        receivedSocketIo(message, timeNs, frame);
        break;
    case AppProtocol::Stomp:
        receivedStomp(message, timeNs, frame);
        break;
    case AppProtocol::Mqtt:
        receivedMqtt(message, timeNs, frame);
        break;
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        receivedGraphql(message, timeNs, frame);
        break;
    default:
        receivedOther(message, timeNs, frame);
        break;
    }
}

void AppProtocolSpeaker::receivedSocketIo(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    if (message.kind == QLatin1StringView("open")) {
        const qint64 interval = field(message, "pingInterval");
        const qint64 timeout = field(message, "pingTimeout");
        if (interval > 0 && timeout >= 0) {
            if (m_engineIoVersion == 4)
                startHeartbeat({AppProtocols::name(AppProtocol::SocketIo),
                                QStringLiteral("Engine.IO 4 (open packet): the server pings (\"2\") every %1 and "
                                               "closes without a pong (\"3\") within pingTimeout %2")
                                    .arg(DurationText::format(interval), DurationText::format(timeout)),
                                0, 0, interval, interval + timeout});
            else
                startHeartbeat({AppProtocols::name(AppProtocol::SocketIo),
                                QStringLiteral("Engine.IO 3 (open packet): the client pings (\"2\") every "
                                               "pingInterval %1; the server answers (\"3\") and closes after %2 "
                                               "without a ping")
                                    .arg(DurationText::format(interval), DurationText::format(interval + timeout)),
                                interval, timeout, 0, 0});
        }
        // Engine.IO 3 servers (Socket.IO 2) connect the main namespace by themselves.
        const bool mainNamespace = m_settings.socketIoNamespace.isEmpty() || m_settings.socketIoNamespace == u"/";
        if (m_engineIoVersion == 4 || !mainNamespace)
            send(SocketIoMessages::connect(m_settings.socketIoNamespace,
                                           m_engineIoVersion == 4 ? m_settings.socketIoAuth : QByteArray()));
        return;
    }
    if (message.kind == QLatin1StringView("ping") && m_engineIoVersion == 4) {
        peerBeat(timeNs, frame);
        if (m_settings.heartbeats)
            answerPeer(SocketIoMessages::pong(), timeNs);
        return;
    }
    if (message.kind == QLatin1StringView("pong")) {
        replyReceived(timeNs, frame);
        return;
    }
    if (message.kind == QLatin1StringView("CONNECT") && !m_handshakeDone) {
        QString nsp = text(message, "namespace");
        const QString wanted =
            m_settings.socketIoNamespace.isEmpty() ? QStringLiteral("/") : m_settings.socketIoNamespace;
        if ((nsp.isEmpty() ? QStringLiteral("/") : nsp) == wanted)
            acceptHandshake();
    }
}

void AppProtocolSpeaker::receivedStomp(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    if (message.kind == QLatin1StringView("CONNECTED")) {
        const QJsonArray serverBeat = message.fields.value(QStringLiteral("heartBeat")).toArray();
        const qint64 sx = qint64(serverBeat.at(0).toDouble(0));
        const qint64 sy = qint64(serverBeat.at(1).toDouble(0));
        const qint64 ours = stompPeriod(m_settings.stompHeartbeatSendMs, sy);
        const qint64 theirs = stompPeriod(sx, m_settings.stompHeartbeatReceiveMs);
        // A beat later than twice the period: what @stomp/stompjs gives up after.
        startHeartbeat({AppProtocols::name(AppProtocol::Stomp),
                        QStringLiteral("STOMP heart-beat: CONNECT %1,%2, CONNECTED %3,%4: the client beats every %5, "
                                       "the server every %6 (dead after twice that, as @stomp/stompjs counts)")
                            .arg(m_settings.stompHeartbeatSendMs)
                            .arg(m_settings.stompHeartbeatReceiveMs)
                            .arg(sx)
                            .arg(sy)
                            .arg(ours > 0 ? DurationText::format(ours) : QStringLiteral("never"),
                                 theirs > 0 ? DurationText::format(theirs) : QStringLiteral("never")),
                        ours, 0, theirs, 2 * theirs});
        acceptHandshake();
        return;
    }
    if (message.kind == QLatin1StringView("heart-beat"))
        peerBeat(timeNs, frame);
}

void AppProtocolSpeaker::receivedMqtt(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    if (message.kind == QLatin1StringView("CONNACK") && !m_handshakeDone) {
        if (field(message, "returnCode") != 0 && field(message, "reasonCode") != 0)
            return; // refused: the broker closes, the CONNACK says why
        const qint64 keepAliveMs = qint64(m_settings.mqttKeepAliveSeconds) * 1000;
        if (keepAliveMs > 0)
            startHeartbeat({AppProtocols::name(AppProtocol::Mqtt),
                            QStringLiteral("MQTT Keep Alive %1: the client sends PINGREQ when it has sent nothing for "
                                           "that long and expects PINGRESP within it; the broker drops a client "
                                           "silent for 1.5 x Keep Alive (%2)")
                                .arg(DurationText::format(keepAliveMs), DurationText::format(keepAliveMs * 3 / 2)),
                            keepAliveMs, keepAliveMs, 0, 0});
        acceptHandshake();
        return;
    }
    if (message.kind == QLatin1StringView("PINGRESP"))
        replyReceived(timeNs, frame);
    // A delivery at QoS 1 (a subscription made at QoS 1) is acknowledged, as every client does; the broker would
    // otherwise send it again.
    if (message.kind == QLatin1StringView("PUBLISH") && field(message, "qos") == 1 && field(message, "packetId") > 0)
        send(MqttPackets::publishAck(quint16(field(message, "packetId"))), true);
}

void AppProtocolSpeaker::receivedGraphql(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    const QString type = message.kind;
    if (type == QLatin1StringView("connection_ack") && !m_handshakeDone) {
        startHeartbeat({AppProtocols::name(*m_protocol),
                        *m_protocol == AppProtocol::GraphqlWs
                            ? QStringLiteral("graphql-ws (legacy): the server sends \"ka\" when its keepAlive is on")
                            : QStringLiteral("graphql-transport-ws: either end may ping; the other answers pong"),
                        0, 0, 0, 0});
        acceptHandshake();
        return;
    }
    if (type == QLatin1StringView("ping")) {
        peerBeat(timeNs, frame);
        if (m_settings.heartbeats)
            answerPeer(GraphqlWsMessages::pong(), timeNs);
    } else if (type == QLatin1StringView("ka")) {
        peerBeat(timeNs, frame);
    } else if (type == QLatin1StringView("pong")) {
        replyReceived(timeNs, frame);
    }
}

void AppProtocolSpeaker::receivedOther(const DecodedMessage &message, qint64 timeNs, qsizetype frame)
{
    switch (message.protocol) {
    case AppProtocol::SignalR:
        if (message.kind == QLatin1StringView("HandshakeResponse") && !m_handshakeDone) {
            startHeartbeat(
                {AppProtocols::name(AppProtocol::SignalR),
                 QStringLiteral("SignalR: the client pings (type 6) every %1; the server's KeepAliveInterval "
                                "is 15 s and the client gives up after ServerTimeout %2 without a message")
                     .arg(DurationText::format(signalRKeepAliveMs), DurationText::format(signalRServerTimeoutMs)),
                 signalRKeepAliveMs, 0, signalRKeepAliveMs, signalRServerTimeoutMs});
            acceptHandshake();
        } else if (message.kind == QLatin1StringView("Ping")) {
            peerBeat(timeNs, frame);
        }
        break;
    case AppProtocol::Phoenix:
        if (message.kind == QLatin1StringView("phx_reply") && text(message, "topic") == u"phoenix" &&
            text(message, "ref") == m_phoenixHeartbeatRef) {
            replyReceived(timeNs, frame);
        } else if (message.kind == QLatin1StringView("phx_reply") && !m_handshakeDone &&
                   text(message, "topic") == m_settings.phoenixTopic) {
            acceptHandshake();
        }
        break;
    case AppProtocol::SockJs:
        if (message.kind == QLatin1StringView("open") && !m_handshakeDone) {
            // The server's "h" is recorded as its heartbeat; it announces no period, so none is watched.
            startHeartbeat({AppProtocols::name(AppProtocol::SockJs),
                            QStringLiteral("SockJS: the server sends \"h\" every heartbeat_delay (25 s by default) "
                                           "where its transport has no ping of its own; sockjs-node pings at the "
                                           "WebSocket level instead and closes with c[3000,\"No response from "
                                           "heartbeat\"] when no pong comes within 10 s"),
                            0, 0, 0, 0});
            acceptHandshake();
        } else if (message.kind == QLatin1StringView("heartbeat")) {
            peerBeat(timeNs, frame);
        }
        break;
    case AppProtocol::Wamp:
        if (message.kind == QLatin1StringView("WELCOME") && !m_handshakeDone)
            acceptHandshake();
        else if (message.kind == QLatin1StringView("GOODBYE") && m_handshakeDone)
            send(WampMessages::goodbyeAndOut()); // the router closes the session: WAMP's answer is a GOODBYE
        break;
    case AppProtocol::ActionCable:
        if (message.kind == QLatin1StringView("welcome") && !m_handshakeDone) {
            startHeartbeat({AppProtocols::name(AppProtocol::ActionCable),
                            QStringLiteral("Action Cable: the server pings every %1; the client counts it stale "
                                           "after %2 without one")
                                .arg(DurationText::format(actionCablePingMs), DurationText::format(actionCableStaleMs)),
                            0, 0, actionCablePingMs, actionCableStaleMs});
            if (m_settings.actionCableIdentifier.trimmed().isEmpty())
                acceptHandshake();
            else
                send(ActionCableMessages::subscribe(m_settings.actionCableIdentifier));
        } else if (message.kind == QLatin1StringView("confirm_subscription") && !m_handshakeDone) {
            acceptHandshake();
        } else if (message.kind == QLatin1StringView("ping")) {
            peerBeat(timeNs, frame);
        }
        break;
    default:
        break;
    }
}

void AppProtocolSpeaker::acceptHandshake()
{
    if (m_handshakeDone)
        return;
    m_handshakeDone = true;
    sendFirstMessages();
}

void AppProtocolSpeaker::sendFirstMessages()
{
    for (const ProtocolMessage &message : m_settings.messages)
        sendMessage(message);
}

quint16 AppProtocolSpeaker::nextPacketId()
{
    // MQTT 3.1.1 §2.3.1: non-zero, 16 bits; reused once the earlier ones are long acknowledged.
    const auto id = quint16(m_nextId++ % 0xFFFF);
    return id == 0 ? nextPacketId() : id;
}

qsizetype AppProtocolSpeaker::sendMessage(const ProtocolMessage &message)
{
    if (!m_protocol)
        return -1;
    const AppProtocol protocol = *m_protocol;
    const bool graphql = protocol == AppProtocol::GraphqlTransportWs || protocol == AppProtocol::GraphqlWs;
    switch (message.kind) {
    case ProtocolMessage::Kind::Emit:
        if (protocol != AppProtocol::SocketIo)
            return -1;
        return send(SocketIoMessages::event(m_settings.socketIoNamespace, message.target, message.args,
                                            message.ack ? std::optional<quint64>(m_nextAckId++) : std::nullopt));
    case ProtocolMessage::Kind::Subscribe:
        if (protocol == AppProtocol::Mqtt)
            return send(MqttPackets::subscribe(nextPacketId(), message.target, message.qos), true);
        if (protocol == AppProtocol::Stomp)
            return send(StompFrames::subscribe(QStringLiteral("sub-%1").arg(m_nextId++), message.target));
        if (protocol == AppProtocol::Wamp)
            return send(WampMessages::subscribe(m_nextId++, message.target));
        return -1;
    case ProtocolMessage::Kind::Call:
        if (protocol != AppProtocol::Wamp)
            return -1;
        return send(WampMessages::call(m_nextId++, message.target, message.args));
    case ProtocolMessage::Kind::Send:
        if (protocol != AppProtocol::Stomp)
            return -1;
        return send(StompFrames::send(message.target, message.body, message.headers));
    case ProtocolMessage::Kind::Publish:
        if (protocol != AppProtocol::Mqtt)
            return -1;
        return send(MqttPackets::publish(message.target, message.body, message.qos, message.retain,
                                         message.qos > 0 ? nextPacketId() : 0),
                    true);
    case ProtocolMessage::Kind::Query:
        if (!graphql)
            return -1;
        return send(GraphqlWsMessages::subscribe(QString::number(m_nextId++), QString::fromUtf8(message.body),
                                                 protocol == AppProtocol::GraphqlWs, message.variables));
    case ProtocolMessage::Kind::Invoke:
        if (protocol != AppProtocol::SignalR)
            return -1;
        return send(SignalRMessages::invocation(
            message.target, message.args,
            message.ack ? std::optional<QString>(QString::number(m_nextInvocationId++)) : std::nullopt));
    case ProtocolMessage::Kind::Push: {
        if (protocol != AppProtocol::Phoenix)
            return -1;
        const bool joined = m_phoenixJoinRef && message.target == m_settings.phoenixTopic;
        return send(PhoenixMessages::push(message.target, message.event, message.body,
                                          joined ? m_phoenixJoinRef : std::nullopt, ++m_phoenixRef));
    }
    case ProtocolMessage::Kind::Perform:
        if (protocol != AppProtocol::ActionCable)
            return -1;
        return send(ActionCableMessages::perform(
            message.identifier.trimmed().isEmpty() ? m_settings.actionCableIdentifier : message.identifier,
            message.target, message.body));
    }
    return -1;
}

qsizetype AppProtocolSpeaker::send(const QByteArray &payload, bool binary)
{
    if (m_session.state() != Session::State::Open)
        return -1;
    const qsizetype before = m_session.frameLog()->frameCount();
    m_session.sendMessage(binary ? MessageType::Binary : MessageType::Text, payload);
    return m_session.frameLog()->frameCount() > before ? before : -1;
}

void AppProtocolSpeaker::startHeartbeat(const ProtocolHeartbeat &heartbeat)
{
    m_heartbeat = heartbeat;
    m_history->setProtocolHeartbeat(heartbeat);
    Q_EMIT recorded();
    if (heartbeat.replyTimeoutMs > 0)
        m_monitor.emplace(heartbeat.replyTimeoutMs * 1'000'000, missesUntilDead, false);
    if (heartbeat.sendIntervalMs > 0 && m_settings.heartbeats)
        m_beatTimer.start(timerMs(heartbeat.sendIntervalMs));
    m_lastPeerBeatNs = m_clock();
    m_lastPeerDataNs = m_lastPeerBeatNs;
    armPeerWatch();
}

QByteArray AppProtocolSpeaker::beatMessage()
{
    switch (m_protocol.value_or(AppProtocol::JsonRpc)) {
    case AppProtocol::SocketIo:
        return SocketIoMessages::ping();
    case AppProtocol::Stomp:
        return StompFrames::heartbeat();
    case AppProtocol::Mqtt:
        return MqttPackets::pingRequest();
    case AppProtocol::SignalR:
        return SignalRMessages::ping();
    case AppProtocol::Phoenix:
        m_phoenixHeartbeatRef = QString::number(++m_phoenixRef);
        return PhoenixMessages::heartbeat(m_phoenixRef);
    case AppProtocol::GraphqlTransportWs:
        return GraphqlWsMessages::ping();
    default:
        return {};
    }
}

void AppProtocolSpeaker::beat()
{
    if (!m_running)
        return;
    const QByteArray message = beatMessage();
    if (message.isEmpty())
        return;
    const qsizetype frame = send(message, m_protocol == AppProtocol::Mqtt);
    if (frame < 0)
        return;
    const quint64 sequence = ++m_sequence;
    const qint64 t = m_session.frameLog()->frame(frame).timeNs;
    HeartbeatEvent event;
    if (m_monitor) {
        checkDeadlines();
        event = m_monitor->sent(sequence, t);
    } else {
        event.kind = HeartbeatEvent::Kind::Sent;
        event.sequence = sequence;
        event.timeNs = t;
    }
    event.frame = frame;
    record(event);
    checkDeadlines();
}

void AppProtocolSpeaker::replyReceived(qint64 timeNs, qsizetype frame)
{
    if (!m_monitor)
        return;
    checkDeadlines();
    const auto latest = m_monitor->latestAwaiting();
    if (!latest)
        return;
    if (auto event = m_monitor->replied(*latest, timeNs)) {
        event->frame = frame;
        record(*event);
    }
    checkDeadlines();
}

void AppProtocolSpeaker::peerBeat(qint64 timeNs, qsizetype frame)
{
    HeartbeatEvent event;
    event.kind = HeartbeatEvent::Kind::PeerBeat;
    event.timeNs = timeNs;
    event.frame = frame;
    event.sequence = ++m_peerBeats;
    event.intervalNs = timeNs - m_lastPeerBeatNs;
    m_lastPeerBeatNs = timeNs;
    record(event);
}

void AppProtocolSpeaker::answerPeer(const QByteArray &answer, qint64 peerTimeNs)
{
    const qsizetype frame = send(answer);
    if (frame < 0)
        return;
    HeartbeatEvent event;
    event.kind = HeartbeatEvent::Kind::Answered;
    event.timeNs = m_session.frameLog()->frame(frame).timeNs;
    event.rttNs = event.timeNs - peerTimeNs;
    event.frame = frame;
    event.sequence = m_peerBeats;
    record(event);
}

void AppProtocolSpeaker::checkDeadlines()
{
    if (!m_running)
        return;
    const qint64 now = m_clock();
    if (m_monitor) {
        for (HeartbeatEvent miss : m_monitor->advance(now))
            record(miss);
        const auto deadline = m_monitor->nextDeadlineNs();
        if (deadline)
            m_deadlineTimer.start(timerMs((std::max<qint64>(0, *deadline - now) + 999'999) / 1'000'000));
        else
            m_deadlineTimer.stop();
    }
    // The peer's silence: late past its period plus half its slack, dead past its timeout.
    if (m_heartbeat.peerIntervalMs > 0 && m_peerMissed < 2) {
        const qint64 lateAt =
            m_lastPeerDataNs +
            (m_heartbeat.peerIntervalMs + (m_heartbeat.peerTimeoutMs - m_heartbeat.peerIntervalMs) / 2) * 1'000'000;
        const qint64 deadAt = m_lastPeerDataNs + m_heartbeat.peerTimeoutMs * 1'000'000;
        const qint64 due = m_peerMissed == 0 ? lateAt : deadAt;
        if (now >= due) {
            ++m_peerMissed;
            m_peerHealth = m_peerMissed >= 2 ? HeartbeatEvent::Health::Dead : HeartbeatEvent::Health::Late;
            HeartbeatEvent miss;
            miss.kind = HeartbeatEvent::Kind::Missed;
            miss.timeNs = due;
            miss.sequence = m_peerBeats + 1;
            record(miss);
        }
        armPeerWatch();
    }
}

void AppProtocolSpeaker::armPeerWatch()
{
    if (!m_running || m_heartbeat.peerIntervalMs <= 0 || m_peerMissed >= 2) {
        m_peerTimer.stop();
        return;
    }
    const qint64 slackMs = (m_heartbeat.peerTimeoutMs - m_heartbeat.peerIntervalMs) / 2;
    const qint64 dueMs = m_peerMissed == 0 ? m_heartbeat.peerIntervalMs + slackMs : m_heartbeat.peerTimeoutMs;
    const qint64 waitNs = m_lastPeerDataNs + dueMs * 1'000'000 - m_clock();
    m_peerTimer.start(timerMs((std::max<qint64>(0, waitNs) + 999'999) / 1'000'000));
}

HeartbeatEvent::Health AppProtocolSpeaker::health() const
{
    const HeartbeatEvent::Health ours = m_monitor ? m_monitor->health() : HeartbeatEvent::Health::Healthy;
    return std::max(ours, m_peerHealth);
}

void AppProtocolSpeaker::record(HeartbeatEvent event)
{
    event.source = HeartbeatEvent::Source::Protocol;
    event.health = health();
    event.missed = std::max(m_monitor ? m_monitor->missed() : 0, m_peerMissed);
    event.healthChanged = event.health != m_recordedHealth;
    m_recordedHealth = event.health;
    m_history->append(event);
    Q_EMIT recorded();
}

} // namespace wsi
