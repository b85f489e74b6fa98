// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameHeader.h"
#include "core/protocol/Opcode.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <optional>

class QRandomGenerator;

namespace wsi {

// Everything about a frame a writer can be asked for, including deliberately invalid values for testing servers:
// any bits, any (reserved) opcode, a non-minimal length encoding, a declared length that does not match the
// payload, a masked server frame or an unmasked client frame.
struct FrameSpec {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    quint8 opcode = Opcodes::value(Opcode::Text);
    std::optional<bool> masked;                   // default: masked when the writer is a client (RFC 6455 §5.3)
    std::optional<MaskingKey> maskingKey;         // default: a fresh random key per frame
    std::optional<LengthEncoding> lengthEncoding; // default: the shortest form
    std::optional<quint64> declaredLength;        // default: the payload's size

    // True when the spec asks for something RFC 6455 forbids, so sessions can mark such frames as deliberate.
    // allowedReservedBits: the RSV bits negotiated extensions define (0x4 = RSV1 with permessage-deflate).
    bool breaksRules(Endpoint writer, quint8 allowedReservedBits = 0) const noexcept;
};

// Writes frames for one endpoint. A client writer masks every frame with a fresh key drawn from a
// cryptographically strong source (RFC 6455 §5.3 asks for unpredictable keys), unless a test supplies its own
// generator.
class FrameWriter final
{
public:
    explicit FrameWriter(Endpoint writer);

    // For reproducible tests: keys come from this generator instead (not owned; must outlive the writer).
    void setKeyGenerator(QRandomGenerator *generator) noexcept;

    Endpoint writer() const noexcept { return m_writer; }

    // Appends one frame to `out`; returns the header actually written (with the key that was used).
    FrameHeader append(QByteArray &out, const FrameSpec &spec, QByteArrayView payload);
    QByteArray frame(const FrameSpec &spec, QByteArrayView payload);

    // Well-formed conveniences.
    QByteArray text(QByteArrayView utf8) { return frame(dataSpec(Opcode::Text), utf8); }
    QByteArray binary(QByteArrayView data) { return frame(dataSpec(Opcode::Binary), data); }
    QByteArray ping(QByteArrayView payload = {}) { return frame(dataSpec(Opcode::Ping), payload); }
    QByteArray pong(QByteArrayView payload = {}) { return frame(dataSpec(Opcode::Pong), payload); }
    // A Close frame; without a code the payload is empty (which the receiver reads as 1005).
    QByteArray close(std::optional<quint16> code = std::nullopt, QByteArrayView reasonUtf8 = {});
    // One data message split into `parts` frames of nearly equal size (at least one byte each, except an empty
    // message, which is one frame). `compressed` sets RSV1 on the first frame only (RFC 7692 §6.1).
    QByteArray fragmented(Opcode opcode, QByteArrayView payload, int parts, bool compressed = false);

    // The Close frame payload: 2-byte code in network order, then the reason.
    static QByteArray closePayload(quint16 code, QByteArrayView reasonUtf8);
    // The encoded size of a frame header for this payload length and masking.
    static int headerSize(quint64 payloadLength, bool masked, LengthEncoding encoding) noexcept;
    static LengthEncoding minimalEncoding(quint64 payloadLength) noexcept;

private:
    static FrameSpec dataSpec(Opcode opcode)
    {
        FrameSpec spec;
        spec.opcode = Opcodes::value(opcode);
        return spec;
    }
    MaskingKey nextKey();

    Endpoint m_writer;
    QRandomGenerator *m_keyGenerator = nullptr;
    // Keys are drawn from the system generator in batches: one system call per 64 frames instead of one per frame.
    std::array<quint32, 64> m_keyBatch{};
    int m_keysLeft = 0;
};

} // namespace wsi
