// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wsi::cli::RelayAllocation {

// For the commands that relay (proxy, capture), before they start: a relay reads each socket into a fresh buffer of
// up to a few MB, and glibc gives such buffers back to the kernel as they are freed (unmapped, or trimmed off the
// heap's top), so the next read faults every page in again, zeroed: a quarter of a busy relay's time went there.
// Up to 64 MiB of freed memory then stays in the heap for reuse instead. Nothing elsewhere.
void keepFreedBuffers();

} // namespace wsi::cli::RelayAllocation
