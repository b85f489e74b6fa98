// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/JsonLinesWriter.h"

#include "core/exchange/CaptureEventOrder.h"
#include "core/exchange/CaptureJson.h"
#include "core/exchange/MessageDecoding.h"
#include "core/exchange/WholePayloads.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/SessionEvidence.h"

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
    const auto frameEvent = [&](qsizetype index) {
        const QByteArrayView kept = log.framePayload(index);
        return CaptureJson::frame(log, index, enough(kept) ? kept : payloads.frame(index), m_payloadLimit);
    };
    // As connect --json decodes the messages; from their whole payloads, which a limit would otherwise spare.
    MessageDecoding decoding(session.handshake, std::nullopt, m_binarySchema);
    const auto messageEvent = [&](qsizetype index) {
        const MessageRecord &record = log.message(index);
        const QByteArrayView kept = log.messagePayload(index);
        const QByteArrayView payload = enough(kept) && !decoding.active() ? kept : payloads.message(index);
        QJsonObject object = CaptureJson::message(record, payload, m_payloadLimit);
        decoding.addTo(object, record, payload);
        return object;
    };

    // The order connect --json prints them in (CaptureEventOrder).
    const CaptureEventOrder::Visitor visit{
        [&](qsizetype frame) { return put(QStringLiteral("frame"), frameEvent(frame), sessionNumber); },
        [&](qsizetype message) { return put(QStringLiteral("message"), messageEvent(message), sessionNumber); },
        [&](const HeartbeatEvent &event) {
            return put(QStringLiteral("heartbeat"), CaptureJson::heartbeat(event), sessionNumber);
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
