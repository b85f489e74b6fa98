// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/HeartbeatHistory.h"

#include <algorithm>

namespace wsi {

void HeartbeatHistory::append(const HeartbeatEvent &event)
{
    {
        QMutexLocker lock(&m_statusMutex);
        HeartbeatStatus &s = m_status;
        s.health = event.health;
        s.missed = event.missed;
        switch (event.kind) {
        case HeartbeatEvent::Kind::Sent:
            s.lastSentNs = event.timeNs;
            ++s.heartbeatsSent;
            break;
        case HeartbeatEvent::Kind::Reply:
            s.lastReplyNs = event.timeNs;
            s.lastRttNs = event.rttNs;
            s.minRttNs = s.minRttNs < 0 ? event.rttNs : std::min(s.minRttNs, event.rttNs);
            s.maxRttNs = std::max(s.maxRttNs, event.rttNs);
            ++s.repliesReceived;
            break;
        case HeartbeatEvent::Kind::Missed:
            ++s.missesTotal;
            break;
        case HeartbeatEvent::Kind::StoppedAnswering:
            s.stoppedAnsweringPings = true;
            break;
        }
    }
    m_events.append(event);
}

HeartbeatStatus HeartbeatHistory::status() const
{
    QMutexLocker lock(&m_statusMutex);
    return m_status;
}

} // namespace wsi
