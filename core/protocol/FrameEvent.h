// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameHeader.h"
#include "core/protocol/Violation.h"

#include <QByteArrayView>

namespace wsi {

// One complete frame as the parser saw it. `payload` is unmasked and points either into the caller's input or
// into the parser's own buffer: it stays valid until the next call to FrameParser::next(), so keep a copy if the
// bytes are needed longer.
struct FrameEvent {
    FrameHeader header;
    QByteArrayView payload;
    ViolationList violations;
    quint64 streamOffset = 0;      // offset of the frame's first byte in the parsed byte stream
    bool payloadDiscarded = false; // the declared length broke the frame limit: the bytes were skipped unread
};

} // namespace wsi
