// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProxyArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"
#include "app/cli/ProtoSchemaArgument.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/session/TlsSetup.h"

#include <QFileInfo>

namespace wsi::cli {
namespace {

// What proxy's rows build; --listen and --upstream are checked once every flag is known (--allow-remote may
// come after --listen).
struct ProxyBuilder {
    ProtoSchemaArgument proto; // --proto, --proto-message
    ProxyArguments out;
    QString listen; // --listen as written
    bool allowRemote = false;
    bool upstreamGiven = false;

    QString setListen(const ArgumentOccurrence &flag);
    static QString setTlsFile(QString &file, const ArgumentOccurrence &flag);
    QString finish();
};

const ArgumentTable<ProxyBuilder> &proxyTable()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<ProxyBuilder> table{
        .usage = QStringLiteral(
            "Usage: wsinspector-cli proxy --listen 127.0.0.1:PORT --upstream URL [--model MODEL[:knob=value,...]]\n"
            "                          [--time-scale N] [--rules FILE] [--record-dir DIR] [--record FILE] [--json]\n"
            "                          [--tls-cert FILE --tls-key FILE | --tls-local-ca [--ca-dir DIR]]"),
        .description = QStringLiteral(
            R"(A WebSocket relay in front of a real server that records every frame of every connection in both directions and,
with --model, enforces that intermediary's timers in real time, exactly as 'wsinspector-cli simulate' models them:
idle timers restarted by the traffic the model names, lifetimes, and the model's action when one expires (FIN,
RST, or a silent drop that leaves both ends half-open). Point any client at it (a browser, your own application,
'wsinspector-cli connect') to see how it copes with the cut, and divide every timeout with --time-scale so that
a 60 s cut happens in 3 s.)"),
        .rows =
            QList<ArgumentRow<ProxyBuilder>>{
                {.longName = QStringLiteral("listen"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("HOST:PORT"),
                 .group = options,
                 .help = QStringLiteral("Where clients connect (ws:// only). A loopback address (127.0.0.1, ::1, "
                                        "localhost); port 0 picks a free one, printed when listening."),
                 .apply = [](ProxyBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.setListen(flag); }},
                {.longName = QStringLiteral("upstream"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("URL"),
                 .group = options,
                 .help = QStringLiteral(
                     "The real server, ws:// or wss://. The client's request is forwarded with Host naming the "
                     "upstream; when URL has a path other than /, it replaces the client's path."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.upstreamGiven = true;
                         builder.out.options.upstream = QUrl(flag.value(), QUrl::StrictMode);
                         return QString();
                     }},
                {.longName = QStringLiteral("model"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("MODEL[:knob=value,...]"),
                 .group = options,
                 .help = QStringLiteral(
                     "An intermediary model of the catalog, e.g. nginx:proxy_read_timeout=60s or "
                     "haproxy:timeout_tunnel=30s,independent_streams=1 (repeatable: every model's timers run, the "
                     "first to expire cuts). 'wsinspector-cli simulate --list-models' lists them. Without --model the "
                     "proxy only records."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         std::optional<ChainLink> link = ArgumentValues::chainLink(flag.written, flag.value(), &error);
                         if (link)
                             builder.out.options.models.append(std::move(*link));
                         return error;
                     }},
                {.longName = QStringLiteral("rules"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = ArgumentValues::rulesHelp(),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         return ArgumentValues::rules(flag.written, flag.value(), &builder.out.options.rules);
                     }},
                {.longName = QStringLiteral("time-scale"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("N"),
                 .group = options,
                 .help = QStringLiteral("Divide every timeout (and the model's timing precision) by N (default 1)."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         return ArgumentValues::timeScale(flag.written, flag.value(), &builder.out.options.timeScale);
                     }},
                {.longName = QStringLiteral("record-dir"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("DIR"),
                 .group = options,
                 .help = QStringLiteral(
                     "Record each connection into DIR (created if missing) as a .wsirec named after the upstream's "
                     "host and the time, never overwriting a file: the client's request and the server's answer, "
                     "both ways' frames with whole payloads, and the close or the cut. File > Open, 'export', "
                     "'diagnose' and 'simulate --from' read it."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a folder").arg(flag.written);
                         builder.out.recordDirectory = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("record"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral(
                     "Also write every event as a JSON line (the objects of --json) to FILE: a log of the relay's "
                     "events, not a recording (--record-dir makes those)."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.out.recordFile = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("json"),
                 .group = options,
                 .help = QStringLiteral(
                     "One JSON object per line on stdout: \"listening\" {url, upstream, time_scale, timers, rules}; "
                     "\"connection\" {conn, t, client}; \"upgrade\" {conn, t, status, deflate_declined}; \"frame\" "
                     "{conn, from: \"client\"|\"server\", t, opcode, fin, ..., payload, rule: {name, action}, "
                     "injected}; \"message\" {conn, from, t, type, length, payload, decoded (its application "
                     "protocol's messages, when one is recognised), rule}; \"cut\" {conn, t, by, timer, timer_cli, "
                     "kind, reset_by, action, value_s, scaled_s, idle_s}; \"end_closed\" {conn, t, side}; \"closed\" "
                     "{conn, t, by, error}; with pause rules \"held\" {conn, from, id, t, frame, rule}, "
                     "\"hold_decided\" {conn, id, t, outcome: forwarded|edited|dropped|answered|timed out|"
                     "connection ended, held_s} and \"decision_refused\" {line, error} (a line on stdin that was not "
                     "used). t: seconds since the connection was accepted; rule, injected and deflate_declined only "
                     "with --rules."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.json = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("ca-file"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral("Extra CA certificates (PEM) to trust for a wss:// upstream."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error = ArgumentValues::checkReadableFile(flag.written, flag.value());
                         if (error.isEmpty())
                             builder.out.options.tls.caFile = flag.value();
                         return error;
                     }},
                {.longName = QStringLiteral("insecure"),
                 .group = options,
                 .help = QStringLiteral("Accept any certificate from a wss:// upstream."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.options.tls.ignoreErrors = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("tls-cert"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral("Listen with TLS (clients connect to wss://) with the certificate in FILE "
                                        "(PEM, the chain after it); with --tls-key."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.setTlsFile(builder.out.tlsCertificateFile, flag);
                     }},
                {.longName = QStringLiteral("tls-key"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral("The private key of --tls-cert (PEM, not encrypted)."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         return builder.setTlsFile(builder.out.tlsKeyFile, flag);
                     }},
                {.longName = QStringLiteral("tls-local-ca"),
                 .group = options,
                 .help = QStringLiteral("Listen with TLS with a certificate for the listen address (or the name the "
                                        "client asks for) signed by the capture CA, the one 'capture --export-ca' "
                                        "exports for clients to trust."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.tlsLocalCa = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("ca-dir"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("DIR"),
                 .group = options,
                 .help = QStringLiteral("The capture CA's folder for --tls-local-ca (default: the data folder the "
                                        "window shares)."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a folder").arg(flag.written);
                         builder.out.caDirectory = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("allow-remote"),
                 .group = options,
                 .help = QStringLiteral("Allow --listen on an address other than loopback."),
                 .apply =
                     [](ProxyBuilder &builder, const ArgumentOccurrence &) {
                         builder.allowRemote = true;
                         return QString();
                     }},
            } +
            ProtoSchemaArgument::rows(&ProxyBuilder::proto, options),
        .finish = [](ProxyBuilder &builder) { return builder.finish(); },
        .epilogue = QStringLiteral(
            R"(Limits of a local relay: it terminates TCP on both sides, so it never sees the ends' TCP keepalive probes (models
that count them are reproduced as if only payload counted), and after a silent drop the kernel still acknowledges
what an end sends (the proxy discards it): an end notices only through its own heartbeat or receive timeout, never
through a send failing after the retransmission timeout as behind a real NAT.

Runs until SIGINT or SIGTERM.

Exit status:
  0  stopped by a signal
  1  cannot listen, or the listener's certificate cannot be used
  2  usage error: unknown option, model or knob, bad address, URL or time scale, unreadable --ca-file, a
     --tls-cert or --tls-key that is not a file, a --rules file that cannot be read or is wrong)"),
    };
    return table;
}

QString ProxyBuilder::setListen(const ArgumentOccurrence &flag)
{
    listen = flag.value();
    return ArgumentValues::listenEndpoint(flag.written, listen, &out.options.listenAddress, &out.options.listenPort);
}

QString ProxyBuilder::setTlsFile(QString &file, const ArgumentOccurrence &flag)
{
    if (!QFileInfo(flag.value()).isFile())
        return QStringLiteral("%1: '%2' is not a file").arg(flag.written, flag.value());
    file = flag.value();
    return {};
}

QString ProxyBuilder::finish()
{
    if (QString error = proto.finish(&out.binarySchema); !error.isEmpty())
        return error;
    if (out.tlsCertificateFile.isEmpty() != out.tlsKeyFile.isEmpty())
        return QStringLiteral("--tls-cert and --tls-key go together");
    if (out.tlsLocalCa && !out.tlsCertificateFile.isEmpty())
        return QStringLiteral("--tls-local-ca or --tls-cert/--tls-key: one certificate for the listener");
    if (!out.caDirectory.isEmpty() && !out.tlsLocalCa)
        return QStringLiteral("--ca-dir goes with --tls-local-ca");
    if (listen.isEmpty())
        return QStringLiteral("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:9000; port 0 picks a free one)");
    // The proxy relays to a real server: on another interface it would be a relay for anyone who can reach it.
    if (!out.options.listenAddress.isLoopback() && !allowRemote)
        return QStringLiteral("--listen '%1' is not a loopback address: add --allow-remote to accept connections from "
                              "other machines")
            .arg(listen);
    if (!upstreamGiven)
        return QStringLiteral("--upstream URL is required (ws:// or wss://)");
    if (const QString problem = TlsSetup::problem(out.options.tls); !problem.isEmpty())
        return QStringLiteral("--ca-file: ") + problem;
    if (const QString problem = TimeoutProxy::optionsProblem(out.options); !problem.isEmpty())
        return QStringLiteral("--upstream: ") + problem;
    return {};
}

} // namespace

ProxyParseResult parseProxyArguments(const QStringList &arguments)
{
    return proxyTable().parseArguments(arguments);
}

QString proxyHelpText()
{
    return proxyTable().helpText();
}

QStringList proxyOptionNames()
{
    return proxyTable().longNames();
}

} // namespace wsi::cli
