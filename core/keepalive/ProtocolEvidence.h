// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/protocol/Endpoint.h"

#include <QList>
#include <QString>

#include <array>
#include <functional>
#include <optional>

namespace wsi {

class FrameLog;

// What a session's application protocol (Socket.IO, MQTT, STOMP, GraphQL over WebSocket ...) says about its
// heartbeat and timeouts, in plain data: the parameters its messages announced (Engine.IO's pingInterval and
// pingTimeout, MQTT's Keep Alive, STOMP's heart-beat headers), whether the protocol's opening message went out,
// each end's protocol heartbeats and whether they were answered, and a close announced inside a message (SockJS
// c[3000,"..."], a SignalR Close). Filled from the decoded messages in the order they crossed; the diagnosis
// (ProtocolTimeoutDiagnoser) and `simulate --from` read it. All times in ms on the session's clock.
struct ProtocolEvidence {
    // One end's heartbeat requests (Engine.IO "2", PINGREQ, a graphql ping, a Phoenix heartbeat) or one-way beats
    // (a STOMP EOL, a SignalR Ping, an Action Cable ping, a SockJS "h").
    struct Heartbeats {
        qint64 sent = 0;
        qint64 answered = 0;
        std::optional<qint64> lastMs;
        bool lastAnswered = true;          // one-way beats expect no answer and count as answered
        std::optional<qint64> lastReplyMs; // the last answer this end got to one of its requests
        std::optional<qint64> longestIntervalMs;
        // The first message of the other end after the last request while it went unanswered (not the answer):
        // engine.io restarts its ping timeout once on such a packet.
        std::optional<qint64> otherMessageAfterLastMs;
    };
    struct AnnouncedClose {
        qint64 atMs = 0;
        Endpoint sender = Endpoint::Server;
        std::optional<int> code;
        QString reason;
    };

    QString protocol; // AppProtocols::name ("socket.io"); empty when no protocol was recognised
    int engineIoVersion = 0;
    // Engine.IO's open packet.
    std::optional<qint64> pingIntervalMs;
    std::optional<qint64> pingTimeoutMs;
    // MQTT: CONNECT's Keep Alive (0 turns it off), and MQTT 5's Server Keep Alive in CONNACK, which wins.
    std::optional<qint64> keepAliveMs;
    std::optional<qint64> serverKeepAliveMs;
    // STOMP: CONNECT's heart-beat cx,cy and CONNECTED's sx,sy.
    std::optional<std::array<qint64, 2>> clientHeartBeat;
    std::optional<std::array<qint64, 2>> serverHeartBeat;
    // The client's opening message of the protocol: connection_init, MQTT or STOMP CONNECT, a Socket.IO CONNECT
    // ("40"), the SignalR handshake, a Phoenix or Action Cable join/subscribe.
    std::optional<qint64> initSentMs;
    Heartbeats fromServer;
    Heartbeats fromClient;
    qint64 messagesFromClient = 0;
    qint64 messagesFromServer = 0;
    std::optional<qint64> lastFromClientMs;
    std::optional<qint64> lastFromServerMs;
    std::optional<AnnouncedClose> announcedClose;

    bool recognised() const { return !protocol.isEmpty(); }
    // MQTT: the Keep Alive in force (the server's when it set one).
    std::optional<qint64> mqttKeepAliveMs() const { return serverKeepAliveMs ? serverKeepAliveMs : keepAliveMs; }
    // STOMP: how often the client must send (max(cx, sy)) and the server (max(sx, cy)); 0 when off.
    qint64 stompClientPeriodMs() const;
    qint64 stompServerPeriodMs() const;
    const Heartbeats &heartbeatsOf(Endpoint side) const { return side == Endpoint::Client ? fromClient : fromServer; }

    // Building: every decoded message of the session, in order.
    void add(qint64 atMs, Endpoint sender, const DecodedMessage &message);

    struct TimedMessage {
        qint64 atMs = 0;
        AppMessage message;
    };
    // A session's messages, recognised and decoded as ConnectionDecoder does it; empty evidence when no protocol is
    // recognised. `forced`: the protocol the session was told to speak (SessionRecords::protocol), taken as said.
    static ProtocolEvidence fromLog(const ConnectionFacts &facts, const FrameLog &log,
                                    std::optional<AppProtocol> forced = std::nullopt);
    static ProtocolEvidence fromMessages(const ConnectionFacts &facts, const QList<TimedMessage> &messages,
                                         std::optional<AppProtocol> forced = std::nullopt);

private:
    static ProtocolEvidence decodeAll(const ConnectionFacts &facts, qsizetype count,
                                      const std::function<TimedMessage(qsizetype)> &messageAt,
                                      std::optional<AppProtocol> forced);
};

} // namespace wsi
