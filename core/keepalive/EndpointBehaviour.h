// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/HeartbeatSpec.h"
#include "core/keepalive/RecordedTraffic.h"
#include "core/keepalive/TcpKeepaliveSettings.h"

#include <QList>

#include <optional>

namespace wsi {

// Everything one end does in a simulation: its heartbeat, its own traffic (periodic or replayed from a recording),
// its TCP keepalive, whether it answers pings, and whether it stops reading (which is what arms stall timers).
struct EndpointBehaviour {
    HeartbeatSpec heartbeat;
    std::optional<qint64> trafficEveryMs;   // a data message every so often
    QList<RecordedTraffic::Frame> recorded; // replayed as sent; recorded pings are not answered again
    TcpKeepaliveSettings tcpKeepalive;
    bool answersPings = true;
    // From then on the end no longer drains its socket: writes toward it block in the nearest L7 proxy. The
    // simulator treats the socket buffers as already full, so the first write after this time blocks.
    std::optional<qint64> stopsReadingAtMs;
};

} // namespace wsi
