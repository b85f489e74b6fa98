// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/proxy/ProxyOptions.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli proxy` was asked to do, checked (models and knobs against the catalog) before it listens.
struct ProxyArguments {
    ProxyOptions options;
    QString recordFile;      // --record: the events as JSON lines, whatever the screen shows
    QString recordDirectory; // --record-dir: one recording (.wsirec) per connection; empty: none
    // A TLS listener: --tls-cert and --tls-key, or --tls-local-ca with the capture CA in caDirectory (empty: the
    // default folder). Made into options.listenTls by the command.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    bool tlsLocalCa = false;
    QString caDirectory;
    bool json = false;
    // --proto FILE --proto-message TYPE: binary messages read as TYPE in the JSON output's "decoded".
    std::optional<ProtobufSchemaView> binarySchema;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ProxyParseResult = ParsedArguments<ProxyArguments>;

// arguments: what follows "proxy" on the command line.
ProxyParseResult parseProxyArguments(const QStringList &arguments);
QString proxyHelpText();
// Every flag's long name, in the help's order.
QStringList proxyOptionNames();

} // namespace wsi::cli
