// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/AppProtocolSettings.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/MessageDecoder.h"
#include "core/records/HeartbeatHistory.h"
#include "core/session/HeartbeatMonitor.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace wsi {

class Session;

// Speaks a session's application protocol (`connect --protocol`): sends its handshake once the WebSocket is open
// (Socket.IO CONNECT after Engine.IO's open packet, STOMP CONNECT, MQTT CONNECT, GraphQL connection_init, the
// SignalR handshake, a Phoenix join, an Action Cable subscribe, a WAMP HELLO), then the user's protocol messages once
// the server has accepted it, answers the protocol's heartbeats (Engine.IO 4 pings, graphql pings) and sends its own
// (Engine.IO 3 pings, STOMP beats at the negotiated period, MQTT PINGREQ every Keep Alive, SignalR and Phoenix
// heartbeats). Everything goes out as ordinary messages through the Session, so it is recorded and shown like any
// other.
//
// It records the protocol's heartbeat in the session's HeartbeatHistory (HeartbeatEvent::Source::Protocol): ours
// and their replies with the RTT (HeartbeatMonitor), the peer's with the time since its previous one, and misses:
// a reply to ours later than the protocol's timeout, or no heartbeat from the peer within its promised period plus
// half the slack it is given (late), then within its timeout (dead). Dead is recorded, never acted on: the point
// is to watch what the server does.
//
// Owned by its Session and living on its thread; the session feeds it every data message both ways. Timers fire
// once per heartbeat period and deadline, never per message.
class AppProtocolSpeaker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppProtocolSpeaker)

public:
    using Clock = std::function<qint64()>; // the session's clock, ns

    AppProtocolSpeaker(Session &session, AppProtocolSettings settings, Clock clock,
                       std::shared_ptr<HeartbeatHistory> history, QObject *parent = nullptr);
    ~AppProtocolSpeaker() override;

    // The WebSocket is open: pick the protocol (Auto: from the handshake) and send what it sends first.
    void opened(const ConnectionFacts &facts);
    // A session that speaks no protocol (Mode::None) whose connection the user takes to speak `protocol` (recognised
    // by the window): the speaker follows it to number what the composer sends (sendMessage()), and sends nothing
    // of its own: no handshake, no heartbeat, no answer.
    void follow(AppProtocol protocol, const ConnectionFacts &facts);
    // Builds one of the protocol's messages with the ids, refs and namespace the connection uses, and sends it
    // through the session (so messageSent() sees it, as every message); returns the log index of its frame, or -1
    // when nothing went out (not open, or the message is not one of this protocol's).
    qsizetype sendMessage(const ProtocolMessage &message);
    // The connection is closing or gone: no more heartbeats.
    void stop();
    // Every data message, in order: ours (to keep the decoder's state in step) and the peer's, with the log index
    // of the frame that completed it.
    void messageSent(const AppMessage &message);
    void messageReceived(const AppMessage &message, qint64 timeNs, qsizetype frame);

    // The protocol being spoken, once opened() chose one.
    std::optional<AppProtocol> protocol() const noexcept { return m_protocol; }
    // The server accepted the protocol's handshake (CONNECT ack, CONNECTED, CONNACK 0, connection_ack ...).
    bool handshakeDone() const noexcept { return m_handshakeDone; }

Q_SIGNALS:
    // Events were appended to the history (the session coalesces this into its notifications).
    void recorded();

private:
    void received(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void receivedSocketIo(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void receivedStomp(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void receivedMqtt(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void receivedGraphql(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void receivedOther(const DecodedMessage &message, qint64 timeNs, qsizetype frame);
    void acceptHandshake();
    void sendFirstMessages();
    quint16 nextPacketId();

    // Sends a protocol message; returns the log index of its frame, or -1 when nothing went out.
    qsizetype send(const QByteArray &payload, bool binary = false);
    // The negotiated heartbeat is known: record it and start the timers it needs.
    void startHeartbeat(const ProtocolHeartbeat &heartbeat);
    void beat();
    QByteArray beatMessage();
    void replyReceived(qint64 timeNs, qsizetype frame);
    void peerBeat(qint64 timeNs, qsizetype frame);
    void answerPeer(const QByteArray &answer, qint64 peerTimeNs);
    void checkDeadlines();
    void armPeerWatch();
    void record(HeartbeatEvent event);
    HeartbeatEvent::Health health() const;

    Session &m_session;
    const AppProtocolSettings m_settings;
    Clock m_clock;
    std::shared_ptr<HeartbeatHistory> m_history;
    std::optional<AppProtocol> m_protocol;
    std::unique_ptr<MessageDecoder> m_decoder;
    int m_engineIoVersion = 4;
    bool m_running = false;
    bool m_handshakeDone = false;
    bool m_following = false; // follow(): numbers the user's messages, says nothing of its own
    ProtocolHeartbeat m_heartbeat;

    // Our heartbeats and their replies.
    std::optional<HeartbeatMonitor> m_monitor;
    QTimer m_beatTimer;
    QTimer m_deadlineTimer;
    quint64 m_sequence = 0;
    quint64 m_phoenixRef = 0;
    QString m_phoenixHeartbeatRef; // the ref of the heartbeat awaiting its phx_reply
    // The peer's heartbeats.
    QTimer m_peerTimer;
    qint64 m_lastPeerBeatNs = 0;
    qint64 m_lastPeerDataNs = 0; // anything from the peer: what its silence is counted from
    quint64 m_peerBeats = 0;
    int m_peerMissed = 0;
    HeartbeatEvent::Health m_peerHealth = HeartbeatEvent::Health::Healthy;
    HeartbeatEvent::Health m_recordedHealth = HeartbeatEvent::Health::Healthy; // of the last event recorded
    // Ids of the operations and packets our own messages carry.
    quint64 m_nextId = 1;
    quint64 m_nextAckId = 0;                 // socket.io-client numbers acks from 0
    quint64 m_nextInvocationId = 0;          // @microsoft/signalr too
    std::optional<quint64> m_phoenixJoinRef; // the ref of the topic's join, which its pushes carry
};

} // namespace wsi
