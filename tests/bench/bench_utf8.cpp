// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8 validation of text payloads: pure ASCII (JSON, most protocols) and mixed scripts.
#include "BenchSupport.h"
#include "core/protocol/Utf8Validator.h"

#include <QString>

#include <benchmark/benchmark.h>

namespace {

QByteArray repeatTo(const QByteArray &unit, qsizetype size)
{
    QByteArray out;
    out.reserve(size + unit.size());
    while (out.size() < size)
        out.append(unit);
    return out;
}

qsizetype inputSize()
{
    return wsi::bench::tinyRun() ? 4096 : 1 << 20;
}

const QByteArray &asciiText()
{
    static const QByteArray text =
        repeatTo(QByteArrayLiteral("{\"op\":\"update\",\"id\":12345,\"price\":\"101.25\",\"qty\":3,\"side\":\"buy\"},"),
                 inputSize());
    return text;
}

// Latin with accents, Cyrillic, Greek, CJK and emoji between ASCII: 1- to 4-byte sequences.
const QByteArray &mixedText()
{
    static const QByteArray text = repeatTo(
        QStringLiteral(
            "{\"name\":\"Zoë Ångström\",\"city\":\"Москва\",\"word\":\"κόσμε\",\"jp\":\"東京都\",\"e\":\"🚀✨\"},")
            .toUtf8(),
        inputSize());
    return text;
}

void runValidator(benchmark::State &state, const QByteArray &text)
{
    for (auto _ : state) {
        wsi::Utf8Validator validator;
        if (validator.feed(text) != wsi::Utf8Validator::Result::Valid)
            state.SkipWithError("valid text rejected");
    }
    state.SetBytesProcessed(state.iterations() * text.size());
}

void BM_Utf8Validate_ascii(benchmark::State &state)
{
    runValidator(state, asciiText());
}
void BM_Utf8Validate_mixed(benchmark::State &state)
{
    runValidator(state, mixedText());
}

// Reference point: what decoding the same bytes into a QString costs (the UI does this for display).
void BM_Utf8QtDecode_mixed(benchmark::State &state)
{
    const QByteArray &text = mixedText();
    for (auto _ : state)
        benchmark::DoNotOptimize(QString::fromUtf8(text));
    state.SetBytesProcessed(state.iterations() * text.size());
}

} // namespace

BENCHMARK(BM_Utf8Validate_ascii)->Name("BM_Utf8Validate/ascii");
BENCHMARK(BM_Utf8Validate_mixed)->Name("BM_Utf8Validate/mixed");
BENCHMARK(BM_Utf8QtDecode_mixed)->Name("BM_Utf8QtDecode/mixed");
