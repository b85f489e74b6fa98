// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace wsi::cli {

// What `wsinspector-cli serve` was asked to do.
struct ServeArguments {
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    QString host = QStringLiteral("127.0.0.1"); // --host as written, for messages
    quint16 port = 0;                           // 0: a free one
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ServeParseResult = ParsedArguments<ServeArguments>;

// arguments: what follows "serve" on the command line.
ServeParseResult parseServeArguments(const QStringList &arguments);
QString serveHelpText();
// Every flag's long name, in the help's order.
QStringList serveOptionNames();

} // namespace wsi::cli
