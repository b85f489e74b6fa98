// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/JsonTranscript.h"

#include "core/exchange/CaptureJson.h"
#include "core/protocol/Opcode.h"
#include "core/protocol/Utf8Validator.h"

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
    if (m_rules)
        object.insert(QStringLiteral("rules"), m_rules->set().toJson());
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
    QJsonObject object = CaptureJson::frame(log, index);
    addRule(object, ruleOfFrame(index));
    writeEvent(QStringLiteral("frame"), shifted(std::move(object)));
}

void JsonTranscript::addRule(QJsonObject &object, const Rule *rule)
{
    if (rule)
        object.insert(QStringLiteral("rule"), QJsonObject{{QStringLiteral("name"), rule->name},
                                                          {QStringLiteral("action"), Rule::actionName(rule->action)}});
}

void JsonTranscript::unsent(const SessionRules::Unsent &unsent)
{
    QJsonObject object{{QStringLiteral("t"), double(unsent.timeNs) / 1e9},
                       {QStringLiteral("dir"), QStringLiteral("out")},
                       {QStringLiteral("opcode"), Opcodes::name(unsent.opcode)},
                       {QStringLiteral("length"), double(unsent.length)}};
    // Its first bytes, as frame events carry payloads: UTF-8 text, else base64.
    if (Utf8Validator::isValid(unsent.preview) && unsent.opcode != Opcodes::value(Opcode::Binary)) {
        object.insert(QStringLiteral("payload"), QString::fromUtf8(unsent.preview));
    } else {
        object.insert(QStringLiteral("payload"), QString::fromLatin1(unsent.preview.toBase64()));
        object.insert(QStringLiteral("payload_encoding"), QStringLiteral("base64"));
    }
    if (unsent.preview.size() < unsent.length)
        object.insert(QStringLiteral("truncated"), true);
    addRule(object, ruleOfUnsent(unsent));
    writeEvent(QStringLiteral("unsent"), shifted(std::move(object)));
}

void JsonTranscript::message(const FrameLog &log, qsizetype index)
{
    QJsonObject object = CaptureJson::message(log, index);
    addRule(object, ruleOfFrame(qsizetype(log.message(index).lastFrame)));
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
