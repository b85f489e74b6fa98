// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/keepalive/SimulationScenario.h"
#include "core/keepalive/SuggestedChain.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli simulate` was asked to do, parsed and checked against the catalog before anything runs.
struct SimulateArguments {
    SimulationScenario scenario;
    QString fromFile; // --from: the recorded traffic's source
    // What that session's evidence says the chain is (SuggestedChain); set with --from. Without --chain the
    // scenario's chain is the suggested one; with it the user's chain wins and this is only reported.
    std::optional<SuggestedChain> suggested;
    bool suggestedChainUsed = false;
    // With --from: the application protocol's heartbeats the recording shows ("socket.io from the recording:
    // pingInterval 400 ms, ..."), run by the ends unless --client-heartbeat / --server-heartbeat say otherwise;
    // empty when the recording speaks no protocol with a heartbeat.
    QString protocolFromFile;
    bool listModels = false;
    bool json = false;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using SimulateParseResult = ParsedArguments<SimulateArguments>;

// arguments: what follows "simulate" on the command line.
SimulateParseResult parseSimulateArguments(const QStringList &arguments);
QString simulateHelpText();
// Every flag's long name, in the help's order.
QStringList simulateOptionNames();

} // namespace wsi::cli
