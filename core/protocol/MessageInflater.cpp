// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/MessageInflater.h"

#include <QtGlobal>

#include <algorithm>
#include <array>
#include <climits>
#include <limits>
#include <zlib.h>

namespace wsi {

namespace {

// Appended to every message before inflating (RFC 7692 §7.2.2): the LEN/NLEN of the empty stored block whose
// header the sender's sync flush left in the message's last byte.
constexpr std::array<unsigned char, 4> kTail{0x00, 0x00, 0xff, 0xff};

// Below this much free capacity `out` grows first, so zlib keeps working in its fast path (which wants at least
// 258 bytes of output space) instead of being called for a few bytes at a time.
constexpr qsizetype kMinRoom = 4096;

// zlib counts in uInt; larger inputs and output areas are handed over in pieces of at most this size.
constexpr qsizetype kMaxZlibChunk =
    qsizetype(std::min<quint64>(UINT_MAX, quint64(std::numeric_limits<qsizetype>::max())));

} // namespace

struct MessageInflater::State {
    z_stream zs{};
    int windowBits = 15;
    bool noContextTakeover = false;

    // Once the current message failed, its remaining input is ignored and the failure repeated until it ends.
    Status failure = Status::Ok;
    QString failureText;

    qint64 messageIn = 0;         // compressed bytes of the current message consumed, to say where an error is
    bool atFinalBlockEnd = false; // the input consumed so far ends exactly after a block with BFINAL=1
    QByteArray dictionary;        // carries the window over a BFINAL block; allocated the first time one comes

    Status feed(const unsigned char *data, qsizetype size, QByteArray &out, qsizetype maxOutput, bool isTail);
    void restartAfterFinalBlock();
    void endMessage(bool keepWindow);
};

MessageInflater::MessageInflater(int windowBits, bool noContextTakeover)
    : m_state(std::make_unique<State>())
{
    Q_ASSERT(windowBits >= 8 && windowBits <= 15);
    m_state->windowBits = std::clamp(windowBits, 8, 15);
    m_state->noContextTakeover = noContextTakeover;
    int ret = inflateInit2(&m_state->zs, -m_state->windowBits);
    if (ret == Z_STREAM_ERROR && m_state->windowBits == 8) {
        // zlib 1.2.13 inflates raw streams with a 256-byte window (only raw deflate refuses 8 bits); should a build
        // refuse it, 9 bits still inflate every 8-bit stream correctly, being a superset.
        m_state->windowBits = 9;
        ret = inflateInit2(&m_state->zs, -m_state->windowBits);
    }
    if (ret == Z_MEM_ERROR)
        qBadAlloc();
    Q_ASSERT(ret == Z_OK);
}

MessageInflater::~MessageInflater()
{
    inflateEnd(&m_state->zs);
}

MessageInflater::Status MessageInflater::inflate(QByteArrayView compressed, QByteArray &out, qsizetype maxOutput,
                                                 QString *error)
{
    State &s = *m_state;
    if (s.failure == Status::Ok && !compressed.isEmpty())
        s.failure = s.feed(reinterpret_cast<const unsigned char *>(compressed.data()), compressed.size(), out,
                           maxOutput, false);
    if (s.failure != Status::Ok && error)
        *error = s.failureText;
    return s.failure;
}

MessageInflater::Status MessageInflater::finishMessage(QByteArray &out, qsizetype maxOutput, QString *error)
{
    State &s = *m_state;
    // An empty payload carries no DEFLATE data at all (a conforming sender writes 0x00, RFC 7692 §7.2.3.6), and a
    // message that stopped right after a BFINAL block has nothing left to flush. Inflating the tail in either case
    // would leave zlib inside a stored block's header and garble the next message.
    if (s.failure == Status::Ok && s.messageIn > 0 && !s.atFinalBlockEnd) {
        s.failure = s.feed(kTail.data(), qsizetype(kTail.size()), out, maxOutput, true);
        // data_type bit 128: inflate stopped at a block boundary. Anywhere else the message was cut short.
        if (s.failure == Status::Ok && !(s.zs.data_type & 128) && !s.atFinalBlockEnd) {
            s.failure = Status::BadData;
            s.failureText = QStringLiteral("the compressed message ends inside a DEFLATE block after %1 bytes "
                                           "(truncated, or not flushed with an empty stored block as RFC 7692 "
                                           "§7.2.1 requires)")
                                .arg(s.messageIn - qint64(kTail.size()));
        }
    }
    const Status status = s.failure;
    if (status != Status::Ok && error)
        *error = s.failureText;
    s.endMessage(status == Status::Ok && !s.noContextTakeover);
    return status;
}

void MessageInflater::abortMessage()
{
    m_state->endMessage(false);
}

void MessageInflater::State::endMessage(bool keepWindow)
{
    if (!keepWindow)
        inflateReset(&zs);
    failure = Status::Ok;
    failureText.clear();
    messageIn = 0;
    atFinalBlockEnd = false;
}

void MessageInflater::State::restartAfterFinalBlock()
{
    // zlib treats BFINAL as the end of everything, while in permessage-deflate the sender may go on after it (at
    // least with the empty stored block of §7.2.3.4) and later messages may refer to the window. So restart zlib
    // with the window it had as a preset dictionary.
    if (dictionary.isEmpty())
        dictionary.resize(qsizetype(1) << windowBits);
    auto *window = reinterpret_cast<unsigned char *>(dictionary.data());
    uInt length = uInt(dictionary.size());
    inflateGetDictionary(&zs, window, &length);
    inflateReset(&zs);
    if (length > 0)
        inflateSetDictionary(&zs, window, length);
    atFinalBlockEnd = true;
}

// Inflates straight into the free capacity of `out`, with no intermediate buffer, growing `out` geometrically but
// never past maxOutput. At the limit a single scratch byte tells whether the stream has more to give: if it does,
// the message is too large, and the rest of the input is not even looked at.
MessageInflater::Status MessageInflater::State::feed(const unsigned char *data, qsizetype size, QByteArray &out,
                                                     qsizetype maxOutput, bool isTail)
{
    const qsizetype limit = std::max<qsizetype>(maxOutput, 0);
    Status status = Status::Ok;
    bool outputFull = false; // zlib may hold more output (the rest of a match) even when all input is consumed

    while (status == Status::Ok) {
        if (zs.avail_in == 0 && size == 0 && !outputFull)
            break;
        if (zs.avail_in == 0 && size > 0) {
            const qsizetype chunk = std::min(size, kMaxZlibChunk);
            zs.next_in = const_cast<unsigned char *>(data); // zlib's API is not const-correct; it never writes there
            zs.avail_in = uInt(chunk);
            data += chunk;
            size -= chunk;
        }

        const qsizetype used = out.size();
        qsizetype room = 0;
        unsigned char probe = 0;
        if (used < limit) {
            qsizetype capacity = out.capacity();
            if (capacity - used < kMinRoom && capacity < limit) {
                const qsizetype doubled = capacity > limit / 2 ? limit : 2 * capacity;
                capacity = std::min(limit, std::max(used + kMinRoom, doubled));
            }
            room = std::min(std::max(std::min(capacity, limit) - used, qsizetype(1)), kMaxZlibChunk);
            // reserve() first, so that resize() never applies Qt's growth policy and the capacity stays within the
            // limit; resize() within the capacity leaves the new bytes uninitialised for zlib to write.
            out.reserve(used + room);
            out.resize(used + room);
            zs.next_out = reinterpret_cast<unsigned char *>(out.data()) + used;
            zs.avail_out = uInt(room);
        } else {
            zs.next_out = &probe;
            zs.avail_out = 1;
        }

        const uInt availIn = zs.avail_in;
        const int ret = ::inflate(&zs, Z_SYNC_FLUSH);
        const qsizetype consumed = qsizetype(availIn - zs.avail_in);
        const qsizetype produced = (room > 0 ? room : 1) - qsizetype(zs.avail_out);
        messageIn += consumed;
        if (consumed > 0)
            atFinalBlockEnd = false;
        if (room > 0)
            out.resize(used + produced);
        outputFull = zs.avail_out == 0;

        if (room == 0 && produced > 0) {
            failureText = QStringLiteral("the inflated message exceeds the limit of %1 bytes; inflation stopped "
                                         "there")
                              .arg(limit);
            status = Status::TooLarge;
        } else if (ret == Z_STREAM_END) {
            restartAfterFinalBlock();
        } else if (ret == Z_MEM_ERROR) {
            qBadAlloc();
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            const QString where = isTail ? QStringLiteral("at the end of the message (in the 00 00 ff ff tail "
                                                          "appended by the receiver)")
                                         : QStringLiteral("near compressed byte %1 of the message").arg(messageIn);
            const QString reason = zs.msg ? QString::fromLatin1(zs.msg) : QStringLiteral("zlib error %1").arg(ret);
            failureText = QStringLiteral("invalid DEFLATE data %1: %2 (RFC 7692 §7.2.2)").arg(where, reason);
            status = Status::BadData;
        } else if (consumed == 0 && produced == 0 && zs.avail_in > 0) {
            // No progress with input left and room for output: zlib's inflate never does this, but looping on it
            // would hang the session.
            failureText = QStringLiteral("invalid DEFLATE data near compressed byte %1 of the message: inflate "
                                         "made no progress (RFC 7692 §7.2.2)")
                              .arg(messageIn);
            status = Status::BadData;
        }
    }

    // The caller's bytes are only valid during this call.
    zs.next_in = nullptr;
    zs.avail_in = 0;
    return status;
}

} // namespace wsi
