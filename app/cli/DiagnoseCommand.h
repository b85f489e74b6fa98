// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli diagnose FILE`: reads a transcript of `connect --json`, diagnoses each connection in it
// (DisconnectDiagnoser), and prints the result for people or as the same "diagnosis" JSON event `connect --json`
// prints when a connection ends abnormally.
namespace DiagnoseCommand {

// arguments: what follows "diagnose" on the command line. Returns the exit status.
int run(const QStringList &arguments);

} // namespace DiagnoseCommand
} // namespace wsi::cli
