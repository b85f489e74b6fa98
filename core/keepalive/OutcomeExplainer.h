// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/KeepaliveSimulator.h"

namespace wsi {

// Turns a simulation's outcome into plain words: what cut the connection, naming the real knob, its value and
// default, what restarts it, what each end saw; and the fix ("send a ping at most every 48 s, or raise
// proxy_read_timeout above your longest silence"; "a heartbeat cannot help against a maximum lifetime:
// reconnect"). Also lists the assumptions behind the numbers (TCP retransmission timeout, unverified defaults).
namespace OutcomeExplainer {

// Fills result.outcome.explanation, fix and assumptions. Replays the scenario without the chain to measure the
// longest silence of the traffic the cutting timer counts.
void explain(const SimulationScenario &scenario, KeepaliveSimulator::Result &result);

// The heartbeat interval we recommend against an idle timer: 80% of it in whole seconds (48 s for 60 s), so that
// one late or lost heartbeat, or the 300 ms of nginx's timer precision, does not cut the connection.
qint64 safeIntervalMs(qint64 timerMs);

} // namespace OutcomeExplainer
} // namespace wsi
