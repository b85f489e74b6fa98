// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/MessageAssembler.h"
#include "core/records/FrameRecord.h"

namespace wsi {

// A whole data message (after reassembly and inflation) in a session's capture.
struct MessageRecord {
    qint64 timeNs = 0;      // when its last frame crossed the socket
    quint64 firstFrame = 0; // index of its first frame in the FrameLog
    quint64 lastFrame = 0;
    quint64 wireLength = 0;       // payload bytes on the wire over all frames
    quint64 length = 0;           // payload bytes after inflation
    quint64 payloadReference = 0; // into the PayloadStore
    quint32 storedLength = 0;     // bytes kept in memory; < length when the budget cut it
    quint32 frameCount = 0;
    MessageType type = MessageType::Text;
    Direction direction = Direction::Incoming;
    bool compressed = false;
    // A single uncompressed frame's message shares that frame's stored payload instead of a second copy.
    bool sharesFramePayload = false;

    bool payloadTruncated() const noexcept { return storedLength < length; }
};

} // namespace wsi
