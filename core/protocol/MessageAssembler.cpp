// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/MessageAssembler.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/Opcode.h"

#include <QtEndian>

#include <limits>

namespace wsi {
namespace {

// Far beyond any sensible limit, but keeps a huge configured limit from overflowing qsizetype arithmetic.
constexpr qsizetype maxByteArraySize = std::numeric_limits<qsizetype>::max() / 4;

} // namespace

MessageAssembler::MessageAssembler(Endpoint sender, const ProtocolLimits &limits)
    : m_sender(sender)
    , m_limits(limits)
{}

MessageAssembler::~MessageAssembler() = default;

void MessageAssembler::enableDeflate(int senderWindowBits, bool senderNoContextTakeover)
{
    m_inflater = std::make_unique<MessageInflater>(senderWindowBits, senderNoContextTakeover);
}

void MessageAssembler::push(const FrameEvent &frame, Output &out)
{
    out.violations.clear();
    out.message.reset();
    out.close.reset();
    out.messageDropped = false;

    const quint8 opcode = frame.header.opcode;
    if (!Opcodes::isDefined(opcode))
        return; // the parser reported it; its meaning is unknown, so it takes no part in messages

    if (Opcodes::isControl(opcode)) {
        // Control frames may arrive between the fragments of a message (§5.4) and do not disturb it.
        if (opcode == Opcodes::value(Opcode::Close))
            handleClose(frame, out);
        return;
    }

    if (m_closeReceived) {
        out.violations.append(
            {ViolationRule::DataAfterClose,
             QStringLiteral("a %1 frame arrived after the %2's Close frame; no data may follow a "
                            "Close")
                 .arg(Opcodes::name(opcode),
                      m_sender == Endpoint::Server ? QStringLiteral("server") : QStringLiteral("client"))});
    }

    if (opcode == Opcodes::value(Opcode::Continuation)) {
        if (!m_inMessage) {
            out.violations.append({ViolationRule::ContinuationWithoutStart,
                                   QStringLiteral("continuation frame at byte %1 of the stream, but no fragmented "
                                                  "message was started")
                                       .arg(frame.streamOffset)});
            return;
        }
        ++m_current.frameCount;
        m_current.wireLength += frame.header.payloadLength;
        appendPayload(frame, out);
    } else {
        if (m_inMessage) {
            out.violations.append(
                {ViolationRule::DataFrameInsideFragmentedMessage,
                 QStringLiteral("new %1 frame while a fragmented %2 message (%3 frames so far) was unfinished; the "
                                "unfinished message is dropped")
                     .arg(Opcodes::name(opcode),
                          m_current.type == MessageType::Text ? QStringLiteral("text") : QStringLiteral("binary"))
                     .arg(m_current.frameCount)});
            if (m_current.compressed && m_inflater)
                m_inflater->abortMessage();
            out.messageDropped = true;
            resetMessage();
        }
        startMessage(frame, out);
    }
    if (frame.header.fin)
        finishMessage(out);
}

void MessageAssembler::startMessage(const FrameEvent &frame, Output &out)
{
    m_inMessage = true;
    m_current.type = frame.header.opcode == Opcodes::value(Opcode::Text) ? MessageType::Text : MessageType::Binary;
    m_current.compressed = frame.header.rsv1 && m_inflater != nullptr;
    m_current.frameCount = 1;
    m_current.wireLength = frame.header.payloadLength;
    appendPayload(frame, out);
}

void MessageAssembler::appendPayload(const FrameEvent &frame, Output &out)
{
    if (m_failed)
        return;
    if (frame.payloadDiscarded) {
        dropMessage(out, ViolationRule::MessageTooLarge,
                    QStringLiteral("a frame of this message declared %1 bytes, beyond the frame limit; the message "
                                   "is dropped")
                        .arg(frame.header.payloadLength));
        return;
    }
    if (m_current.compressed) {
        const qsizetype before = m_current.payload.size();
        const auto maxMessage = qsizetype(std::min<quint64>(m_limits.maxMessageSize, quint64(maxByteArraySize)));
        QString error;
        const auto status = m_inflater->inflate(frame.payload, m_current.payload, maxMessage, &error);
        if (status == MessageInflater::Status::BadData) {
            dropMessage(out, ViolationRule::BadCompressedData, error);
            return;
        }
        if (status == MessageInflater::Status::TooLarge) {
            dropMessage(out, ViolationRule::InflatedMessageTooLarge, error);
            return;
        }
        m_length = quint64(m_current.payload.size());
        checkNewText(QByteArrayView(m_current.payload).sliced(before), out);
        return;
    }
    const quint64 length = m_length + quint64(frame.payload.size());
    if (length > m_limits.maxMessageSize) {
        dropMessage(out, ViolationRule::MessageTooLarge,
                    QStringLiteral("the message reached %1 bytes, beyond the message limit of %2 bytes; it is dropped")
                        .arg(length)
                        .arg(m_limits.maxMessageSize));
        return;
    }
    m_length = length;
    const bool onlyFrame = m_current.frameCount == 1 && frame.header.fin;
    if (onlyFrame && !m_copySingleFramePayloads)
        m_current.payloadInFrame = true;
    else
        m_current.payload.append(frame.payload);
    checkNewText(frame.payload, out);
}

void MessageAssembler::checkNewText(QByteArrayView bytes, Output &out)
{
    if (m_current.type != MessageType::Text || m_utf8Reported)
        return;
    const qint64 before = qint64(m_length) - qint64(bytes.size());
    if (m_utf8.feed(bytes) != Utf8Validator::Result::Invalid)
        return;
    m_utf8Reported = true;
    const qint64 at = m_utf8.invalidOffset();
    out.violations.append({ViolationRule::InvalidUtf8,
                           QStringLiteral("byte 0x%1 at offset %2 of the %3text message cannot appear there in UTF-8")
                               .arg(quint8(bytes.at(qsizetype(at - before))), 2, 16, QLatin1Char('0'))
                               .arg(at)
                               .arg(m_current.compressed ? QStringLiteral("inflated ") : QString())});
}

void MessageAssembler::finishMessage(Output &out)
{
    if (!m_failed && m_current.compressed) {
        const qsizetype before = m_current.payload.size();
        const auto maxMessage = qsizetype(std::min<quint64>(m_limits.maxMessageSize, quint64(maxByteArraySize)));
        QString error;
        const auto status = m_inflater->finishMessage(m_current.payload, maxMessage, &error);
        if (status == MessageInflater::Status::BadData)
            dropMessage(out, ViolationRule::BadCompressedData, error);
        else if (status == MessageInflater::Status::TooLarge)
            dropMessage(out, ViolationRule::InflatedMessageTooLarge, error);
        else {
            m_length = quint64(m_current.payload.size());
            checkNewText(QByteArrayView(m_current.payload).sliced(before), out);
        }
    }
    if (m_failed) {
        out.messageDropped = true;
        resetMessage();
        return;
    }
    if (m_current.type == MessageType::Text && !m_utf8Reported &&
        m_utf8.result() == Utf8Validator::Result::Incomplete) {
        out.violations.append(
            {ViolationRule::InvalidUtf8,
             QStringLiteral("the text message ends in the middle of a UTF-8 sequence (%1 bytes)").arg(m_length)});
    }
    out.message = std::move(m_current);
    resetMessage();
}

void MessageAssembler::dropMessage(Output &out, ViolationRule rule, QString detail)
{
    out.violations.append({rule, std::move(detail)});
    m_failed = true;
    m_current.payload = QByteArray(); // release the memory now, not at the message's end
    if (m_current.compressed && m_inflater)
        m_inflater->abortMessage();
}

void MessageAssembler::resetMessage()
{
    m_inMessage = false;
    m_failed = false;
    m_utf8Reported = false;
    m_utf8.reset();
    m_length = 0;
    m_current = AssembledMessage{};
}

void MessageAssembler::handleClose(const FrameEvent &frame, Output &out)
{
    m_closeReceived = true;
    ClosePayload close = ClosePayload::decode(frame.payload);
    out.violations += close.violations;
    out.close = std::move(close);
}

} // namespace wsi
