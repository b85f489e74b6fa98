// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing throughput on many small masked client frames, the worst case for per-frame overhead.
#include "BenchSupport.h"
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/MessageAssembler.h"

#include <QRandomGenerator>

#include <benchmark/benchmark.h>

namespace {

struct SmallFrames {
    QByteArray stream;
    qint64 frames = 0;
};

// One million masked text frames of 2-125 bytes (a thousand in the CI smoke run), built once.
const SmallFrames &smallFrames()
{
    static const SmallFrames built = [] {
        SmallFrames result;
        result.frames = wsi::bench::tinyRun() ? 1000 : 1000000;
        QRandomGenerator random(42);
        wsi::FrameWriter writer(wsi::Endpoint::Client);
        writer.setKeyGenerator(&random);
        QByteArray payload(125, 'a');
        result.stream.reserve(result.frames * 70);
        for (qint64 i = 0; i < result.frames; ++i) {
            const auto size = qsizetype(random.bounded(2, 126));
            for (qsizetype j = 0; j < size; ++j)
                payload[j] = char('a' + (i + j) % 26);
            writer.append(result.stream, wsi::FrameSpec{}, QByteArrayView(payload).first(size));
        }
        return result;
    }();
    return built;
}

void BM_ParseSmallFrames(benchmark::State &state)
{
    const SmallFrames &input = smallFrames();
    for (auto _ : state) {
        wsi::FrameParser parser(wsi::Endpoint::Client);
        wsi::FrameEvent event;
        QByteArrayView rest(input.stream);
        qint64 frames = 0;
        while (parser.next(rest, event)) {
            benchmark::DoNotOptimize(event.payload.data());
            ++frames;
        }
        if (frames != input.frames)
            state.SkipWithError("frame count mismatch");
    }
    state.SetItemsProcessed(state.iterations() * input.frames);
    state.SetBytesProcessed(state.iterations() * input.stream.size());
}

// The same frames through the parser and the message assembler (UTF-8 validation, message copies): what a
// session pays per incoming message.
void BM_ParseAndAssembleSmallFrames(benchmark::State &state)
{
    const SmallFrames &input = smallFrames();
    for (auto _ : state) {
        wsi::FrameParser parser(wsi::Endpoint::Client);
        wsi::MessageAssembler assembler(wsi::Endpoint::Client);
        wsi::FrameEvent event;
        wsi::MessageAssembler::Output output;
        QByteArrayView rest(input.stream);
        qint64 messages = 0;
        while (parser.next(rest, event)) {
            assembler.push(event, output);
            messages += output.message.has_value() ? 1 : 0;
        }
        if (messages != input.frames)
            state.SkipWithError("message count mismatch");
    }
    state.SetItemsProcessed(state.iterations() * input.frames);
    state.SetBytesProcessed(state.iterations() * input.stream.size());
}

} // namespace

BENCHMARK(BM_ParseSmallFrames)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndAssembleSmallFrames)->Unit(benchmark::kMillisecond);
