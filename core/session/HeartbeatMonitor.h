// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HeartbeatEvent.h"

#include <QList>

#include <optional>

namespace wsi {

// The heartbeat's bookkeeping without timers or a clock: told when heartbeats go out and replies come in, and
// asked to advance to a time, it says which replies were missed and what the health is. HeartbeatEngine drives it
// with the session's clock; tests drive it with plain numbers.
//
// Rules: each heartbeat that expects a reply has a deadline (sent + timeout). A deadline that passes without a
// reply is a miss; `missesUntilDead` misses in a row make the heartbeat dead, fewer make it late. A reply answers
// its heartbeat and every earlier one still waiting (RFC 6455 §5.5.3 lets a pong answer only the latest ping),
// resets the misses and makes it healthy again, even a reply that comes after its deadline. Dead is final when
// `deadIsFinal` (the session gives up on the connection); otherwise a reply revives it.
class HeartbeatMonitor final
{
public:
    // timeoutNs <= 0: no replies are expected (unsolicited pongs, application messages without a timeout).
    HeartbeatMonitor(qint64 timeoutNs, int missesUntilDead, bool deadIsFinal = true);

    // A heartbeat went out. Returns its event (the caller fills in the frame).
    HeartbeatEvent sent(quint64 sequence, qint64 timeNs);
    // The reply to heartbeat `sequence`; nothing when that heartbeat is not awaiting one (answered before, or not
    // ours).
    std::optional<HeartbeatEvent> replied(quint64 sequence, qint64 timeNs);
    // Misses whose deadlines are <= nowNs, in deadline order.
    QList<HeartbeatEvent> advance(qint64 nowNs);

    // Nothing at all arrived within the receive timeout: dead at once, whatever the replies said.
    HeartbeatEvent receiveTimedOut(qint64 nowNs);

    // When advance() next has something to say; nothing when no reply is awaited.
    std::optional<qint64> nextDeadlineNs() const;
    // The most recent heartbeat still awaiting its reply (App heartbeats: any message answers it).
    std::optional<quint64> latestAwaiting() const;

    HeartbeatEvent::Health health() const noexcept { return m_health; }
    int missed() const noexcept { return m_missed; }
    qsizetype awaiting() const noexcept { return m_awaiting.size(); }

private:
    struct Awaiting {
        quint64 sequence = 0;
        qint64 sentNs = 0;
        bool missed = false; // its deadline passed (counted once)
    };
    HeartbeatEvent makeEvent(HeartbeatEvent::Kind kind, quint64 sequence, qint64 timeNs, HeartbeatEvent::Health before);

    qint64 m_timeoutNs;
    int m_missesUntilDead;
    bool m_deadIsFinal;
    QList<Awaiting> m_awaiting; // in the order sent
    int m_missed = 0;
    HeartbeatEvent::Health m_health = HeartbeatEvent::Health::Healthy;
};

} // namespace wsi
