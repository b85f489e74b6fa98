// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wsi::bench {

// True when the binary runs with --tiny (CI's smoke run): benchmarks shrink their inputs so the run takes seconds.
bool tinyRun();

} // namespace wsi::bench
