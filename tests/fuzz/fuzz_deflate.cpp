// SPDX-License-Identifier: GPL-3.0-or-later
// permessage-deflate under hostile input. Input layout:
//   byte 0: bits 0-2 window bits - 8, bit 3 no context takeover, bits 4-5 message count - 1 (mod 3),
//           bits 6-7 the deflater's level (default, 0, 1, 9)
//   byte 1: fragment size (0: each message in one fragment)
//   bytes 2, 3: the sizes of the first and second message (clamped); the last message takes the rest
//   then the bytes, which are both inflated as compressed messages and round-tripped as plain ones.
// Inflation must never fail other than with a status, nor grow the output past the limit; the round trip must give
// back exactly what went in.
#include "core/protocol/MessageDeflater.h"
#include "core/protocol/MessageInflater.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr qsizetype kLimit = 1024 * 1024;

using Status = wsi::MessageInflater::Status;

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_deflate: %s\n", what);
    std::abort();
}

Status inflateMessage(wsi::MessageInflater &inflater, QByteArrayView payload, qsizetype fragmentSize, QByteArray &out)
{
    const qsizetype step = fragmentSize > 0 ? fragmentSize : std::max<qsizetype>(payload.size(), 1);
    for (qsizetype at = 0; at < payload.size(); at += step) {
        const Status status = inflater.inflate(payload.sliced(at, std::min(step, payload.size() - at)), out, kLimit);
        if (out.size() > kLimit)
            fail("inflate grew the output past the limit");
        if (status != Status::Ok) {
            inflater.abortMessage();
            return status;
        }
    }
    const Status status = inflater.finishMessage(out, kLimit);
    if (out.size() > kLimit)
        fail("finishMessage grew the output past the limit");
    return status;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4 || size > std::size_t(kLimit)) // larger messages would be refused by the round trip's limit
        return 0;
    const int windowBits = 8 + (data[0] & 7);
    const bool noContextTakeover = (data[0] & 8) != 0;
    const int messageCount = 1 + ((data[0] >> 4) & 3) % 3;
    static constexpr int levels[] = {-1, 0, 1, 9};
    const int level = levels[data[0] >> 6];
    const qsizetype fragmentSize = data[1];

    const QByteArrayView body(reinterpret_cast<const char *>(data) + 4, qsizetype(size) - 4);
    QList<QByteArrayView> messages;
    qsizetype at = 0;
    for (int i = 0; i < messageCount; ++i) {
        const qsizetype length =
            i + 1 == messageCount ? body.size() - at : std::min<qsizetype>(data[2 + i], body.size() - at);
        messages.append(body.sliced(at, length));
        at += length;
    }

    // The bytes as compressed messages: anything may come back but a crash, a hang or an overlong output.
    {
        wsi::MessageInflater inflater(windowBits, noContextTakeover);
        QByteArray out;
        for (const QByteArrayView message : messages) {
            out.resize(0);
            inflateMessage(inflater, message, fragmentSize, out);
        }
    }

    // The bytes as plain messages, through our deflater and back.
    {
        wsi::MessageDeflater deflater(windowBits, noContextTakeover, level);
        wsi::MessageInflater inflater(windowBits, noContextTakeover);
        for (const QByteArrayView message : messages) {
            const QByteArray compressed = deflater.compress(message);
            QByteArray out;
            if (inflateMessage(inflater, compressed, fragmentSize, out) != Status::Ok)
                fail("our own deflater's output did not inflate");
            if (QByteArrayView(out) != message)
                fail("the round trip changed the message");
        }
    }
    return 0;
}
