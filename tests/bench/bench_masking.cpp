// SPDX-License-Identifier: GPL-3.0-or-later
// Unmasking: ours against the plain byte loop and against memcpy of the same buffer, on identical inputs.
#include "core/protocol/Masking.h"

#include <benchmark/benchmark.h>
#include <cstring>
#include <vector>

namespace {

const wsi::MaskingKey benchKey{0x37, 0xfa, 0x21, 0x3d};

std::vector<char> makeBuffer(std::size_t size)
{
    std::vector<char> buffer(size);
    for (std::size_t i = 0; i < size; ++i)
        buffer[i] = char(i * 31 + 7);
    return buffer;
}

void BM_Unmask(benchmark::State &state)
{
    auto buffer = makeBuffer(std::size_t(state.range(0)));
    for (auto _ : state) {
        wsi::Masking::apply(buffer.data(), qsizetype(buffer.size()), benchKey);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

// The loop most WebSocket implementations use: p[i] ^= key[i % 4].
void BM_UnmaskBytewise(benchmark::State &state)
{
    auto buffer = makeBuffer(std::size_t(state.range(0)));
    for (auto _ : state) {
        char *p = buffer.data();
        const std::size_t size = buffer.size();
        for (std::size_t i = 0; i < size; ++i)
            p[i] = char(p[i] ^ benchKey[i % 4]);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Memcpy(benchmark::State &state)
{
    auto source = makeBuffer(std::size_t(state.range(0)));
    std::vector<char> destination(source.size());
    for (auto _ : state) {
        std::memcpy(destination.data(), source.data(), source.size());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

} // namespace

BENCHMARK(BM_Unmask)->Arg(125)->Arg(65536)->Arg(16777216);
BENCHMARK(BM_UnmaskBytewise)->Arg(125)->Arg(65536)->Arg(16777216);
BENCHMARK(BM_Memcpy)->Arg(125)->Arg(65536)->Arg(16777216);
