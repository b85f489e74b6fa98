// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/JsonLinesWriter.h"

#include "core/exchange/CaptureEventOrder.h"
#include "core/exchange/CaptureJson.h"
#include "core/exchange/MessageDecoding.h"
#include "core/exchange/WholePayloads.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/protocol/Opcode.h"

#include <QIODevice>
#include <QJsonValue>

namespace wsi {
namespace {

// The handshake record has no time of its own; its phases run back to back from the session's time 0.
double handshakeSeconds(const HandshakeRecord &handshake)
{
    qint64 ns = 0;
    for (const qint64 phase :
         {handshake.timings.dnsNs, handshake.timings.connectNs, handshake.timings.tlsNs, handshake.timings.upgradeNs})
        ns += phase > 0 ? phase : 0;
    return double(ns) / 1e9;
}

// A frame or message event built from its redacted payload (SecretRedaction::protocolPayload): its length is the
// one on the wire again, and it says that its payload is not what crossed.
QJsonObject redactedEvent(QJsonObject event, quint64 length)
{
    event.insert(QStringLiteral("length"), double(length));
    event.insert(QStringLiteral("redacted"), true);
    return event;
}

} // namespace

JsonLinesWriter::JsonLinesWriter(QIODevice *out, qsizetype payloadLimit)
    : m_out(out)
    , m_payloadLimit(payloadLimit)
{}

bool JsonLinesWriter::put(const QString &event, QJsonObject object, int sessionNumber)
{
    object.insert(QStringLiteral("session"), sessionNumber);
    const QByteArray line = CaptureJson::eventLine(event, std::move(object));
    if (m_out->write(line) == line.size())
        return true;
    m_error = m_out->errorString();
    return false;
}

bool JsonLinesWriter::write(const QList<SessionRecords> &sessions)
{
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        if (!write(sessions.at(i), int(i + 1)))
            return false;
    }
    return true;
}

bool JsonLinesWriter::write(const SessionRecords &session, int sessionNumber)
{
    const SecretRedaction redaction = m_redaction.forSession(session);
    QJsonObject handshake = CaptureJson::handshake(redaction.handshake(session.handshake));
    handshake.insert(QStringLiteral("t"), handshakeSeconds(session.handshake));
    handshake.insert(QStringLiteral("url"), redaction.url(session.url).toString());
    handshake.insert(QStringLiteral("started"), session.startedAt.isValid()
                                                    ? QJsonValue(session.startedAt.toUTC().toString(Qt::ISODateWithMs))
                                                    : QJsonValue());
    if (!put(QStringLiteral("handshake"), handshake, sessionNumber))
        return false;

    const FrameLog &log = *session.log;
    WholePayloads payloads(log, session.recordingPath);
    // With a limit, the log's part is enough when it reaches the limit: no need to read a 100 MiB payload back
    // to write its first 4 KiB.
    const auto enough = [this](QByteArrayView kept) { return m_payloadLimit >= 0 && kept.size() >= m_payloadLimit; };
    // As connect --json decodes the messages; from their whole payloads, which a limit would otherwise spare.
    MessageDecoding decoding(session.handshake, AppProtocols::fromName(session.protocol), m_binarySchema);
    // The relay rule that acted on a frame (a message: its last frame), as proxy --json marks it.
    const auto withRule = [&session](QJsonObject event, qsizetype frame) {
        if (session.ruleMarks)
            CaptureJson::putRule(event, session.ruleMarks->ruleOf(frame));
        return event;
    };
    const auto frameEvent = [&](qsizetype index) {
        const FrameRecord &record = log.frame(index);
        const QByteArrayView kept = log.framePayload(index);
        // A frame that is a whole message by itself shows what its message shows: a client's credentials replaced.
        const bool wholeMessage =
            record.has(FrameRecord::Fin) && !record.has(FrameRecord::Compressed) &&
            (record.opcode == Opcodes::value(Opcode::Text) || record.opcode == Opcodes::value(Opcode::Binary));
        const bool fromClient = record.direction() == Direction::Outgoing;
        const bool mayRedact = wholeMessage && fromClient && redaction.redacts();
        const QByteArrayView payload = enough(kept) && !mayRedact ? kept : payloads.frame(index);
        const std::optional<QByteArray> redacted =
            mayRedact ? redaction.protocolPayload(payload, record.opcode == Opcodes::value(Opcode::Binary), fromClient,
                                                  decoding.protocol())
                      : std::nullopt;
        if (!redacted)
            return CaptureJson::frame(log, index, payload, m_payloadLimit);
        FrameRecord shown = record;
        shown.payloadLength = quint64(redacted->size());
        return redactedEvent(CaptureJson::frame(shown, *redacted, log.frameViolations(index),
                                                record.opcode == Opcodes::value(Opcode::Binary), m_payloadLimit),
                             record.payloadLength);
    };
    const auto messageEvent = [&](qsizetype index) {
        const MessageRecord &record = log.message(index);
        const QByteArrayView kept = log.messagePayload(index);
        const QByteArrayView payload = enough(kept) && !decoding.active() ? kept : payloads.message(index);
        MessageDecoding::Exported exported = decoding.decodeForExport(record, payload, redaction);
        QJsonObject object;
        if (exported.redactedPayload) {
            MessageRecord shown = record;
            shown.length = quint64(exported.redactedPayload->size());
            object =
                redactedEvent(CaptureJson::message(shown, *exported.redactedPayload, m_payloadLimit), record.length);
        } else {
            object = CaptureJson::message(record, payload, m_payloadLimit);
        }
        if (!exported.decoded.isEmpty())
            object.insert(MessageDecoding::field, exported.decoded);
        return object;
    };

    // The order connect --json prints them in (CaptureEventOrder).
    const CaptureEventOrder::Visitor visit{
        [&](qsizetype frame) {
            return put(QStringLiteral("frame"), withRule(frameEvent(frame), frame), sessionNumber);
        },
        [&](qsizetype message) {
            return put(QStringLiteral("message"),
                       withRule(messageEvent(message), qsizetype(log.message(message).lastFrame)), sessionNumber);
        },
        [&](const HeartbeatEvent &event) {
            QJsonObject object = CaptureJson::heartbeat(event);
            // As connect --json names it (JsonTranscript).
            if (event.source == HeartbeatEvent::Source::Protocol)
                object.insert(QStringLiteral("protocol"), session.heartbeat->protocolHeartbeat().protocol);
            return put(QStringLiteral("heartbeat"), object, sessionNumber);
        },
    };
    CaptureEventOrder order;
    const bool written = order.advance(log, session.heartbeat.get(), visit) && order.finish(log, visit);

    m_unreadPayloadCount += payloads.unreadCount();
    if (m_unreadPayloadError.isEmpty())
        m_unreadPayloadError = payloads.firstError();
    if (!written)
        return false;

    if (session.close) {
        if (!put(QStringLiteral("close"), CaptureJson::close(*session.close), sessionNumber))
            return false;
        // As connect --json: an abnormal end of an open connection gets what most likely ended it.
        if (!session.close->clean && session.handshake.accepted) {
            QJsonObject diagnosis = DisconnectDiagnoser::diagnose(SessionEvidence::fromRecords(session)).toJson();
            diagnosis.insert(QStringLiteral("t"), double(session.close->atNs) / 1e9);
            if (!put(QStringLiteral("diagnosis"), diagnosis, sessionNumber))
                return false;
        }
    }
    return true;
}

} // namespace wsi
