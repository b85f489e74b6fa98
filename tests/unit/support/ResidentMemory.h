// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// Resident memory of the test process, for tests that prove memory stays bounded against hostile input.
namespace wsi::test {

// Resident set size in bytes from /proc/self/statm; -1 where it cannot be read.
qint64 residentBytes();

// False where RSS says nothing useful about the code under test: AddressSanitizer keeps freed memory in its
// quarantine and shadows every allocation, so RSS checks are skipped in sanitizer builds (the allocation paths are
// still exercised, and ASan itself reports leaks and overflows there).
bool residentMemoryIsMeaningful();

} // namespace wsi::test
