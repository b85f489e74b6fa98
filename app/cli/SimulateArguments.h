// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/SimulationScenario.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli simulate` was asked to do, parsed and checked against the catalog before anything runs.
struct SimulateArguments {
    SimulationScenario scenario;
    QString fromFile; // --from: the recorded traffic's source
    bool listModels = false;
    bool json = false;
    bool help = false;
};

// The outcome of parsing: arguments, or a message naming the offending argument and the valid choices (exit 2).
struct SimulateParseResult {
    std::optional<SimulateArguments> arguments;
    QString error;
};

// arguments: what follows "simulate" on the command line.
SimulateParseResult parseSimulateArguments(const QStringList &arguments);
QString simulateHelpText();

} // namespace wsi::cli
