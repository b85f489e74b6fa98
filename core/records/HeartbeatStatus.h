// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HeartbeatEvent.h"

namespace wsi {

// The heartbeat at a glance, for a status panel: kept up to date by HeartbeatHistory as events are appended.
// Times are on the session's clock; -1 when it has not happened.
struct HeartbeatStatus {
    HeartbeatEvent::Health health = HeartbeatEvent::Health::Healthy;
    int missed = 0; // replies missed in a row
    qint64 lastSentNs = -1;
    qint64 lastReplyNs = -1;
    qint64 lastRttNs = -1;
    qint64 minRttNs = -1;
    qint64 maxRttNs = -1;
    qint64 heartbeatsSent = 0;
    qint64 repliesReceived = 0;
    qint64 missesTotal = 0;
    bool stoppedAnsweringPings = false;
};

} // namespace wsi
