// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ExportArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ProtoSchemaArgument.h"
#include "app/cli/SingleFileArgument.h"

namespace wsi::cli {
namespace {

// What export's rows build; one output and whether --payload-limit applies to it are known once all are read.
struct ExportBuilder {
    ProtoSchemaArgument proto; // --proto, --proto-message
    ExportArguments out;
    SingleFileArgument file{QStringLiteral("export"), QStringLiteral("a recording or a HAR file")};
    int outputs = 0; // --har and --jsonl given
    std::optional<qsizetype> payloadLimit;

    QString finish();
};

// A row's apply() for --har and --jsonl.
auto output(ExportArguments::Format format)
{
    return [format](ExportBuilder &builder, const ArgumentOccurrence &flag) {
        ++builder.outputs;
        builder.out.format = format;
        builder.out.output = flag.value();
        return QString();
    };
}

const ArgumentTable<ExportBuilder> &exportTable()
{
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<ExportBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli export FILE --har OUT [--include-secrets]\n"
                                "       wsinspector-cli export FILE --jsonl OUT [--payload-limit BYTES] "
                                "[--include-secrets]"),
        .description = QStringLiteral(
            R"(Writes the WebSocket sessions of FILE, a recording ('connect --record', the window's recordings) or a HAR file,
as a HAR file or as JSON lines. OUT - writes to standard output. A file OUT is written whole or not at all: it
is replaced only once the export has succeeded.

Payloads are written whole: those a recording holds beyond what is kept in memory while exporting are read back
from it one at a time, so neither the size of the recording nor of its largest message matters. A HAR file's
payloads are what the file holds.

Secrets are left out unless --include-secrets is given, so the file can be shared: the values of Authorization,
Proxy-Authorization, Cookie and Set-Cookie, of headers named like credentials (X-Api-Key, X-Auth-Token ...), of
URL query parameters named like them (token, access_token, key, api_key, sig, password, session ...) and a
bearer token carried in Sec-WebSocket-Protocol become "[redacted]" in the URL, the headers and the raw
handshake. Payloads are the application's data and are written as they are, but for the credentials of an
application protocol's connect message: a STOMP CONNECT's passcode, an MQTT CONNECT's password (the packet stays
well-formed) and the members of a Socket.IO CONNECT's auth object named like credentials become "[redacted]" in
the payload and in "decoded", and the message says "redacted": true ("_redacted" in a HAR file).)"),
        .rows =
            QList<ArgumentRow<ExportBuilder>>{
                {.longName = QStringLiteral("har"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("OUT"),
                 .group = options,
                 .help = QStringLiteral("HAR 1.2 as Chrome DevTools writes WebSocket sessions: one entry per session, "
                                        "its data messages in \"_webSocketMessages\" (control frames are not part of "
                                        "that format)."),
                 .apply = output(ExportArguments::Format::Har)},
                {.longName = QStringLiteral("jsonl"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("OUT"),
                 .group = options,
                 .help = QStringLiteral(
                     "One JSON object per line, the events 'connect --json' prints: for each session a \"handshake\" "
                     "(with \"url\" and \"started\", the wall time of the session's time 0), every \"frame\" (control "
                     "frames included), each \"message\" after the frame that completed it, heartbeat replies and "
                     "misses (\"heartbeat\"), then \"close\" when FILE says how it ended and, after an abnormal end, "
                     "the \"diagnosis\". Every line has \"session\": 1, 2 ... (a HAR file may hold several sessions, "
                     "each in order, each starting with its handshake); \"t\" is seconds on that session's own "
                     "clock. A connection a relay recorded with --rules also has, as 'proxy --json' printed them, "
                     "\"rule\": {name, action} on the frames and messages a rule acted on, \"injected\" on the "
                     "relay's own frames and \"deflate_declined\" on the handshake. 'connect --json' lines of its own "
                     "run (\"error\", \"reconnect\") are not part of a session and are not written."),
                 .apply = output(ExportArguments::Format::JsonLines)},
                {.longName = QStringLiteral("payload-limit"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("BYTES"),
                 .group = options,
                 .help = QStringLiteral("--jsonl: write at most BYTES of each payload (cut at a character boundary for "
                                        "text) with \"truncated\": true, as 'connect --json' does at 4096. Default: "
                                        "whole payloads."),
                 .apply =
                     [](ExportBuilder &builder, const ArgumentOccurrence &flag) {
                         bool ok = false;
                         const qlonglong bytes = flag.value().toLongLong(&ok);
                         if (!ok || bytes < 0)
                             return QStringLiteral("%1: '%2' is not a number of bytes (0 or more)")
                                 .arg(flag.written, flag.value());
                         builder.payloadLimit = qsizetype(bytes);
                         return QString();
                     }},
                {.longName = QStringLiteral("include-secrets"),
                 .group = options,
                 .help = QStringLiteral("Write the handshakes' credentials as they were (Authorization, cookies, "
                                        "tokens in the URL ...) instead of \"[redacted]\". Only for a file that "
                                        "stays with you."),
                 .apply =
                     [](ExportBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.includeSecrets = true;
                         return QString();
                     }},
            } +
            ProtoSchemaArgument::rows(&ExportBuilder::proto, options),
        .positional = [](ExportBuilder &builder, const QString &argument) { return builder.file.take(argument); },
        .finish = [](ExportBuilder &builder) { return builder.finish(); },
        .epilogue = QStringLiteral(
            R"(A payload that FILE does not hold whole (a HAR file's data cut by its writer, or a recording that lost it) is
written as far as it goes, marked "truncated": true (JSON lines) or "_truncated": true (HAR), with a warning.

Exit status:
  0  the sessions were written (also when FILE holds none: an empty HAR log, or no lines)
  2  bad arguments, or FILE cannot be read or is not a recording or a HAR file (the message says what it is,
     or where it is malformed)
  4  OUT could not be written (the message says why); an existing OUT is left as it was)"),
    };
    return table;
}

QString ExportBuilder::finish()
{
    if (QString error = proto.finish(&out.binarySchema); !error.isEmpty())
        return error;
    if (QString error = file.finish(&out.file); !error.isEmpty())
        return error;
    if (outputs == 0)
        return QStringLiteral("say what to write: --har OUT or --jsonl OUT");
    if (outputs > 1)
        return QStringLiteral("one output per run: give either --har OUT or --jsonl OUT, once");
    if (out.output.isEmpty())
        return QStringLiteral("OUT is empty: give a file name, or - for standard output");
    if (payloadLimit) {
        if (out.format == ExportArguments::Format::Har)
            return QStringLiteral("--payload-limit applies to --jsonl only: HAR files hold whole messages");
        out.payloadLimit = *payloadLimit;
    }
    return {};
}

} // namespace

ExportParseResult parseExportArguments(const QStringList &arguments)
{
    return exportTable().parseArguments(arguments);
}

QString exportHelpText()
{
    return exportTable().helpText();
}

QStringList exportOptionNames()
{
    return exportTable().longNames();
}

} // namespace wsi::cli
