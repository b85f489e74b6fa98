// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameHeader.h"
#include "core/protocol/Violation.h"

// Readable QCOMPARE failures for the protocol types: QTest finds these by argument-dependent lookup.
namespace wsi {

char *toString(const ViolationRule &rule);
char *toString(const LengthEncoding &encoding);
char *toString(const FrameHeader &header);

} // namespace wsi
