// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/keepalive/EndpointBehaviour.h"
#include "core/keepalive/TcpDefaults.h"

#include <QList>

#include <optional>

namespace wsi {

// A complete simulation input: client -> chain (in order from the client) -> server, over durationMs of virtual
// time starting at the upgrade (t = 0).
struct SimulationScenario {
    QList<ChainLink> chain;
    EndpointBehaviour client;
    EndpointBehaviour server;
    qint64 durationMs = 3600000;
    // When the ends replay a recorded session: when it ended (its close, else its last frame). The explanation
    // measures silences up to then, so its fix quotes the session's own longest silence, not the one the simulated
    // time after the recording's end makes.
    std::optional<qint64> recordedEndMs;
    TcpDefaults tcp;
    // After the first cut the simulation goes on (past durationMs if needed) until both ends know, or this long,
    // to find out what each end observes. Covers the default TCP keepalive's 7875 s.
    qint64 observeAfterCutMs = 4 * 3600000;
    // The explanation replays the scenario without the chain to measure silences; off for that replay.
    bool explain = true;
};

} // namespace wsi
