// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingFailure.h"

#include <QFileInfo>
#include <QStorageInfo>

#include <cerrno>

namespace wsi::RecordingFailure {
namespace {

// Less than this free and SQLite cannot add a page and its WAL frame: the disk is what stopped the writer.
constexpr qint64 fullBelowBytes = 64 * 1024;

} // namespace

QString fileRemoved(const QString &path)
{
    return QStringLiteral("the recording file was removed: %1").arg(path);
}

QString osReason(const QString &path, const QString &writerError)
{
    if (writerError == fileRemoved(path))
        return writerError;
    const QFileInfo file(path);
    const QStorageInfo storage(file.absolutePath());
    const bool full = writerError.contains(QLatin1StringView("full"), Qt::CaseInsensitive) ||
                      (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < fullBelowBytes);
    if (full)
        return qt_error_string(ENOSPC);
    if (storage.isValid() && storage.isReadOnly())
        return qt_error_string(EROFS);
    if (!file.absoluteDir().exists())
        return qt_error_string(ENOENT);
    if (file.exists() ? !file.isWritable() : !QFileInfo(file.absolutePath()).isWritable())
        return qt_error_string(EACCES);
    return writerError;
}

} // namespace wsi::RecordingFailure
