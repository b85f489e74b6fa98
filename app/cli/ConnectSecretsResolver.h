// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/SecretStore.h"
#include "core/profiles/SessionProfile.h"
#include "core/session/SessionOptions.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace wsi::cli {

// `connect --profile` when the profile has secrets no flag gave (header and cookie values and secret variables,
// which profile files never keep): reads them from the OS keychain as the window does (SecretStore, the profile's
// name as key), fills them in and resolves the session options through ProfileVariables.
//
// The keychain answers asynchronously, so this runs inside the event loop before the connection starts. The wait
// is bounded: a locked keychain may sit on an unlock prompt nobody is there to answer. Whatever is still open
// afterwards is an error naming each value, why the keychain did not give it, and the flag that does.
class ConnectSecretsResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectSecretsResolver)

public:
    static constexpr int keychainTimeoutMs = 30000;
    // The options ready to connect, or nothing and the error (a usage error: values the user has to give).
    using Resolved = std::function<void(const std::optional<SessionOptions> &options, const QString &error)>;

    explicit ConnectSecretsResolver(QString keychainService = QString(SecretStore::defaultService),
                                    QObject *parent = nullptr);

    // Calls `resolved` exactly once, later (never from inside this call) and within keychainTimeoutMs.
    void resolve(const SessionProfile &profile, Resolved resolved);

    // The secrets still open in `profile`, each with its flag, and `why` the keychain did not fill them:
    // "profile 'P': no value for the secret header 'Authorization': <why>. Give it on the command line: -H ...".
    // Never contains a secret value.
    static QString missingSecretsMessage(const SessionProfile &profile, const QString &why);
    // Why the keychain gave no value, as the clause missingSecretsMessage() takes.
    static QString keychainReason(const SecretStore::Result &result);

private:
    void onLoaded(const ProfileSecrets &secrets, const SecretStore::Result &result);
    void finish(const std::optional<SessionOptions> &options, const QString &error);

    SecretStore m_store;
    QTimer m_timeout;
    SessionProfile m_profile;
    Resolved m_resolved; // empty once called
};

} // namespace wsi::cli
