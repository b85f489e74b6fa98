// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingPaths.h"

#include "core/home/DataHome.h"
#include "core/recordings/RecordingFormat.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace wsi::RecordingPaths {

QString defaultDirectory()
{
    return DataHome::part(QStringLiteral("recordings"));
}

QString newFileIn(const QString &directory, const QUrl &url, const QDateTime &when)
{
    // Only characters every file system accepts: the host of an IPv6 URL has colons.
    QString host = url.host();
    for (QChar &c : host) {
        if (!c.isLetterOrNumber() && c != u'.' && c != u'-')
            c = u'_';
    }
    const QString stem = QStringLiteral("%1-%2-%3")
                             .arg(when.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), host)
                             .arg(url.port(url.scheme() == QLatin1StringView("wss") ? 443 : 80));
    const QDir dir(directory);
    QString path = dir.filePath(stem + u'.' + RecordingFormat::fileSuffix);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(QStringLiteral("%1_%2.%3").arg(stem).arg(n).arg(RecordingFormat::fileSuffix));
    return path;
}

QString reserveNewFileIn(const QString &directory, const QUrl &url, const QDateTime &when, QString *error)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString path = newFileIn(directory, url, when);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, DataHome::privateFile))
            return path;
        if (!QFileInfo::exists(path)) {
            *error = QStringLiteral("cannot create %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
            return {};
        }
    }
    *error = QStringLiteral("no free file name in %1").arg(QDir::toNativeSeparators(directory));
    return {};
}

QString forConnection(const QString &path, int connection)
{
    if (connection <= 1)
        return path;
    const QFileInfo info(path);
    const QString suffix = info.completeSuffix();
    const QString name = suffix.isEmpty() ? QStringLiteral("%1-%2").arg(info.fileName()).arg(connection)
                                          : QStringLiteral("%1-%2.%3").arg(info.baseName()).arg(connection).arg(suffix);
    return info.dir().filePath(name);
}

} // namespace wsi::RecordingPaths
