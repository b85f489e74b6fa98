// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/DiagnoseArguments.h"

#include "app/cli/CommandArguments.h"
#include "core/keepalive/IntermediaryCatalog.h"

#include <QCommandLineParser>

namespace wsi::cli {

DiagnoseParseResult parseDiagnoseArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption chain(QStringLiteral("chain"), QString(), QStringLiteral("MODEL"));
    const QCommandLineOption json(QStringLiteral("json"), QString());
    parser.addOptions({help, chain, json});
    DiagnoseArguments out;
    QString parseError;
    if (auto early = finishedEarly<DiagnoseParseResult, DiagnoseArguments>(
            parseCommandArguments(parser, QStringLiteral("diagnose"), arguments, help, &parseError), parseError))
        return *early;
    if (const QString error = singleFileArgument(
            parser, QStringLiteral("diagnose"),
            QStringLiteral("the JSON lines of 'wsinspector-cli connect --json', a recording or a HAR file"), &out.file);
        !error.isEmpty())
        return {std::nullopt, error};
    out.json = parser.isSet(json);
    for (const QString &text : parser.values(chain)) {
        QString error;
        std::optional<ChainLink> link = ChainLink::parse(text, IntermediaryCatalog::builtIn(), &error);
        if (!link)
            return {std::nullopt, QStringLiteral("--chain: ") + error};
        const QStringList missing = link->missingRequiredKnobs();
        if (!missing.isEmpty())
            return {std::nullopt,
                    QStringLiteral("--chain %1: %2 has no default for %3: give one, e.g. --chain %2:%3=5m")
                        .arg(text, link->model().id, missing.constFirst())};
        out.links.append(std::move(*link));
    }
    return {out, {}};
}

QString diagnoseHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli diagnose FILE [--chain MODEL[:knob=value,...]]... [--json]

Says what most likely ended a recorded WebSocket session, with the evidence: the silence before the end in each
direction (all frames, or data messages only), the connection's age, the heartbeat history and how it closed,
compared with the timers of every proxy, load balancer and NAT in the intermediary catalog at their defaults
(nginx proxy_read_timeout 60 s, AWS ALB 60 s, Cloudflare 100 s, AWS NLB 350 s, API Gateway's 2 h lifetime ...).
Matches are ranked with a confidence and the fix; when nothing matches, it says so. A Close frame from the server,
a protocol or TLS failure, a refused handshake or the client's own close are named as such.

FILE is the JSON lines written by 'wsinspector-cli connect --json' (one diagnosis per connection when it holds
several, from --reconnect), or a HAR file (one diagnosis per WebSocket session in it; Chrome, Firefox, mitmproxy,
Playwright). Recordings are not supported yet.

Options:
  --chain MODEL[:knob=value,...]   Compare with these intermediaries and knob values instead of every catalog
                                   model at its defaults (repeatable; same syntax as 'simulate --chain'), e.g.
                                   --chain nginx:proxy_read_timeout=30s
  --json                           One JSON object per connection: {"event":"diagnosis","t",...} as 'connect
                                   --json' prints it.
  -h, --help                       Show this help.

Exit status:
  0  a diagnosis was printed (whatever it says)
  2  bad arguments, or FILE cannot be read or is not a transcript or a HAR file (the message names the line,
     or the byte and JSON path, and what is accepted)
)");
}

} // namespace wsi::cli
