// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameHeader.h"

#include <QtGlobal>

// XOR masking of client-to-server payloads (RFC 6455 §5.3). Masking is the hottest loop of the engine, so it works
// on 16 or 32 bytes at a time (SSE2 / AVX2 where the CPU has them, 64-bit words elsewhere), with unaligned loads
// and stores only: payloads start at any offset inside a receive buffer.
namespace wsi::Masking {

// XORs `length` bytes in place. `phase` is the index (0-3) of the key byte that applies to data[0]: a payload
// that arrives in several pieces continues with phase = bytes already unmasked % 4.
void apply(char *data, qsizetype length, MaskingKey key, unsigned phase = 0) noexcept;

// The same, reading from `source` and writing to `destination` in one pass (they may be the same buffer but must
// not otherwise overlap).
void applyCopy(char *destination, const char *source, qsizetype length, MaskingKey key, unsigned phase = 0) noexcept;

// The plain byte loop: the reference the fast paths are tested against and the benchmark's baseline.
void applyBytewise(char *data, qsizetype length, MaskingKey key, unsigned phase = 0) noexcept;

} // namespace wsi::Masking
