// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/FrameParser.h"

#include "core/protocol/Masking.h"
#include "core/protocol/Opcode.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace wsi {
namespace {

QString hexKey(const MaskingKey &key)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(key.data()), 4).toHex(' '));
}

// Payloads up to this size get their whole buffer at once when they arrive split; larger ones grow with the data
// received, so a peer that declares a big frame and then stalls costs nothing.
constexpr quint64 reserveUpFront = 1024 * 1024;

} // namespace

FrameParser::FrameParser(Endpoint sender, const ProtocolLimits &limits)
    : m_sender(sender)
    , m_limits(limits)
{}

quint8 FrameParser::headerLengthFor(quint8 secondByte) noexcept
{
    const quint8 length7 = secondByte & 0x7f;
    const quint8 extended = length7 == 126 ? 2 : (length7 == 127 ? 8 : 0);
    return quint8(2 + extended + ((secondByte & 0x80) ? 4 : 0));
}

void FrameParser::decodeHeader(const unsigned char *bytes)
{
    FrameHeader &h = m_current;
    const quint8 b0 = bytes[0];
    const quint8 b1 = bytes[1];
    h.fin = (b0 & 0x80) != 0;
    h.rsv1 = (b0 & 0x40) != 0;
    h.rsv2 = (b0 & 0x20) != 0;
    h.rsv3 = (b0 & 0x10) != 0;
    h.opcode = b0 & 0x0f;
    h.masked = (b1 & 0x80) != 0;
    const quint8 length7 = b1 & 0x7f;
    qsizetype pos = 2;
    if (length7 < 126) {
        h.payloadLength = length7;
        h.lengthEncoding = LengthEncoding::Bits7;
    } else if (length7 == 126) {
        h.payloadLength = qFromBigEndian<quint16>(bytes + 2);
        h.lengthEncoding = LengthEncoding::Bits16;
        pos = 4;
    } else {
        h.payloadLength = qFromBigEndian<quint64>(bytes + 2);
        h.lengthEncoding = LengthEncoding::Bits64;
        pos = 10;
    }
    if (h.masked) {
        std::copy_n(bytes + pos, 4, h.maskingKey.begin());
        pos += 4;
    } else {
        h.maskingKey = {};
    }
    h.headerLength = quint8(pos);
    checkHeader();
}

void FrameParser::checkHeader()
{
    const FrameHeader &h = m_current;
    m_currentViolations.clear();
    auto report = [this](ViolationRule rule, QString detail) {
        m_currentViolations.append(Violation{rule, std::move(detail)});
    };
    const bool control = Opcodes::isControl(h.opcode);

    if (!Opcodes::isDefined(h.opcode)) {
        report(ViolationRule::UnknownOpcode,
               QStringLiteral("opcode 0x%1 is reserved for further %2 frames; defined opcodes are 0x0-0x2 and 0x8-0xA")
                   .arg(QString::number(h.opcode, 16).toUpper(),
                        control ? QStringLiteral("control") : QStringLiteral("non-control")));
    }

    const quint8 reservedBits = quint8((h.rsv1 ? 4 : 0) | (h.rsv2 ? 2 : 0) | (h.rsv3 ? 1 : 0));
    if (const quint8 unexpected = reservedBits & quint8(~m_allowedReservedBits)) {
        QStringList names;
        if (unexpected & 4)
            names << QStringLiteral("RSV1");
        if (unexpected & 2)
            names << QStringLiteral("RSV2");
        if (unexpected & 1)
            names << QStringLiteral("RSV3");
        report(ViolationRule::ReservedBitWithoutExtension,
               QStringLiteral("%1 set, but no negotiated extension defines %2")
                   .arg(names.join(QStringLiteral(", ")),
                        names.size() == 1 ? QStringLiteral("it") : QStringLiteral("them")));
    }
    if (h.rsv1 && (m_allowedReservedBits & 4) && (control || h.opcode == 0)) {
        report(ViolationRule::CompressedBitOnControlOrContinuation,
               QStringLiteral("RSV1 (\"per-message compressed\") set on a %1 frame; only the first frame of a data "
                              "message may carry it")
                   .arg(Opcodes::name(h.opcode)));
    }

    if (control && h.payloadLength > 125) {
        report(ViolationRule::ControlFrameTooLong,
               QStringLiteral("%1 frame declares %2 bytes of payload; control frames carry at most 125")
                   .arg(Opcodes::name(h.opcode))
                   .arg(h.payloadLength));
    }
    if (control && !h.fin) {
        report(ViolationRule::FragmentedControlFrame,
               QStringLiteral("%1 frame has FIN clear; control frames must not be fragmented")
                   .arg(Opcodes::name(h.opcode)));
    }

    if (h.lengthEncoding == LengthEncoding::Bits16 && h.payloadLength < 126) {
        report(ViolationRule::NonMinimalLength,
               QStringLiteral("length %1 written in the 16-bit form; lengths below 126 must use the 7-bit field")
                   .arg(h.payloadLength));
    } else if (h.lengthEncoding == LengthEncoding::Bits64) {
        if (h.payloadLength >> 63) {
            report(ViolationRule::LengthHighBitSet,
                   QStringLiteral("64-bit length 0x%1 has its most significant bit set")
                       .arg(h.payloadLength, 16, 16, QLatin1Char('0')));
        } else if (h.payloadLength <= 0xffff) {
            report(ViolationRule::NonMinimalLength,
                   QStringLiteral("length %1 written in the 64-bit form; lengths up to 65535 must use the %2 form")
                       .arg(h.payloadLength)
                       .arg(h.payloadLength < 126 ? QStringLiteral("7-bit") : QStringLiteral("16-bit")));
        }
    }

    if (m_sender == Endpoint::Server && h.masked) {
        report(ViolationRule::MaskedFrameFromServer,
               QStringLiteral("frame from the server is masked (key %1); a server must not mask its frames")
                   .arg(hexKey(h.maskingKey)));
    } else if (m_sender == Endpoint::Client && !h.masked) {
        report(ViolationRule::UnmaskedFrameFromClient,
               QStringLiteral("frame from the client is not masked; a client must mask every frame"));
    }

    if (h.payloadLength > m_limits.maxFramePayload) {
        report(ViolationRule::FrameTooLarge,
               QStringLiteral("declared payload length %1 exceeds the frame limit of %2 bytes; the payload is skipped "
                              "without being stored")
                   .arg(h.payloadLength)
                   .arg(m_limits.maxFramePayload));
    }
}

void FrameParser::fillEvent(FrameEvent &event, QByteArrayView payload, bool discarded)
{
    event.header = m_current;
    event.payload = payload;
    event.violations.swap(m_currentViolations);
    m_currentViolations.clear();
    event.streamOffset = m_frameStart;
    event.payloadDiscarded = discarded;
}

// Where the next `count` payload bytes go: the caller's memory after redirectPayload(), else the parser's buffer,
// grown geometrically but never beyond the declared length.
char *FrameParser::payloadDestination(qsizetype count)
{
    const auto offset = qsizetype(m_payloadReceived);
    if (m_external)
        return m_external + offset;
    if (m_payload.capacity() < offset + count)
        m_payload.reserve(qsizetype(std::min<quint64>(m_current.payloadLength, quint64(offset + count) * 2)));
    m_payload.resize(offset + count);
    return m_payload.data() + offset;
}

// Counts `count` payload bytes now at `at` as received, unmasking them.
void FrameParser::receivedPayloadBytes(char *at, qsizetype count)
{
    if (m_current.masked)
        Masking::apply(at, count, m_current.maskingKey, unsigned(m_payloadReceived % 4));
    m_payloadReceived += quint64(count);
    m_consumed += quint64(count);
}

QByteArrayView FrameParser::assembledPayload() const noexcept
{
    if (m_external)
        return {m_external, qsizetype(m_payloadReceived)};
    return m_payload;
}

char *FrameParser::payloadSpace(qsizetype wanted, qsizetype *granted)
{
    *granted = 0;
    if (m_state != State::Payload || wanted <= 0)
        return nullptr;
    const quint64 remaining = m_current.payloadLength - m_payloadReceived;
    const auto take = qsizetype(std::min<quint64>(remaining, quint64(wanted)));
    m_spaceGranted = take;
    *granted = take;
    return payloadDestination(take);
}

bool FrameParser::payloadWritten(qsizetype count, FrameEvent &event)
{
    Q_ASSERT(count >= 0 && count <= m_spaceGranted);
    char *at = m_external ? m_external + m_payloadReceived : m_payload.data() + m_payloadReceived;
    if (!m_external)
        m_payload.resize(qsizetype(m_payloadReceived) + count); // drop what was granted but not written
    m_spaceGranted = 0;
    receivedPayloadBytes(at, count);
    if (m_payloadReceived < m_current.payloadLength)
        return false;
    m_state = State::Header;
    fillEvent(event, assembledPayload(), false);
    m_external = nullptr;
    return true;
}

bool FrameParser::redirectPayload(char *destination)
{
    if (m_state != State::Payload || m_external || !destination)
        return false;
    if (m_payloadReceived > 0)
        std::memcpy(destination, m_payload.constData(), size_t(m_payloadReceived));
    m_external = destination;
    return true;
}

bool FrameParser::next(QByteArrayView &input, FrameEvent &event)
{
    auto emitFrame = [&](QByteArrayView payload, bool discarded) { fillEvent(event, payload, discarded); };
    auto consume = [&](qsizetype count) {
        input = input.sliced(count);
        m_consumed += quint64(count);
    };

    for (;;) {
        switch (m_state) {
        case State::Header: {
            const auto *bytes = reinterpret_cast<const unsigned char *>(input.data());
            if (m_headerFill == 0 && input.size() >= 2 && input.size() >= headerLengthFor(bytes[1])) {
                // Fast path: the whole header is in this chunk.
                m_frameStart = m_consumed;
                decodeHeader(bytes);
                consume(m_current.headerLength);
            } else {
                if (input.isEmpty())
                    return false;
                if (m_headerFill == 0)
                    m_frameStart = m_consumed;
                while (m_headerFill < m_headerNeeded && !input.isEmpty()) {
                    m_headerBytes[m_headerFill++] = static_cast<unsigned char>(input.front());
                    consume(1);
                    if (m_headerFill == 2)
                        m_headerNeeded = headerLengthFor(m_headerBytes[1]);
                }
                if (m_headerFill < m_headerNeeded)
                    return false;
                decodeHeader(m_headerBytes);
                m_headerFill = 0;
                m_headerNeeded = 2;
            }

            const quint64 length = m_current.payloadLength;
            if (length > m_limits.maxFramePayload) {
                m_state = State::Skip;
                m_payloadReceived = 0;
                emitFrame({}, true);
                return true;
            }
            if (length == 0) {
                emitFrame({}, false);
                return true;
            }
            if (quint64(input.size()) >= length) {
                // Fast path: the whole payload is in this chunk. Unmasked payloads are handed out in place.
                const auto size = qsizetype(length);
                if (m_current.masked) {
                    m_payload.resize(size);
                    Masking::applyCopy(m_payload.data(), input.data(), size, m_current.maskingKey);
                    emitFrame(m_payload, false);
                } else {
                    emitFrame(input.first(size), false);
                }
                consume(size);
                return true;
            }
            m_payloadReceived = 0;
            m_state = State::Payload;
            m_payload.resize(0);
            if (m_stopBeforePayloadsFrom > 0 && length >= m_stopBeforePayloadsFrom)
                return false; // the caller may redirect this payload first; `input` starts with its first bytes
            if (length <= reserveUpFront)
                m_payload.reserve(qsizetype(length));
            break;
        }
        case State::Payload: {
            if (input.isEmpty())
                return false;
            const quint64 remaining = m_current.payloadLength - m_payloadReceived;
            const auto take = qsizetype(std::min<quint64>(remaining, quint64(input.size())));
            char *at = payloadDestination(take);
            std::memcpy(at, input.data(), size_t(take));
            input = input.sliced(take);
            receivedPayloadBytes(at, take);
            if (m_payloadReceived < m_current.payloadLength)
                return false;
            m_state = State::Header;
            emitFrame(assembledPayload(), false);
            m_external = nullptr;
            return true;
        }
        case State::Skip: {
            if (input.isEmpty())
                return false;
            const quint64 remaining = m_current.payloadLength - m_payloadReceived;
            const auto take = qsizetype(std::min<quint64>(remaining, quint64(input.size())));
            m_payloadReceived += quint64(take);
            consume(take);
            if (m_payloadReceived == m_current.payloadLength)
                m_state = State::Header;
            break;
        }
        }
    }
}

} // namespace wsi
