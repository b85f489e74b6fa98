// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CaptureArguments.h"

#include "app/cli/ArgumentTable.h"
#include "app/cli/ArgumentValues.h"
#include "app/cli/ProtoSchemaArgument.h"
#include "core/proxy/CaptureProxy.h"

#include <QFileInfo>
#include <QSslCertificate>

namespace wsi::cli {
namespace {

// What capture's rows build; --listen is checked once every flag is known (--allow-remote may come after it).
struct CaptureBuilder {
    ProtoSchemaArgument proto; // --proto, --proto-message
    CaptureArguments out;
    QString listen; // --listen as written
    QStringList intercept;
    QStringList noIntercept;

    QString addPattern(QStringList &patterns, const ArgumentOccurrence &flag);
    QString finish();
};

const ArgumentTable<CaptureBuilder> &captureTable()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup options{QStringLiteral("Options")};
    static const ArgumentTable<CaptureBuilder> table{
        .usage = QStringLiteral(
            "Usage: wsinspector-cli capture --listen 127.0.0.1:PORT [--record-dir DIR] [--json] [--ca-dir DIR]\n"
            "                            [--upstream-ca FILE] [--upstream-insecure] [--keylog FILE]\n"
            "                            [--intercept PATTERN]... [--no-intercept PATTERN]...\n"
            "                            [--model MODEL[:knob=value,...]]... [--time-scale N] [--rules FILE]\n"
            "                            [--allow-remote]\n"
            "       wsinspector-cli capture [--ca-dir DIR] --export-ca FILE"),
        .description = QStringLiteral(
            R"(An HTTP proxy that captures the WebSocket traffic of any application pointed at it (HTTP_PROXY / HTTPS_PROXY, a
proxy agent, a browser's --proxy-server): every WebSocket connection, whether the client asks for it in absolute
form (GET http://host/path with Upgrade) or through a CONNECT tunnel, is relayed, parsed and recorded both ways,
with the --model timers enforced as 'wsinspector-cli proxy' does. Everything else passes through byte for byte:
an absolute-form request goes to its server in origin form with Proxy-Connection and Proxy-Authorization removed
(nothing else is changed), and a CONNECT tunnel's bytes are not changed at all.

TLS inside a tunnel (wss://, https://) is intercepted for the hosts --intercept / --no-intercept allow: the client
gets a certificate for the host it asked for, signed by the capture CA (--ca-dir; export it with --export-ca and
trust it in the client), and the proxy connects to the real server over TLS, checking its certificate as a
browser would (the system's CAs plus --upstream-ca). A server that fails the check is not reached: the client
gets a 502 with the reason, and a "tls_error" event says it. Requests that are not WebSockets pass through
decrypted and re-encrypted, byte for byte. Hosts not intercepted are tunnelled blindly.)"),
        .rows =
            QList<ArgumentRow<CaptureBuilder>>{
                {.longName = QStringLiteral("listen"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("HOST:PORT"),
                 .group = options,
                 .help = QStringLiteral("Where applications connect: a loopback address (127.0.0.1, ::1, localhost) "
                                        "unless --allow-remote; port 0 picks a free one, printed when listening."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         builder.listen = flag.value();
                         return ArgumentValues::listenEndpoint(flag.written, builder.listen,
                                                               &builder.out.options.listenAddress,
                                                               &builder.out.options.listenPort);
                     }},
                {.longName = QStringLiteral("record-dir"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("DIR"),
                 .group = options,
                 .help = QStringLiteral(
                     "Record each WebSocket connection into DIR (created if missing) as a .wsirec named after the host "
                     "and the time, never overwriting a file: 'export', 'diagnose' and 'simulate --from' read it."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a folder").arg(flag.written);
                         builder.out.recordDirectory = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("json"),
                 .group = options,
                 .help = QStringLiteral(
                     "One JSON object per line on stdout: \"listening\" {url, models, time_scale}; \"connection\" "
                     "{conn, t, client, url} (a WebSocket, url as the client asked for it); \"upgrade\" {conn, t, "
                     "status}; \"frame\" {conn, from: \"client\"|\"server\", t, opcode, fin, ..., payload}; "
                     "\"message\" {conn, from, t, type, length, compressed, payload (inflated), decoded (its "
                     "application protocol's messages, when one is recognised)}; \"cut\"; "
                     "\"end_closed\"; \"closed\" {conn, t, by, error}, \"held\", \"hold_decided\" (as 'proxy --json'); "
                     "\"recorded\" {conn, "
                     "file}; \"tunnel\" {conn, host, port, why} (passed through blindly); \"http\" {conn, method, "
                     "url} (a request that is not a WebSocket, passed through); \"refused\" {conn, status, reason}; "
                     "\"tls_error\" {conn, host, port, side: \"client\"|\"server\", reason} (an intercepted "
                     "tunnel's TLS failed)."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.json = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("intercept"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PATTERN"),
                 .group = options,
                 .help = QStringLiteral(
                     "Capture only hosts matching PATTERN, a glob on the host name (* any run of characters, ? one): "
                     "'*.example.com', 'localhost' (repeatable; default: every host). Others are tunnelled blindly."),
                 .apply = [](CaptureBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addPattern(builder.intercept, flag); }},
                {.longName = QStringLiteral("no-intercept"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("PATTERN"),
                 .group = options,
                 .help = QStringLiteral("Tunnel hosts matching PATTERN blindly even when an --intercept pattern "
                                        "matches them (repeatable)."),
                 .apply = [](CaptureBuilder &builder,
                             const ArgumentOccurrence &flag) { return builder.addPattern(builder.noIntercept, flag); }},
                {.longName = QStringLiteral("model"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("MODEL[:knob=value,...]"),
                 .group = options,
                 .help = QStringLiteral(
                     "Enforce an intermediary model's timers on every captured WebSocket connection, as 'proxy "
                     "--model' does (repeatable). 'wsinspector-cli simulate --list-models' lists them."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         QString error;
                         std::optional<ChainLink> link = ArgumentValues::chainLink(flag.written, flag.value(), &error);
                         if (link)
                             builder.out.options.relay.models.append(std::move(*link));
                         return error;
                     }},
                {.longName = QStringLiteral("rules"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = ArgumentValues::rulesHelp(),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         return ArgumentValues::rules(flag.written, flag.value(), &builder.out.options.relay.rules);
                     }},
                {.longName = QStringLiteral("time-scale"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("N"),
                 .group = options,
                 .help = QStringLiteral("Divide every model timeout (and the model's timing precision) by N "
                                        "(default 1)."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         return ArgumentValues::timeScale(flag.written, flag.value(),
                                                          &builder.out.options.relay.timeScale);
                     }},
                {.longName = QStringLiteral("ca-dir"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("DIR"),
                 .group = options,
                 .help = QStringLiteral(
                     "The folder of the capture CA (its certificate ca.pem and its key ca-key.pem, owner-only), made "
                     "there on first use; default: the data folder the window shares."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a folder").arg(flag.written);
                         builder.out.caDirectory = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("export-ca"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral(
                     "Write the capture CA's certificate (PEM, never its key) to FILE and exit, making the CA first "
                     "if it does not exist yet; import it into a browser's or the system's trust store yourself."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a file").arg(flag.written);
                         builder.out.exportCaFile = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("upstream-ca"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral("Also trust the CA certificates in FILE (PEM) when checking intercepted "
                                        "servers' certificates, besides the system's."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         QString problem;
                         if (flag.value().isEmpty())
                             problem = QStringLiteral("expected a file");
                         else if (!QFileInfo(flag.value()).isFile())
                             problem = QStringLiteral("'%1' is not a file").arg(flag.value());
                         else if (QSslCertificate::fromPath(flag.value(), QSsl::Pem).isEmpty())
                             problem = QStringLiteral("'%1' holds no PEM certificate").arg(flag.value());
                         if (!problem.isEmpty())
                             return QStringLiteral("%1: %2").arg(flag.written, problem);
                         builder.out.upstreamTls.extraCaFile = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("upstream-insecure"),
                 .group = options,
                 .help = QStringLiteral("Reach intercepted servers whatever their certificate (self-signed, expired, "
                                        "another host's): an explicit opt-in, for test servers."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.upstreamTls.insecure = true;
                         return QString();
                     }},
                {.longName = QStringLiteral("keylog"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = options,
                 .help = QStringLiteral(
                     "Append the TLS secrets of both sides of every intercepted tunnel to FILE (made owner-only) in "
                     "the SSLKEYLOGFILE format, so Wireshark or tshark can decrypt the same traffic."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &flag) {
                         if (flag.value().isEmpty())
                             return QStringLiteral("%1: expected a file").arg(flag.written);
                         builder.out.keyLogFile = flag.value();
                         return QString();
                     }},
                {.longName = QStringLiteral("allow-remote"),
                 .group = options,
                 .help = QStringLiteral("Allow --listen on an address other than loopback: the proxy is then open "
                                        "to everyone on that network."),
                 .apply =
                     [](CaptureBuilder &builder, const ArgumentOccurrence &) {
                         builder.out.options.allowRemote = true;
                         return QString();
                     }},
            } +
            ProtoSchemaArgument::rows(&CaptureBuilder::proto, options),
        .finish = [](CaptureBuilder &builder) { return builder.finish(); },
        .epilogue = QStringLiteral(
            R"(Point an application at it, e.g.:
  HTTP_PROXY=http://127.0.0.1:PORT HTTPS_PROXY=http://127.0.0.1:PORT your-app
  chromium --proxy-server=http://127.0.0.1:PORT --proxy-bypass-list='<-loopback>'
  curl --proxy http://127.0.0.1:PORT http://example.test/

Runs until SIGINT or SIGTERM.

Exit status:
  0  stopped by a signal; --export-ca: the certificate was written
  1  cannot listen, or the CA cannot be made or opened; --export-ca: FILE cannot be written
  2  usage error: unknown option, model or knob, bad address, pattern or time scale, non-loopback --listen
     without --allow-remote, an --upstream-ca without a certificate, a --keylog that cannot be written, a
     --rules file that cannot be read or is wrong)"),
    };
    return table;
}

QString CaptureBuilder::addPattern(QStringList &patterns, const ArgumentOccurrence &flag)
{
    if (const QString problem = HostPatterns::problem(flag.value()); !problem.isEmpty())
        return flag.written + QStringLiteral(": ") + problem;
    patterns.append(flag.value());
    return {};
}

QString CaptureBuilder::finish()
{
    if (QString error = proto.finish(&out.binarySchema); !error.isEmpty())
        return error;
    if (!out.exportCaFile.isEmpty()) {
        if (!listen.isEmpty())
            return QStringLiteral("--export-ca writes the CA certificate and exits: give it without --listen");
        return {};
    }
    if (listen.isEmpty())
        return QStringLiteral("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:8080; port 0 picks a free one)");
    if (!out.options.listenAddress.isLoopback() && !out.options.allowRemote)
        return QStringLiteral("--listen '%1' is not a loopback address: anyone on that network could use the proxy "
                              "to reach anything this machine can; add --allow-remote to accept that")
            .arg(listen);
    out.options.patterns = HostPatterns(intercept, noIntercept);
    if (const QString problem = CaptureProxy::optionsProblem(out.options); !problem.isEmpty())
        return problem;
    return {};
}

} // namespace

CaptureParseResult parseCaptureArguments(const QStringList &arguments)
{
    return captureTable().parseArguments(arguments);
}

QString captureHelpText()
{
    return captureTable().helpText();
}

QStringList captureOptionNames()
{
    return captureTable().longNames();
}

} // namespace wsi::cli
