// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/SimulateArguments.h"
#include "core/keepalive/KeepaliveSimulator.h"

#include <QStringList>
#include <QTextStream>

namespace wsi::cli {

// `wsinspector-cli simulate`: runs the keepalive simulator on the scenario given on the command line and prints
// the timeline, the outcome, the explanation and the fix (human text, or JSON lines with --json). No event loop:
// the simulation runs in virtual time.
class SimulateCommand final
{
public:
    // arguments: what follows "simulate" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);

private:
    static void listModels(QTextStream &out, bool json);
    static void printHuman(QTextStream &out, const SimulateArguments &arguments,
                           const KeepaliveSimulator::Result &result);
    static void printJson(QTextStream &out, const SimulateArguments &arguments,
                          const KeepaliveSimulator::Result &result);
};

} // namespace wsi::cli
