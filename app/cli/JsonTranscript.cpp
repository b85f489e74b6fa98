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

QJsonObject JsonTranscript::shifted(QJsonObject object) const
{
    if (m_timeOffset != 0) {
        const QString t = QStringLiteral("t");
        object.insert(t, object.value(t).toDouble() + m_timeOffset);
    }
    return object;
}

void JsonTranscript::frame(const FrameLog &log, qsizetype index)
{
    writeEvent(QStringLiteral("frame"), shifted(CaptureJson::frame(log, index)));
}

void JsonTranscript::message(const FrameLog &log, qsizetype index)
{
    writeEvent(QStringLiteral("message"), shifted(CaptureJson::message(log, index)));
}

void JsonTranscript::error(const QString &message, double t)
{
    writeEvent(QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message}, {QStringLiteral("t"), t}});
}

void JsonTranscript::close(const CloseRecord &record)
{
    writeEvent(QStringLiteral("close"), shifted(CaptureJson::close(record)));
}

void JsonTranscript::heartbeat(const HeartbeatEvent &event, const HeartbeatSettings &)
{
    QJsonObject object{
        {QStringLiteral("t"), double(event.timeNs) / 1e9 + m_timeOffset},
        {QStringLiteral("what"), HeartbeatEvent::kindName(event.kind)},
        {QStringLiteral("rtt_ms"), event.rttNs >= 0 ? QJsonValue(double(event.rttNs) / 1e6) : QJsonValue()},
        {QStringLiteral("missed"), event.missed},
        {QStringLiteral("state"), HeartbeatEvent::healthName(event.health)},
        {QStringLiteral("seq"), qint64(event.sequence)},
    };
    if (event.healthChanged)
        object.insert(QStringLiteral("state_changed"), true);
    writeEvent(QStringLiteral("heartbeat"), object);
}

void JsonTranscript::reconnect(int attempt, qint64 delayMs, int connection, int maxAttempts, double t)
{
    writeEvent(QStringLiteral("reconnect"), QJsonObject{
                                                {QStringLiteral("t"), t},
                                                {QStringLiteral("attempt"), attempt},
                                                {QStringLiteral("delay_ms"), delayMs},
                                                {QStringLiteral("connection"), connection},
                                                {QStringLiteral("max_attempts"), maxAttempts},
                                            });
}

void JsonTranscript::diagnosis(const DisconnectDiagnosis &diagnosis, double t)
{
    QJsonObject object = diagnosis.toJson();
    object.insert(QStringLiteral("t"), t);
    writeEvent(QStringLiteral("diagnosis"), object);
}

} // namespace wsi::cli
