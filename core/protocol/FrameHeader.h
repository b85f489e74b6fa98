// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <array>

namespace wsi {

// The four masking-key bytes in wire order (RFC 6455 §5.3).
using MaskingKey = std::array<quint8, 4>;

// How the payload length was written (RFC 6455 §5.2): in the 7-bit field, or as 126 + 16 bits, or 127 + 64 bits.
enum class LengthEncoding : quint8 { Bits7, Bits16, Bits64 };

// Every field of a frame header exactly as it was on the wire, including values that break the rules.
struct FrameHeader {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    quint8 opcode = 0; // raw 4-bit value, reserved ones included
    bool masked = false;
    MaskingKey maskingKey{};   // meaningful only when masked
    quint64 payloadLength = 0; // as declared (top bit may be set by a hostile peer)
    LengthEncoding lengthEncoding = LengthEncoding::Bits7;
    quint8 headerLength = 2; // 2 to 14 bytes

    friend bool operator==(const FrameHeader &, const FrameHeader &) = default;
};

} // namespace wsi
