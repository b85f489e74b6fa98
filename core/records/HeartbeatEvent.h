// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// One thing the heartbeat engine did or saw, on the session's clock. Kept in the session's HeartbeatHistory.
struct HeartbeatEvent {
    enum class Kind : quint8 {
        Sent,             // a heartbeat (ping, unsolicited pong or application message) was sent
        Reply,            // its reply arrived: a pong with the ping's payload, or (App) any message
        Missed,           // no reply within the timeout
        StoppedAnswering, // "stop answering pings after N" reached: the server's pings go unanswered from now on
        PeerBeat,         // the peer's own heartbeat arrived (an Engine.IO 4 ping, a STOMP beat, a graphql ping)
        Answered,         // we answered the peer's heartbeat (an Engine.IO pong): rttNs is how long that took
    };
    // Whose heartbeat: the WebSocket one (pings and pongs, the heartbeat engine's settings), or the application
    // protocol's (Engine.IO ping/pong, STOMP heart-beats, MQTT PINGREQ/PINGRESP, graphql ping/pong), described by
    // the history's ProtocolHeartbeat.
    enum class Source : quint8 { WebSocket, Protocol };
    // healthy: every reply came in time (or none is expected); late: replies missed in a row, fewer than the
    // settings' missesUntilDead; dead: that many missed.
    enum class Health : quint8 { Healthy, Late, Dead };

    qint64 timeNs = 0;
    qint64 rttNs = -1; // Reply: from the heartbeat to its reply; Answered: from the peer's heartbeat to our answer
    // PeerBeat: since the peer's previous heartbeat (or since the protocol's handshake for the first), to read
    // against the period it promised.
    qint64 intervalNs = -1;
    qsizetype frame = -1; // Sent: the heartbeat's (first) frame; Reply: the pong's frame when known
    quint64 sequence = 0; // the heartbeat it concerns (1, 2, ...)
    int missed = 0;       // replies missed in a row, after this event
    Kind kind = Kind::Sent;
    Source source = Source::WebSocket;
    Health health = Health::Healthy; // after this event
    bool healthChanged = false;      // this event changed the health

    static QString kindName(Kind kind)
    {
        switch (kind) {
        case Kind::Sent:
            return QStringLiteral("sent");
        case Kind::Reply:
            return QStringLiteral("reply");
        case Kind::Missed:
            return QStringLiteral("missed");
        case Kind::PeerBeat:
            return QStringLiteral("peer-beat");
        case Kind::Answered:
            return QStringLiteral("answered");
        case Kind::StoppedAnswering:
            break;
        }
        return QStringLiteral("stopped-answering-pings");
    }
    static QString healthName(Health health)
    {
        switch (health) {
        case Health::Healthy:
            return QStringLiteral("healthy");
        case Health::Late:
            return QStringLiteral("late");
        case Health::Dead:
            break;
        }
        return QStringLiteral("dead");
    }
};

} // namespace wsi
