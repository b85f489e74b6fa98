// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/keepalive/ChainLink.h"

#include <QList>
#include <QString>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli diagnose FILE` was asked to do.
struct DiagnoseArguments {
    QString file;
    // --chain: the intermediaries on the user's path with their knob values; empty: every catalog model with its
    // defaults.
    QList<ChainLink> links;
    bool json = false;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using DiagnoseParseResult = ParsedArguments<DiagnoseArguments>;

// arguments: what follows "diagnose" on the command line.
DiagnoseParseResult parseDiagnoseArguments(const QStringList &arguments);
QString diagnoseHelpText();
// Every flag's long name, in the help's order.
QStringList diagnoseOptionNames();

} // namespace wsi::cli
