// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/appprotocol/ProtobufSchemaView.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli export FILE (--har OUT | --jsonl OUT) [--payload-limit BYTES] [--include-secrets]` was
// asked to do.
struct ExportArguments {
    enum class Format : quint8 { Har, JsonLines };

    QString file;
    Format format = Format::JsonLines;
    QString output;              // "-": standard output
    qsizetype payloadLimit = -1; // --jsonl: bytes of each payload to write; -1: whole
    bool includeSecrets = false; // keep credentials in the handshakes (SecretRedaction::keepingSecrets())
    // --proto FILE --proto-message TYPE: binary messages read as TYPE in the JSON output's "decoded".
    std::optional<ProtobufSchemaView> binarySchema;
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ExportParseResult = ParsedArguments<ExportArguments>;

// arguments: what follows "export" on the command line.
ExportParseResult parseExportArguments(const QStringList &arguments);
QString exportHelpText();
// Every flag's long name, in the help's order.
QStringList exportOptionNames();

} // namespace wsi::cli
