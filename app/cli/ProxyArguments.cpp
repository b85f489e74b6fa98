// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProxyArguments.h"

#include "app/cli/CommandArguments.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/proxy/TimeoutProxy.h"

#include <QCommandLineParser>

namespace wsi::cli {

ProxyParseResult parseProxyArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption listen(QStringLiteral("listen"), QString(), QStringLiteral("HOST:PORT"));
    const QCommandLineOption upstream(QStringLiteral("upstream"), QString(), QStringLiteral("URL"));
    const QCommandLineOption model(QStringLiteral("model"), QString(), QStringLiteral("MODEL"));
    const QCommandLineOption timeScale(QStringLiteral("time-scale"), QString(), QStringLiteral("N"));
    const QCommandLineOption record(QStringLiteral("record"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QString());
    const QCommandLineOption caFile(QStringLiteral("ca-file"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption insecure(QStringLiteral("insecure"), QString());
    const QCommandLineOption allowRemote(QStringLiteral("allow-remote"), QString());
    parser.addOptions({help, listen, upstream, model, timeScale, record, json, caFile, insecure, allowRemote});
    ProxyArguments out;
    QString parseError;
    if (auto early = finishedEarly<ProxyParseResult, ProxyArguments>(
            parseCommandArguments(parser, QStringLiteral("proxy"), arguments, help, &parseError), parseError))
        return *early;
    if (const QString unexpected = unexpectedPositionalArgument(parser); !unexpected.isEmpty())
        return {std::nullopt, unexpected};
    out.json = parser.isSet(json);
    out.recordFile = parser.value(record);
    ProxyOptions &options = out.options;

    if (!parser.isSet(listen))
        return {std::nullopt, QStringLiteral("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:9000; port 0 "
                                             "picks a free one)")};
    const QString listenText = parser.value(listen);
    const qsizetype colon = listenText.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon < 0 ? 0 : QStringView(listenText).sliced(colon + 1).toUInt(&portOk);
    if (colon < 0 || !portOk || port > 65535)
        return {std::nullopt,
                QStringLiteral("--listen '%1': expected HOST:PORT (e.g. 127.0.0.1:9000)").arg(listenText)};
    QString host = listenText.first(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.sliced(1, host.size() - 2);
    if (host.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    else if (!options.listenAddress.setAddress(host))
        return {std::nullopt,
                QStringLiteral("--listen '%1': '%2' is not an IP address (or localhost)").arg(listenText, host)};
    // The proxy relays to a real server: on another interface it would be a relay for anyone who can reach it.
    if (!options.listenAddress.isLoopback() && !parser.isSet(allowRemote))
        return {std::nullopt, QStringLiteral("--listen '%1' is not a loopback address: add --allow-remote to accept "
                                             "connections from other machines")
                                  .arg(listenText)};
    options.listenPort = quint16(port);

    if (!parser.isSet(upstream))
        return {std::nullopt, QStringLiteral("--upstream URL is required (ws:// or wss://)")};
    options.upstream = QUrl(parser.value(upstream), QUrl::StrictMode);

    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    for (const QString &text : parser.values(model)) {
        QString error;
        std::optional<ChainLink> link = ChainLink::parse(text, catalog, &error);
        if (!link)
            return {std::nullopt, QStringLiteral("--model: ") + error};
        const QStringList missing = link->missingRequiredKnobs();
        if (!missing.isEmpty())
            return {std::nullopt,
                    QStringLiteral("--model %1: %2 has no default for %3: give one, e.g. --model %2:%3=5m")
                        .arg(text, link->model().id, missing.constFirst())};
        options.models.append(std::move(*link));
    }
    if (parser.isSet(timeScale)) {
        bool ok = false;
        options.timeScale = parser.value(timeScale).toDouble(&ok);
        if (!ok || !(options.timeScale > 0) || options.timeScale > 1e6)
            return {std::nullopt, QStringLiteral("--time-scale '%1': expected a number greater than 0 (20 turns 60 s "
                                                 "into 3 s)")
                                      .arg(parser.value(timeScale))};
    }
    options.tls.caFile = parser.value(caFile);
    options.tls.ignoreErrors = parser.isSet(insecure);
    if (const QString problem = TimeoutProxy::optionsProblem(options); !problem.isEmpty())
        return {std::nullopt, QStringLiteral("--upstream: ") + problem};
    return {out, {}};
}

QString proxyHelpText()
{
    return QStringLiteral(
        R"(Usage: wsinspector-cli proxy --listen 127.0.0.1:PORT --upstream URL [--model MODEL[:knob=value,...]]
                          [--time-scale N] [--record FILE] [--json]

A WebSocket relay in front of a real server that records every frame of every connection in both directions and,
with --model, enforces that intermediary's timers in real time, exactly as 'wsinspector-cli simulate' models them:
idle timers restarted by the traffic the model names, lifetimes, and the model's action when one expires (FIN,
RST, or a silent drop that leaves both ends half-open). Point any client at it (a browser, your own application,
'wsinspector-cli connect') to see how it copes with the cut, and divide every timeout with --time-scale so that
a 60 s cut happens in 3 s.

Options:
  --listen HOST:PORT       Where clients connect (ws:// only). A loopback address (127.0.0.1, ::1, localhost);
                           port 0 picks a free one, printed when listening.
  --upstream URL           The real server, ws:// or wss://. The client's request is forwarded with Host naming
                           the upstream; when URL has a path other than /, it replaces the client's path.
  --model MODEL[:knob=value,...]
                           An intermediary model of the catalog, e.g. nginx:proxy_read_timeout=60s or
                           haproxy:timeout_tunnel=30s,independent_streams=1 (repeatable: every model's timers run,
                           the first to expire cuts). 'wsinspector-cli simulate --list-models' lists them. Without
                           --model the proxy only records.
  --time-scale N           Divide every timeout (and the model's timing precision) by N (default 1).
  --record FILE            Also write every event as a JSON line (the objects of --json) to FILE. Recordings in
                           the app's own format are not available yet: this is the JSONL of the events.
  --json                   One JSON object per line on stdout: "listening" {url, upstream, time_scale, timers};
                           "connection" {conn, t, client}; "upgrade" {conn, t, status}; "frame" {conn, from:
                           "client"|"server", t, opcode, fin, ..., payload}; "cut" {conn, t, by, timer, timer_cli,
                           kind, reset_by, action, value_s, scaled_s, idle_s}; "end_closed" {conn, t, side};
                           "closed" {conn, t, by, error}. t: seconds since the connection was accepted.
  --ca-file FILE           Extra CA certificates (PEM) to trust for a wss:// upstream.
  --insecure               Accept any certificate from a wss:// upstream.
  --allow-remote           Allow --listen on an address other than loopback.
  -h, --help               Show this help.

Limits of a local relay: it terminates TCP on both sides, so it never sees the ends' TCP keepalive probes (models
that count them are reproduced as if only payload counted), and after a silent drop the kernel still acknowledges
what an end sends (the proxy discards it): an end notices only through its own heartbeat or receive timeout, never
through a send failing after the retransmission timeout as behind a real NAT.

Runs until SIGINT or SIGTERM.

Exit status:
  0  stopped by a signal
  1  cannot listen
  2  usage error: unknown option, model or knob, bad address, URL or time scale
)");
}

} // namespace wsi::cli
