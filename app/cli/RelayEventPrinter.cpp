// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/RelayEventPrinter.h"

#include "core/exchange/CaptureJson.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/ProxyConnection.h"
#include "core/text/DurationText.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <memory>

namespace wsi::cli {
namespace {

double seconds(qint64 ns)
{
    return double(ns / 1000000) / 1000.0;
}

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

void write(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

QString messagePreview(const FrameLog &log, qsizetype index)
{
    const MessageRecord &record = log.message(index);
    const QByteArrayView payload = log.messagePayload(index);
    if (record.type == MessageType::Binary)
        return QString::fromLatin1(payload.first(std::min<qsizetype>(payload.size(), 16)).toByteArray().toHex(' '));
    QString text = QString::fromUtf8(payload.first(std::min<qsizetype>(payload.size(), 80)));
    text.replace(u'\n', QStringLiteral("\\n"));
    return text;
}

// Which end sent a frame or message, and of which connection, on its JSON event ("conn", "from") and in words.
void addSender(QJsonObject &object, int connection, bool fromClient)
{
    object.insert(QStringLiteral("conn"), connection);
    object.insert(QStringLiteral("from"), fromClient ? QStringLiteral("client") : QStringLiteral("server"));
}

QString arrow(bool fromClient)
{
    return fromClient ? QStringLiteral("client -> server") : QStringLiteral("server -> client");
}

} // namespace

RelayEventPrinter::RelayEventPrinter(bool json, QFile *record)
    : m_json(json)
    , m_record(record)
{}

void RelayEventPrinter::event(const QString &name, QJsonObject object, const QString &human)
{
    object.insert(QStringLiteral("event"), name);
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    if (m_record) {
        m_record->write(line);
        m_record->flush(); // a proxy is stopped by a signal: keep the file complete up to the last event
    }
    write(m_json ? line : human.toUtf8() + '\n');
}

void RelayEventPrinter::watch(ProxyConnection *connection, bool messages)
{
    const int id = connection->id();
    const QString tag = QStringLiteral("#%1").arg(id);
    RelayEventPrinter *printer = this;
    auto printed = std::make_shared<qsizetype>(0);
    auto printedMessages = std::make_shared<qsizetype>(0);
    const auto printFrames = [connection, printer, printed, printedMessages, messages, id, tag] {
        const std::shared_ptr<const FrameLog> log = connection->frameLog();
        for (; *printed < log->frameCount(); ++*printed) {
            const qsizetype i = *printed;
            const FrameRecord &record = log->frame(i);
            const bool fromClient = record.direction() == Direction::Outgoing;
            QJsonObject object = CaptureJson::frame(*log, i);
            addSender(object, id, fromClient);
            printer->event(QStringLiteral("frame"), object,
                           QStringLiteral("%1 %2 %3 %4 %5 B %6")
                               .arg(tag, QString::asprintf("%8.3fs", double(record.timeNs) / 1e9), arrow(fromClient),
                                    Opcodes::name(record.opcode))
                               .arg(record.payloadLength)
                               .arg(framePreview(*log, i)));
        }
        // Messages complete with their last frame, so they follow it: inflated, as `connect --json` prints them.
        for (; messages && *printedMessages < log->messageCount(); ++*printedMessages) {
            const qsizetype i = *printedMessages;
            const MessageRecord &record = log->message(i);
            const bool fromClient = record.direction == Direction::Outgoing;
            QJsonObject object = CaptureJson::message(*log, i);
            addSender(object, id, fromClient);
            printer->event(QStringLiteral("message"), object,
                           QStringLiteral("%1 %2 %3 message %4 B%5 %6")
                               .arg(tag, QString::asprintf("%8.3fs", double(record.timeNs) / 1e9), arrow(fromClient))
                               .arg(record.length)
                               .arg(record.compressed ? QStringLiteral(" (inflated)") : QString())
                               .arg(messagePreview(*log, i)));
        }
    };
    QObject::connect(connection, &ProxyConnection::framesAppended, connection, printFrames);
    QObject::connect(connection, &ProxyConnection::upgraded, connection, [connection, printer, id, tag](int status) {
        const double t = seconds(connection->elapsedNs());
        printer->event(QStringLiteral("upgrade"),
                       {{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("status"), status}},
                       QStringLiteral("%1 %2 upstream answered %3%4")
                           .arg(tag, QString::asprintf("%8.3fs", t))
                           .arg(status)
                           .arg(status == 101 ? QString() : QStringLiteral(" (relayed to the client)")));
    });
    QObject::connect(
        connection, &ProxyConnection::cutHappened, connection, [printer, id, tag, printFrames](const ProxyCut &cut) {
            printFrames();
            QJsonObject object = cut.toJson();
            object.insert(QStringLiteral("conn"), id);
            const QString value =
                cut.scaledValueMs == cut.modelValueMs
                    ? DurationText::format(cut.modelValueMs)
                    : QStringLiteral("%1, scaled to %2")
                          .arg(DurationText::format(cut.modelValueMs), DurationText::format(cut.scaledValueMs));
            printer->event(QStringLiteral("cut"), object,
                           QStringLiteral("%1 %2 CUT by %3 %4 (%5) after %6 s idle: %7")
                               .arg(tag, QString::asprintf("%8.3fs", double(cut.atNs) / 1e9), cut.by, cut.timer, value,
                                    QString::number(seconds(cut.idleNs)), IntermediaryTimer::actionName(cut.action)));
        });
    QObject::connect(
        connection, &ProxyConnection::endClosed, connection,
        [connection, printer, id, tag, printFrames](const QString &side) {
            printFrames(); // what the end sent before it closed comes first
            const double t = seconds(connection->elapsedNs());
            printer->event(
                QStringLiteral("end_closed"),
                {{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("side"), side}},
                QStringLiteral("%1 %2 %3 closed its connection").arg(tag, QString::asprintf("%8.3fs", t), side));
        });
    QObject::connect(connection, &ProxyConnection::closed, connection, [connection, printer, id, tag, printFrames] {
        printFrames();
        const double t = seconds(connection->elapsedNs());
        QJsonObject object{
            {QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("by"), connection->endedBy()}};
        const QString error = connection->error();
        object.insert(QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error));
        printer->event(QStringLiteral("closed"), object,
                       QStringLiteral("%1 %2 closed (by %3)%4")
                           .arg(tag, QString::asprintf("%8.3fs", t), connection->endedBy(),
                                error.isEmpty() ? QString() : QStringLiteral(": ") + error));
    });
}

} // namespace wsi::cli
