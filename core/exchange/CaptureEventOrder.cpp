// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/CaptureEventOrder.h"

namespace wsi {

bool CaptureEventOrder::advance(const FrameLog &log, const HeartbeatHistory *heartbeats, const Visitor &visit)
{
    // Messages are counted afresh after each frame: a live session's log publishes a message right after its last
    // frame, so one counted then always has its frames told already.
    const qsizetype frames = log.frameCount();
    const qsizetype events = heartbeats ? heartbeats->eventCount() : 0;
    while (m_frame < frames || m_heartbeatEvent < events) {
        if (m_heartbeatEvent < events && heartbeats->event(m_heartbeatEvent).kind == HeartbeatEvent::Kind::Sent) {
            ++m_heartbeatEvent;
            continue;
        }
        const bool frameFirst =
            m_frame < frames &&
            (m_heartbeatEvent >= events || log.frame(m_frame).timeNs <= heartbeats->event(m_heartbeatEvent).timeNs);
        if (!frameFirst) {
            if (!visit.heartbeat(heartbeats->event(m_heartbeatEvent++)))
                return false;
            continue;
        }
        if (!visit.frame(m_frame))
            return false;
        while (m_message < log.messageCount() && log.message(m_message).lastFrame <= quint64(m_frame)) {
            if (!visit.message(m_message++))
                return false;
        }
        ++m_frame;
    }
    return true;
}

bool CaptureEventOrder::finish(const FrameLog &log, const Visitor &visit)
{
    while (m_message < log.messageCount()) {
        if (!visit.message(m_message++))
            return false;
    }
    return true;
}

} // namespace wsi
