// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/DecodedMessageIndex.h"

#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/DecodedHeadline.h"
#include "core/records/FrameLog.h"

#include <algorithm>

namespace wsi {

DecodedMessageIndex::DecodedMessageIndex(ConnectionFacts facts, std::optional<AppProtocol> forced)
    : m_recogniser(std::move(facts), forced)
{
    m_strings.append(QString()); // id 0: none
}

DecodedMessageIndex::~DecodedMessageIndex() = default;

qsizetype DecodedMessageIndex::summarisedFrames(const FrameLog &log) const
{
    const qsizetype count = m_summaries.size();
    return count == 0 ? 0 : qsizetype(log.message(count - 1).lastFrame) + 1;
}

QStringList DecodedMessageIndex::kinds() const
{
    QStringList kinds;
    for (qsizetype i = 0, count = m_kinds.size(); i < count; ++i)
        kinds.append(m_strings.at(m_kinds.at(i)));
    return kinds;
}

void DecodedMessageIndex::advance(const FrameLog &log, qsizetype upTo)
{
    upTo = std::min(upTo, log.messageCount());
    if (!m_decoder && m_recogniser.recognition())
        startDecoding(*m_recogniser.recognition(), log); // the handshake was enough
    for (qsizetype i = m_next.load(std::memory_order_relaxed); i < upTo; ++i) {
        if (m_decoder) {
            if (i % checkpointEvery == 0)
                m_checkpoints.append(m_decoder->clone());
            summarise(log, i, m_decoder->decode(ConnectionDecoder::messageOf(log, i)));
            m_next.store(i + 1, std::memory_order_release);
            continue;
        }
        if (!m_recogniser.gaveUp())
            (void)m_recogniser.decode(ConnectionDecoder::messageOf(log, i));
        m_next.store(i + 1, std::memory_order_release);
        if (m_recogniser.recognition()) {
            startDecoding(*m_recogniser.recognition(), log);
        } else if (m_recogniser.gaveUp()) {
            // No protocol we know: the messages held for recognition, and every later one, stay as they are.
            for (qsizetype held = m_summaries.size(); held <= i; ++held)
                summarise(log, held, {});
        }
    }
}

void DecodedMessageIndex::startDecoding(const Recognition &recognition, const FrameLog &log)
{
    m_recognition = recognition;
    m_recognised.store(true, std::memory_order_release);
    m_decoder = AppProtocolRegistry::createDecoder(recognition);
    // The messages held while the protocol was not known are decoded from the first, as the decoder's state
    // (a STOMP version, the SignalR handshake) must be.
    for (qsizetype i = m_summaries.size(), end = m_next.load(std::memory_order_relaxed); i < end; ++i) {
        if (i % checkpointEvery == 0)
            m_checkpoints.append(m_decoder->clone());
        summarise(log, i, m_decoder->decode(ConnectionDecoder::messageOf(log, i)));
    }
}

quint32 DecodedMessageIndex::intern(const QString &text)
{
    if (text.isEmpty())
        return 0;
    if (const auto it = m_ids.constFind(text); it != m_ids.constEnd())
        return it.value();
    if (m_strings.size() >= maxStrings)
        return 0;
    const auto id = quint32(m_strings.append(text));
    m_ids.insert(text, id);
    return id;
}

quint16 DecodedMessageIndex::kindOf(const QString &kind)
{
    const quint32 id = intern(kind);
    for (qsizetype i = 0, count = m_kinds.size(); i < count; ++i) {
        if (m_kinds.at(i) == id)
            return quint16(i + 1);
    }
    if (id == 0 || m_kinds.size() >= maxKinds)
        return 0;
    return quint16(m_kinds.append(id) + 1);
}

qint32 DecodedMessageIndex::pair(const FrameLog &log, qsizetype message, const Correlation &correlation)
{
    const bool outgoing = log.message(message).direction == Direction::Outgoing;
    if (correlation.isRequest()) {
        QString key = (outgoing ? QStringLiteral("out ") : QStringLiteral("in ")) + correlation.key;
        m_waiting.insert(key, qint32(message));
        m_waitingOrder.emplace_back(std::move(key), qint32(message));
        if (qsizetype(m_waitingOrder.size()) > maxWaitingRequests) {
            const auto &[oldKey, oldMessage] = m_waitingOrder.front();
            if (const auto it = m_waiting.find(oldKey); it != m_waiting.end() && it.value() == oldMessage)
                m_waiting.erase(it);
            m_waitingOrder.pop_front();
        }
        return -1;
    }
    // A reply travels the other way from its request; later replies with the same key (a subscription's next
    // results, MQTT's PUBREC then PUBCOMP) answer the same request until another takes the key.
    const QString key = (outgoing ? QStringLiteral("in ") : QStringLiteral("out ")) + correlation.key;
    return m_waiting.value(key, -1);
}

void DecodedMessageIndex::summarise(const FrameLog &log, qsizetype message, const DecodedMessages &decoded)
{
    Summary summary;
    if (!decoded.isEmpty()) {
        const DecodedMessage &first = decoded.constFirst();
        DecodedHeadline headline = DecodedHeadline::of(first);
        if (decoded.size() > 1)
            headline.text += QStringLiteral(" +%1 more").arg(decoded.size() - 1);
        summary.flags |= Summary::Decoded;
        summary.headline = intern(headline.text);
        if (summary.headline == 0) // past maxStrings: the protocol and kind still say what it is
            summary.headline = intern(DecodedHeadline::protocolTitle(first.protocol) + QLatin1Char(' ') + first.kind);
        summary.subject = intern(headline.subject);
        summary.kind = kindOf(first.kind);
        if (decoded.size() > 1) {
            summary.flags |= Summary::Several;
            for (qsizetype i = 1; i < decoded.size() && i <= maxPartsPerMessage; ++i) {
                const DecodedMessage &part = decoded.at(i);
                m_parts.append(Part{qint32(message), intern(DecodedHeadline::of(part).subject), kindOf(part.kind)});
            }
        }
        for (const DecodedMessage &one : decoded) {
            if (one.violation)
                summary.flags |= Summary::Violation;
            if (one.correlation.role == Correlation::Role::None ||
                (summary.flags & (Summary::Request | Summary::Reply)))
                continue;
            if (one.correlation.isRequest()) {
                summary.flags |= Summary::Request;
                pair(log, message, one.correlation);
            } else {
                summary.flags |= Summary::Reply;
                summary.request = pair(log, message, one.correlation);
            }
        }
    }
    m_summaries.append(summary);
}

QList<DecodedMessageIndex::Part> DecodedMessageIndex::parts(qsizetype message) const
{
    QList<Part> found;
    if (message < 0 || message >= m_summaries.size() || !summary(message).has(Summary::Several))
        return found;
    // Parts are appended in message order: the first of `message` by binary search over what is published.
    // (By hand: the fuzz build's clang cannot use libstdc++ 12's ranges over an iota_view of qsizetype.)
    qsizetype first = 0;
    for (qsizetype last = m_parts.size(); first < last;) {
        const qsizetype middle = first + (last - first) / 2;
        if (m_parts.at(middle).message < message)
            first = middle + 1;
        else
            last = middle;
    }
    for (qsizetype i = first, count = m_parts.size(); i < count && m_parts.at(i).message == message; ++i)
        found.append(m_parts.at(i));
    return found;
}

qsizetype DecodedMessageIndex::firstReplyTo(qsizetype message) const
{
    if (message < 0 || message >= m_summaries.size() || !summary(message).has(Summary::Request))
        return -1;
    for (qsizetype i = message + 1, count = m_summaries.size(); i < count; ++i) {
        if (m_summaries.at(i).request == message)
            return i;
    }
    return -1;
}

DecodedMessages DecodedMessageIndex::decodeFull(const FrameLog &log, qsizetype message,
                                                const std::optional<QByteArray> &payload) const
{
    if (!recognition() || message < 0 || message >= m_summaries.size())
        return {};
    const qsizetype checkpoint = message / checkpointEvery;
    if (checkpoint >= m_checkpoints.size())
        return {};
    const std::unique_ptr<MessageDecoder> decoder = m_checkpoints.at(checkpoint)->clone();
    for (qsizetype i = checkpoint * checkpointEvery; i < message; ++i)
        (void)decoder->decode(ConnectionDecoder::messageOf(log, i));
    AppMessage shown = ConnectionDecoder::messageOf(log, message);
    if (payload)
        shown.payload = *payload;
    return decoder->decode(shown);
}

} // namespace wsi
