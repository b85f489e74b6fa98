// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/protocol/Endpoint.h"

#include <limits>

namespace wsi {

// What an intermediary's timers can see cross it: a frame (or, on a live relay, one read of bytes) from one end, or
// a TCP keepalive probe.
struct TimerTraffic {
    Endpoint from = Endpoint::Client;
    // A data frame, or a read of bytes that completed at least one: what timers counting data messages only see.
    bool carriesData = false;
    // A TCP keepalive probe: no payload, so only timers that count every packet (L4 boxes) see it.
    bool probe = false;
};

// One timer of an intermediary model running on one connection. The keepalive simulator runs it in virtual
// milliseconds, the live timeout proxy in real nanoseconds (values, precision and times share the caller's unit),
// and both follow the rules written here and nowhere else:
// - idle timers and lifetimes start at the upgrade; a stall timer runs only while a write toward its end is
//   blocked (that end does not drain), and is deleted when the write drains;
// - an idle timer restarts on the traffic its reset rule counts (restartedBy());
// - a restart that would move the deadline by less than the model's precision keeps the old deadline (nginx keeps
//   armed deadlines within NGX_TIMER_LAZY_DELAY, 300 ms);
// - when it expires, what happens is the action ChainLink resolved from the model and its knobs (definition()).
class KeepaliveTimer final
{
public:
    static constexpr qint64 unarmed = std::numeric_limits<qint64>::max();

    KeepaliveTimer(const ChainLink::ActiveTimer &definition, qint64 value, qint64 precision);

    const ChainLink::ActiveTimer &definition() const noexcept { return m_definition; }
    TimerKind kind() const noexcept { return m_definition.kind; }
    qint64 value() const noexcept { return m_value; }
    bool isArmed() const noexcept { return m_deadline != unarmed; }
    qint64 deadline() const noexcept { return m_deadline; }
    // When the traffic it counts last came (or when it was armed): its silence at expiry is measured from here.
    qint64 lastRestart() const noexcept { return m_lastRestart; }

    // The upgrade happened at `now`: idle timers and lifetimes are armed.
    void start(qint64 now);
    // Traffic crossed the intermediary at `now`. True when the deadline moved.
    bool observe(const TimerTraffic &traffic, qint64 now);
    // A write toward `towards` blocked at `now`, or drained: a stall timer toward that end starts, or stops. True
    // when the timer changed.
    bool writeBlocked(Endpoint towards, qint64 now);
    bool writeDrained(Endpoint towards);
    // It expired, or its intermediary closed or dropped the connection.
    void stop() noexcept { m_deadline = unarmed; }

    // Whether traffic restarts an idle timer with this reset rule.
    static bool restartedBy(ResetRule rule, const TimerTraffic &traffic);

private:
    bool stallsToward(Endpoint towards) const noexcept;

    ChainLink::ActiveTimer m_definition;
    qint64 m_value;
    qint64 m_precision;
    qint64 m_deadline = unarmed;
    qint64 m_lastRestart = 0;
};

} // namespace wsi
