// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the frame parser and the message assembler together, as a session uses them: any byte stream, from
// either side, with or without permessage-deflate, cut into chunks of varying size. Besides crashes and
// sanitizer reports it checks the parser's own promises.
#include "core/protocol/FrameParser.h"
#include "core/protocol/MessageAssembler.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    // Byte 0 chooses the setting, byte 1 the chunk size; the rest is the stream.
    const std::uint8_t config = data[0];
    const qsizetype chunk = qsizetype(data[1] % 64) + 1;
    const wsi::Endpoint sender = (config & 1) ? wsi::Endpoint::Client : wsi::Endpoint::Server;
    const bool deflate = (config & 2) != 0;

    wsi::ProtocolLimits limits;
    limits.maxFramePayload = 1 << 20;
    limits.maxMessageSize = 1 << 20;

    wsi::FrameParser parser(sender, limits);
    wsi::MessageAssembler assembler(sender, limits);
    if (deflate) {
        parser.setAllowedReservedBits(0x4);
        assembler.enableDeflate(8 + (config >> 4) % 8, (config & 4) != 0);
    }

    QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    wsi::FrameEvent event;
    wsi::MessageAssembler::Output output;
    quint64 lastOffset = 0;
    bool first = true;
    // Bit 3: bytes that continue a split payload are written straight into the parser's buffer, as a session
    // reading a socket does.
    const bool directWrites = (config & 8) != 0;
    auto check = [&](const wsi::FrameEvent &e) {
        if (!first && e.streamOffset <= lastOffset)
            std::abort(); // frames must come out in stream order
        first = false;
        lastOffset = e.streamOffset;
        if (!e.payloadDiscarded && quint64(e.payload.size()) != e.header.payloadLength)
            std::abort(); // a delivered payload always has its declared length
        if (e.payloadDiscarded && e.header.payloadLength <= limits.maxFramePayload)
            std::abort(); // only frames over the limit are discarded
        assembler.push(e, output);
        if (output.message && quint64(output.message->payload.size()) > limits.maxMessageSize)
            std::abort(); // the message limit holds after inflation too
    };
    std::vector<char> redirected; // where a split payload is assembled when the parser is told to (bit 4)
    while (!stream.isEmpty()) {
        qsizetype granted = 0;
        if ((config & 16) && parser.payloadInProgressLength() > 0 && !parser.payloadRedirected()) {
            redirected.assign(std::size_t(parser.payloadInProgressLength()), '\0'); // at most the frame limit
            parser.redirectPayload(redirected.data());
        }
        if (directWrites) {
            if (char *space = parser.payloadSpace(std::min(chunk, stream.size()), &granted)) {
                std::memcpy(space, stream.data(), size_t(granted));
                stream = stream.sliced(granted);
                if (parser.payloadWritten(granted, event))
                    check(event);
                continue;
            }
        }
        QByteArrayView piece = stream.first(std::min(chunk, stream.size()));
        stream = stream.sliced(piece.size());
        while (parser.next(piece, event)) {
            check(event);
        }
    }
    return 0;
}
