// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/RecordedTraffic.h"

namespace wsi {

class FrameLog;

// A captured session's frames as the simulator replays them: what we sent is the client's traffic, what the server
// sent is the server's; data frames (continuations included) count as data, pings and pongs as themselves, Close
// frames not at all (the simulation asks what would have happened had nobody closed).
namespace SessionTraffic {

RecordedTraffic fromFrameLog(const FrameLog &log, const QString &source);

} // namespace SessionTraffic
} // namespace wsi
