// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/proxy/CaptureOptions.h"
#include "core/proxy/UpstreamTlsOptions.h"

#include <QString>
#include <QStringList>

namespace wsi::cli {

// What `wsinspector-cli capture` was asked to do, checked (listen address, patterns, models) before it listens.
struct CaptureArguments {
    CaptureOptions options;
    QString recordDirectory;        // --record-dir: one recording per WebSocket connection; empty: none
    QString caDirectory;            // --ca-dir: the capture CA's folder; empty: CaptureAuthority::defaultFolder()
    QString exportCaFile;           // --export-ca: write the CA certificate there and exit instead of listening
    UpstreamTlsOptions upstreamTls; // --upstream-ca, --upstream-insecure
    QString keyLogFile;             // --keylog: TLS secrets of both sides; empty: none
    bool json = false;
    // --proto FILE --proto-message TYPE: binary messages read as TYPE in the JSON output's "decoded".
    std::optional<ProtobufSchemaView> binarySchema;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using CaptureParseResult = ParsedArguments<CaptureArguments>;

// arguments: what follows "capture" on the command line.
CaptureParseResult parseCaptureArguments(const QStringList &arguments);
QString captureHelpText();
// Every flag's long name, in the help's order.
QStringList captureOptionNames();

} // namespace wsi::cli
