// SPDX-License-Identifier: GPL-3.0-or-later
// permessage-deflate inflation: MessageInflater against plain zlib inflate over the very same compressed messages
// (context takeover, so every message may refer to the ones before it), both reusing one output buffer.
#include "BenchSupport.h"
#include "core/protocol/MessageDeflater.h"
#include "core/protocol/MessageInflater.h"

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>

#include <algorithm>
#include <benchmark/benchmark.h>
#include <zlib.h>

namespace {

constexpr int kWindowBits = 15;
constexpr qsizetype kLimit = 64 * 1024 * 1024;

struct Stream {
    QList<QByteArray> payloads; // one compressed message each, tail removed as on the wire
    qint64 inflatedBytes = 0;
};

// What a trading or chat feed sends: JSON objects of about 1 KiB with recurring keys and varying values.
QByteArray jsonMessage(QRandomGenerator &random)
{
    QByteArray message = "{\"type\":\"book\",\"seq\":" + QByteArray::number(random.generate()) + ",\"bids\":[";
    while (message.size() < 1000) {
        message += "{\"px\":" + QByteArray::number(random.bounded(1000000) / 100.0, 'f', 2) +
                   ",\"qty\":" + QByteArray::number(random.bounded(5000)) + ",\"venue\":\"" +
                   (random.bounded(2) ? "XNAS" : "ARCX") + "\"},";
    }
    message += "{}],\"ts\":" + QByteArray::number(1700000000000LL + random.bounded(100000)) + "}";
    return message;
}

// Built once, so that both benchmarks read identical input.
const Stream &stream()
{
    static const Stream built = [] {
        Stream s;
        QRandomGenerator random(7692);
        wsi::MessageDeflater deflater(kWindowBits, false);
        const int count = wsi::bench::tinyRun() ? 20 : 1000;
        for (int i = 0; i < count; ++i) {
            const QByteArray message = jsonMessage(random);
            s.payloads.append(deflater.compress(message));
            s.inflatedBytes += message.size();
        }
        return s;
    }();
    return built;
}

void BM_Inflate(benchmark::State &state)
{
    const Stream &input = stream();
    QByteArray out;
    for (auto _ : state) {
        wsi::MessageInflater inflater(kWindowBits, false);
        for (const QByteArray &payload : input.payloads) {
            out.resize(0); // keeps the capacity
            if (inflater.inflate(payload, out, kLimit) != wsi::MessageInflater::Status::Ok ||
                inflater.finishMessage(out, kLimit) != wsi::MessageInflater::Status::Ok) {
                state.SkipWithError("inflate failed");
                return;
            }
            benchmark::DoNotOptimize(out.constData());
        }
    }
    state.SetBytesProcessed(state.iterations() * input.inflatedBytes);
}

// inflate() with the same window, flush mode and output policy: the payload, then the 00 00 ff ff tail, straight
// into the reused buffer, which doubles when zlib fills it.
bool zlibInflate(z_stream &zs, const unsigned char *data, uInt size, QByteArray &out)
{
    zs.next_in = const_cast<unsigned char *>(data);
    zs.avail_in = size;
    do {
        if (out.capacity() - out.size() < 4096)
            out.reserve(std::max<qsizetype>(2 * out.capacity(), out.size() + 4096));
        const qsizetype used = out.size();
        const qsizetype room = out.capacity() - used;
        out.resize(used + room);
        zs.next_out = reinterpret_cast<unsigned char *>(out.data()) + used;
        zs.avail_out = uInt(room);
        const int ret = inflate(&zs, Z_SYNC_FLUSH);
        out.resize(used + room - qsizetype(zs.avail_out));
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            return false;
    } while (zs.avail_out == 0);
    return true;
}

void BM_InflateZlibDirect(benchmark::State &state)
{
    const Stream &input = stream();
    static const unsigned char tail[] = {0x00, 0x00, 0xff, 0xff};
    QByteArray out;
    for (auto _ : state) {
        z_stream zs{};
        if (inflateInit2(&zs, -kWindowBits) != Z_OK) {
            state.SkipWithError("inflateInit2 failed");
            return;
        }
        for (const QByteArray &payload : input.payloads) {
            out.resize(0);
            if (!zlibInflate(zs, reinterpret_cast<const unsigned char *>(payload.constData()), uInt(payload.size()),
                             out) ||
                !zlibInflate(zs, tail, sizeof(tail), out)) {
                state.SkipWithError("inflate failed");
                inflateEnd(&zs);
                return;
            }
            benchmark::DoNotOptimize(out.constData());
        }
        inflateEnd(&zs);
    }
    state.SetBytesProcessed(state.iterations() * input.inflatedBytes);
}

} // namespace

BENCHMARK(BM_Inflate);
BENCHMARK(BM_InflateZlibDirect);
