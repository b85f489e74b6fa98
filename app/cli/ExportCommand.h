// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli export FILE --har OUT | --jsonl OUT`: writes the sessions of a recording or a HAR file as HAR
// (HarWriter) or as the JSON lines of `connect --json` (JsonLinesWriter), with whole payloads.
namespace ExportCommand {

// arguments: what follows "export" on the command line. Returns the exit status.
int run(const QStringList &arguments);

} // namespace ExportCommand
} // namespace wsi::cli
