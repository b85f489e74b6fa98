// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatHistory.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace wsi {

// A session read from a file (a recording, or one WebSocket entry of a HAR file): the same records a live Session
// keeps, complete and no longer growing, so every view, the simulator and the diagnosis read it as they read a live
// session. Built by RecordingReader and HarReader.
struct CapturedSession {
    enum class Source : quint8 { Recording, Har };

    Source source = Source::Recording;
    QString sourcePath; // the file it was read from
    QUrl url;
    QDateTime startedAt; // wall time of the session clock's zero
    std::shared_ptr<FrameLog> log;
    HandshakeRecord handshake;
    std::optional<CloseRecord> close;            // none when the file does not say how it ended
    std::shared_ptr<HeartbeatHistory> heartbeat; // null when the file holds no heartbeat events
    // A recording keeps every payload in full; the log holds them only within its memory budget. Frames whose
    // payload the log cut (PayloadTruncated) are read back from here on demand (RecordingReader::framePayload()).
    // Empty for HAR files: what they lack is lost.
    QString recordingPath;
};

} // namespace wsi
