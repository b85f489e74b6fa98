// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/MessageDecoding.h"

#include "core/appprotocol/ConnectionFacts.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/MessageRecord.h"

namespace wsi {

MessageDecoding::MessageDecoding(const HandshakeRecord &handshake, std::optional<AppProtocol> forced,
                                 std::optional<ProtobufSchemaView> binarySchema)
    : m_decoder(ConnectionFacts::fromHandshake(handshake), forced)
    , m_binarySchema(std::move(binarySchema))
{}

QJsonArray MessageDecoding::decode(const MessageRecord &record, QByteArrayView payload)
{
    if (!active() || quint64(payload.size()) < record.length)
        return {};
    if (m_binarySchema && record.type == MessageType::Binary)
        return QJsonArray{toJson(m_binarySchema->read(payload), m_binarySchema->messageType())};
    if (m_decoder.gaveUp())
        return {};
    const Endpoint sender = record.direction == Direction::Outgoing ? Endpoint::Client : Endpoint::Server;
    return toJson(m_decoder.decode(AppMessage{sender, record.type == MessageType::Binary, payload.toByteArray()}));
}

void MessageDecoding::addTo(QJsonObject &event, const MessageRecord &record, QByteArrayView payload)
{
    if (QJsonArray decoded = decode(record, payload); !decoded.isEmpty())
        event.insert(field, std::move(decoded));
}

void MessageDecoding::addTo(QJsonObject &event, const FrameLog &log, qsizetype index)
{
    addTo(event, log.message(index), log.messagePayload(index));
}

std::optional<AppProtocol> MessageDecoding::protocol() const
{
    const std::optional<Recognition> &recognition = m_decoder.recognition();
    return recognition ? std::optional(recognition->protocol) : std::nullopt;
}

MessageDecoding::Exported MessageDecoding::decodeForExport(const MessageRecord &record, QByteArrayView payload,
                                                           const SecretRedaction &redaction)
{
    const bool fromClient = record.direction == Direction::Outgoing;
    Exported exported{redaction.decoded(decode(record, payload), fromClient), std::nullopt};
    // After decode(): the message may be what made the protocol known.
    exported.redactedPayload =
        redaction.protocolPayload(payload, record.type == MessageType::Binary, fromClient, protocol());
    return exported;
}

QJsonArray MessageDecoding::toJson(const DecodedMessages &messages)
{
    QJsonArray array;
    for (const DecodedMessage &message : messages)
        array.append(message.toJson());
    return array;
}

QJsonObject MessageDecoding::toJson(const PayloadView &protobuf, const QString &messageType)
{
    QJsonObject json{{QStringLiteral("protocol"), QStringLiteral("protobuf")},
                     {QStringLiteral("kind"), messageType},
                     {QStringLiteral("message"), protobuf.value}};
    if (protobuf.violation)
        json.insert(QStringLiteral("violation"), protobuf.violation->toJson());
    return json;
}

} // namespace wsi
