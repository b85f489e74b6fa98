// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProxyCommand.h"

#include "app/cli/ExitStatus.h"
#include "app/cli/ProxyArguments.h"
#include "app/cli/SignalWatcher.h"
#include "core/exchange/CaptureJson.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/text/DurationText.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>
#include <memory>

namespace wsi::cli {
namespace {

double seconds(qint64 ns)
{
    return double(ns / 1000000) / 1000.0;
}

// Writes each event to stdout (JSON or a human line) and, as JSON, to the --record file.
class EventPrinter
{
public:
    EventPrinter(bool json, QFile *record)
        : m_json(json)
        , m_record(record)
    {}

    void event(const QString &name, QJsonObject object, const QString &human)
    {
        object.insert(QStringLiteral("event"), name);
        const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
        if (m_record) {
            m_record->write(line);
            m_record->flush(); // a proxy is stopped by a signal: keep the file complete up to the last event
        }
        write(m_json ? line : human.toUtf8() + '\n');
    }

private:
    static void write(const QByteArray &bytes)
    {
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
        std::fflush(stdout);
    }

    bool m_json;
    QFile *m_record;
};

QString framePreview(const FrameLog &log, qsizetype index)
{
    const FrameRecord &record = log.frame(index);
    const QByteArrayView payload = log.framePayload(index);
    if (payload.isEmpty())
        return {};
    if (record.opcode == quint8(Opcode::Binary) || record.has(FrameRecord::Compressed))
        return QString::fromLatin1(payload.first(std::min<qsizetype>(payload.size(), 16)).toByteArray().toHex(' '));
    QString text = QString::fromUtf8(payload.first(std::min<qsizetype>(payload.size(), 80)));
    text.replace(u'\n', QStringLiteral("\\n"));
    return text;
}

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

void watch(ProxyConnection *connection, EventPrinter &printer)
{
    const int id = connection->id();
    const QString tag = QStringLiteral("#%1").arg(id);
    auto printed = std::make_shared<qsizetype>(0);
    const auto printFrames = [connection, &printer, printed, id, tag] {
        const std::shared_ptr<const FrameLog> log = connection->frameLog();
        for (; *printed < log->frameCount(); ++*printed) {
            const qsizetype i = *printed;
            const FrameRecord &record = log->frame(i);
            const bool fromClient = record.direction() == Direction::Outgoing;
            QJsonObject object = CaptureJson::frame(*log, i);
            object.insert(QStringLiteral("conn"), id);
            object.insert(QStringLiteral("from"), fromClient ? QStringLiteral("client") : QStringLiteral("server"));
            printer.event(QStringLiteral("frame"), object,
                          QStringLiteral("%1 %2 %3 %4 %5 B %6")
                              .arg(tag, QString::asprintf("%8.3fs", double(record.timeNs) / 1e9),
                                   fromClient ? QStringLiteral("client -> server") : QStringLiteral("server -> client"),
                                   Opcodes::name(record.opcode))
                              .arg(record.payloadLength)
                              .arg(framePreview(*log, i)));
        }
    };
    QObject::connect(connection, &ProxyConnection::framesAppended, connection, printFrames);
    QObject::connect(connection, &ProxyConnection::upgraded, connection, [connection, &printer, id, tag](int status) {
        const double t = seconds(connection->elapsedNs());
        printer.event(QStringLiteral("upgrade"),
                      {{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("status"), status}},
                      QStringLiteral("%1 %2 upstream answered %3%4")
                          .arg(tag, QString::asprintf("%8.3fs", t))
                          .arg(status)
                          .arg(status == 101 ? QString() : QStringLiteral(" (relayed to the client)")));
    });
    QObject::connect(
        connection, &ProxyConnection::cutHappened, connection, [&printer, id, tag, printFrames](const ProxyCut &cut) {
            printFrames();
            QJsonObject object = cut.toJson();
            object.insert(QStringLiteral("conn"), id);
            const QString value =
                cut.scaledValueMs == cut.modelValueMs
                    ? DurationText::format(cut.modelValueMs)
                    : QStringLiteral("%1, scaled to %2")
                          .arg(DurationText::format(cut.modelValueMs), DurationText::format(cut.scaledValueMs));
            printer.event(QStringLiteral("cut"), object,
                          QStringLiteral("%1 %2 CUT by %3 %4 (%5) after %6 s idle: %7")
                              .arg(tag, QString::asprintf("%8.3fs", double(cut.atNs) / 1e9), cut.by, cut.timer, value,
                                   QString::number(seconds(cut.idleNs)), IntermediaryTimer::actionName(cut.action)));
        });
    QObject::connect(
        connection, &ProxyConnection::endClosed, connection, [connection, &printer, id, tag](const QString &side) {
            const double t = seconds(connection->elapsedNs());
            printer.event(
                QStringLiteral("end_closed"),
                {{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("side"), side}},
                QStringLiteral("%1 %2 %3 closed its connection").arg(tag, QString::asprintf("%8.3fs", t), side));
        });
    QObject::connect(connection, &ProxyConnection::closed, connection, [connection, &printer, id, tag, printFrames] {
        printFrames();
        const double t = seconds(connection->elapsedNs());
        QJsonObject object{
            {QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("by"), connection->endedBy()}};
        const QString error = connection->error();
        object.insert(QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error));
        printer.event(QStringLiteral("closed"), object,
                      QStringLiteral("%1 %2 closed (by %3)%4")
                          .arg(tag, QString::asprintf("%8.3fs", t), connection->endedBy(),
                               error.isEmpty() ? QString() : QStringLiteral(": ") + error));
    });
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
    EventPrinter printer(args.json, record.get());

    TimeoutProxy proxy(args.options);
    proxy.setRemoveClosedConnections(true); // printed as they happen: nothing to keep
    if (!proxy.listen()) {
        QTextStream(stderr) << "wsinspector-cli proxy: cannot listen on " << args.options.listenAddress.toString()
                            << ':' << args.options.listenPort << ": " << proxy.errorString() << '\n';
        return ExitHandshakeFailed;
    }
    QObject::connect(&proxy, &TimeoutProxy::connectionAccepted, &proxy, [&printer](ProxyConnection *connection) {
        watch(connection, printer);
        printer.event(QStringLiteral("connection"),
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
                   {QStringLiteral("timers"), timers}},
                  human);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &proxy, [&proxy](int) {
        proxy.close();
        QCoreApplication::exit(ExitOk);
    });
    return QCoreApplication::exec();
}

} // namespace wsi::cli
