// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/RelayAllocation.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wsi::cli::RelayAllocation {

void keepFreedBuffers()
{
#if defined(__GLIBC__)
    // Fixed values also turn off glibc's own adjustment of these thresholds.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024); // the largest glibc accepts on 64-bit systems
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

} // namespace wsi::cli::RelayAllocation
