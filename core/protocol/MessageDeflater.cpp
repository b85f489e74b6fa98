// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/MessageDeflater.h"

#include <QtGlobal>

#include <algorithm>
#include <climits>
#include <limits>
#include <zlib.h>

namespace wsi {

namespace {

// zlib counts in uInt; larger messages and output areas are handed over in pieces of at most this size.
constexpr qsizetype kMaxZlibChunk =
    qsizetype(std::min<quint64>(UINT_MAX, quint64(std::numeric_limits<qsizetype>::max())));

// What a sync flush ends with, and what RFC 7692 §7.2.1 has the sender remove.
constexpr char kTail[] = {'\x00', '\x00', '\xff', '\xff'};
constexpr qsizetype kTailSize = qsizetype(sizeof(kTail));

} // namespace

struct MessageDeflater::State {
    z_stream zs{};
    bool noContextTakeover = false;
};

MessageDeflater::MessageDeflater(int windowBits, bool noContextTakeover, int level)
    : m_state(std::make_unique<State>())
{
    Q_ASSERT(windowBits >= 8 && windowBits <= 15);
    Q_ASSERT(level >= Z_DEFAULT_COMPRESSION && level <= Z_BEST_COMPRESSION);
    m_state->noContextTakeover = noContextTakeover;
    // Out-of-range values would make deflateInit2 fail and every later deflate() call do nothing.
    windowBits = std::clamp(windowBits, 8, 15);
    level = std::clamp(level, Z_DEFAULT_COMPRESSION, Z_BEST_COMPRESSION);
    if (windowBits == 8) {
        // zlib refuses raw deflate with a 256-byte window (deflateInit2 returns Z_STREAM_ERROR for -8 since 1.2.9;
        // older versions silently compressed with 512 bytes instead). Level 0 writes stored blocks only:
        // they never refer to earlier bytes, so the 512-byte window zlib keeps internally is never used and the
        // output is valid for a peer that inflates with 256 bytes.
        windowBits = 9;
        level = 0;
    }
    const int ret = deflateInit2(&m_state->zs, level, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY);
    if (ret == Z_MEM_ERROR)
        qBadAlloc();
    Q_ASSERT(ret == Z_OK);
}

MessageDeflater::~MessageDeflater()
{
    deflateEnd(&m_state->zs);
}

QByteArray MessageDeflater::compress(QByteArrayView message)
{
    // After the previous message's sync flush zlib has nothing to say for empty input (it refuses a second flush in a
    // row), but an empty payload is not valid DEFLATE data. An empty stored block header is what RFC 7692 §7.2.3.6
    // suggests; it adds nothing to the window, so the stream stays in step for the next message.
    if (message.isEmpty())
        return QByteArrayLiteral("\x00");

    z_stream &zs = m_state->zs;
    QByteArray out;
    // Enough for the whole message in one go in practice; the loop below grows it if zlib needs more.
    const quint64 bound = deflateBound(&zs, uLong(std::min(message.size(), kMaxZlibChunk))) + 16;
    out.resize(qsizetype(std::min<quint64>(bound, quint64(kMaxZlibChunk))));
    qsizetype written = 0;

    auto *next = reinterpret_cast<const unsigned char *>(message.data());
    qsizetype remaining = message.size();
    while (true) {
        if (zs.avail_in == 0 && remaining > 0) {
            const qsizetype chunk = std::min(remaining, kMaxZlibChunk);
            zs.next_in = const_cast<unsigned char *>(next); // zlib's API is not const-correct; it never writes there
            zs.avail_in = uInt(chunk);
            next += chunk;
            remaining -= chunk;
        }
        // Keep a few bytes of room so that a flush marker is never split across calls (zlib's advice).
        if (out.size() - written < 64)
            out.resize(out.size() + std::min(std::max(out.size() / 2, qsizetype(64)), kMaxZlibChunk));
        const qsizetype room = std::min(out.size() - written, kMaxZlibChunk);
        zs.next_out = reinterpret_cast<unsigned char *>(out.data()) + written;
        zs.avail_out = uInt(room);
        const int flush = remaining > 0 ? Z_NO_FLUSH : Z_SYNC_FLUSH;
        const int ret = deflate(&zs, flush);
        written += room - qsizetype(zs.avail_out);
        Q_ASSERT(ret == Z_OK || ret == Z_BUF_ERROR);
        Q_UNUSED(ret);
        // With Z_SYNC_FLUSH, room left over means the flush is complete (zlib's documented contract).
        if (flush == Z_SYNC_FLUSH && zs.avail_in == 0 && zs.avail_out > 0)
            break;
    }
    zs.next_in = nullptr;
    zs.avail_in = 0;

    Q_ASSERT(written >= kTailSize &&
             QByteArrayView(out.constData() + written - kTailSize, kTailSize) == QByteArrayView(kTail, kTailSize));
    out.resize(written - kTailSize);
    // The buffer was sized for incompressible input; callers may keep the payload, so do not let them keep that.
    if (out.capacity() - out.size() > 4096)
        out.squeeze();

    if (m_state->noContextTakeover)
        deflateReset(&zs);
    return out;
}

} // namespace wsi
