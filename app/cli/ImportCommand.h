// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli import FILE`: reads the WebSocket sessions of a HAR file (HarReader) and prints a summary of
// each, for people or as JSON lines.
namespace ImportCommand {

// arguments: what follows "import" on the command line. Returns the exit status.
int run(const QStringList &arguments);

} // namespace ImportCommand
} // namespace wsi::cli
