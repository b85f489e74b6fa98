// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ProfileStore.h"

#include "core/home/DataHome.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace wsi {
namespace {

// Long enough to read, short enough to stay far below any file system's name limit.
constexpr qsizetype maxSlugLength = 40;

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

ProfileStore::ProfileStore(QString directory)
    : m_directory(directory.isEmpty() ? defaultDirectory() : std::move(directory))
{}

QString ProfileStore::defaultDirectory()
{
    return DataHome::part(QStringLiteral("profiles"));
}

QString ProfileStore::fileNameFor(const QString &profileName)
{
    QString slug;
    for (const QChar c : profileName.toLower()) {
        if (slug.size() >= maxSlugLength)
            break;
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        slug.append(plain ? c : QChar(u'_'));
    }
    const QByteArray hash = QCryptographicHash::hash(profileName.toUtf8(), QCryptographicHash::Sha256).toHex();
    return slug + u'-' + QString::fromLatin1(hash.left(12)) + QStringLiteral(".json");
}

QString ProfileStore::pathFor(const QString &profileName) const
{
    return QDir(m_directory).filePath(fileNameFor(profileName));
}

QStringList ProfileStore::list(QStringList *problems) const
{
    QStringList names;
    const QDir dir(m_directory);
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QString error;
        const auto profile = readProfileFile(dir.filePath(file), &error);
        if (profile)
            names.append(profile->name);
        else if (problems)
            problems->append(error);
    }
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return names;
}

bool ProfileStore::contains(const QString &profileName) const
{
    return QFileInfo::exists(pathFor(profileName));
}

std::optional<SessionProfile> ProfileStore::load(const QString &profileName, QString *error) const
{
    if (!contains(profileName)) {
        setError(error, QStringLiteral("no profile named '%1' in %2").arg(profileName, m_directory));
        return std::nullopt;
    }
    auto profile = readProfileFile(pathFor(profileName), error);
    // A hash collision or a file edited by hand to carry another name.
    if (profile && profile->name != profileName) {
        setError(
            error,
            QStringLiteral("%1 holds profile '%2', not '%3'").arg(pathFor(profileName), profile->name, profileName));
        return std::nullopt;
    }
    return profile;
}

bool ProfileStore::save(const SessionProfile &profile, QString *error)
{
    if (profile.name.trimmed().isEmpty()) {
        setError(error, QStringLiteral("a profile needs a name"));
        return false;
    }
    if (!DataHome::makePrivateFolder(m_directory)) {
        setError(error, QStringLiteral("cannot create the profile directory %1").arg(m_directory));
        return false;
    }
    return writeProfileFile(profile, pathFor(profile.name), ProfileJson::Secrets::Omit, error);
}

bool ProfileStore::rename(const QString &from, const QString &to, QString *error)
{
    if (from == to)
        return load(from, error).has_value();
    if (contains(to)) {
        setError(error, QStringLiteral("a profile named '%1' already exists").arg(to));
        return false;
    }
    auto profile = load(from, error);
    if (!profile)
        return false;
    profile->name = to;
    // Write the new file before removing the old one: an interruption leaves two profiles, never none.
    if (!save(*profile, error))
        return false;
    return remove(from, error);
}

bool ProfileStore::duplicate(const QString &from, const QString &to, QString *error)
{
    if (contains(to)) {
        setError(error, QStringLiteral("a profile named '%1' already exists").arg(to));
        return false;
    }
    auto profile = load(from, error);
    if (!profile)
        return false;
    profile->name = to;
    return save(*profile, error);
}

bool ProfileStore::remove(const QString &profileName, QString *error)
{
    QFile file(pathFor(profileName));
    if (!file.exists()) {
        setError(error, QStringLiteral("no profile named '%1' in %2").arg(profileName, m_directory));
        return false;
    }
    if (!file.remove()) {
        setError(error, QStringLiteral("cannot remove %1: %2").arg(file.fileName(), file.errorString()));
        return false;
    }
    return true;
}

std::optional<SessionProfile> ProfileStore::importFile(const QString &path, QString *error)
{
    auto profile = readProfileFile(path, error);
    if (!profile)
        return std::nullopt;
    if (contains(profile->name)) {
        setError(error, QStringLiteral("%1: a profile named '%2' already exists; rename or remove it first")
                            .arg(path, profile->name));
        return std::nullopt;
    }
    if (!save(*profile, error))
        return std::nullopt;
    return profile;
}

bool ProfileStore::exportProfile(const QString &profileName, const QString &path, QString *error,
                                 ProfileJson::Secrets secrets) const
{
    const auto profile = load(profileName, error);
    return profile && writeProfileFile(*profile, path, secrets, error);
}

bool ProfileStore::writeProfileFile(const SessionProfile &profile, const QString &path, ProfileJson::Secrets secrets,
                                    QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    file.write(ProfileJson::toBytes(profile, secrets));
    if (!file.commit()) {
        setError(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

std::optional<SessionProfile> ProfileStore::readProfileFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    return ProfileJson::fromBytes(file.readAll(), path, error);
}

} // namespace wsi
