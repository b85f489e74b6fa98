// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

// The outcome of parsing: arguments, or a message naming the offending argument (exit 2).
struct ImportParseResult {
    std::optional<ImportArguments> arguments;
    QString error;
};

// arguments: what follows "import" on the command line.
ImportParseResult parseImportArguments(const QStringList &arguments);
QString importHelpText();

} // namespace wsi::cli
