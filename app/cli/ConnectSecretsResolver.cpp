// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ConnectSecretsResolver.h"

#include "app/cli/ConnectArguments.h"
#include "core/profiles/ProfileVariables.h"

#include <utility>

namespace wsi::cli {

ConnectSecretsResolver::ConnectSecretsResolver(QString keychainService, QObject *parent)
    : QObject(parent)
    , m_store(std::move(keychainService))
    , m_timeout(this)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(std::nullopt,
               missingSecretsMessage(m_profile, QStringLiteral("the keychain did not answer within %1 s (a locked "
                                                               "keychain may be waiting for its unlock prompt)")
                                                    .arg(keychainTimeoutMs / 1000)));
    });
}

void ConnectSecretsResolver::resolve(const SessionProfile &profile, Resolved resolved)
{
    m_profile = profile;
    m_resolved = std::move(resolved);
    m_timeout.start(keychainTimeoutMs);
    // SecretStore always answers from the event loop, never from inside load().
    m_store.load(profile.name, this, [this](const ProfileSecrets &secrets, const SecretStore::Result &result) {
        onLoaded(secrets, result);
    });
}

void ConnectSecretsResolver::onLoaded(const ProfileSecrets &secrets, const SecretStore::Result &result)
{
    if (!m_resolved)
        return; // timed out already
    SessionProfile filled = m_profile;
    if (result.status == SecretStore::Status::Done)
        secrets.applyTo(filled);
    bool secretsOpen = false;
    for (const ProfileVariables::Question &question : ProfileVariables::unanswered(filled))
        secretsOpen = secretsOpen || question.secret;
    if (secretsOpen) {
        finish(std::nullopt, missingSecretsMessage(filled, keychainReason(result)));
        return;
    }
    QString error;
    const std::optional<SessionOptions> options = ProfileVariables::resolve(filled, &error);
    finish(options, error);
}

void ConnectSecretsResolver::finish(const std::optional<SessionOptions> &options, const QString &error)
{
    m_timeout.stop();
    if (!m_resolved)
        return;
    const Resolved resolved = std::exchange(m_resolved, {});
    resolved(options, error);
}

QString ConnectSecretsResolver::keychainReason(const SecretStore::Result &result)
{
    using Status = SecretStore::Status;
    switch (result.status) {
    case Status::Done:
        return QStringLiteral("the keychain's entry for this profile has no such value");
    case Status::NotFound:
        return QStringLiteral("the keychain holds no secrets for this profile");
    case Status::Unavailable:
        return QStringLiteral("no keychain service is running on this machine (%1)").arg(result.detail);
    case Status::Unsupported:
        return QStringLiteral("this build of WS Inspector has no keychain support");
    case Status::Denied:
        return QStringLiteral("access to the keychain was denied (%1)").arg(result.detail);
    case Status::Failed:
        return QStringLiteral("the keychain reported an error: %1").arg(result.detail);
    }
    return {};
}

QString ConnectSecretsResolver::missingSecretsMessage(const SessionProfile &profile, const QString &why)
{
    QStringList values;
    QStringList flags;
    bool cookiesOpen = false;
    for (const ProfileVariables::Question &question : ProfileVariables::unanswered(profile)) {
        if (!question.secret)
            continue;
        switch (question.kind) {
        case ProfileVariables::Question::Kind::Header:
            values.append(QStringLiteral("header '%1'").arg(question.name));
            flags.append(QStringLiteral("-H \"%1: VALUE\"").arg(question.name));
            break;
        case ProfileVariables::Question::Kind::Cookie:
            values.append(QStringLiteral("cookie '%1'").arg(question.name));
            cookiesOpen = true;
            break;
        case ProfileVariables::Question::Kind::ProxyPassword: {
            values.append(QStringLiteral("proxy password of '%1'").arg(question.name));
            QUrl proxy = profile.options.proxy;
            proxy.setPassword(QStringLiteral("PASSWORD"));
            flags.append(QStringLiteral("--proxy %1").arg(proxy.toString()));
            break;
        }
        case ProfileVariables::Question::Kind::Variable:
            values.append(QStringLiteral("variable '%1'").arg(question.name));
            flags.append(QStringLiteral("--var %1=VALUE (or $%2%1)")
                             .arg(question.name, QLatin1StringView(variableEnvironmentPrefix)));
            break;
        }
    }
    if (cookiesOpen) {
        // -H Cookie replaces all of the profile's cookies, so it has to carry every one of them.
        QStringList pairs;
        for (const auto &cookie : profile.options.cookies)
            pairs.append(QString::fromUtf8(cookie.first) + QStringLiteral("=VALUE"));
        flags.append(QStringLiteral("-H \"Cookie: %1\"").arg(pairs.join(QStringLiteral("; "))));
    }
    const bool one = values.size() == 1;
    return QStringLiteral("profile '%1': no value for the %2 %3: %4. Give %5 on the command line: %6")
        .arg(profile.name, one ? QStringLiteral("secret") : QStringLiteral("secrets"),
             values.join(QStringLiteral(", ")), why, one ? QStringLiteral("it") : QStringLiteral("them"),
             flags.join(u' '));
}

} // namespace wsi::cli
