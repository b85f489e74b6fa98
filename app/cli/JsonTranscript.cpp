// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonTranscript.h"

#include "CaptureJson.h"

#include <QJsonDocument>

namespace wsi::cli {

void JsonTranscript::writeEvent(const QString &event, QJsonObject object)
{
    object.insert(QStringLiteral("event"), event);
    write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
}

void JsonTranscript::handshake(const HandshakeRecord &record, double t)
{
    QJsonObject object = CaptureJson::handshake(record);
    object.insert(QStringLiteral("t"), t);
    writeEvent(QStringLiteral("handshake"), object);
}

void JsonTranscript::frame(const FrameLog &log, qsizetype index)
{
    writeEvent(QStringLiteral("frame"), CaptureJson::frame(log, index));
}

void JsonTranscript::message(const FrameLog &log, qsizetype index)
{
    writeEvent(QStringLiteral("message"), CaptureJson::message(log, index));
}

void JsonTranscript::error(const QString &message, double t)
{
    writeEvent(QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message}, {QStringLiteral("t"), t}});
}

void JsonTranscript::close(const CloseRecord &record)
{
    writeEvent(QStringLiteral("close"), CaptureJson::close(record));
}

} // namespace wsi::cli
