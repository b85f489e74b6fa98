// SPDX-License-Identifier: GPL-3.0-or-later
#include "BenchSupport.h"

#include <benchmark/benchmark.h>
#include <cstring>
#include <vector>

namespace {
bool g_tiny = false;
}

bool wsi::bench::tinyRun()
{
    return g_tiny;
}

int main(int argc, char **argv)
{
    std::vector<char *> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--tiny") == 0)
            g_tiny = true;
        else
            args.push_back(argv[i]);
    }
    int count = int(args.size());
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data()))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
