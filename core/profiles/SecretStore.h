// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/ProfileSecrets.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

namespace wsi {

// Profile secrets in the OS keychain through QtKeychain: the Secret Service (GNOME Keyring, KWallet) on Linux,
// Keychain on macOS, Credential Manager on Windows. One entry per profile (see ProfileSecrets), under the service
// name given here and the profile's name as key. The insecure plain-text fallback of QtKeychain is never used.
//
// Every call starts one asynchronous job and returns at once, so the GUI thread never waits for a keychain that
// asks the user to unlock it. The callback runs later on this object's thread, and not at all when `context` has
// been destroyed meanwhile (as with QObject::connect).
//
// Where no keychain service runs (a headless machine, a container) the result is Unavailable, in a build without
// QtKeychain Unsupported, and message() says so in a sentence for the user; nothing is written anywhere else.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    static constexpr QLatin1StringView defaultService{"WS Inspector"};

    enum class Status : quint8 {
        Done,
        NotFound,    // load / remove: the keychain holds nothing for this profile (not an error for the user)
        Unavailable, // no keychain service to talk to
        Unsupported, // this build has no keychain support (made without QtKeychain)
        Denied,      // the user or the system refused access (a locked keychain whose prompt was dismissed)
        Failed,      // anything else; detail has the keychain's own words
    };
    enum class Operation : quint8 { Store, Load, Remove };

    struct Result {
        Status status = Status::Done;
        Operation operation = Operation::Store;
        QString detail; // the keychain's message, or why no keychain is available

        bool succeeded() const noexcept { return status == Status::Done || status == Status::NotFound; }
        // A sentence for the window: "Secrets were not saved: no keychain service is running on this machine ...".
        QString message() const;
    };
    using Done = std::function<void(const Result &)>;
    using Loaded = std::function<void(const ProfileSecrets &, const Result &)>;

    explicit SecretStore(QString service = QString(defaultService), QObject *parent = nullptr);

    // Whether this build talks to a keychain at all (false: every call reports Unsupported).
    static bool hasKeychainSupport() noexcept;
    QString service() const { return m_service; }

    // Stores the profile's secrets, replacing what was kept before; empty secrets remove the entry.
    void store(const QString &profileName, const ProfileSecrets &secrets, QObject *context, Done done);
    void load(const QString &profileName, QObject *context, Loaded done);
    void remove(const QString &profileName, QObject *context, Done done);
    // Carries a profile's secrets to another name (duplicate), then removes the old entry when `move` (rename).
    // Nothing to carry is success.
    void copy(const QString &from, const QString &to, bool move, QObject *context, Done done);

private:
    void finish(QKeychain::Job *job, Operation operation, const QPointer<QObject> &context,
                const std::function<void(const Result &)> &deliver);
    void reportUnavailable(Operation operation, const QString &detail, const QPointer<QObject> &context,
                           const std::function<void(const Result &)> &deliver);

    QString m_service;
};

} // namespace wsi
