// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/JsonTranscript.h"

#include "core/exchange/CaptureJson.h"

#include <utility>

namespace wsi::cli {

void JsonTranscript::writeEvent(const QString &event, QJsonObject object)
{
    write(CaptureJson::eventLine(event, std::move(object)));
}

void JsonTranscript::handshake(const HandshakeRecord &record, double t)
{
    QJsonObject object = CaptureJson::handshake(record);
    object.insert(QStringLiteral("t"), t);
    writeEvent(QStringLiteral("handshake"), object);
    // Each connection (a reconnect is a new one) starts its protocol over.
    m_decoding.emplace(record, forcedProtocol(), m_binarySchema);
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
    QJsonObject object = CaptureJson::message(log, index);
    if (m_decoding)
        m_decoding->addTo(object, log, index);
    writeEvent(QStringLiteral("message"), shifted(std::move(object)));
}

void JsonTranscript::error(const QString &message, double t)
{
    writeEvent(QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message}, {QStringLiteral("t"), t}});
}

void JsonTranscript::close(const CloseRecord &record)
{
    writeEvent(QStringLiteral("close"), shifted(CaptureJson::close(record)));
}

void JsonTranscript::heartbeat(const HeartbeatEvent &event, const HeartbeatHistory &history)
{
    QJsonObject object = CaptureJson::heartbeat(event);
    if (event.source == HeartbeatEvent::Source::Protocol)
        object.insert(QStringLiteral("protocol"), history.protocolHeartbeat().protocol);
    writeEvent(QStringLiteral("heartbeat"), shifted(object));
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
