// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/CaptureJson.h"

#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"
#include "core/protocol/Utf8Validator.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>

namespace wsi::CaptureJson {
namespace {

// A continuation frame of a message that is not complete yet has no message record; this many earlier frames are
// searched for the frame that started it. Bounded so that a message of a million fragments stays linear.
constexpr qsizetype maxBackwardScan = 1024;

double seconds(qint64 ns)
{
    return double(ns) / 1e9;
}

QJsonValue milliseconds(qint64 ns)
{
    return ns < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(ns) / 1e6);
}

QString directionName(Direction direction)
{
    return direction == Direction::Outgoing ? QStringLiteral("out") : QStringLiteral("in");
}

// Header fields are bytes; obs-text in them is Latin-1 by tradition (RFC 9110 §5.5), UTF-8 in practice.
QString headerText(const QByteArray &bytes)
{
    return Utf8Validator::isValid(bytes) ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
}

// Writes "payload" (and "payload_encoding", "truncated"): at most `limit` bytes of the stored ones, cut at a
// character boundary when the payload is text, so a long text message does not turn into base64 because its cut
// fell inside a character.
void putPayload(QJsonObject &object, QByteArrayView stored, quint64 fullLength, bool binary, qsizetype limit)
{
    qsizetype cut = limit < 0 ? stored.size() : std::min(stored.size(), limit);
    if (!binary && cut < stored.size()) {
        qsizetype boundary = cut;
        for (int i = 0; i < 3 && boundary > 0 && (quint8(stored[boundary]) & 0xC0) == 0x80; ++i)
            --boundary;
        if (Utf8Validator::isValid(stored.first(boundary)))
            cut = boundary;
    }
    putBytes(object, QStringLiteral("payload"), stored.first(cut), binary);
    if (quint64(cut) < fullLength)
        object.insert(QStringLiteral("truncated"), true);
}

// Whether a continuation frame belongs to a binary or compressed message (whose frames are not text).
bool continuationIsBinary(const FrameLog &log, qsizetype index)
{
    const FrameRecord &record = log.frame(index);
    if (const qsizetype message = log.messageContaining(index); message >= 0)
        return log.message(message).type == MessageType::Binary || log.message(message).compressed;
    // Its message is not complete (or was dropped): the data frame that started it says.
    for (qsizetype i = index - 1; i >= 0 && i >= index - maxBackwardScan; --i) {
        const FrameRecord &earlier = log.frame(i);
        if (earlier.direction() != record.direction() || !Opcodes::isData(earlier.opcode))
            continue;
        return earlier.opcode == Opcodes::value(Opcode::Binary) || earlier.has(FrameRecord::Compressed);
    }
    return false;
}

} // namespace

QJsonArray violations(const ViolationList &violations)
{
    QJsonArray array;
    for (const Violation &violation : violations) {
        array.append(QJsonObject{
            {QStringLiteral("rule"), Violations::id(violation.rule)},
            {QStringLiteral("rfc"), Violations::rfcSection(violation.rule)},
            {QStringLiteral("detail"), violation.detail},
        });
    }
    return array;
}

QJsonArray headers(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const HttpHeader &header : headers)
        array.append(QJsonArray{headerText(header.name), headerText(header.value)});
    return array;
}

void putBytes(QJsonObject &object, const QString &field, QByteArrayView bytes, bool forceBase64)
{
    if (!forceBase64 && Utf8Validator::isValid(bytes)) {
        object.insert(field, QString::fromUtf8(bytes));
        return;
    }
    object.insert(field, QString::fromLatin1(bytes.toByteArray().toBase64()));
    object.insert(field + QLatin1StringView("_encoding"), QStringLiteral("base64"));
}

QJsonObject frame(const FrameRecord &record, QByteArrayView storedPayload, const ViolationList &frameViolations,
                  bool binaryPayload, qsizetype payloadLimit)
{
    QJsonObject object{
        {QStringLiteral("t"), seconds(record.timeNs)},
        {QStringLiteral("dir"), directionName(record.direction())},
        {QStringLiteral("fin"), record.has(FrameRecord::Fin)},
        {QStringLiteral("rsv1"), record.has(FrameRecord::Rsv1)},
        {QStringLiteral("rsv2"), record.has(FrameRecord::Rsv2)},
        {QStringLiteral("rsv3"), record.has(FrameRecord::Rsv3)},
        {QStringLiteral("masked"), record.has(FrameRecord::Masked)},
        {QStringLiteral("length"), double(record.payloadLength)},
        {QStringLiteral("violations"), violations(frameViolations)},
    };
    // Reserved opcodes have no name a reader could rely on; the number is what was on the wire.
    object.insert(QStringLiteral("opcode"), Opcodes::isDefined(record.opcode) ? QJsonValue(Opcodes::name(record.opcode))
                                                                              : QJsonValue(int(record.opcode)));
    if (record.has(FrameRecord::Compressed))
        object.insert(QStringLiteral("compressed"), true);
    if (record.has(FrameRecord::Deliberate))
        object.insert(QStringLiteral("deliberate"), true);
    if (record.has(FrameRecord::Injected))
        object.insert(QStringLiteral("injected"), true);
    putPayload(object, storedPayload, record.payloadLength, binaryPayload, payloadLimit);
    // A Close payload is a binary code and a UTF-8 reason: spelled out, so readers need not decode base64.
    if (record.opcode == Opcodes::value(Opcode::Close)) {
        if (const ClosePayload close = ClosePayload::decode(storedPayload); close.code) {
            object.insert(QStringLiteral("close_code"), *close.code);
            putBytes(object, QStringLiteral("close_reason"), close.reasonBytes);
        }
    }
    return object;
}

QJsonObject frame(const FrameLog &log, qsizetype index, qsizetype payloadLimit)
{
    return frame(log, index, log.framePayload(index), payloadLimit);
}

QJsonObject frame(const FrameLog &log, qsizetype index, QByteArrayView payload, qsizetype payloadLimit)
{
    const FrameRecord &record = log.frame(index);
    bool binary = record.opcode == Opcodes::value(Opcode::Binary) || record.has(FrameRecord::Compressed);
    if (record.opcode == Opcodes::value(Opcode::Continuation))
        binary = continuationIsBinary(log, index);
    return frame(record, payload, log.frameViolations(index), binary, payloadLimit);
}

QJsonObject message(const MessageRecord &record, QByteArrayView storedPayload, qsizetype payloadLimit)
{
    QJsonObject object{
        {QStringLiteral("t"), seconds(record.timeNs)},
        {QStringLiteral("dir"), directionName(record.direction)},
        {QStringLiteral("type"),
         record.type == MessageType::Binary ? QStringLiteral("binary") : QStringLiteral("text")},
        {QStringLiteral("length"), double(record.length)},
        {QStringLiteral("wire_length"), double(record.wireLength)},
        {QStringLiteral("frames"), double(record.frameCount)},
        {QStringLiteral("compressed"), record.compressed},
    };
    putPayload(object, storedPayload, record.length, record.type == MessageType::Binary, payloadLimit);
    return object;
}

QJsonObject message(const FrameLog &log, qsizetype index, qsizetype payloadLimit)
{
    const MessageRecord &record = log.message(index);
    QJsonObject object = message(record, log.messagePayload(index), payloadLimit);
    // A message the relay wrote itself (a rule's replacement or copy) is made of frames it wrote.
    if (qsizetype(record.firstFrame) < log.frameCount() &&
        log.frame(qsizetype(record.firstFrame)).has(FrameRecord::Injected))
        object.insert(QStringLiteral("injected"), true);
    return object;
}

void putRule(QJsonObject &object, const std::optional<FrameRuleMarks::RuleName> &rule)
{
    if (rule)
        object.insert(QStringLiteral("rule"),
                      QJsonObject{{QStringLiteral("name"), rule->name}, {QStringLiteral("action"), rule->action}});
}

QJsonObject handshake(const HandshakeRecord &record)
{
    QJsonObject request{{QStringLiteral("headers"), headers(record.requestHeaders)}};
    putBytes(request, QStringLiteral("raw"), record.requestBytes);

    QJsonValue response(QJsonValue::Null);
    if (record.responseReceived) {
        const HandshakeResponse &r = record.response;
        QJsonObject object{
            {QStringLiteral("status"), r.statusCode},
            {QStringLiteral("reason"), headerText(r.reasonPhrase)},
            {QStringLiteral("headers"), headers(r.headers)},
        };
        putBytes(object, QStringLiteral("raw"), r.raw);
        if (!r.isSwitchingProtocols()) {
            putBytes(object, QStringLiteral("body"), r.body);
            if (r.bodyTruncated)
                object.insert(QStringLiteral("body_truncated"), true);
        }
        response = object;
    }

    QJsonArray extensions;
    for (const QByteArray &extension : record.extensions)
        extensions.append(headerText(extension));

    QJsonObject object{
        {QStringLiteral("accepted"), record.accepted},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), response},
        {QStringLiteral("subprotocol"),
         record.subprotocol.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(record.subprotocol)},
        {QStringLiteral("extensions"), extensions},
        {QStringLiteral("timing_ms"),
         QJsonObject{
             {QStringLiteral("dns"), milliseconds(record.timings.dnsNs)},
             {QStringLiteral("connect"), milliseconds(record.timings.connectNs)},
             {QStringLiteral("tls"), milliseconds(record.timings.tlsNs)},
             {QStringLiteral("upgrade"), milliseconds(record.timings.upgradeNs)},
         }},
        {QStringLiteral("violations"), violations(record.violations)},
    };
    if (!record.explanation.isEmpty())
        object.insert(QStringLiteral("explanation"), record.explanation);
    if (!record.peerAddress.isEmpty())
        object.insert(QStringLiteral("peer"), record.peerAddress);
    // As proxy --json's upgrade event says it.
    if (record.relayDeclinedDeflate)
        object.insert(QStringLiteral("deflate_declined"), true);
    if (!record.tlsProtocol.isEmpty() || !record.tlsErrors.isEmpty()) {
        object.insert(QStringLiteral("tls"),
                      QJsonObject{
                          {QStringLiteral("protocol"), record.tlsProtocol},
                          {QStringLiteral("cipher"), record.tlsCipher},
                          {QStringLiteral("errors"), QJsonArray::fromStringList(record.tlsErrors)},
                      });
    }
    return object;
}

QJsonObject close(const CloseRecord &record)
{
    QJsonObject object{
        {QStringLiteral("t"), seconds(record.atNs)},
        {QStringLiteral("initiator"), CloseRecord::initiatorName(record.initiator)},
        {QStringLiteral("code"), int(record.code)},
        {QStringLiteral("reason"), record.reason},
        {QStringLiteral("clean"), record.clean},
        {QStringLiteral("close_sent"), record.closeSent},
        {QStringLiteral("close_received"), record.closeReceived},
        {QStringLiteral("idle_in_s"), seconds(record.idleInNs)},
        {QStringLiteral("idle_out_s"), seconds(record.idleOutNs)},
    };
    if (!record.error.isEmpty())
        object.insert(QStringLiteral("error"), record.error);
    if (record.ownEnd)
        object.insert(QStringLiteral("ended_by"),
                      QJsonObject{
                          {QStringLiteral("reason"), OwnEnd::reasonName(record.ownEnd->reason)},
                          {QStringLiteral("detail"), record.ownEnd->detail},
                          {QStringLiteral("text"), record.ownEnd->describe()},
                      });
    return object;
}

QJsonObject heartbeat(const HeartbeatEvent &event)
{
    QJsonObject object{
        {QStringLiteral("t"), seconds(event.timeNs)},
        {QStringLiteral("what"), HeartbeatEvent::kindName(event.kind)},
        {QStringLiteral("rtt_ms"), event.rttNs >= 0 ? QJsonValue(double(event.rttNs) / 1e6) : QJsonValue()},
        {QStringLiteral("missed"), event.missed},
        {QStringLiteral("state"), HeartbeatEvent::healthName(event.health)},
        {QStringLiteral("seq"), qint64(event.sequence)},
    };
    if (event.healthChanged)
        object.insert(QStringLiteral("state_changed"), true);
    if (event.source == HeartbeatEvent::Source::Protocol)
        object.insert(QStringLiteral("source"), QStringLiteral("protocol"));
    if (event.intervalNs >= 0)
        object.insert(QStringLiteral("interval_ms"), double(event.intervalNs) / 1e6);
    return object;
}

QByteArray eventLine(const QString &event, QJsonObject object)
{
    object.insert(QStringLiteral("event"), event);
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace wsi::CaptureJson
