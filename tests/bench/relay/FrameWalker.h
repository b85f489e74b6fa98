// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <array>
#include <cstring>

namespace wsi::bench {

// Walks a stream of WebSocket frames as it arrives in pieces of any size, with no copy of the payloads: the relay
// benchmark's peers count and echo frames with it, so that they cost far less than the relays they measure. Not a
// validating parser: the peers only ever read frames the benchmark itself wrote (through a relay that must pass
// them unchanged).
//
// `Visitor` has: header(opcode, payloadLength, masked, mask), payload(data, size, offsetInPayload) (the bytes as
// they are on the wire, still masked) and end() once the frame's last payload byte went by.
template<typename Visitor>
class FrameWalker final
{
public:
    explicit FrameWalker(Visitor &visitor)
        : m_visitor(visitor)
    {}

    void feed(const char *data, qsizetype size)
    {
        while (size > 0) {
            if (m_inPayload) {
                const qsizetype n = qsizetype(std::min<quint64>(quint64(size), m_length - m_offset));
                m_visitor.payload(data, n, m_offset);
                m_offset += quint64(n);
                data += n;
                size -= n;
                if (m_offset == m_length)
                    finishFrame();
                continue;
            }
            m_header[m_headerFill++] = quint8(*data++);
            --size;
            if (m_headerFill < 2)
                continue;
            const quint8 lengthCode = m_header[1] & 0x7f;
            const int lengthBytes = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
            const bool masked = (m_header[1] & 0x80) != 0;
            const int headerBytes = 2 + lengthBytes + (masked ? 4 : 0);
            if (m_headerFill < headerBytes)
                continue;
            quint64 length = lengthCode;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; ++i)
                    length = (length << 8) | m_header[2 + i];
            }
            std::array<quint8, 4> mask{};
            if (masked)
                std::memcpy(mask.data(), m_header.data() + 2 + lengthBytes, 4);
            m_length = length;
            m_offset = 0;
            m_headerFill = 0;
            m_visitor.header(quint8(m_header[0] & 0x0f), length, masked, mask);
            if (length == 0)
                finishFrame();
            else
                m_inPayload = true;
        }
    }

private:
    void finishFrame()
    {
        m_inPayload = false;
        m_visitor.end();
    }

    Visitor &m_visitor;
    std::array<quint8, 14> m_header{};
    int m_headerFill = 0;
    bool m_inPayload = false;
    quint64 m_length = 0;
    quint64 m_offset = 0;
};

// The header of a binary or control frame of `length` bytes, masked with `mask` when it is given (client to server).
inline qsizetype writeFrameHeader(char *out, quint8 opcode, quint64 length, const quint8 *mask)
{
    qsizetype n = 0;
    out[n++] = char(0x80 | opcode);
    const quint8 maskBit = mask ? 0x80 : 0;
    if (length < 126) {
        out[n++] = char(maskBit | length);
    } else if (length < 65536) {
        out[n++] = char(maskBit | 126);
        out[n++] = char(length >> 8);
        out[n++] = char(length);
    } else {
        out[n++] = char(maskBit | 127);
        for (int i = 7; i >= 0; --i)
            out[n++] = char(length >> (8 * i));
    }
    if (mask) {
        std::memcpy(out + n, mask, 4);
        n += 4;
    }
    return n;
}

} // namespace wsi::bench
