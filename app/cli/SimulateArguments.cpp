// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SimulateArguments.h"

#include "app/cli/CommandArguments.h"
#include "core/exchange/RecordedTrafficReader.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/text/DurationText.h"

#include <QCommandLineParser>

namespace wsi::cli {
namespace {

QString endName(Endpoint side)
{
    return side == Endpoint::Client ? QStringLiteral("client") : QStringLiteral("server");
}

// "every:S" or "none".
QString parseTraffic(const QString &option, const QString &value, EndpointBehaviour &end)
{
    if (value == QLatin1StringView("none")) {
        end.trafficEveryMs.reset();
        return {};
    }
    if (!value.startsWith(QLatin1StringView("every:")))
        return QStringLiteral("%1 '%2': expected every:S (a data message every S) or none").arg(option, value);
    QString error;
    const auto ms = DurationText::parseMs(QStringView(value).sliced(6), &error);
    if (!ms)
        return QStringLiteral("%1: %2").arg(option, error);
    if (*ms <= 0)
        return QStringLiteral("%1 '%2': the interval must be greater than 0").arg(option, value);
    end.trafficEveryMs = *ms;
    return {};
}

std::optional<bool> parseYesNo(const QString &value)
{
    if (value == QLatin1StringView("yes"))
        return true;
    if (value == QLatin1StringView("no"))
        return false;
    return std::nullopt;
}

} // namespace

SimulateParseResult parseSimulateArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption chain(QStringLiteral("chain"), QString(), QStringLiteral("MODEL"));
    const QCommandLineOption clientHeartbeat(QStringLiteral("client-heartbeat"), QString(), QStringLiteral("SPEC"));
    const QCommandLineOption serverHeartbeat(QStringLiteral("server-heartbeat"), QString(), QStringLiteral("SPEC"));
    const QCommandLineOption clientTraffic(QStringLiteral("client-traffic"), QString(), QStringLiteral("SPEC"));
    const QCommandLineOption serverTraffic(QStringLiteral("server-traffic"), QString(), QStringLiteral("SPEC"));
    const QCommandLineOption clientKeepalive(QStringLiteral("client-tcp-keepalive"), QString(), QStringLiteral("S"));
    const QCommandLineOption serverKeepalive(QStringLiteral("server-tcp-keepalive"), QString(), QStringLiteral("S"));
    const QCommandLineOption clientAnswers(QStringLiteral("client-answers-pings"), QString(), QStringLiteral("YN"));
    const QCommandLineOption serverAnswers(QStringLiteral("server-answers-pings"), QString(), QStringLiteral("YN"));
    const QCommandLineOption clientStops(QStringLiteral("client-stops-reading"), QString(), QStringLiteral("S"));
    const QCommandLineOption serverStops(QStringLiteral("server-stops-reading"), QString(), QStringLiteral("S"));
    const QCommandLineOption from(QStringLiteral("from"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption duration(QStringLiteral("duration"), QString(), QStringLiteral("S"));
    const QCommandLineOption listModels(QStringLiteral("list-models"), QString());
    const QCommandLineOption json(QStringLiteral("json"), QString());
    parser.addOptions({help, chain, clientHeartbeat, serverHeartbeat, clientTraffic, serverTraffic, clientKeepalive,
                       serverKeepalive, clientAnswers, serverAnswers, clientStops, serverStops, from, duration,
                       listModels, json});
    SimulateArguments out;
    QString parseError;
    if (auto early = finishedEarly<SimulateParseResult, SimulateArguments>(
            parseCommandArguments(parser, QStringLiteral("simulate"), arguments, help, &parseError), parseError))
        return *early;
    if (const QString unexpected = unexpectedPositionalArgument(parser); !unexpected.isEmpty())
        return {std::nullopt, unexpected};
    out.json = parser.isSet(json);
    out.listModels = parser.isSet(listModels);
    if (out.listModels)
        return {out, {}};

    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    const HeartbeatPresets &presets = HeartbeatPresets::builtIn();
    SimulationScenario &scenario = out.scenario;
    scenario.tcp = catalog.tcp();
    scenario.client.tcpKeepalive = *TcpKeepaliveSettings::parse(u"off", catalog.tcp(), nullptr);
    scenario.server.tcpKeepalive = scenario.client.tcpKeepalive;

    for (const QString &text : parser.values(chain)) {
        QString error;
        std::optional<ChainLink> link = ChainLink::parse(text, catalog, &error);
        if (!link)
            return {std::nullopt, QStringLiteral("--chain: ") + error};
        const QStringList missing = link->missingRequiredKnobs();
        if (!missing.isEmpty())
            return {std::nullopt, QStringLiteral("--chain %1: %2 has no default for %3 (%4): give one, e.g. "
                                                 "--chain %2:%3=5m")
                                      .arg(text, link->model().id, missing.constFirst(), link->model().notes.value(0))};
        scenario.chain.append(std::move(*link));
    }

    struct PerEnd {
        Endpoint side;
        const QCommandLineOption &heartbeat;
        const QCommandLineOption &traffic;
        const QCommandLineOption &keepalive;
        const QCommandLineOption &answers;
        const QCommandLineOption &stops;
        EndpointBehaviour &behaviour;
    };
    for (const PerEnd &end : {PerEnd{Endpoint::Client, clientHeartbeat, clientTraffic, clientKeepalive, clientAnswers,
                                     clientStops, scenario.client},
                              PerEnd{Endpoint::Server, serverHeartbeat, serverTraffic, serverKeepalive, serverAnswers,
                                     serverStops, scenario.server}}) {
        const QString prefix = QStringLiteral("--") + endName(end.side) + u'-';
        QString error;
        if (parser.isSet(end.heartbeat)) {
            const auto spec = HeartbeatSpec::parse(parser.value(end.heartbeat), end.side, presets, &error);
            if (!spec)
                return {std::nullopt, prefix + QStringLiteral("heartbeat ") + error};
            end.behaviour.heartbeat = *spec;
            end.behaviour.answersPings = spec->answersPings;
        }
        if (parser.isSet(end.traffic)) {
            error = parseTraffic(prefix + QStringLiteral("traffic"), parser.value(end.traffic), end.behaviour);
            if (!error.isEmpty())
                return {std::nullopt, error};
        }
        if (parser.isSet(end.keepalive)) {
            const auto settings = TcpKeepaliveSettings::parse(parser.value(end.keepalive), catalog.tcp(), &error);
            if (!settings)
                return {std::nullopt, prefix + QStringLiteral("tcp-keepalive ") + error};
            end.behaviour.tcpKeepalive = *settings;
        }
        if (parser.isSet(end.answers)) {
            const auto answers = parseYesNo(parser.value(end.answers));
            if (!answers)
                return {
                    std::nullopt,
                    QStringLiteral("%1answers-pings '%2': expected yes or no").arg(prefix, parser.value(end.answers))};
            end.behaviour.answersPings = *answers;
        }
        if (parser.isSet(end.stops)) {
            const auto at = DurationText::parseMs(parser.value(end.stops), &error);
            if (!at)
                return {std::nullopt, prefix + QStringLiteral("stops-reading: ") + error};
            end.behaviour.stopsReadingAtMs = *at;
        }
    }

    if (parser.isSet(duration)) {
        QString error;
        const auto ms = DurationText::parseMs(parser.value(duration), &error);
        if (!ms)
            return {std::nullopt, QStringLiteral("--duration: ") + error};
        if (*ms <= 0)
            return {std::nullopt,
                    QStringLiteral("--duration '%1': must be greater than 0").arg(parser.value(duration))};
        scenario.durationMs = *ms;
    }

    if (parser.isSet(from)) {
        out.fromFile = parser.value(from);
        QString error;
        const auto traffic = RecordedTrafficReader::readFile(out.fromFile, &error);
        if (!traffic)
            return {std::nullopt, QStringLiteral("--from: ") + error};
        scenario.client.recorded = traffic->client;
        scenario.server.recorded = traffic->server;
    }
    return {out, {}};
}

QString simulateHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli simulate --chain MODEL[:knob=value,...] ... [options]

Simulates, in virtual time, a WebSocket connection from a client through a chain of intermediaries (proxies, load
balancers, NATs) to a server, and tells which timer cuts it first and when, what each end observes (close 1006 at
once on FIN or RST; after a silent drop a half-open connection, noticed only when a send fails or never), why,
naming the real setting and its default, and how to fix it. An hour of simulated time takes milliseconds.

Chain (from the client to the server):
  --chain MODEL[:knob=value,...]   An intermediary (repeatable, in order). Knobs are the real setting names with
                                   spaces, dashes and dots written as underscores, e.g.
                                     nginx:proxy_read_timeout=30s
                                     haproxy:timeout_tunnel=1h,independent_streams=1
                                     aws-alb:idle_timeout=120
                                   Values: durations (2s, 500ms, 5m, 1h, plain seconds; azure-lb's
                                   IdleTimeoutInMinutes reads plain numbers as minutes), none to turn a timer off,
                                   0/1 for flags. --list-models shows every model with its knobs and defaults.

Each end (--client-... and --server-...):
  --client-heartbeat SPEC          none, ping:S[,timeout=S] (protocol pings; give up when no pong in time),
  --server-heartbeat SPEC          pong:S (unsolicited pongs), app:S[,timeout=S] (application messages), or a
                                   preset: browser, node-ws, gorilla, python-websockets, socketio, signalr,
                                   dotnet, spring-stomp, spring-sockjs, phoenix, actioncable, uwebsockets, qt.
  --client-traffic every:S|none    The end's own data messages.
  --server-traffic every:S|none
  --client-tcp-keepalive idle=S,intvl=S,probes=N   TCP keepalive of that end's socket (missing settings take
  --server-tcp-keepalive ...                       the Linux defaults 7200 s, 75 s, 9); off by default.
  --client-answers-pings yes|no    Whether the end answers pings with pongs (default yes).
  --server-answers-pings yes|no
  --client-stops-reading S         From time S on the end no longer reads its socket (arms stall timers such as
  --server-stops-reading S         nginx's proxy_send_timeout / send_timeout).
  --from FILE                      Replay the frames of a real session: the JSON lines printed by
                                   'wsinspector-cli connect --json' ("out" frames are the client's, "in" frames
                                   the server's), or a HAR file (its first WebSocket session with messages;
                                   "send" is the client's). Recordings are not supported yet.

Run:
  --duration S                     Simulated time (default 1 h). After a cut the simulation goes on until each
                                   end knows, or up to 4 h more, to tell what each end observes.
  --list-models                    List the intermediary models and heartbeat presets, then exit.
  --json                           One JSON object per line, each with "event" and "t" (seconds), ending with
                                   {"event":"outcome","result":"cut"|"alive","at_s","by","timer","action",
                                   "client_sees","server_sees","explanation","fix"}.
  -h, --help                       Show this help.

Assumptions: frames cross the chain instantly; a send into a silently dropped flow fails after the TCP
retransmission timeout (Linux tcp_retries2 = 15: about 924.6 s).

Exit status:
  0  the simulation ran (whether the connection was cut or stayed alive), or --list-models / --help
  2  usage error: unknown option, model or knob (the valid ones are listed), bad duration, unreadable --from file
)");
}

} // namespace wsi::cli
