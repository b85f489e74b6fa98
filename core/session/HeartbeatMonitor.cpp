// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/HeartbeatMonitor.h"

#include <algorithm>

namespace wsi {
namespace {

// A peer that never answers must not make the list grow forever: the oldest entries are only misses by then.
constexpr qsizetype maxAwaiting = 256;

} // namespace

HeartbeatMonitor::HeartbeatMonitor(qint64 timeoutNs, int missesUntilDead, bool deadIsFinal)
    : m_timeoutNs(timeoutNs)
    , m_missesUntilDead(std::max(1, missesUntilDead))
    , m_deadIsFinal(deadIsFinal)
{}

HeartbeatEvent HeartbeatMonitor::makeEvent(HeartbeatEvent::Kind kind, quint64 sequence, qint64 timeNs,
                                           HeartbeatEvent::Health before)
{
    HeartbeatEvent event;
    event.kind = kind;
    event.sequence = sequence;
    event.timeNs = timeNs;
    event.missed = m_missed;
    event.health = m_health;
    event.healthChanged = before != m_health;
    return event;
}

HeartbeatEvent HeartbeatMonitor::receiveTimedOut(qint64 nowNs)
{
    const HeartbeatEvent::Health before = m_health;
    m_health = HeartbeatEvent::Health::Dead;
    return makeEvent(HeartbeatEvent::Kind::Missed, 0, nowNs, before);
}

HeartbeatEvent HeartbeatMonitor::sent(quint64 sequence, qint64 timeNs)
{
    if (m_timeoutNs > 0) {
        if (m_awaiting.size() >= maxAwaiting)
            m_awaiting.removeFirst();
        m_awaiting.append({sequence, timeNs, false});
    }
    return makeEvent(HeartbeatEvent::Kind::Sent, sequence, timeNs, m_health);
}

std::optional<HeartbeatEvent> HeartbeatMonitor::replied(quint64 sequence, qint64 timeNs)
{
    const auto match = std::find_if(m_awaiting.cbegin(), m_awaiting.cend(),
                                    [sequence](const Awaiting &a) { return a.sequence == sequence; });
    if (match == m_awaiting.cend())
        return std::nullopt;
    const qint64 rtt = timeNs - match->sentNs;
    m_awaiting.erase(m_awaiting.cbegin(), match + 1);
    const HeartbeatEvent::Health before = m_health;
    if (!(m_deadIsFinal && m_health == HeartbeatEvent::Health::Dead)) {
        m_missed = 0;
        m_health = HeartbeatEvent::Health::Healthy;
    }
    HeartbeatEvent event = makeEvent(HeartbeatEvent::Kind::Reply, sequence, timeNs, before);
    event.rttNs = rtt;
    return event;
}

QList<HeartbeatEvent> HeartbeatMonitor::advance(qint64 nowNs)
{
    QList<HeartbeatEvent> events;
    for (Awaiting &a : m_awaiting) {
        const qint64 deadline = a.sentNs + m_timeoutNs;
        if (a.missed || deadline > nowNs)
            continue;
        a.missed = true;
        const HeartbeatEvent::Health before = m_health;
        ++m_missed;
        if (!(m_deadIsFinal && m_health == HeartbeatEvent::Health::Dead))
            m_health = m_missed >= m_missesUntilDead ? HeartbeatEvent::Health::Dead : HeartbeatEvent::Health::Late;
        events.append(makeEvent(HeartbeatEvent::Kind::Missed, a.sequence, deadline, before));
    }
    return events;
}

std::optional<qint64> HeartbeatMonitor::nextDeadlineNs() const
{
    // Sent in order with one timeout: the first one not yet missed has the earliest deadline.
    for (const Awaiting &a : m_awaiting) {
        if (!a.missed)
            return a.sentNs + m_timeoutNs;
    }
    return std::nullopt;
}

std::optional<quint64> HeartbeatMonitor::latestAwaiting() const
{
    if (m_awaiting.isEmpty())
        return std::nullopt;
    return m_awaiting.constLast().sequence;
}

} // namespace wsi
