// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ConnectionDecoder.h"

#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/records/FrameLog.h"

namespace wsi {

Recognition ConnectionDecoder::forcedRecognition(AppProtocol protocol, const ConnectionFacts &facts)
{
    Recognition recognition{protocol, 100, QStringLiteral("the user said so"), 4};
    // Socket.IO's Engine.IO version is still the URL's to tell.
    if (protocol == AppProtocol::SocketIo) {
        if (const std::optional<Recognition> seen = AppProtocolRegistry::recognize(facts);
            seen && seen->protocol == AppProtocol::SocketIo)
            recognition.engineIoVersion = seen->engineIoVersion;
    }
    return recognition;
}

ConnectionDecoder::ConnectionDecoder(ConnectionFacts facts, std::optional<AppProtocol> forced)
    : m_facts(std::move(facts))
{
    if (forced) {
        startDecoding(forcedRecognition(*forced, m_facts));
        return;
    }
    if (std::optional<Recognition> fromHandshake = AppProtocolRegistry::recognize(m_facts);
        fromHandshake && fromHandshake->confidence >= handshakeConfidence)
        startDecoding(std::move(*fromHandshake));
}

ConnectionDecoder::~ConnectionDecoder() = default;
ConnectionDecoder::ConnectionDecoder(ConnectionDecoder &&) noexcept = default;
ConnectionDecoder &ConnectionDecoder::operator=(ConnectionDecoder &&) noexcept = default;

void ConnectionDecoder::startDecoding(Recognition recognition)
{
    m_decoder = AppProtocolRegistry::createDecoder(recognition);
    m_recognition = std::move(recognition);
}

DecodedMessages ConnectionDecoder::decode(const AppMessage &message)
{
    if (m_decoder)
        return m_decoder->decode(message);
    if (m_gaveUp)
        return {};
    m_firstMessages.append(message);
    if (std::optional<Recognition> seen = AppProtocolRegistry::recognize(m_facts, m_firstMessages)) {
        startDecoding(std::move(*seen));
        const QList<AppMessage> earlier = std::exchange(m_firstMessages, {});
        for (qsizetype i = 0; i + 1 < earlier.size(); ++i)
            (void)m_decoder->decode(earlier.at(i));
        return m_decoder->decode(earlier.constLast());
    }
    if (m_firstMessages.size() >= recognitionWindow) {
        m_gaveUp = true;
        m_firstMessages.clear();
    }
    return {};
}

AppMessage ConnectionDecoder::messageOf(const FrameLog &log, qsizetype index)
{
    const MessageRecord &record = log.message(index);
    const Endpoint sender = record.direction == Direction::Outgoing ? Endpoint::Client : Endpoint::Server;
    const QByteArrayView payload = log.messagePayload(index);
    return AppMessage{sender, record.type == MessageType::Binary, payload.toByteArray()};
}

QList<DecodedMessages> ConnectionDecoder::decodeLog(const ConnectionFacts &facts, const FrameLog &log,
                                                    std::optional<AppProtocol> forced)
{
    const qsizetype count = log.messageCount();
    QList<DecodedMessages> decoded(count);
    std::optional<Recognition> recognition;
    if (forced) {
        recognition = forcedRecognition(*forced, facts);
    } else {
        // The whole window at once: a later first message can still tip it, and every message then decodes.
        QList<AppMessage> first;
        for (qsizetype i = 0; i < std::min(count, recognitionWindow); ++i)
            first.append(messageOf(log, i));
        recognition = AppProtocolRegistry::recognize(facts, first);
    }
    if (!recognition)
        return decoded;
    const std::unique_ptr<MessageDecoder> decoder = AppProtocolRegistry::createDecoder(*recognition);
    for (qsizetype i = 0; i < count; ++i)
        decoded[i] = decoder->decode(messageOf(log, i));
    return decoded;
}

} // namespace wsi
