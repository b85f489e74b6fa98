// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameHeader.h"

#include <QtGlobal>

namespace wsi {

enum class Direction : quint8 { Incoming, Outgoing };

// One frame as it crossed the socket: a compact value (48 bytes) kept for every frame of a session. The payload
// lives in the session's PayloadStore; display strings are built by the views when needed, never stored here.
struct FrameRecord {
    enum Flag : quint16 {
        Fin = 1 << 0,
        Rsv1 = 1 << 1,
        Rsv2 = 1 << 2,
        Rsv3 = 1 << 3,
        Masked = 1 << 4,
        Outgoing = 1 << 5,
        Deliberate = 1 << 6,       // written on purpose with rule-breaking bits (raw frame sender)
        PayloadDiscarded = 1 << 7, // over the frame limit: never read from the socket into memory
        PayloadTruncated = 1 << 8, // only the first storedLength bytes are kept (memory budget)
        Compressed = 1 << 9,       // first frame of a permessage-deflate message (RSV1 with deflate negotiated)
        HasViolationDetails = 1 << 10,
        // Written by a relay itself, not received from either end: a rule's replacement, copy or Close. Recordings
        // made before it have the bit clear, which is what they mean.
        Injected = 1 << 11,
    };
    qint64 timeNs = 0;            // since the session's clock started
    quint64 payloadLength = 0;    // as declared in the header
    quint64 violationMask = 0;    // bits of ViolationRule
    quint64 payloadReference = 0; // into the session's PayloadStore; meaningful when storedLength > 0
    quint32 storedLength = 0;     // payload bytes kept in memory (unmasked)
    MaskingKey maskingKey{};
    quint16 flags = 0;
    quint8 opcode = 0;
    quint8 headerLength = 0; // low 4 bits: header length (2-14); high bits: LengthEncoding

    bool has(Flag flag) const noexcept { return (flags & flag) != 0; }
    Direction direction() const noexcept { return has(Outgoing) ? Direction::Outgoing : Direction::Incoming; }
    int headerBytes() const noexcept { return headerLength & 0x0f; }
    LengthEncoding lengthEncoding() const noexcept { return LengthEncoding(headerLength >> 4); }

    FrameHeader header() const noexcept
    {
        FrameHeader h;
        h.fin = has(Fin);
        h.rsv1 = has(Rsv1);
        h.rsv2 = has(Rsv2);
        h.rsv3 = has(Rsv3);
        h.opcode = opcode;
        h.masked = has(Masked);
        h.maskingKey = maskingKey;
        h.payloadLength = payloadLength;
        h.lengthEncoding = lengthEncoding();
        h.headerLength = quint8(headerBytes());
        return h;
    }

    static FrameRecord fromHeader(const FrameHeader &h, qint64 timeNs, Direction direction) noexcept
    {
        FrameRecord r;
        r.timeNs = timeNs;
        r.payloadLength = h.payloadLength;
        r.maskingKey = h.maskingKey;
        r.opcode = h.opcode;
        r.headerLength = quint8((h.headerLength & 0x0f) | (quint8(h.lengthEncoding) << 4));
        r.flags = quint16((h.fin ? Fin : 0) | (h.rsv1 ? Rsv1 : 0) | (h.rsv2 ? Rsv2 : 0) | (h.rsv3 ? Rsv3 : 0) |
                          (h.masked ? Masked : 0) | (direction == Direction::Outgoing ? Outgoing : 0));
        return r;
    }
};

static_assert(sizeof(FrameRecord) <= 48, "keep frame records compact: a million frames must fit in tens of MB");

} // namespace wsi
