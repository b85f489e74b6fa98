// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ImportArguments.h"

#include "app/cli/CommandArguments.h"

#include <QCommandLineParser>

namespace wsi::cli {

ImportParseResult parseImportArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption json(QStringLiteral("json"), QString());
    parser.addOptions({help, json});
    ImportArguments out;
    QString parseError;
    if (auto early = finishedEarly<ImportParseResult, ImportArguments>(
            parseCommandArguments(parser, QStringLiteral("import"), arguments, help, &parseError), parseError))
        return *early;
    if (const QString error =
            singleFileArgument(parser, QStringLiteral("import"), QStringLiteral("a HAR file"), &out.file);
        !error.isEmpty())
        return {std::nullopt, error};
    out.json = parser.isSet(json);
    return {out, {}};
}

QString importHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli import FILE [--json]

Reads the WebSocket sessions of a HAR file (Chrome and Firefox DevTools "Save all as HAR", mitmproxy's save.har,
Playwright's recordHar, WS Inspector's own export) and prints a summary of each: its URL, the handshake's status,
the messages sent and received with their bytes, its first and last frame, its duration and how it closed. Other
entries (pages, scripts, XHR ...) are counted and skipped. The file is streamed, so its size does not matter.

Each session can then be diagnosed ('wsinspector-cli diagnose FILE') or replayed through a chain of
intermediaries ('wsinspector-cli simulate --from FILE', which replays the first session with messages).

Firefox writes a WebSocket's upgrade to HAR files but not its messages: its sessions show 0 messages.

Options:
  --json       One JSON object per session ({"event":"har_session",...}), then {"event":"har_summary",...}.
  -h, --help   Show this help.

Exit status:
  0  the summary was printed (also when the file holds no WebSocket session)
  2  bad arguments, or FILE cannot be read or is not a valid HAR file (the message names the byte, line and
     column, the JSON path, what was expected and what was found)
)");
}

} // namespace wsi::cli
