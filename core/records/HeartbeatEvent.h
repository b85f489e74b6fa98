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
    };
    // healthy: every reply came in time (or none is expected); late: replies missed in a row, fewer than the
    // settings' missesUntilDead; dead: that many missed.
    enum class Health : quint8 { Healthy, Late, Dead };

    qint64 timeNs = 0;
    qint64 rttNs = -1;    // Reply: from the heartbeat to its reply
    qsizetype frame = -1; // Sent: the heartbeat's (first) frame; Reply: the pong's frame when known
    quint64 sequence = 0; // the heartbeat it concerns (1, 2, ...)
    int missed = 0;       // replies missed in a row, after this event
    Kind kind = Kind::Sent;
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
