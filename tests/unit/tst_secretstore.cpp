// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore. The no-keychain path runs for real everywhere: the test points D-Bus nowhere before anything talks
// to it, as on a headless machine, and every request must come back (never block) with the specific "no keychain
// service" sentence, while the profile file still holds no secret.
//
// The round trip through a real keychain runs in a private D-Bus session with its own GNOME Keyring, when the
// machine has one: gnome-keyring-daemon (Debian package gnome-keyring) and libsecret (libsecret-1-0), through
// which QtKeychain reaches it (dev.sh installs both). Otherwise that test is skipped and says what is missing.
// The keyring lives in a temporary home, is killed once the child is done, and every step is bounded in time.
#include "core/profiles/ProfileStore.h"
#include "core/profiles/SecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLibrary>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

// Set in the child that runs inside the private D-Bus session.
constexpr char realKeychainVariable[] = "WSI_SECRETSTORE_REAL_KEYCHAIN";
const QString testService = QStringLiteral("WS Inspector tests");

SessionProfile profileWithSecrets()
{
    SessionProfile p;
    p.name = QStringLiteral("staging");
    p.options.url = QUrl(QStringLiteral("wss://staging.example.com/ws"));
    p.options.headers.append("Authorization", "Bearer very-secret-token");
    p.options.secretHeaders = {QStringLiteral("Authorization")};
    p.options.cookies = {{"sid", "cookie-secret-value"}};
    return p;
}

} // namespace

class tst_SecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noKeychainIsReportedSpecifically();
    void profileFileHoldsNoSecretWithoutKeychain();
    void callbackIsDroppedWithItsContext();
    void messagesNameTheOperation();
    void realKeychainRoundTrip();
    void realKeychainChild();
};

void tst_SecretStore::noKeychainIsReportedSpecifically()
{
    if (qEnvironmentVariableIsSet(realKeychainVariable))
        QSKIP("runs outside the private D-Bus session");
    SecretStore store(testService);
    QObject context;

    std::optional<SecretStore::Result> stored;
    store.store(QStringLiteral("p"), ProfileSecrets::extract(profileWithSecrets()), &context,
                [&](const SecretStore::Result &result) { stored = result; });
    QVERIFY(!stored); // asynchronous: nothing waited for the keychain
    QTRY_VERIFY_WITH_TIMEOUT(stored, 20000);
    const auto expected =
        SecretStore::hasKeychainSupport() ? SecretStore::Status::Unavailable : SecretStore::Status::Unsupported;
    QCOMPARE(stored->status, expected);
    QVERIFY(!stored->succeeded());
    QVERIFY2(stored->message().startsWith(SecretStore::hasKeychainSupport()
                                              ? QStringLiteral("Secrets were not saved: no keychain service is "
                                                               "running on this machine (")
                                              : QStringLiteral("Secrets were not saved: this build")),
             qPrintable(stored->message()));

    std::optional<SecretStore::Result> loaded;
    ProfileSecrets secrets;
    store.load(QStringLiteral("p"), &context, [&](const ProfileSecrets &values, const SecretStore::Result &result) {
        secrets = values;
        loaded = result;
    });
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 20000);
    QCOMPARE(loaded->status, expected);
    QVERIFY(secrets.isEmpty());
    QVERIFY(loaded->message().startsWith(QStringLiteral("Secrets could not be read from the keychain: ")));
}

void tst_SecretStore::profileFileHoldsNoSecretWithoutKeychain()
{
    if (qEnvironmentVariableIsSet(realKeychainVariable))
        QSKIP("runs outside the private D-Bus session");
    QTemporaryDir dir;
    ProfileStore profiles(dir.path());
    const SessionProfile profile = profileWithSecrets();
    QString error;
    QVERIFY2(profiles.save(profile, &error), qPrintable(error));
    SecretStore store(testService);
    QObject context;
    std::optional<SecretStore::Result> stored;
    store.store(profile.name, ProfileSecrets::extract(profile), &context,
                [&](const SecretStore::Result &result) { stored = result; });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 20000);
    QVERIFY(!stored->succeeded());

    QFile file(profiles.pathFor(profile.name));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("very-secret-token"));
    QVERIFY(!bytes.contains("cookie-secret-value"));
    QVERIFY(bytes.contains("{{secret}}"));
    // Nothing went anywhere else either: no plain-text fallback file next to the profiles or in the settings.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void tst_SecretStore::callbackIsDroppedWithItsContext()
{
    if (qEnvironmentVariableIsSet(realKeychainVariable))
        QSKIP("runs outside the private D-Bus session");
    SecretStore store(testService);
    bool called = false;
    {
        QObject context;
        store.load(QStringLiteral("p"), &context,
                   [&called](const ProfileSecrets &, const SecretStore::Result &) { called = true; });
    }
    // Let every pending answer arrive; the callback must not run for a context that is gone.
    QObject marker;
    std::optional<SecretStore::Result> later;
    store.remove(QStringLiteral("p"), &marker, [&](const SecretStore::Result &result) { later = result; });
    QTRY_VERIFY_WITH_TIMEOUT(later, 20000);
    QTest::qWait(50);
    QVERIFY(!called);
}

void tst_SecretStore::messagesNameTheOperation()
{
    using S = SecretStore::Status;
    using O = SecretStore::Operation;
    QCOMPARE((SecretStore::Result{S::Done, O::Store, {}}).message(), QString());
    QCOMPARE((SecretStore::Result{S::NotFound, O::Load, {}}).message(), QString());
    QCOMPARE((SecretStore::Result{S::Unavailable, O::Store, QStringLiteral("no D-Bus session bus")}).message(),
             QStringLiteral("Secrets were not saved: no keychain service is running on this machine (no D-Bus "
                            "session bus). The profile file never holds them: enter them when connecting."));
    QCOMPARE((SecretStore::Result{S::Denied, O::Load, QStringLiteral("dismissed")}).message(),
             QStringLiteral("Secrets could not be read from the keychain: access to the keychain was denied "
                            "(dismissed). The profile file never holds them: enter them when connecting."));
    QCOMPARE((SecretStore::Result{S::Failed, O::Remove, QStringLiteral("I/O error")}).message(),
             QStringLiteral("Secrets could not be removed from the keychain: the keychain reported an error: I/O "
                            "error."));
}

void tst_SecretStore::realKeychainRoundTrip()
{
    if (qEnvironmentVariableIsSet(realKeychainVariable))
        QSKIP("this is the parent of realKeychainChild");
    if (!SecretStore::hasKeychainSupport())
        QSKIP("this build has no keychain support (QtKeychain was not found)");
#if !defined(Q_OS_LINUX)
    QSKIP("the private keychain session is a Linux (D-Bus) arrangement");
#endif
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    const QString session = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
    const QString send = QStandardPaths::findExecutable(QStringLiteral("dbus-send"));
    QLibrary libsecret(QStringLiteral("secret-1"), 0);
    QStringList missing;
    if (daemon.isEmpty())
        missing << QStringLiteral("gnome-keyring-daemon (Debian package gnome-keyring)");
    if (!libsecret.load())
        missing << QStringLiteral("libsecret-1.so.0 (Debian package libsecret-1-0)");
    if (session.isEmpty())
        missing << QStringLiteral("dbus-run-session (Debian package dbus-daemon)");
    if (send.isEmpty())
        missing << QStringLiteral("dbus-send (Debian package dbus-bin)");
    if (!missing.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no Secret Service to test against; install ") +
                         missing.join(QStringLiteral(", ")) +
                         QStringLiteral(" to run the keychain round trip in a private D-Bus session")));

    // Everything the keyring writes stays in a temporary home: the user's own login keyring is never touched.
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral("runtime")));
    QFile::setPermissions(home.filePath(QStringLiteral("runtime")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QString::fromLatin1(realKeychainVariable), QStringLiteral("1"));
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.filePath(QStringLiteral("runtime")));
    environment.remove(QStringLiteral("XDG_CURRENT_DESKTOP")); // no KWallet preference: the Secret Service
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    QProcess child;
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    // A password on stdin makes --unlock create and unlock a fresh login keyring, the default collection QtKeychain
    // writes to (an empty one does not: the daemon would then ask a prompter, which cannot open without a display).
    // --daemonize returns before the daemon owns its bus name, so the script waits for that (at most 10 s), which
    // also gives the daemon's pid: it leaves this process group, and is killed once the child is done. `timeout`
    // bounds the child well within this test's own wait.
    const QString script = QStringLiteral(
        "printf 'wsi-test-keyring' | \"$1\" --daemonize --unlock --components=secrets >/dev/null || exit 90\n"
        "keyring=\n"
        "waited=0\n"
        "while [ -z \"$keyring\" ] && [ $waited -lt 100 ]; do\n"
        "  keyring=$(\"$2\" --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
        "org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | "
        "sed -n 's/^ *uint32 \\([0-9][0-9]*\\)$/\\1/p')\n"
        "  [ -n \"$keyring\" ] || sleep 0.1\n"
        "  waited=$((waited + 1))\n"
        "done\n"
        "[ -n \"$keyring\" ] || { echo 'the keyring owned no org.freedesktop.secrets in 10 s'; exit 91; }\n"
        "timeout -k 5 40 \"$3\" realKeychainChild\n"
        "status=$?\n"
        "kill \"$keyring\"\n"
        "exit $status\n");
    child.start(session, {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                          QStringLiteral("sh"), daemon, send, QCoreApplication::applicationFilePath()});
    const bool finished = child.waitForFinished(60000);
    if (!finished) {
        child.kill();
        child.waitForFinished(5000);
    }
    const QByteArray output = child.readAll();
    QVERIFY2(finished, output.constData());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
    // The child's own checks ran (a crash or an early exit could still end with 0 otherwise).
    QVERIFY2(output.contains("PASS   : tst_SecretStore::realKeychainChild()"), output.constData());
}

void tst_SecretStore::realKeychainChild()
{
    if (!qEnvironmentVariableIsSet(realKeychainVariable))
        QSKIP("runs inside the private D-Bus session that realKeychainRoundTrip starts");
    SecretStore store(testService);
    QObject context;
    const ProfileSecrets secrets = ProfileSecrets::extract(profileWithSecrets());

    std::optional<SecretStore::Result> stored;
    store.store(QStringLiteral("staging"), secrets, &context, [&](const SecretStore::Result &r) { stored = r; });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 8000);
    QVERIFY2(stored->status == SecretStore::Status::Done, qPrintable(stored->message()));

    std::optional<SecretStore::Result> copied;
    store.copy(QStringLiteral("staging"), QStringLiteral("staging 2"), true, &context,
               [&](const SecretStore::Result &r) { copied = r; });
    QTRY_VERIFY_WITH_TIMEOUT(copied, 8000);
    QVERIFY2(copied->succeeded(), qPrintable(copied->message()));

    std::optional<SecretStore::Result> loaded;
    ProfileSecrets back;
    store.load(QStringLiteral("staging 2"), &context, [&](const ProfileSecrets &values, const SecretStore::Result &r) {
        back = values;
        loaded = r;
    });
    QTRY_VERIFY_WITH_TIMEOUT(loaded, 8000);
    QVERIFY2(loaded->status == SecretStore::Status::Done, qPrintable(loaded->message()));
    QCOMPARE(back, secrets);

    std::optional<SecretStore::Result> old;
    store.load(QStringLiteral("staging"), &context,
               [&](const ProfileSecrets &, const SecretStore::Result &r) { old = r; });
    QTRY_VERIFY_WITH_TIMEOUT(old, 8000);
    QCOMPARE(old->status, SecretStore::Status::NotFound); // moved, not copied
}

int main(int argc, char **argv)
{
    // Before anything opens a D-Bus connection: a bus that does not exist, as on a headless machine (the child
    // in the private session keeps the real one it was given).
    if (!qEnvironmentVariableIsSet(realKeychainVariable))
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/wsi-no-session-bus");
    QCoreApplication app(argc, argv);
    tst_SecretStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
