// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/ProfileJson.h"
#include "core/profiles/SessionProfile.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// The profile library: one JSON file per profile in one directory. A file's name is derived from the profile's
// name (a readable slug plus a hash of the exact name), so any name is safe on every file system, names differing
// only in case do not collide on case-insensitive ones, and the name inside the file stays the truth. Every write
// goes through QSaveFile: a crash or a full disk leaves the old file, never half a profile.
//
// Failing operations return false or nullopt and set *error to a sentence naming the profile or file.
class ProfileStore
{
public:
    // directory: where the files live; empty means defaultDirectory(). Created on the first save.
    explicit ProfileStore(QString directory = {});

    // DataHome::part("profiles"): one folder for the window and the command line.
    static QString defaultDirectory();
    static QString fileNameFor(const QString &profileName);

    QString directory() const { return m_directory; }
    QString pathFor(const QString &profileName) const;

    // Names of the readable profiles, sorted; files that do not read as profiles are skipped (see problems).
    QStringList list(QStringList *problems = nullptr) const;
    bool contains(const QString &profileName) const;
    std::optional<SessionProfile> load(const QString &profileName, QString *error) const;
    // Creates or replaces the profile of that name. Secret values never reach the file.
    bool save(const SessionProfile &profile, QString *error);
    bool rename(const QString &from, const QString &to, QString *error);
    bool duplicate(const QString &from, const QString &to, QString *error);
    bool remove(const QString &profileName, QString *error);
    // Reads and validates a profile file from anywhere and saves it into the store under its own name, which must
    // not be taken yet. Returns the profile stored.
    std::optional<SessionProfile> importFile(const QString &path, QString *error);
    // Writes a stored profile to path (atomically).
    bool exportProfile(const QString &profileName, const QString &path, QString *error,
                       ProfileJson::Secrets secrets = ProfileJson::Secrets::Omit) const;
    static bool writeProfileFile(const SessionProfile &profile, const QString &path, ProfileJson::Secrets secrets,
                                 QString *error);
    static std::optional<SessionProfile> readProfileFile(const QString &path, QString *error);

private:
    QString m_directory;
};

} // namespace wsi
