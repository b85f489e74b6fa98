// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace wsi {

// Keeps the window's recordings folder from growing without end, since every session is recorded by default:
// recordings older than maxAgeDays go, then the oldest ones until the folder holds at most maxTotalBytes. Only
// files that are recordings (RecordingReader::looksLikeRecording) are touched, with their -wal and -shm files, and
// never one modified within the last hour (a session may still be writing it).
namespace RecordingRetention {

struct Policy {
    int maxAgeDays = 30;
    qint64 maxTotalBytes = 2ll * 1024 * 1024 * 1024;
};

struct Result {
    QStringList removed;
    qint64 bytesFreed = 0;
    qint64 bytesKept = 0;
};

// Blocking file I/O: call it off the GUI thread. `now` is a parameter for tests.
Result apply(const QString &directory, const Policy &policy, const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace RecordingRetention
} // namespace wsi
