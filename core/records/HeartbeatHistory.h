// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/AppendOnlyLog.h"
#include "core/records/HeartbeatEvent.h"
#include "core/records/HeartbeatSettings.h"
#include "core/records/HeartbeatStatus.h"
#include "core/records/ProtocolHeartbeat.h"

#include <QMutex>

namespace wsi {

// A session's heartbeat events, the WebSocket heartbeat's and the application protocol's (HeartbeatEvent::source)
// (Session::heartbeatHistory()): appended by its HeartbeatEngine and AppProtocolSpeaker on the network thread, read
// from any thread. Events are read by index without locks, as in FrameLog; the status summary and the settings are
// copied under a small lock. A view keeps the shared_ptr, so it may read after the session is gone.
class HeartbeatHistory final
{
public:
    explicit HeartbeatHistory(HeartbeatSettings settings)
        : m_settings(std::move(settings))
    {}
    Q_DISABLE_COPY_MOVE(HeartbeatHistory)

    // Writer side (the session's thread).
    void append(const HeartbeatEvent &event);

    // Reader side (any thread).
    qsizetype eventCount() const noexcept { return m_events.size(); }
    const HeartbeatEvent &event(qsizetype index) const noexcept { return m_events.at(index); }
    // The summary of the WebSocket heartbeat's events, or of the application protocol's.
    HeartbeatStatus status(HeartbeatEvent::Source source = HeartbeatEvent::Source::WebSocket) const;
    // The application protocol's heartbeat as negotiated; not known (empty protocol) until its handshake says.
    ProtocolHeartbeat protocolHeartbeat() const;
    void setProtocolHeartbeat(const ProtocolHeartbeat &heartbeat);
    // What the engine was configured with (the UI shows the interval and timeout).
    const HeartbeatSettings &settings() const noexcept { return m_settings; }

private:
    const HeartbeatSettings m_settings;
    AppendOnlyLog<HeartbeatEvent, 8> m_events;
    mutable QMutex m_statusMutex;
    HeartbeatStatus m_status;
    HeartbeatStatus m_protocolStatus;
    ProtocolHeartbeat m_protocolHeartbeat;
};

} // namespace wsi
