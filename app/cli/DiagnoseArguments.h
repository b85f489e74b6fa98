// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

// The outcome of parsing: arguments, or a message naming the offending argument (exit 2).
struct DiagnoseParseResult {
    std::optional<DiagnoseArguments> arguments;
    QString error;
};

// arguments: what follows "diagnose" on the command line.
DiagnoseParseResult parseDiagnoseArguments(const QStringList &arguments);
QString diagnoseHelpText();

} // namespace wsi::cli
