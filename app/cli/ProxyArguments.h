// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/ProxyOptions.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli proxy` was asked to do, checked (models and knobs against the catalog) before it listens.
struct ProxyArguments {
    ProxyOptions options;
    QString recordFile; // --record: the events as JSON lines, whatever the screen shows
    bool json = false;
    bool help = false;
};

// Arguments, or a message naming the offending argument and the valid choices (exit 2).
struct ProxyParseResult {
    std::optional<ProxyArguments> arguments;
    QString error;
};

// arguments: what follows "proxy" on the command line.
ProxyParseResult parseProxyArguments(const QStringList &arguments);
QString proxyHelpText();

} // namespace wsi::cli
