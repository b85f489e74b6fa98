// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/HeartbeatHistory.h"

#include <algorithm>

namespace wsi {

void HeartbeatHistory::append(const HeartbeatEvent &event)
{
    {
        QMutexLocker lock(&m_statusMutex);
        HeartbeatStatus &s = event.source == HeartbeatEvent::Source::WebSocket ? m_status : m_protocolStatus;
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
        case HeartbeatEvent::Kind::PeerBeat:
            s.lastReplyNs = event.timeNs;
            ++s.repliesReceived;
            break;
        case HeartbeatEvent::Kind::Answered:
            s.lastSentNs = event.timeNs;
            ++s.heartbeatsSent;
            break;
        }
    }
    m_events.append(event);
}

HeartbeatStatus HeartbeatHistory::status(HeartbeatEvent::Source source) const
{
    QMutexLocker lock(&m_statusMutex);
    return source == HeartbeatEvent::Source::WebSocket ? m_status : m_protocolStatus;
}

ProtocolHeartbeat HeartbeatHistory::protocolHeartbeat() const
{
    QMutexLocker lock(&m_statusMutex);
    return m_protocolHeartbeat;
}

void HeartbeatHistory::setProtocolHeartbeat(const ProtocolHeartbeat &heartbeat)
{
    QMutexLocker lock(&m_statusMutex);
    m_protocolHeartbeat = heartbeat;
}

} // namespace wsi
