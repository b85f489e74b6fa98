// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/SimulationEvent.h"
#include "core/keepalive/SimulationOutcome.h"
#include "core/keepalive/SimulationScenario.h"

#include <QList>

namespace wsi {

// A discrete-event simulation, in virtual time (ms), of client -> chain of intermediaries -> server.
//
// Frames cross the whole chain at the instant they are sent; each intermediary restarts the timers its model
// says that frame restarts. TCP keepalive probes travel only to the first L7 proxy (which terminates that TCP
// connection), counted by the L4 boxes on the way. When a timer fires the intermediary acts: FIN or RST travels
// to both ends (lost where an earlier silent drop broke the path), a silent drop leaves the path dead. After the
// first cut the simulation goes on until each end knows (FIN/RST at once; the RST of a box that answers
// packets of a forgotten flow; retransmissions failing after the TCP retransmission timeout; keepalive probes
// failing; its own heartbeat timing out) or until it is clear that it never will.
//
// Deterministic: simultaneous events run in a fixed order (intermediary timers first, so an interval equal to a
// timeout is not enough), and an hour of simulated time takes well under a millisecond per thousand frames.
class KeepaliveSimulator
{
public:
    struct Result {
        QList<SimulationEvent> events;
        SimulationOutcome outcome;
    };

    static Result run(const SimulationScenario &scenario);
};

} // namespace wsi
