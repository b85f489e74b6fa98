// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameLog.h"
#include "core/records/HeartbeatHistory.h"

#include <functional>

namespace wsi {

// The order in which a capture's events are told, shared by `wsinspector-cli connect` (human and --json, as the
// session runs) and the JSON-lines export (afterwards): frames in order, each followed by the message it completed;
// the heartbeat engine's replies, misses and state changes in time order among them (a heartbeat it sent shows as
// its frame, so those events are skipped). Resumable: each advance() tells what was published since the last one.
class CaptureEventOrder final
{
public:
    struct Visitor {
        // Each returns false to stop (a write failed); the event it was given counts as told.
        std::function<bool(qsizetype frame)> frame;
        std::function<bool(qsizetype message)> message;
        std::function<bool(const HeartbeatEvent &event)> heartbeat;
    };

    // Tells what `log` and `heartbeats` (may be null) published since the last call; false when a visitor stopped.
    bool advance(const FrameLog &log, const HeartbeatHistory *heartbeats, const Visitor &visit);
    // At the end: messages not told yet although their frames were (never expected, but never dropped silently).
    bool finish(const FrameLog &log, const Visitor &visit);
    void reset() { *this = CaptureEventOrder(); }

private:
    qsizetype m_frame = 0;
    qsizetype m_message = 0;
    qsizetype m_heartbeatEvent = 0;
};

} // namespace wsi
