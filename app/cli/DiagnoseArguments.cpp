// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/DiagnoseArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"
#include "app/cli/SingleFileArgument.h"

namespace wsi::cli {
namespace {

// What diagnose's rows build.
struct DiagnoseBuilder {
    DiagnoseArguments out;
    SingleFileArgument file{
        QStringLiteral("diagnose"),
        QStringLiteral("the JSON lines of 'wsinspector-cli connect --json', a recording or a HAR file")};
};

const ArgumentTable<DiagnoseBuilder> &diagnoseTable()
{
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<DiagnoseBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli diagnose FILE [--chain MODEL[:knob=value,...]]... [--json]"),
        .description = QStringLiteral(
            R"(Says what most likely ended a recorded WebSocket session, with the evidence: the silence before the end in each
direction (all frames, or data messages only), the connection's age, the heartbeat history and how it closed,
compared with the timers of every proxy, load balancer and NAT in the intermediary catalog at their defaults
(nginx proxy_read_timeout 60 s, AWS ALB 60 s, Cloudflare 100 s, AWS NLB 350 s, API Gateway's 2 h lifetime ...).
Matches are ranked with a confidence and the fix; when nothing matches, it says so. A Close frame from the server,
a protocol or TLS failure, a refused handshake or the client's own close are named as such. When the messages
speak an application protocol whose own timer ended the session (Socket.IO's pingTimeout, graphql-ws's
connectionInitWaitTimeout and its 4408, MQTT's 1.5 x Keep Alive, STOMP's heart-beat, SignalR, Phoenix, Action Cable,
SockJS), that timer is named with the session's numbers, its default and what to do.

FILE is the JSON lines written by 'wsinspector-cli connect --json' (one diagnosis per connection when it holds
several, from --reconnect), a recording (the window's, or 'connect --record': one diagnosis), or a HAR file (one
diagnosis per WebSocket session in it; Chrome, Firefox, mitmproxy, Playwright).)"),
        .rows =
            {
                {.longName = QStringLiteral("chain"),
                 .value = ArgumentValueKind::Required,
                 .valueName = QStringLiteral("MODEL[:knob=value,...]"),
                 .group = options,
                 .help = QStringLiteral("Compare with these intermediaries and knob values instead of every catalog "
                                        "model at its defaults (repeatable; same syntax as 'simulate --chain'), e.g. "
                                        "--chain nginx:proxy_read_timeout=30s"),
                 .apply =
                     [](DiagnoseBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         std::optional<ChainLink> link = ArgumentValues::chainLink(flag.written, flag.value(), &error);
                         if (link)
                             builder.out.links.append(std::move(*link));
                         return error;
                     }},
                {.longName = QStringLiteral("json"),
                 .group = options,
                 .help = QStringLiteral("One JSON object per connection: {\"event\":\"diagnosis\",\"t\",...} as "
                                        "'connect --json' prints it; \"protocol\" names the application protocol "
                                        "recognised, and \"protocol_timeout\" {\"protocol\", \"enforced_by\", "
                                        "\"knob\", \"value_s\", \"value_from\", \"default_s\", "
                                        "\"default_source\"} the protocol timer that ended it (null when none did)."),
                 .apply =
                     [](DiagnoseBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.json = true;
                         return QString();
                     }},
            },
        .positional = [](DiagnoseBuilder &builder, const QString &argument) { return builder.file.take(argument); },
        .finish = [](DiagnoseBuilder &builder) { return builder.file.finish(&builder.out.file); },
        .epilogue = QStringLiteral(R"(Exit status:
  0  a diagnosis was printed (whatever it says)
  2  bad arguments, or FILE cannot be read or is not a transcript, a recording or a HAR file (the message names
     the line, or the byte and JSON path, and what is accepted))"),
    };
    return table;
}

} // namespace

DiagnoseParseResult parseDiagnoseArguments(const QStringList &arguments)
{
    return diagnoseTable().parseArguments(arguments);
}

QString diagnoseHelpText()
{
    return diagnoseTable().helpText();
}

QStringList diagnoseOptionNames()
{
    return diagnoseTable().longNames();
}

} // namespace wsi::cli
