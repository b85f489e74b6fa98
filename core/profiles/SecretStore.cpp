// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/SecretStore.h"

#include <QTimer>

#if WSI_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif
#if WSI_KEYCHAIN_DBUS
#include <QDBusConnection>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#endif

#include <memory>

namespace wsi {

QString SecretStore::Result::message() const
{
    QString what;
    switch (operation) {
    case Operation::Store:
        what = QStringLiteral("Secrets were not saved: ");
        break;
    case Operation::Load:
        what = QStringLiteral("Secrets could not be read from the keychain: ");
        break;
    case Operation::Remove:
        what = QStringLiteral("Secrets could not be removed from the keychain: ");
        break;
    }
    const QString enterThem = operation == Operation::Remove
                                  ? QString()
                                  : QStringLiteral(" The profile file never holds them: enter them when connecting.");
    switch (status) {
    case Status::Done:
    case Status::NotFound:
        return {};
    case Status::Unavailable:
        return what + QStringLiteral("no keychain service is running on this machine (%1).").arg(detail) + enterThem;
    case Status::Unsupported:
        return what + QStringLiteral("this build of WS Inspector has no keychain support.") + enterThem;
    case Status::Denied:
        return what + QStringLiteral("access to the keychain was denied (%1).").arg(detail) + enterThem;
    case Status::Failed:
        return what + QStringLiteral("the keychain reported an error: %1.").arg(detail) + enterThem;
    }
    return {};
}

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{}

bool SecretStore::hasKeychainSupport() noexcept
{
#if WSI_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

#if WSI_HAVE_KEYCHAIN

void SecretStore::store(const QString &profileName, const ProfileSecrets &secrets, QObject *context, Done done)
{
    if (secrets.isEmpty()) {
        // Nothing secret (any more): drop what an earlier save kept, so no stale value is filled in later.
        remove(profileName, context, [done](const Result &result) {
            Result stored = result;
            stored.operation = Operation::Store;
            if (result.status == Status::NotFound)
                stored.status = Status::Done;
            done(stored);
        });
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(profileName);
    job->setBinaryData(secrets.toBytes());
    const QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this,
            [this, guard, done](QKeychain::Job *finished) { finish(finished, Operation::Store, guard, done); });
    job->start();
}

void SecretStore::load(const QString &profileName, QObject *context, Loaded done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(profileName);
    const QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, guard, done](QKeychain::Job *finished) {
        const QByteArray bytes = static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData();
        finish(finished, Operation::Load, guard, [bytes, done](const Result &result) {
            if (result.status != Status::Done) {
                done(ProfileSecrets(), result);
                return;
            }
            QString error;
            const auto secrets = ProfileSecrets::fromBytes(bytes, &error);
            done(secrets.value_or(ProfileSecrets()), secrets ? result : Result{Status::Failed, Operation::Load, error});
        });
    });
    job->start();
}

void SecretStore::remove(const QString &profileName, QObject *context, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(profileName);
    const QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this,
            [this, guard, done](QKeychain::Job *finished) { finish(finished, Operation::Remove, guard, done); });
    job->start();
}

void SecretStore::finish(QKeychain::Job *job, Operation operation, const QPointer<QObject> &context,
                         const std::function<void(const Result &)> &deliver)
{
    const QString detail = job->errorString();
    Result result{Status::Done, operation, {}};
    switch (job->error()) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        result.status = Status::NotFound;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result = {Status::Denied, operation, detail};
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        result = {Status::Failed, operation, detail};
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        // On Linux both also come back when nothing answers on D-Bus (QtKeychain falls through its backends and
        // reports the last one's "Unknown error"); find out which it is, so the user reads the real reason.
        reportUnavailable(operation, detail, context, deliver);
        return;
    }
    if (context)
        deliver(result);
}

void SecretStore::reportUnavailable(Operation operation, const QString &detail, const QPointer<QObject> &context,
                                    const std::function<void(const Result &)> &deliver)
{
#if WSI_KEYCHAIN_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        if (context)
            deliver({Status::Unavailable, operation,
                     QStringLiteral("no D-Bus session bus to reach one: %1").arg(bus.lastError().message())});
        return;
    }
    // The keychain services the bus runs now or can start on demand, both asked without waiting.
    const auto ask = [&bus](const QString &method) {
        return bus.asyncCall(QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.DBus"),
                                                            QStringLiteral("/org/freedesktop/DBus"),
                                                            QStringLiteral("org.freedesktop.DBus"), method));
    };
    auto names = std::make_shared<QStringList>();
    auto pending = std::make_shared<int>(2);
    const auto decide = [operation, detail, context, deliver, names, pending](QDBusPendingCallWatcher *watcher) {
        watcher->deleteLater();
        const QDBusPendingReply<QStringList> reply = *watcher;
        if (!reply.isError())
            names->append(reply.value());
        if (--*pending > 0 || !context)
            return;
        static const QStringList keychains = {QStringLiteral("org.freedesktop.secrets"),
                                              QStringLiteral("org.kde.kwalletd6"), QStringLiteral("org.kde.kwalletd5"),
                                              QStringLiteral("org.kde.kwalletd")};
        for (const QString &keychain : keychains) {
            if (names->contains(keychain)) {
                deliver({Status::Failed, operation, detail});
                return;
            }
        }
        deliver({Status::Unavailable, operation,
                 QStringLiteral("no Secret Service such as GNOME Keyring or KWallet on the D-Bus session bus")});
    };
    for (const QString &method : {QStringLiteral("ListNames"), QStringLiteral("ListActivatableNames")}) {
        auto *watcher = new QDBusPendingCallWatcher(ask(method), this);
        connect(watcher, &QDBusPendingCallWatcher::finished, this, decide);
    }
#else
    if (context)
        deliver({Status::Unavailable, operation, detail});
#endif
}

#else // no QtKeychain in this build

// Answers come on the next turn of the event loop, as the keychain's would: callers see one behaviour.
void SecretStore::store(const QString &profileName, const ProfileSecrets &secrets, QObject *context, Done done)
{
    Q_UNUSED(profileName)
    const Status status = secrets.isEmpty() ? Status::Done : Status::Unsupported;
    QTimer::singleShot(0, this, [guard = QPointer<QObject>(context), done, status] {
        if (guard)
            done({status, Operation::Store, {}});
    });
}

void SecretStore::load(const QString &profileName, QObject *context, Loaded done)
{
    Q_UNUSED(profileName)
    QTimer::singleShot(0, this, [guard = QPointer<QObject>(context), done] {
        if (guard)
            done(ProfileSecrets(), {Status::Unsupported, Operation::Load, {}});
    });
}

void SecretStore::remove(const QString &profileName, QObject *context, Done done)
{
    Q_UNUSED(profileName)
    QTimer::singleShot(0, this, [guard = QPointer<QObject>(context), done] {
        if (guard)
            done({Status::NotFound, Operation::Remove, {}});
    });
}

void SecretStore::finish(QKeychain::Job *, Operation, const QPointer<QObject> &,
                         const std::function<void(const Result &)> &)
{}

void SecretStore::reportUnavailable(Operation, const QString &, const QPointer<QObject> &,
                                    const std::function<void(const Result &)> &)
{}

#endif

void SecretStore::copy(const QString &from, const QString &to, bool move, QObject *context, Done done)
{
    const QPointer<QObject> guard(context);
    load(from, this, [this, from, to, move, guard, done](const ProfileSecrets &secrets, const Result &loaded) {
        if (!guard)
            return;
        if (loaded.status == Status::NotFound || (loaded.succeeded() && secrets.isEmpty())) {
            done({Status::Done, Operation::Store, {}});
            return;
        }
        if (!loaded.succeeded()) {
            done(loaded);
            return;
        }
        store(to, secrets, this, [this, from, move, guard, done](const Result &stored) {
            if (!guard)
                return;
            if (!stored.succeeded() || !move) {
                done(stored);
                return;
            }
            remove(from, this, [guard, done](const Result &removed) {
                if (guard)
                    done(removed);
            });
        });
    });
}

} // namespace wsi
