// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/profiles/SessionProfile.h"
#include "core/session/SessionOptions.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi::cli {

// connect --profile reads a variable NAME from $WSI_VAR_NAME too (the name as written, case included), as the
// profile directory comes from $WSI_PROFILE_DIR: --var wins over it, and it over the profile's own value.
inline constexpr char variableEnvironmentPrefix[] = "WSI_VAR_";

// What `wsinspector-cli connect` was asked to do, parsed and checked before anything touches the network.
struct ConnectArguments {
    // --send, --send-hex and --ping land in session.onConnectMessages, in command-line order: the session sends
    // them as soon as each connection opens (again after every --reconnect). The heartbeat flags fill
    // session.heartbeat, --reconnect session.reconnect.
    SessionOptions session;
    bool close = false; // --close given
    quint16 closeCode = 1000;
    QString closeReason;
    std::optional<double> durationSeconds;
    bool json = false;
    // --proto FILE --proto-message TYPE: binary messages read as TYPE in the JSON output's "decoded".
    std::optional<ProtobufSchemaView> binarySchema;
    bool help = false;
    // --record FILE: the recording of connection 1; reconnects go to FILE-2, FILE-3 ... (RecordingPaths).
    QString recordFile;
    // --on-record-error: when the recording cannot be written (disk full, file removed, no permission), close the
    // connection and exit 4 (the default: the user asked for a recording), or go on unrecorded with a warning.
    enum class OnRecordError : quint8 { Close, Continue };
    OnRecordError onRecordError = OnRecordError::Close;
    // --profile whose secrets (header, cookie or secret variable values the file never keeps) no flag gave: the
    // profile with every flag and variable applied, waiting for the keychain (ConnectSecretsResolver), after
    // which `session` is resolved from it. Empty when `session` is ready to connect.
    std::optional<SessionProfile> profileAwaitingSecrets;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ConnectParseResult = ParsedArguments<ConnectArguments>;

// arguments: what follows "connect" on the command line. Each flag is one row of connect's ArgumentTable (in
// ConnectArguments.cpp), which the help is generated from too.
ConnectParseResult parseConnectArguments(const QStringList &arguments);
QString connectHelpText();
// Every flag's long name ("header", "ping" ...), in the help's order.
QStringList connectOptionNames();
// Empty when the opening handshake can be built from these options, else why not (a usage error naming the
// header or subprotocol), so that it is reported before connecting.
QString checkHandshakeOptions(const SessionOptions &options);

} // namespace wsi::cli
