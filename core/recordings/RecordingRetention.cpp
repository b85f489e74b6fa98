// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingRetention.h"

#include "core/recordings/RecordingReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace wsi::RecordingRetention {

namespace {

struct Recording {
    QString path;
    QDateTime modified;
    qint64 bytes = 0; // with its -wal and -shm files
};

qint64 sizeWithCompanions(const QString &path)
{
    qint64 bytes = 0;
    for (const QString &file : QStringList{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")})
        bytes += QFileInfo(file).size();
    return bytes;
}

bool removeWithCompanions(const QString &path)
{
    bool removed = QFile::remove(path);
    for (const QString &file : QStringList{path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
        if (QFile::exists(file))
            removed = QFile::remove(file) && removed;
    }
    return removed;
}

} // namespace

Result apply(const QString &directory, const Policy &policy, const QDateTime &now)
{
    Result result;
    QList<Recording> recordings;
    const QFileInfoList files = QDir(directory).entryInfoList(QDir::Files, QDir::Time | QDir::Reversed);
    for (const QFileInfo &file : files) {
        if (file.fileName().endsWith(QLatin1StringView("-wal")) || file.fileName().endsWith(QLatin1StringView("-shm")))
            continue;
        if (!RecordingReader::looksLikeRecording(file.filePath()))
            continue;
        recordings.append({file.filePath(), file.lastModified().toUTC(), sizeWithCompanions(file.filePath())});
    }
    // Oldest first.
    std::sort(recordings.begin(), recordings.end(),
              [](const Recording &a, const Recording &b) { return a.modified < b.modified; });
    qint64 total = 0;
    for (const Recording &r : std::as_const(recordings))
        total += r.bytes;

    const QDateTime tooOld = now.addDays(-policy.maxAgeDays);
    const QDateTime inUse = now.addSecs(-3600);
    for (const Recording &r : std::as_const(recordings)) {
        if (r.modified >= inUse)
            break; // this one and every newer one may still be written to
        const bool expired = r.modified < tooOld;
        const bool overSize = total > policy.maxTotalBytes;
        if (!expired && !overSize)
            break; // newer ones are younger still, and the folder fits
        if (removeWithCompanions(r.path)) {
            result.removed.append(r.path);
            result.bytesFreed += r.bytes;
            total -= r.bytes;
        }
    }
    result.bytesKept = total;
    return result;
}

} // namespace wsi::RecordingRetention
