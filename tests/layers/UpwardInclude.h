// SPDX-License-Identifier: GPL-3.0-or-later
// Not compiled: tests/layers/CMakeLists.txt hands this file to the layer check as if it were in core/records.
#pragma once

#include "core/protocol/FrameHeader.h"
#include "core/records/FrameRecord.h"
#include "core/session/Session.h"
