// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProxyCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/HoldDecisionInput.h"
#include "app/cli/ProxyArguments.h"
#include "app/cli/RelayAllocation.h"
#include "app/cli/RelayEventPrinter.h"
#include "app/cli/RelayRecordingEvents.h"
#include "app/cli/SignalWatcher.h"
#include "core/exchange/CaptureJson.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/CaptureRecordings.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/proxy/TlsContext.h"
#include "core/text/DurationText.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace wsi::cli {
namespace {

QJsonArray describeTimers(const ProxyOptions &options)
{
    QJsonArray timers;
    for (const ChainLink &link : options.models) {
        for (const ChainLink::ActiveTimer &timer : link.activeTimers()) {
            const IntermediaryModel &model = link.model();
            timers.append(QJsonObject{
                {QStringLiteral("by"), model.id},
                {QStringLiteral("timer"), model.knobs.value(timer.knobIndex).name},
                {QStringLiteral("kind"), IntermediaryTimer::kindName(timer.kind)},
                {QStringLiteral("reset_by"), IntermediaryTimer::resetRuleName(timer.resetBy)},
                {QStringLiteral("action"), IntermediaryTimer::actionName(timer.action)},
                {QStringLiteral("value_s"), DurationText::seconds(timer.valueMs)},
                {QStringLiteral("scaled_s"), DurationText::seconds(options.scaledMs(timer.valueMs))},
            });
        }
    }
    return timers;
}

} // namespace

int ProxyCommand::run(const QStringList &arguments)
{
    const ProxyParseResult parsed = parseProxyArguments(arguments);
    if (!parsed.arguments) {
        QTextStream(stderr) << "wsinspector-cli proxy: " << parsed.error << "\nTry 'wsinspector-cli proxy --help'.\n";
        return ExitUsage;
    }
    const ProxyArguments &args = *parsed.arguments;
    if (args.help) {
        QTextStream(stdout) << proxyHelpText();
        return ExitOk;
    }

    std::unique_ptr<QFile> record;
    if (!args.recordFile.isEmpty()) {
        record = std::make_unique<QFile>(args.recordFile);
        if (!record->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QTextStream(stderr) << "wsinspector-cli proxy: --record: cannot write " << args.recordFile << ": "
                                << record->errorString() << "\nTry 'wsinspector-cli proxy --help'.\n";
            return ExitUsage;
        }
    }
    RelayEventPrinter printer(args.json, record.get());
    printer.setBinarySchema(args.binarySchema);

    RelayAllocation::keepFreedBuffers();
    ProxyOptions options = args.options;
    // Without recordings only the printer reads the relayed frames, and only the start of each payload: the logs keep
    // no more of each, so that the relay's memory follows the number of frames, not the bytes relayed (every byte is
    // still relayed). With them, the logs keep to their budget and the recordings get whole payloads.
    if (args.recordDirectory.isEmpty())
        options.budget.maxStoredPerFrame = std::min(options.budget.maxStoredPerFrame, printer.payloadBytesPrinted());
    if (!args.tlsCertificateFile.isEmpty() || args.tlsLocalCa) {
        QString error;
        std::shared_ptr<TlsContext> listenTls;
        if (args.tlsLocalCa) {
            const QString folder = args.caDirectory.isEmpty() ? CaptureAuthority::defaultFolder() : args.caDirectory;
            listenTls = TlsContext::interceptingWithCaIn(folder, nullptr, &error);
        } else {
            listenTls = TlsContext::serving(args.tlsCertificateFile, args.tlsKeyFile, nullptr, &error);
        }
        if (!listenTls) {
            QTextStream(stderr) << "wsinspector-cli proxy: "
                                << (args.tlsLocalCa ? "--tls-local-ca: " : "--tls-cert/--tls-key: ") << error << '\n';
            return ExitHandshakeFailed;
        }
        options.listenTls = std::move(listenTls);
    }

    // Pause rules hold messages for decisions read on stdin.
    const std::unique_ptr<HoldDecisionInput> decisions = HoldDecisionInput::startFor(options, printer);
    TimeoutProxy proxy(options);
    proxy.setRemoveClosedConnections(true); // printed as they happen: nothing to keep
    if (!proxy.listen()) {
        QTextStream(stderr) << "wsinspector-cli proxy: cannot listen on " << args.options.listenAddress.toString()
                            << ':' << args.options.listenPort << ": " << proxy.errorString() << '\n';
        return ExitHandshakeFailed;
    }
    std::unique_ptr<CaptureRecordings> recordings;
    if (!args.recordDirectory.isEmpty())
        recordings = recordRelayedConnections(args.recordDirectory, printer, &proxy);
    QObject::connect(
        &proxy, &TimeoutProxy::connectionAccepted, &proxy,
        [&printer, &recordings, upstream = args.options.upstream](ProxyConnection *connection) {
            // Before it starts: its recording takes every frame and what the log's budget cannot keep.
            if (recordings)
                recordings->record(connection, upstream);
            // The JSON events carry the completed messages too (their application protocol decoded); the lines for
            // people stay one per frame.
            printer.watch(connection, RelayEventPrinter::MessageEvents::JsonOnly);
            printer.event(
                QStringLiteral("connection"),
                {{QStringLiteral("conn"), connection->id()},
                 {QStringLiteral("t"), 0.0},
                 {QStringLiteral("client"), connection->clientAddress()}},
                QStringLiteral("#%1 connection from %2").arg(connection->id()).arg(connection->clientAddress()));
        });

    QStringList models;
    for (const ChainLink &link : args.options.models)
        models << link.describe();
    const QJsonArray timers = describeTimers(args.options);
    QString human = QStringLiteral("listening %1 -> %2").arg(proxy.url().toString(), args.options.upstream.toString());
    if (!models.isEmpty())
        human += QStringLiteral(", model %1").arg(models.join(QStringLiteral(", ")));
    if (args.options.timeScale != 1.0)
        human += QStringLiteral(", time scale 1/%1").arg(args.options.timeScale);
    if (recordings)
        human += QStringLiteral(", recording into %1").arg(QDir::toNativeSeparators(args.recordDirectory));
    if (args.options.hasRules())
        human += QStringLiteral(", rules %1").arg(args.options.rules->describe());
    for (const QJsonValue &value : timers) {
        const QJsonObject timer = value.toObject();
        const bool idle = timer.value(QStringLiteral("kind")).toString() == QLatin1StringView("idle");
        human += QStringLiteral("\n  %1 %2: %3 s (runs %4 s), %5%6, then %7")
                     .arg(timer.value(QStringLiteral("by")).toString(), timer.value(QStringLiteral("timer")).toString())
                     .arg(timer.value(QStringLiteral("value_s")).toDouble())
                     .arg(timer.value(QStringLiteral("scaled_s")).toDouble())
                     .arg(timer.value(QStringLiteral("kind")).toString(),
                          idle ? QStringLiteral(" reset by ") + timer.value(QStringLiteral("reset_by")).toString()
                               : QString(),
                          timer.value(QStringLiteral("action")).toString());
    }
    printer.event(QStringLiteral("listening"),
                  {{QStringLiteral("url"), proxy.url().toString()},
                   {QStringLiteral("upstream"), args.options.upstream.toString()},
                   {QStringLiteral("models"), QJsonArray::fromStringList(models)},
                   {QStringLiteral("time_scale"), args.options.timeScale},
                   {QStringLiteral("record_dir"), args.recordDirectory},
                   {QStringLiteral("timers"), timers},
                   {QStringLiteral("rules"), args.options.rules ? args.options.rules->toJson() : QJsonArray()}},
                  human);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &proxy, [&proxy](int) {
        proxy.close();
        // The relays' closed() comes queued, then the recorders write the ends: quit after those are delivered.
        QMetaObject::invokeMethod(
            &proxy, [] { QCoreApplication::exit(ExitOk); }, Qt::QueuedConnection);
    });
    return QCoreApplication::exec();
}

} // namespace wsi::cli
