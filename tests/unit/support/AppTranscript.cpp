// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppTranscript.h"

#include "core/records/FrameLog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace wsi::AppTranscript {

void appendTo(FrameLog &log, const QList<AppMessage> &messages, qint64 stepNs)
{
    qint64 time = log.frameCount() > 0 ? log.frame(log.frameCount() - 1).timeNs : 0;
    for (const AppMessage &message : messages) {
        FrameRecord frame;
        frame.timeNs = time += stepNs;
        frame.opcode = message.binary ? 0x2 : 0x1;
        frame.flags = FrameRecord::Fin | (message.sender == Endpoint::Client ? FrameRecord::Outgoing : 0);
        frame.payloadLength = quint64(message.payload.size());
        const qsizetype index = log.appendFrame(frame, message.payload);
        MessageRecord record;
        record.timeNs = frame.timeNs;
        record.firstFrame = record.lastFrame = quint64(index);
        record.length = record.wireLength = quint64(message.payload.size());
        record.frameCount = 1;
        record.type = message.binary ? MessageType::Binary : MessageType::Text;
        record.direction = frame.direction();
        log.appendMessage(record, message.payload);
    }
}

QList<AppMessage> load(const QString &fileName)
{
    QFile file(QStringLiteral(WSI_APP_TRANSCRIPT_DIR "/") + fileName);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open transcript %s", qPrintable(file.fileName()));
    QList<AppMessage> messages;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        AppMessage message;
        message.sender = object.value(QStringLiteral("from")).toString() == QLatin1String("client") ? Endpoint::Client
                                                                                                    : Endpoint::Server;
        message.binary = object.value(QStringLiteral("binary")).toBool();
        message.payload = message.binary
                              ? QByteArray::fromBase64(object.value(QStringLiteral("base64")).toString().toLatin1())
                              : object.value(QStringLiteral("text")).toString().toUtf8();
        messages.append(message);
    }
    return messages;
}

QList<DecodedMessages> decodeAll(MessageDecoder &decoder, const QList<AppMessage> &messages)
{
    QList<DecodedMessages> decoded;
    for (const AppMessage &message : messages)
        decoded.append(decoder.decode(message));
    return decoded;
}

DecodedMessages ofKind(const QList<DecodedMessages> &decoded, const QString &kind)
{
    DecodedMessages found;
    for (const DecodedMessages &list : decoded) {
        for (const DecodedMessage &message : list) {
            if (message.kind == kind)
                found.append(message);
        }
    }
    return found;
}

QString violations(const QList<DecodedMessages> &decoded)
{
    QString text;
    for (qsizetype i = 0; i < decoded.size(); ++i) {
        for (const DecodedMessage &message : decoded[i]) {
            if (message.violation)
                text += QStringLiteral("message %1: %2\n").arg(i).arg(message.violation->describe());
        }
    }
    return text;
}

} // namespace wsi::AppTranscript
