// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/exchange/SessionFileFormat.h"
#include "core/records/SessionRecords.h"

#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// The sessions of a recording or a HAR file, whichever `path` is: what the window's File > Open, `diagnose`,
// `simulate --from`, `import` and `export` all read. Told apart by content (SessionFileFormats).
namespace SessionFileReader {

struct Result {
    SessionFileFormat format = SessionFileFormat::Unreadable;
    // Set for recordings and HAR files that read; empty when the file is of another format.
    std::optional<QList<SessionRecords>> sessions;
    QString error;         // why it did not read (for a recording or a HAR file), or what it is instead
    qsizetype entries = 0; // HAR: entries in the file, WebSocket or not
    QByteArray transcript; // a transcript or an empty file: its bytes, for the caller's own reader
};

// Reads a recording or a HAR file with `budget` for each session's log. A file of another format (a transcript,
// an empty file) gives no sessions, leaves the error empty and hands over its bytes (`transcript`), so callers
// with readers of their own can take it.
Result read(const QString &path, const FrameLog::Budget &budget);

} // namespace SessionFileReader
} // namespace wsi
