// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/FrameWriter.h"

#include "core/protocol/Masking.h"

#include <QRandomGenerator>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace wsi {

bool FrameSpec::breaksRules(Endpoint writer, quint8 allowedReservedBits) const noexcept
{
    const bool control = Opcodes::isControl(opcode);
    const bool defaultMask = writer == Endpoint::Client;
    const quint8 reservedBits = quint8((rsv1 ? 4 : 0) | (rsv2 ? 2 : 0) | (rsv3 ? 1 : 0));
    const bool compressedBitMisplaced = rsv1 && (control || opcode == Opcodes::value(Opcode::Continuation));
    return (reservedBits & ~allowedReservedBits) != 0 || compressedBitMisplaced || !Opcodes::isDefined(opcode) ||
           (control && !fin) || (masked.has_value() && *masked != defaultMask) || lengthEncoding.has_value() ||
           declaredLength.has_value();
}

FrameWriter::FrameWriter(Endpoint writer)
    : m_writer(writer)
{}

void FrameWriter::setKeyGenerator(QRandomGenerator *generator) noexcept
{
    m_keyGenerator = generator;
    m_keysLeft = 0;
}

MaskingKey FrameWriter::nextKey()
{
    quint32 word;
    if (m_keyGenerator) {
        word = m_keyGenerator->generate();
    } else {
        if (m_keysLeft == 0) {
            QRandomGenerator::system()->fillRange(m_keyBatch.data(), qsizetype(m_keyBatch.size()));
            m_keysLeft = int(m_keyBatch.size());
        }
        word = m_keyBatch[size_t(--m_keysLeft)];
    }
    MaskingKey key;
    std::memcpy(key.data(), &word, 4);
    return key;
}

LengthEncoding FrameWriter::minimalEncoding(quint64 payloadLength) noexcept
{
    if (payloadLength < 126)
        return LengthEncoding::Bits7;
    if (payloadLength <= 0xffff)
        return LengthEncoding::Bits16;
    return LengthEncoding::Bits64;
}

int FrameWriter::headerSize(quint64 payloadLength, bool masked, LengthEncoding encoding) noexcept
{
    Q_UNUSED(payloadLength);
    const int extended = encoding == LengthEncoding::Bits7 ? 0 : (encoding == LengthEncoding::Bits16 ? 2 : 8);
    return 2 + extended + (masked ? 4 : 0);
}

FrameHeader FrameWriter::append(QByteArray &out, const FrameSpec &spec, QByteArrayView payload)
{
    FrameHeader h;
    h.fin = spec.fin;
    h.rsv1 = spec.rsv1;
    h.rsv2 = spec.rsv2;
    h.rsv3 = spec.rsv3;
    h.opcode = spec.opcode & 0x0f;
    h.masked = spec.masked.value_or(m_writer == Endpoint::Client);
    h.payloadLength = spec.declaredLength.value_or(quint64(payload.size()));
    h.lengthEncoding = spec.lengthEncoding.value_or(minimalEncoding(h.payloadLength));
    if (h.masked)
        h.maskingKey = spec.maskingKey ? *spec.maskingKey : nextKey(); // no key drawn when one is given
    h.headerLength = quint8(headerSize(h.payloadLength, h.masked, h.lengthEncoding));

    const qsizetype start = out.size();
    out.resize(start + h.headerLength + payload.size());
    auto *p = reinterpret_cast<unsigned char *>(out.data() + start);
    p[0] = quint8((h.fin ? 0x80 : 0) | (h.rsv1 ? 0x40 : 0) | (h.rsv2 ? 0x20 : 0) | (h.rsv3 ? 0x10 : 0) | h.opcode);
    const quint8 maskBit = h.masked ? 0x80 : 0;
    int pos = 2;
    // A forced encoding writes the declared length as it is, even when it does not fit the field: that is how a
    // test produces a truncated or lying length.
    switch (h.lengthEncoding) {
    case LengthEncoding::Bits7:
        p[1] = quint8(maskBit | (h.payloadLength & 0x7f));
        break;
    case LengthEncoding::Bits16:
        p[1] = quint8(maskBit | 126);
        qToBigEndian<quint16>(quint16(h.payloadLength), p + 2);
        pos = 4;
        break;
    case LengthEncoding::Bits64:
        p[1] = quint8(maskBit | 127);
        qToBigEndian<quint64>(h.payloadLength, p + 2);
        pos = 10;
        break;
    }
    if (h.masked) {
        std::copy(h.maskingKey.begin(), h.maskingKey.end(), p + pos);
        pos += 4;
        Masking::applyCopy(reinterpret_cast<char *>(p + pos), payload.data(), payload.size(), h.maskingKey);
    } else if (!payload.isEmpty()) {
        std::memcpy(p + pos, payload.data(), size_t(payload.size()));
    }
    return h;
}

QByteArray FrameWriter::frame(const FrameSpec &spec, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(14 + payload.size());
    append(out, spec, payload);
    return out;
}

QByteArray FrameWriter::closePayload(quint16 code, QByteArrayView reasonUtf8)
{
    QByteArray payload(2 + reasonUtf8.size(), Qt::Uninitialized);
    qToBigEndian<quint16>(code, payload.data());
    if (!reasonUtf8.isEmpty())
        std::memcpy(payload.data() + 2, reasonUtf8.data(), size_t(reasonUtf8.size()));
    return payload;
}

QByteArray FrameWriter::close(std::optional<quint16> code, QByteArrayView reasonUtf8)
{
    return frame(dataSpec(Opcode::Close), code ? closePayload(*code, reasonUtf8) : QByteArray());
}

QByteArray FrameWriter::fragmented(Opcode opcode, QByteArrayView payload, int parts, bool compressed)
{
    const qsizetype count = std::clamp<qsizetype>(parts, 1, std::max<qsizetype>(1, payload.size()));
    QByteArray out;
    out.reserve(payload.size() + count * 14);
    qsizetype offset = 0;
    for (qsizetype i = 0; i < count; ++i) {
        // Spread the remainder over the first parts so sizes differ by at most one byte.
        const qsizetype size = payload.size() / count + (i < payload.size() % count ? 1 : 0);
        FrameSpec spec;
        spec.opcode = i == 0 ? Opcodes::value(opcode) : Opcodes::value(Opcode::Continuation);
        spec.fin = i == count - 1;
        spec.rsv1 = compressed && i == 0;
        append(out, spec, payload.sliced(offset, size));
        offset += size;
    }
    return out;
}

} // namespace wsi
