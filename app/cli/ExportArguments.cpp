// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ExportArguments.h"

#include "app/cli/CommandArguments.h"

#include <QCommandLineParser>

namespace wsi::cli {

ExportParseResult parseExportArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption har(QStringLiteral("har"), QString(), QStringLiteral("OUT"));
    const QCommandLineOption jsonl(QStringLiteral("jsonl"), QString(), QStringLiteral("OUT"));
    const QCommandLineOption payloadLimit(QStringLiteral("payload-limit"), QString(), QStringLiteral("BYTES"));
    parser.addOptions({help, har, jsonl, payloadLimit});
    ExportArguments out;
    QString parseError;
    if (auto early = finishedEarly<ExportParseResult, ExportArguments>(
            parseCommandArguments(parser, QStringLiteral("export"), arguments, help, &parseError), parseError))
        return *early;
    if (const QString error = singleFileArgument(parser, QStringLiteral("export"),
                                                 QStringLiteral("a recording or a HAR file"), &out.file);
        !error.isEmpty())
        return {std::nullopt, error};

    const QStringList harOutputs = parser.values(har);
    const QStringList jsonlOutputs = parser.values(jsonl);
    if (harOutputs.size() + jsonlOutputs.size() == 0)
        return {std::nullopt, QStringLiteral("say what to write: --har OUT or --jsonl OUT")};
    if (harOutputs.size() + jsonlOutputs.size() > 1)
        return {std::nullopt, QStringLiteral("one output per run: give either --har OUT or --jsonl OUT, once")};
    out.format = harOutputs.isEmpty() ? ExportArguments::Format::JsonLines : ExportArguments::Format::Har;
    out.output = harOutputs.isEmpty() ? jsonlOutputs.constFirst() : harOutputs.constFirst();
    if (out.output.isEmpty())
        return {std::nullopt, QStringLiteral("OUT is empty: give a file name, or - for standard output")};

    if (parser.isSet(payloadLimit)) {
        if (out.format == ExportArguments::Format::Har)
            return {std::nullopt, QStringLiteral("--payload-limit applies to --jsonl only: HAR files hold whole "
                                                 "messages")};
        const QString text = parser.value(payloadLimit);
        bool ok = false;
        const qlonglong bytes = text.toLongLong(&ok);
        if (!ok || bytes < 0)
            return {std::nullopt,
                    QStringLiteral("--payload-limit: '%1' is not a number of bytes (0 or more)").arg(text)};
        out.payloadLimit = qsizetype(bytes);
    }
    return {out, {}};
}

QString exportHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli export FILE --har OUT
       wsinspector-cli export FILE --jsonl OUT [--payload-limit BYTES]

Writes the WebSocket sessions of FILE, a recording ('connect --record', the window's recordings) or a HAR file,
as a HAR file or as JSON lines. OUT - writes to standard output. A file OUT is written whole or not at all: it
is replaced only once the export has succeeded.

Payloads are written whole: those a recording holds beyond what is kept in memory while exporting are read back
from it one at a time, so neither the size of the recording nor of its largest message matters. A HAR file's
payloads are what the file holds.

Options:
  --har OUT              HAR 1.2 as Chrome DevTools writes WebSocket sessions: one entry per session, its data
                         messages in "_webSocketMessages" (control frames are not part of that format).
  --jsonl OUT            One JSON object per line, the events 'connect --json' prints: for each session a
                         "handshake" (with "url" and "started", the wall time of the session's time 0), every
                         "frame" (control frames included), each "message" after the frame that completed it,
                         heartbeat replies and misses ("heartbeat"), then "close" when FILE says how it ended and,
                         after an abnormal end, the "diagnosis". Every line has "session": 1, 2 ... (a HAR file
                         may hold several sessions, each in order, each starting with its handshake); "t" is
                         seconds on that session's own clock. 'connect --json' lines of its own run ("error",
                         "reconnect") are not part of a session and are not written.
  --payload-limit BYTES  --jsonl: write at most BYTES of each payload (cut at a character boundary for text)
                         with "truncated": true, as 'connect --json' does at 4096. Default: whole payloads.
  -h, --help             Show this help.

A payload that FILE does not hold whole (a HAR file's data cut by its writer, or a recording that lost it) is
written as far as it goes, marked "truncated": true (JSON lines) or "_truncated": true (HAR), with a warning.

Exit status:
  0  the sessions were written (also when FILE holds none: an empty HAR log, or no lines)
  2  bad arguments, or FILE cannot be read or is not a recording or a HAR file (the message says what it is,
     or where it is malformed)
  4  OUT could not be written (the message says why); an existing OUT is left as it was
)");
}

} // namespace wsi::cli
