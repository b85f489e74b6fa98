// SPDX-License-Identifier: GPL-3.0-or-later
// ProfileStore in temporary directories: round trips through files, secrets absent from the bytes on disk, safe
// file names, atomic writes, the library operations, and import/export validation.
#include "core/profiles/ProfileSecrets.h"
#include "core/profiles/ProfileStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

SessionProfile profileNamed(const QString &name)
{
    SessionProfile p;
    p.name = name;
    p.options.url = QUrl(QStringLiteral("wss://example.com/socket"));
    p.options.headers.append("Authorization", "Bearer very-secret-token");
    p.options.headers.append("X-Trace", "{{trace_id}}");
    p.options.secretHeaders = {QStringLiteral("Authorization")};
    p.options.subprotocols = {QStringLiteral("chat")};
    p.options.origin = QStringLiteral("https://example.com");
    p.options.offerDeflate = false;
    p.options.tls.caFile = QStringLiteral("/ca.pem");
    p.options.tls.ignoreErrors = true;
    p.options.proxy = QUrl(QStringLiteral("http://proxy:3128"));
    p.options.limits.maxMessageSize = 4096;
    p.options.handshakeTimeoutMs = 999;
    p.options.heartbeat.kind = HeartbeatSettings::Kind::Ping;
    p.options.heartbeat.intervalMs = 20000;
    p.options.heartbeat.replyTimeoutMs = 20000;
    p.options.reconnect.enabled = true;
    p.options.onConnectMessages = {{OnConnectMessage::Kind::Text, "subscribe"}};
    p.simulatorChain = {QStringLiteral("aws-alb")};
    p.messageTemplates = {{QStringLiteral("hi"), QStringLiteral("text"), QStringLiteral("hello"), 2}};
    return p;
}

// What the store gives back for `profile`: the same, with secret values as placeholders.
QJsonObject expectedOnDisk(const SessionProfile &profile)
{
    return ProfileJson::toJson(profile, ProfileJson::Secrets::Omit);
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_ProfileStore : public QObject
{
    Q_OBJECT

private slots:
    void defaultDirectoryIsAppData();
    void saveAndLoadEveryField();
    void secretsNeverReachTheFile();
    void atomicWritesLeaveNoTemporaryFiles();
    void fileNamesAreSafe_data();
    void fileNamesAreSafe();
    void namesDifferingInCaseDoNotCollide();
    void listRenameDuplicateRemove();
    void listSkipsBrokenFiles();
    void loadReportsBrokenFiles();
    void importValidatesAndCopies();
    void importRejectsTakenNamesAndBadFiles();
    void exportLeavesSecretsOutUnlessAsked();
    void proxyPasswordLeavesAnOldFileOnSave();
};

void tst_ProfileStore::defaultDirectoryIsAppData()
{
    QVERIFY(ProfileStore::defaultDirectory().endsWith(QStringLiteral("/profiles")));
    QCOMPARE(ProfileStore().directory(), ProfileStore::defaultDirectory());
}

void tst_ProfileStore::saveAndLoadEveryField()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path() + QStringLiteral("/nested/profiles")); // created on the first save
    const SessionProfile profile = profileNamed(QStringLiteral("Work"));
    QString error;
    QVERIFY2(store.save(profile, &error), qPrintable(error));
    const auto loaded = store.load(QStringLiteral("Work"), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(ProfileJson::toJson(*loaded, ProfileJson::Secrets::Include), expectedOnDisk(profile));
    QCOMPARE(loaded->options.headers.value("X-Trace"), QByteArray("{{trace_id}}"));
}

void tst_ProfileStore::secretsNeverReachTheFile()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    SessionProfile profile = profileNamed(QStringLiteral("Secretive"));
    profile.options.cookies = {{"session", "cookie-value-secret"}};
    QVERIFY(store.save(profile, nullptr));
    const QByteArray bytes = fileBytes(store.pathFor(profile.name));
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains("very-secret-token"));
    QVERIFY(!bytes.contains("cookie-value-secret"));
    QVERIFY(bytes.contains("{{secret}}"));
    QVERIFY(bytes.contains("{{trace_id}}"));
}

// A file written before proxy passwords went to the keychain holds one in plain text: it still loads with it, and
// the next save moves it out of the file into what goes to the keychain.
void tst_ProfileStore::proxyPasswordLeavesAnOldFileOnSave()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    SessionProfile profile = profileNamed(QStringLiteral("Proxied"));
    profile.options.proxy = QUrl(QStringLiteral("socks5://alice:pl41n-p4ss@127.0.0.1:1080"));
    {
        QFile old(store.pathFor(profile.name));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(ProfileJson::toBytes(profile, ProfileJson::Secrets::Include));
    }
    QString error;
    const auto loaded = store.load(profile.name, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->options.proxy.password(), QStringLiteral("pl41n-p4ss"));

    QVERIFY(store.save(*loaded, &error));
    const QByteArray bytes = fileBytes(store.pathFor(profile.name));
    QVERIFY2(!bytes.contains("pl41n-p4ss"), bytes.constData());
    QVERIFY(bytes.contains("socks5://alice:{{secret}}@127.0.0.1:1080"));
    const ProfileSecrets keychain = ProfileSecrets::extract(*loaded);
    QCOMPARE(keychain.values().value(QStringLiteral("proxy:password")), QStringLiteral("pl41n-p4ss"));
    auto reloaded = store.load(profile.name, &error);
    QVERIFY2(reloaded, qPrintable(error));
    keychain.applyTo(*reloaded);
    QCOMPARE(reloaded->options.proxy, profile.options.proxy);
}

void tst_ProfileStore::atomicWritesLeaveNoTemporaryFiles()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    SessionProfile profile = profileNamed(QStringLiteral("Often saved"));
    for (int i = 0; i < 5; ++i) {
        profile.options.handshakeTimeoutMs = 1000 + i;
        QVERIFY(store.save(profile, nullptr));
    }
    QVERIFY(store.save(profileNamed(QStringLiteral("Other")), nullptr));
    const QStringList entries = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    QCOMPARE(entries.size(), 2);
    for (const QString &entry : entries)
        QVERIFY2(entry.endsWith(QStringLiteral(".json")), qPrintable(entry));
    QCOMPARE(store.load(QStringLiteral("Often saved"), nullptr)->options.handshakeTimeoutMs, 1004);
}

void tst_ProfileStore::fileNamesAreSafe_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("path traversal") << QStringLiteral("../../etc/passwd");
    QTest::newRow("slashes") << QStringLiteral("a/b\\c");
    QTest::newRow("windows device") << QStringLiteral("CON");
    QTest::newRow("unicode") << QStringLiteral("Prüfung – 測試");
    QTest::newRow("only dots") << QStringLiteral("..");
    QTest::newRow("very long") << QString(300, u'x');
    QTest::newRow("reserved characters") << QStringLiteral("a:b*c?d\"e<f>g|h");
}

void tst_ProfileStore::fileNamesAreSafe()
{
    QFETCH(QString, name);
    const QString fileName = ProfileStore::fileNameFor(name);
    static const QRegularExpression safe(QStringLiteral("^[a-z0-9_-]{0,40}-[0-9a-f]{12}\\.json$"));
    QVERIFY2(safe.match(fileName).hasMatch(), qPrintable(fileName));

    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QString error;
    QVERIFY2(store.save(profileNamed(name), &error), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{fileName});
    QCOMPARE(store.list(), QStringList{name});
    QVERIFY(store.load(name, nullptr));
}

void tst_ProfileStore::namesDifferingInCaseDoNotCollide()
{
    QVERIFY(ProfileStore::fileNameFor(QStringLiteral("Prod"))
                .compare(ProfileStore::fileNameFor(QStringLiteral("prod")), Qt::CaseInsensitive) != 0);
}

void tst_ProfileStore::listRenameDuplicateRemove()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QString error;
    QCOMPARE(store.list(), QStringList{});
    QVERIFY(store.save(profileNamed(QStringLiteral("beta")), nullptr));
    QVERIFY(store.save(profileNamed(QStringLiteral("Alpha")), nullptr));
    QCOMPARE(store.list(), (QStringList{QStringLiteral("Alpha"), QStringLiteral("beta")}));

    QVERIFY2(store.rename(QStringLiteral("beta"), QStringLiteral("Gamma"), &error), qPrintable(error));
    QCOMPARE(store.list(), (QStringList{QStringLiteral("Alpha"), QStringLiteral("Gamma")}));
    QCOMPARE(store.load(QStringLiteral("Gamma"), nullptr)->options.subprotocols, QStringList{QStringLiteral("chat")});
    QVERIFY(!store.rename(QStringLiteral("Alpha"), QStringLiteral("Gamma"), &error));
    QCOMPARE(error, QStringLiteral("a profile named 'Gamma' already exists"));
    QVERIFY(!store.rename(QStringLiteral("nope"), QStringLiteral("x"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("no profile named 'nope'")), qPrintable(error));

    QVERIFY2(store.duplicate(QStringLiteral("Alpha"), QStringLiteral("Alpha copy"), &error), qPrintable(error));
    QCOMPARE(store.list(),
             (QStringList{QStringLiteral("Alpha"), QStringLiteral("Alpha copy"), QStringLiteral("Gamma")}));
    SessionProfile copy = *store.load(QStringLiteral("Alpha copy"), nullptr);
    copy.name = QStringLiteral("Alpha");
    QCOMPARE(ProfileJson::toJson(copy), ProfileJson::toJson(*store.load(QStringLiteral("Alpha"), nullptr)));
    QVERIFY(!store.duplicate(QStringLiteral("Alpha"), QStringLiteral("Gamma"), &error));

    QVERIFY2(store.remove(QStringLiteral("Alpha"), &error), qPrintable(error));
    QCOMPARE(store.list(), (QStringList{QStringLiteral("Alpha copy"), QStringLiteral("Gamma")}));
    QVERIFY(!store.remove(QStringLiteral("Alpha"), &error));
    QVERIFY(!store.load(QStringLiteral("Alpha"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("no profile named 'Alpha' in ")), qPrintable(error));
}

void tst_ProfileStore::listSkipsBrokenFiles()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QVERIFY(store.save(profileNamed(QStringLiteral("good")), nullptr));
    QFile broken(dir.filePath(QStringLiteral("broken.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{ not json");
    broken.close();
    QStringList problems;
    QCOMPARE(store.list(&problems), QStringList{QStringLiteral("good")});
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.constFirst().contains(QStringLiteral("broken.json: not valid JSON")),
             qPrintable(problems.constFirst()));
}

void tst_ProfileStore::loadReportsBrokenFiles()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QVERIFY(store.save(profileNamed(QStringLiteral("p")), nullptr));
    // Someone edits the file by hand and gets a header wrong: the message names the file and the field.
    const QString path = store.pathFor(QStringLiteral("p"));
    QByteArray bytes = fileBytes(path);
    bytes.replace("\"{{trace_id}}\"", "42");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();
    QString error;
    QVERIFY(!store.load(QStringLiteral("p"), &error));
    QCOMPARE(error, path + QStringLiteral(": headers[1].value: expected a string, found a number"));
}

void tst_ProfileStore::importValidatesAndCopies()
{
    QTemporaryDir source;
    QTemporaryDir dir;
    const QString file = source.filePath(QStringLiteral("shared.json"));
    QVERIFY(ProfileStore::writeProfileFile(profileNamed(QStringLiteral("Shared")), file, ProfileJson::Secrets::Omit,
                                           nullptr));
    ProfileStore store(dir.path());
    QString error;
    const auto imported = store.importFile(file, &error);
    QVERIFY2(imported, qPrintable(error));
    QCOMPARE(imported->name, QStringLiteral("Shared"));
    QCOMPARE(store.list(), QStringList{QStringLiteral("Shared")});
    QCOMPARE(ProfileJson::toJson(*store.load(QStringLiteral("Shared"), nullptr)),
             expectedOnDisk(profileNamed(QStringLiteral("Shared"))));
}

void tst_ProfileStore::importRejectsTakenNamesAndBadFiles()
{
    QTemporaryDir source;
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QVERIFY(store.save(profileNamed(QStringLiteral("Taken")), nullptr));
    const QString taken = source.filePath(QStringLiteral("taken.json"));
    QVERIFY(ProfileStore::writeProfileFile(profileNamed(QStringLiteral("Taken")), taken, ProfileJson::Secrets::Omit,
                                           nullptr));
    QString error;
    QVERIFY(!store.importFile(taken, &error));
    QCOMPARE(error, taken + QStringLiteral(": a profile named 'Taken' already exists; rename or remove it first"));

    const QString future = source.filePath(QStringLiteral("future.json"));
    QFile file(future);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": 9, "name": "Future", "url": "ws://h/"})");
    file.close();
    QVERIFY(!store.importFile(future, &error));
    QVERIFY2(error.startsWith(future + QStringLiteral(": schema: this profile uses schema 9")), qPrintable(error));

    QVERIFY(!store.importFile(source.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read ")), qPrintable(error));
    // Nothing half-imported.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void tst_ProfileStore::exportLeavesSecretsOutUnlessAsked()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QVERIFY(store.save(profileNamed(QStringLiteral("E")), nullptr));
    const QString out = dir.filePath(QStringLiteral("exported.out"));
    QString error;
    QVERIFY2(store.exportProfile(QStringLiteral("E"), out, &error), qPrintable(error));
    const QByteArray bytes = fileBytes(out);
    QVERIFY(!bytes.contains("very-secret-token"));
    QCOMPARE(QJsonDocument::fromJson(bytes).object(), expectedOnDisk(profileNamed(QStringLiteral("E"))));
    QVERIFY(!store.exportProfile(QStringLiteral("nope"), out, &error));

    // A profile in memory (from the window, with its secrets) exported with them because the user asked.
    const QString withSecrets = dir.filePath(QStringLiteral("with-secrets.out"));
    QVERIFY(ProfileStore::writeProfileFile(profileNamed(QStringLiteral("E")), withSecrets,
                                           ProfileJson::Secrets::Include, &error));
    QVERIFY(fileBytes(withSecrets).contains("very-secret-token"));
}

QTEST_GUILESS_MAIN(tst_ProfileStore)
#include "tst_profilestore.moc"
