// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SimulateArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"
#include "core/exchange/RecordedTrafficReader.h"
#include "core/exchange/SessionEvidenceReader.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/ProtocolHeartbeats.h"
#include "core/text/DurationText.h"

namespace wsi::cli {
namespace {

// What simulate's rows build.
struct SimulateBuilder {
    SimulateBuilder()
    {
        SimulationScenario &scenario = out.scenario;
        scenario.tcp = IntermediaryCatalog::builtIn().tcp();
        scenario.client.tcpKeepalive = *TcpKeepaliveSettings::parse(u"off", scenario.tcp, nullptr);
        scenario.server.tcpKeepalive = scenario.client.tcpKeepalive;
    }

    EndpointBehaviour &end(Endpoint side)
    {
        return side == Endpoint::Client ? out.scenario.client : out.scenario.server;
    }
    // --client-answers-pings / --server-answers-pings, which win over what a heartbeat preset says wherever they
    // stand.
    std::optional<bool> &answersPings(Endpoint side)
    {
        return side == Endpoint::Client ? clientAnswersPings : serverAnswersPings;
    }

    SimulateArguments out;
    // --from: the protocol heartbeats of the replayed session; --client-heartbeat / --server-heartbeat win.
    std::optional<ProtocolHeartbeats> protocol;
    bool heartbeatGiven[2] = {false, false};
    std::optional<bool> clientAnswersPings;
    std::optional<bool> serverAnswersPings;
};

using SimulateRow = ArgumentRow<SimulateBuilder>;
using EndSetting = QString (*)(SimulateBuilder &, Endpoint, const ArgumentOccurrence &);

// The two rows of a setting each end has, --client-NAME and --server-NAME, sharing one help.
QList<SimulateRow> forEachEnd(const QString &name, const QString &valueName, const ArgumentGroup &group,
                              const QString &help, EndSetting apply)
{
    QList<SimulateRow> rows;
    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
        const bool client = side == Endpoint::Client;
        rows.append({.longName = (client ? QStringLiteral("client-") : QStringLiteral("server-")) + name,
                     .value = ArgumentValueKind::Required,
                     .valueName = valueName,
                     .group = group,
                     .help = client ? QString() : help,
                     .apply = [apply, side](SimulateBuilder &builder, const ArgumentOccurrence &flag) {
                         return apply(builder, side, flag);
                     }});
    }
    return rows;
}

// A duration of simulated time, at least 0 (or more than 0); *ms on success.
QString parseDuration(const ArgumentOccurrence &flag, bool positive, qint64 *ms)
{
    QString error;
    const auto parsed = DurationText::parseMs(flag.value(), &error);
    if (!parsed)
        return flag.written + QStringLiteral(": ") + error;
    if (positive && *parsed <= 0)
        return QStringLiteral("%1 '%2': must be greater than 0").arg(flag.written, flag.value());
    *ms = *parsed;
    return {};
}

// What the session replayed from `path` suggests: the chain, and the protocol heartbeats its messages show. That of
// the first session with frames, the one RecordedTrafficReader replays.
void suggestFrom(const QString &path, SimulateBuilder &builder)
{
    QString error;
    const std::optional<QList<SessionEvidence>> sessions = SessionEvidenceReader::readFile(path, &error);
    if (!sessions || sessions->isEmpty()) {
        SuggestedChain none;
        none.summary =
            QStringLiteral("No chain suggested: %1").arg(error.isEmpty() ? QStringLiteral("no session") : error);
        builder.out.suggested = none;
        return;
    }
    const auto replayed = std::find_if(sessions->begin(), sessions->end(), [](const SessionEvidence &e) {
        return e.any.at(qsizetype(SessionEvidence::Way::Either)).frames > 0;
    });
    const SessionEvidence &evidence = replayed != sessions->end() ? *replayed : sessions->constFirst();
    builder.out.suggested = SuggestedChain::fromEvidence(evidence);
    builder.protocol = ProtocolHeartbeats::fromEvidence(evidence, HeartbeatPresets::builtIn());
}

const ArgumentTable<SimulateBuilder> &simulateTable()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup chain{QStringLiteral("Chain (from the client to the server)")};
    const ArgumentGroup ends{QStringLiteral("Each end (--client-... and --server-...)")};
    const ArgumentGroup run{QStringLiteral("Run")};
    static const ArgumentTable<SimulateBuilder> table{
        .usage = QStringLiteral("Usage: wsinspector-cli simulate --chain MODEL[:knob=value,...] ... [options]\n       "
                                "wsinspector-cli simulate --from FILE [--chain ...] [options]"),
        .description = QStringLiteral(
            R"(Simulates, in virtual time, a WebSocket connection from a client through a chain of intermediaries (proxies, load
balancers, NATs) to a server, and tells which timer cuts it first and when, what each end observes (close 1006 at
once on FIN or RST; after a silent drop a half-open connection, noticed only when a send fails or never), why,
naming the real setting and its default, and how to fix it. An hour of simulated time takes milliseconds.)"),
        .rows =
            QList<SimulateRow>{
                {.longName = QStringLiteral("chain"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("MODEL[:knob=value,...]"),
                 .group = chain,
                 .help = QStringLiteral(
                     "An intermediary (repeatable, in order). Knobs are the real setting names with spaces, dashes "
                     "and dots written as underscores, e.g.\n"
                     "  nginx:proxy_read_timeout=30s\n"
                     "  haproxy:timeout_tunnel=1h,independent_streams=1\n"
                     "  aws-alb:idle_timeout=120\n"
                     "Values: durations (2s, 500ms, 5m, 1h, plain seconds; azure-lb's IdleTimeoutInMinutes reads "
                     "plain numbers as minutes), none to turn a timer off, 0/1 for flags. --list-models shows every "
                     "model with its knobs and defaults."),
                 .apply =
                     [](SimulateBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         std::optional<ChainLink> link = ArgumentValues::chainLink(flag.written, flag.value(), &error);
                         if (link)
                             builder.out.scenario.chain.append(std::move(*link));
                         return error;
                     }},
            } +
            forEachEnd(QStringLiteral("heartbeat"), QStringLiteral("SPEC"), ends,
                       QStringLiteral("none, ping:S[,timeout=S] (protocol pings; give up when no pong in time), pong:S "
                                      "(unsolicited pongs), app:S[,timeout=S] (application messages), or a preset: "
                                      "browser, node-ws, gorilla, python-websockets, socketio, signalr, dotnet, "
                                      "mqtt, stomp, graphql-ws, spring-stomp, spring-sockjs, sockjs, phoenix, "
                                      "actioncable, uwebsockets, qt. Protocol presets run the protocol's own "
                                      "heartbeat and timeout at the end that enforces it, and take its knobs: "
                                      "socketio:pingInterval=25s,pingTimeout=20s (server), mqtt:keepalive=60s, "
                                      "graphql-ws:connectionInitWaitTimeout=3s (server), "
                                      "sockjs:heartbeat_delay=25s (server) ... (--list-models lists "
                                      "them). A protocol's heartbeat is answered only by an end that speaks it: "
                                      "--server-heartbeat socketio with --client-heartbeat none is a plain "
                                      "WebSocket client that never answers \"2\". With --from, the recording's "
                                      "protocol and its parameters set the ends these flags leave unset."),
                       [](SimulateBuilder &builder, Endpoint side, const ArgumentOccurrence &flag) -> QString {
                           QString error;
                           const auto spec =
                               HeartbeatSpec::parse(flag.value(), side, HeartbeatPresets::builtIn(), &error);
                           if (!spec)
                               return flag.written + u' ' + error;
                           builder.end(side).heartbeat = *spec;
                           builder.end(side).answersPings = spec->answersPings;
                           builder.heartbeatGiven[side == Endpoint::Client ? 0 : 1] = true;
                           return QString();
                       }) +
            forEachEnd(
                QStringLiteral("traffic"), QStringLiteral("every:S|none"), ends,
                QStringLiteral("The end's own data messages."),
                [](SimulateBuilder &builder, Endpoint side, const ArgumentOccurrence &flag) -> QString {
                    const QString value = flag.value();
                    if (value == QLatin1StringView("none")) {
                        builder.end(side).trafficEveryMs.reset();
                        return QString();
                    }
                    if (!value.startsWith(QLatin1StringView("every:")))
                        return QStringLiteral("%1 '%2': expected every:S (a data message every S) or none")
                            .arg(flag.written, value);
                    QString error;
                    const auto ms = DurationText::parseMs(QStringView(value).sliced(6), &error);
                    if (!ms)
                        return QStringLiteral("%1: %2").arg(flag.written, error);
                    if (*ms <= 0)
                        return QStringLiteral("%1 '%2': the interval must be greater than 0").arg(flag.written, value);
                    builder.end(side).trafficEveryMs = *ms;
                    return QString();
                }) +
            forEachEnd(QStringLiteral("tcp-keepalive"), QStringLiteral("idle=S,intvl=S,probes=N"), ends,
                       QStringLiteral("TCP keepalive of that end's socket (missing settings take the Linux defaults "
                                      "7200 s, 75 s, 9); off by default."),
                       [](SimulateBuilder &builder, Endpoint side, const ArgumentOccurrence &flag) -> QString {
                           QString error;
                           const auto settings =
                               TcpKeepaliveSettings::parse(flag.value(), builder.out.scenario.tcp, &error);
                           if (!settings)
                               return flag.written + u' ' + error;
                           builder.end(side).tcpKeepalive = *settings;
                           return QString();
                       }) +
            forEachEnd(QStringLiteral("answers-pings"), QStringLiteral("yes|no"), ends,
                       QStringLiteral("Whether the end answers pings with pongs (default yes)."),
                       [](SimulateBuilder &builder, Endpoint side, const ArgumentOccurrence &flag) -> QString {
                           if (flag.value() == QLatin1StringView("yes"))
                               builder.answersPings(side) = true;
                           else if (flag.value() == QLatin1StringView("no"))
                               builder.answersPings(side) = false;
                           else
                               return QStringLiteral("%1 '%2': expected yes or no").arg(flag.written, flag.value());
                           return QString();
                       }) +
            forEachEnd(QStringLiteral("stops-reading"), QStringLiteral("S"), ends,
                       QStringLiteral("From time S on the end no longer reads its socket (arms stall timers such as "
                                      "nginx's proxy_send_timeout / send_timeout)."),
                       [](SimulateBuilder &builder, Endpoint side, const ArgumentOccurrence &flag) -> QString {
                           qint64 ms = 0;
                           QString error = parseDuration(flag, false, &ms);
                           if (error.isEmpty())
                               builder.end(side).stopsReadingAtMs = ms;
                           return error;
                       }) +
            QList<SimulateRow>{
                {.longName = QStringLiteral("from"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = ends,
                 .help = QStringLiteral(
                     "Replay the frames of a real session: the JSON lines printed by 'wsinspector-cli connect --json' "
                     "(\"out\" frames are the client's, \"in\" frames the server's), a recording (the window's, or "
                     "'connect --record'), or a HAR file (its first WebSocket session with messages; \"send\" is "
                     "the client's). The fix then quotes that session's own longest silence. Without --chain the chain "
                     "is the one that session suggests: each intermediary that named itself in its upgrade response "
                     "(Server: nginx/1.22.1, Via, CF-RAY ...), with the timeout the diagnosis inferred from its cut "
                     "set to what the session measured, else at its defaults; a session that names nobody suggests "
                     "no chain, and none is invented."),
                 .apply = [](SimulateBuilder &builder, const ArgumentOccurrence &flag) -> QString {
                     QString error;
                     const auto traffic = RecordedTrafficReader::readFile(flag.value(), &error);
                     if (!traffic)
                         return flag.written + QStringLiteral(": ") + error;
                     builder.out.fromFile = flag.value();
                     builder.out.scenario.client.recorded = traffic->client;
                     builder.out.scenario.server.recorded = traffic->server;
                     builder.out.scenario.recordedEndMs = traffic->endMs;
                     suggestFrom(flag.value(), builder);
                     return QString();
                 }},
                {.longName = QStringLiteral("duration"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("S"),
                 .group = run,
                 .help = QStringLiteral(
                     "Simulated time (default 1 h). After a cut the simulation goes on until each end knows, or up to "
                     "4 h more, to tell what each end observes."),
                 .apply =
                     [](SimulateBuilder &builder, const ArgumentOccurrence &flag) {
                         return parseDuration(flag, true, &builder.out.scenario.durationMs);
                     }},
                {.longName = QStringLiteral("list-models"),
                 .group = run,
                 .help = QStringLiteral("List the intermediary models and heartbeat presets, then exit."),
                 .apply =
                     [](SimulateBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.listModels = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("json"),
                 .group = run,
                 .help = QStringLiteral(
                     "One JSON object per line, each with \"event\" and \"t\" (seconds), ending with "
                     "{\"event\":\"outcome\",\"result\":\"cut\"|\"alive\",\"at_s\",\"by\",\"timer\",\"action\", "
                     "\"client_sees\",\"server_sees\",\"explanation\",\"fix\"}. With --from the first line, "
                     "{\"event\":\"start\"}, carries \"suggested\": {\"chain\": [\"nginx:proxy_read_timeout=5s\"], "
                     "\"links\": [{\"model\",\"link\",\"reason\"}], \"summary\", \"order\", \"used\"} (used: "
                     "false when --chain was given); null without --from."),
                 .apply =
                     [](SimulateBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.json = true;
                         return QString();
                     }},
            },
        .finish =
            [](SimulateBuilder &builder) {
                // No --chain: the chain the replayed session's evidence suggests (empty when it names nobody).
                SimulateArguments &out = builder.out;
                if (out.suggested && out.scenario.chain.isEmpty()) {
                    out.scenario.chain = out.suggested->chainLinks();
                    out.suggestedChainUsed = true;
                }
                if (builder.protocol) {
                    out.protocolFromFile = builder.protocol->summary;
                    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
                        const std::optional<HeartbeatSpec> &spec =
                            side == Endpoint::Client ? builder.protocol->client : builder.protocol->server;
                        if (spec && !builder.heartbeatGiven[side == Endpoint::Client ? 0 : 1]) {
                            builder.end(side).heartbeat = *spec;
                            builder.end(side).answersPings = spec->answersPings; // as the recording shows it
                        }
                    }
                }
                for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
                    if (builder.answersPings(side))
                        builder.end(side).answersPings = *builder.answersPings(side);
                }
                return QString();
            },
        .epilogue = QStringLiteral(
            R"(Assumptions: frames cross the chain instantly; a send into a silently dropped flow fails after the TCP
retransmission timeout (Linux tcp_retries2 = 15: about 924.6 s).

Exit status:
  0  the simulation ran (whether the connection was cut or stayed alive), or --list-models / --help
  2  usage error: unknown option, model or knob (the valid ones are listed), bad duration, unreadable --from file)"),
    };
    return table;
}

} // namespace

SimulateParseResult parseSimulateArguments(const QStringList &arguments)
{
    return simulateTable().parseArguments(arguments);
}

QString simulateHelpText()
{
    return simulateTable().helpText();
}

QStringList simulateOptionNames()
{
    return simulateTable().longNames();
}

} // namespace wsi::cli
