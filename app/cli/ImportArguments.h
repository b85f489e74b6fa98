// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli import FILE` was asked to do.
struct ImportArguments {
    QString file;
    bool json = false;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ImportParseResult = ParsedArguments<ImportArguments>;

// arguments: what follows "import" on the command line.
ImportParseResult parseImportArguments(const QStringList &arguments);
QString importHelpText();
// Every flag's long name, in the help's order.
QStringList importOptionNames();

} // namespace wsi::cli
