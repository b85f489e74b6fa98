// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ImportArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/SingleFileArgument.h"

namespace wsi::cli {
namespace {

// What import's rows build.
struct ImportBuilder {
    ImportArguments out;
    SingleFileArgument file{QStringLiteral("import"), QStringLiteral("a HAR file")};
};

const ArgumentTable<ImportBuilder> &importTable()
{
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<ImportBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli import FILE [--json]"),
        .description = QStringLiteral(
            R"(Reads the WebSocket sessions of a HAR file (Chrome and Firefox DevTools "Save all as HAR", mitmproxy's save.har,
Playwright's recordHar, WS Inspector's own export) and prints a summary of each: its URL, the handshake's status,
the messages sent and received with their bytes, its first and last frame, its duration and how it closed. Other
entries (pages, scripts, XHR ...) are counted and skipped. The file is streamed, so its size does not matter.

Each session can then be diagnosed ('wsinspector-cli diagnose FILE') or replayed through a chain of
intermediaries ('wsinspector-cli simulate --from FILE', which replays the first session with messages).

Firefox writes a WebSocket's upgrade to HAR files but not its messages: its sessions show 0 messages.)"),
        .rows =
            {
                {.longName = QStringLiteral("json"),
                 .group = options,
                 .help = QStringLiteral("One JSON object per session ({\"event\":\"har_session\",...}), then "
                                        "{\"event\":\"har_summary\",...}."),
                 .apply =
                     [](ImportBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.json = true;
                         return QString();
                     }},
            },
        .positional = [](ImportBuilder &builder, const QString &argument) { return builder.file.take(argument); },
        .finish = [](ImportBuilder &builder) { return builder.file.finish(&builder.out.file); },
        .epilogue = QStringLiteral(R"(Exit status:
  0  the summary was printed (also when the file holds no WebSocket session)
  2  bad arguments, or FILE cannot be read or is not a valid HAR file (the message names the byte, line and
     column, the JSON path, what was expected and what was found))"),
    };
    return table;
}

} // namespace

ImportParseResult parseImportArguments(const QStringList &arguments)
{
    return importTable().parseArguments(arguments);
}

QString importHelpText()
{
    return importTable().helpText();
}

QStringList importOptionNames()
{
    return importTable().longNames();
}

} // namespace wsi::cli
