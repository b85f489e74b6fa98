// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/home/DataHome.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace wsi {

namespace {

QString genericData()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
}

// Moves every file under `from` to the same relative path under `to`, leaving any file that already exists there
// (and the original with it). A rename where both are on one file system, a copy then a removal otherwise.
void moveFiles(const QString &from, const QString &to)
{
    const QDir source(from);
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(file));
        if (QFileInfo::exists(target) || !QDir().mkpath(QFileInfo(target).absolutePath()))
            continue;
        if (!QFile::rename(file, target) && QFile::copy(file, target))
            QFile::remove(file);
    }
}

} // namespace

QString DataHome::directory()
{
    return genericData() + QStringLiteral("/wsinspector");
}

QStringList DataHome::earlierLocations(const QString &name)
{
    return {genericData() + QStringLiteral("/WS Inspector/WS Inspector/") + name,
            genericData() + QStringLiteral("/wsinspector-cli/") + name};
}

bool DataHome::makePrivateFolder(const QString &path)
{
    const QString absolute = QDir(path).absolutePath();
    QStringList missing;
    for (QString folder = absolute; !QFileInfo::exists(folder); folder = QFileInfo(folder).path()) {
        missing.prepend(folder);
        if (QFileInfo(folder).path() == folder)
            break; // the root
    }
    for (const QString &folder : missing) {
        if (!QDir().mkdir(folder) && !QFileInfo(folder).isDir())
            return false;
        QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    return QFileInfo(absolute).isDir();
}

QString DataHome::part(const QString &name)
{
    const QString path = directory() + u'/' + name;
    if (!QFileInfo::exists(path)) {
        for (const QString &earlier : earlierLocations(name)) {
            if (QFileInfo(earlier).isDir() && makePrivateFolder(path))
                moveFiles(earlier, path);
        }
    }
    return path;
}

} // namespace wsi
