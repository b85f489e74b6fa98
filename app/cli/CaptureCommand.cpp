// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CaptureCommand.h"

#include "app/cli/CaptureArguments.h"
#include "app/cli/ExitStatus.h"
#include "app/cli/HoldDecisionInput.h"
#include "app/cli/RelayAllocation.h"
#include "app/cli/RelayEventPrinter.h"
#include "app/cli/RelayRecordingEvents.h"
#include "app/cli/SignalWatcher.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/CaptureProxy.h"
#include "core/proxy/CaptureRecordings.h"
#include "core/proxy/KeyLogFile.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/TlsContext.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QSaveFile>
#include <QTextStream>

#include <algorithm>
#include <memory>

namespace wsi::cli {

namespace {

// `capture --export-ca FILE`: the CA's certificate, never its key, for the user to import where they choose.
int exportCaCertificate(const CaptureArguments &args)
{
    const QString folder = args.caDirectory.isEmpty() ? CaptureAuthority::defaultFolder() : args.caDirectory;
    QString error;
    const std::shared_ptr<CaptureAuthority> authority = CaptureAuthority::openOrCreate(folder, &error);
    if (!authority) {
        QTextStream(stderr) << "wsinspector-cli capture: " << error << '\n';
        return ExitHandshakeFailed;
    }
    QSaveFile file(args.exportCaFile);
    const QByteArray pem = authority->certificatePem();
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit()) {
        QTextStream(stderr) << "wsinspector-cli capture: cannot write the CA certificate to "
                            << QDir::toNativeSeparators(args.exportCaFile) << ": " << file.errorString() << '\n';
        return ExitHandshakeFailed;
    }
    const QByteArray fingerprint = authority->certificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper();
    QTextStream(stdout) << "Wrote the capture CA certificate (not its key) to "
                        << QDir::toNativeSeparators(args.exportCaFile) << '\n'
                        << (authority->isNew() ? "Made the CA now in " : "The CA is kept in ")
                        << QDir::toNativeSeparators(authority->folder()) << '\n'
                        << "SHA-256 fingerprint: " << fingerprint << '\n';
    return ExitOk;
}

} // namespace

int CaptureCommand::run(const QStringList &arguments)
{
    const CaptureParseResult parsed = parseCaptureArguments(arguments);
    if (!parsed.arguments) {
        QTextStream(stderr) << "wsinspector-cli capture: " << parsed.error
                            << "\nTry 'wsinspector-cli capture --help'.\n";
        return ExitUsage;
    }
    const CaptureArguments &args = *parsed.arguments;
    if (args.help) {
        QTextStream(stdout) << captureHelpText();
        return ExitOk;
    }
    if (!args.exportCaFile.isEmpty())
        return exportCaCertificate(args);

    CaptureOptions options = args.options;
    std::shared_ptr<KeyLogFile> keyLog;
    if (!args.keyLogFile.isEmpty()) {
        QString error;
        keyLog = KeyLogFile::open(args.keyLogFile, &error);
        if (!keyLog) {
            QTextStream(stderr) << "wsinspector-cli capture: --keylog: " << error
                                << "\nTry 'wsinspector-cli capture --help'.\n";
            return ExitUsage;
        }
    }
    const QString caFolder = args.caDirectory.isEmpty() ? CaptureAuthority::defaultFolder() : args.caDirectory;
    if (const QString problem = CaptureProxy::enableInterception(options, caFolder, args.upstreamTls, keyLog);
        !problem.isEmpty()) {
        QTextStream(stderr) << "wsinspector-cli capture: " << problem << '\n';
        return ExitHandshakeFailed;
    }

    RelayAllocation::keepFreedBuffers();
    RelayEventPrinter printer(args.json, nullptr);
    printer.setBinarySchema(args.binarySchema);
    // Without recordings only the printer reads the relayed frames (see ProxyCommand); with them, the logs keep to
    // their budget and the recordings get whole payloads through PayloadOverflow.
    if (args.recordDirectory.isEmpty())
        options.relay.budget.maxStoredPerFrame =
            std::min(options.relay.budget.maxStoredPerFrame, printer.payloadBytesPrinted());
    // Pause rules hold messages for decisions read on stdin.
    const std::unique_ptr<HoldDecisionInput> decisions = HoldDecisionInput::startFor(options.relay, printer);
    CaptureProxy proxy(options);
    if (!proxy.listen()) {
        QTextStream(stderr) << "wsinspector-cli capture: cannot listen on " << args.options.listenAddress.toString()
                            << ':' << args.options.listenPort << ": " << proxy.errorString() << '\n';
        return ExitHandshakeFailed;
    }
    if (!args.options.listenAddress.isLoopback())
        QTextStream(stderr) << "wsinspector-cli capture: warning: listening on "
                            << args.options.listenAddress.toString()
                            << ": this is an open proxy for everyone who can reach that address\n";

    std::unique_ptr<CaptureRecordings> recordings;
    if (!args.recordDirectory.isEmpty())
        recordings = recordRelayedConnections(args.recordDirectory, printer, &proxy);

    QObject::connect(&proxy, &CaptureProxy::webSocketAccepted, &proxy,
                     [&printer, &recordings](ProxyConnection *connection, const QUrl &url) {
                         if (recordings)
                             recordings->record(connection, url);
                         printer.watch(connection, RelayEventPrinter::MessageEvents::All);
                         printer.event(QStringLiteral("connection"),
                                       {{QStringLiteral("conn"), connection->id()},
                                        {QStringLiteral("t"), 0.0},
                                        {QStringLiteral("client"), connection->clientAddress()},
                                        {QStringLiteral("url"), url.toString()}},
                                       QStringLiteral("#%1 WebSocket %2 from %3")
                                           .arg(connection->id())
                                           .arg(url.toString(), connection->clientAddress()));
                     });
    QObject::connect(
        &proxy, &CaptureProxy::tunnelOpened, &proxy,
        [&printer](int id, const QString &host, quint16 port, const QString &why) {
            printer.event(
                QStringLiteral("tunnel"),
                {{QStringLiteral("conn"), id},
                 {QStringLiteral("host"), host},
                 {QStringLiteral("port"), port},
                 {QStringLiteral("why"), why}},
                QStringLiteral("#%1 tunnel to %2:%3 passed through: %4").arg(id).arg(host).arg(port).arg(why));
        });
    QObject::connect(
        &proxy, &CaptureProxy::httpPassed, &proxy, [&printer](int id, const QString &method, const QString &url) {
            printer.event(
                QStringLiteral("http"),
                {{QStringLiteral("conn"), id}, {QStringLiteral("method"), method}, {QStringLiteral("url"), url}},
                QStringLiteral("#%1 %2 %3 passed through").arg(id).arg(method, url));
        });
    QObject::connect(&proxy, &CaptureProxy::tlsFailed, &proxy,
                     [&printer](int id, const QString &host, quint16 port, const QString &side, const QString &reason) {
                         printer.event(QStringLiteral("tls_error"),
                                       {{QStringLiteral("conn"), id},
                                        {QStringLiteral("host"), host},
                                        {QStringLiteral("port"), port},
                                        {QStringLiteral("side"), side},
                                        {QStringLiteral("reason"), reason}},
                                       QStringLiteral("#%1 TLS with the %2 of %3:%4 failed: %5")
                                           .arg(id)
                                           .arg(side, host)
                                           .arg(port)
                                           .arg(reason));
                     });
    QObject::connect(
        &proxy, &CaptureProxy::requestRefused, &proxy, [&printer](int id, int status, const QString &reason) {
            printer.event(
                QStringLiteral("refused"),
                {{QStringLiteral("conn"), id}, {QStringLiteral("status"), status}, {QStringLiteral("reason"), reason}},
                QStringLiteral("#%1 refused with %2: %3").arg(id).arg(status).arg(reason));
        });

    QStringList models;
    for (const ChainLink &link : args.options.relay.models)
        models << link.describe();
    QString human =
        QStringLiteral("capturing on %1 (point HTTP_PROXY / HTTPS_PROXY at it)").arg(proxy.url().toString());
    if (!models.isEmpty())
        human += QStringLiteral(", model %1").arg(models.join(QStringLiteral(", ")));
    if (args.options.relay.timeScale != 1.0)
        human += QStringLiteral(", time scale 1/%1").arg(args.options.relay.timeScale);
    if (recordings)
        human += QStringLiteral(", recording into %1").arg(QDir::toNativeSeparators(args.recordDirectory));
    if (args.options.relay.hasRules())
        human += QStringLiteral(", rules %1").arg(args.options.relay.rules->describe());
    human += QStringLiteral("; TLS is intercepted with the CA %1 (trust it in the client)")
                 .arg(QDir::toNativeSeparators(options.interceptTls->authority()->certificateFile()));
    printer.event(
        QStringLiteral("listening"),
        {{QStringLiteral("url"), proxy.url().toString()},
         {QStringLiteral("address"), proxy.listeningAddress().toString()},
         {QStringLiteral("models"), QJsonArray::fromStringList(models)},
         {QStringLiteral("time_scale"), args.options.relay.timeScale},
         {QStringLiteral("record_dir"), args.recordDirectory},
         {QStringLiteral("ca"), options.interceptTls->authority()->certificateFile()},
         {QStringLiteral("rules"), args.options.relay.rules ? args.options.relay.rules->toJson() : QJsonArray()}},
        human);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &proxy, [&proxy](int) {
        proxy.close();
        // The relays' closed() comes queued, then the recorders write the ends: quit after those are delivered.
        QMetaObject::invokeMethod(
            &proxy, [] { QCoreApplication::exit(ExitOk); }, Qt::QueuedConnection);
    });
    const int status = QCoreApplication::exec();
    return status;
}

} // namespace wsi::cli
