// SPDX-License-Identifier: GPL-3.0-or-later
// The profile library and "Save session as profile", offscreen, with the profile directory in a temporary
// directory and D-Bus pointed nowhere (no keychain, as on a headless machine; the user's keychain is never
// touched): list, search, duplicate, rename, delete, import (errors verbatim), export with and without secrets,
// and a session saved as a profile and opened again with every field the window can set. Secret values never reach
// a file, and the user is told the keychain did not keep them.
#include "core/profiles/ProfileStore.h"
#include "core/session/SessionManager.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/profiles/ProfileLibraryDialog.h"
#include "ui/profiles/SaveProfileDialog.h"
#include "ui/session/ConnectValuesDialog.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/MessageTemplateLibrary.h"
#include "ui/session/SessionView.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

const QString testService = QStringLiteral("WS Inspector tests");

SessionProfile plainProfile(const QString &name, const QString &url)
{
    SessionProfile profile;
    profile.name = name;
    profile.options.url = QUrl(url);
    return profile;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_ProfileLibraryDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listAndSearch();
    void duplicateRenameDelete();
    void importShowsErrorsVerbatim();
    void importKeepsSecretsOutOfTheFile();
    void exportWithAndWithoutSecrets();
    void saveSessionAsProfileAndOpenIt();

private:
    QTemporaryDir m_recordings;
};

void tst_ProfileLibraryDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_profilelibrarydialog"));
    // The window records its sessions: into a directory of this run, not a growing one of the test mode's.
    QVERIFY(m_recordings.isValid());
    qputenv("WSI_RECORDING_DIR", m_recordings.path().toLocal8Bit());
}

void tst_ProfileLibraryDialog::listAndSearch()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QString error;
    QVERIFY(store.save(plainProfile(QStringLiteral("gamma"), QStringLiteral("ws://127.0.0.1:9001/")), &error));
    QVERIFY(store.save(plainProfile(QStringLiteral("Alpha"), QStringLiteral("ws://a.test/")), &error));
    QVERIFY(store.save(plainProfile(QStringLiteral("beta"), QStringLiteral("wss://b.example.com/feed")), &error));
    QFile junk(dir.filePath(QStringLiteral("broken.json")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("{");
    junk.close();

    ProfileLibraryDialog dialog(dir.path(), testService);
    QCOMPARE(dialog.visibleNames(),
             (QStringList{QStringLiteral("Alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
    // The unreadable file is named, not silently ignored.
    QVERIFY2(dialog.statusText().contains(QStringLiteral("broken.json")), qPrintable(dialog.statusText()));

    dialog.searchField()->setText(QStringLiteral("EXAMPLE")); // URLs too, any case
    QCOMPARE(dialog.visibleNames(), QStringList{QStringLiteral("beta")});
    QCOMPARE(dialog.selectedName(), QStringLiteral("beta")); // Enter opens what the search found
    dialog.searchField()->setText(QStringLiteral("alp"));
    QCOMPARE(dialog.visibleNames(), QStringList{QStringLiteral("Alpha")});
    dialog.searchField()->setText(QStringLiteral("nothing like it"));
    QVERIFY(dialog.visibleNames().isEmpty());
    QVERIFY(dialog.selectedName().isEmpty());
    dialog.searchField()->clear();
    QCOMPARE(dialog.visibleNames().size(), 3);
}

void tst_ProfileLibraryDialog::duplicateRenameDelete()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QString error;
    QVERIFY(store.save(plainProfile(QStringLiteral("alpha"), QStringLiteral("ws://a.test/")), &error));
    QVERIFY(store.save(plainProfile(QStringLiteral("beta"), QStringLiteral("ws://b.test/")), &error));
    ProfileLibraryDialog dialog(dir.path(), testService);

    QVERIFY(dialog.duplicateProfile(QStringLiteral("alpha"), QStringLiteral("alpha copy")));
    QCOMPARE(dialog.visibleNames(),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("alpha copy"), QStringLiteral("beta")}));
    QCOMPARE(dialog.selectedName(), QStringLiteral("alpha copy"));
    QCOMPARE(store.load(QStringLiteral("alpha copy"), &error)->options.url, QUrl(QStringLiteral("ws://a.test/")));

    QVERIFY(dialog.renameProfile(QStringLiteral("alpha copy"), QStringLiteral("delta")));
    QCOMPARE(dialog.visibleNames(),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("delta")}));

    // A taken name is refused with the store's own words, and nothing changes.
    QVERIFY(!dialog.renameProfile(QStringLiteral("delta"), QStringLiteral("beta")));
    QCOMPARE(dialog.statusText(), QStringLiteral("a profile named 'beta' already exists"));
    QVERIFY(!dialog.duplicateProfile(QStringLiteral("nope"), QStringLiteral("x")));
    QVERIFY2(dialog.statusText().startsWith(QStringLiteral("no profile named 'nope'")),
             qPrintable(dialog.statusText()));

    QVERIFY(dialog.deleteProfile(QStringLiteral("delta")));
    QCOMPARE(dialog.visibleNames(), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));
    QVERIFY(!store.contains(QStringLiteral("delta")));
}

void tst_ProfileLibraryDialog::importShowsErrorsVerbatim()
{
    QTemporaryDir dir;
    ProfileLibraryDialog dialog(dir.path(), testService);
    const QString bad = dir.filePath(QStringLiteral("elsewhere.txt"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": 1, "name": "x", "url": "http://not-ws/"})");
    file.close();
    QVERIFY(!dialog.importFile(bad));
    QString expected;
    QVERIFY(!ProfileStore(dir.path()).importFile(bad, &expected));
    QCOMPARE(dialog.statusText(), expected);
    QVERIFY(dialog.statusText().contains(QStringLiteral("url: expected a ws:// or wss:// URL")));
}

void tst_ProfileLibraryDialog::importKeepsSecretsOutOfTheFile()
{
    QTemporaryDir dir;
    QTemporaryDir outside;
    SessionProfile profile = plainProfile(QStringLiteral("shared"), QStringLiteral("wss://s.test/"));
    profile.options.headers.append("Authorization", "Bearer imported-secret");
    profile.options.secretHeaders = {QStringLiteral("Authorization")};
    const QString path = outside.filePath(QStringLiteral("shared.json"));
    QString error;
    QVERIFY(ProfileStore::writeProfileFile(profile, path, ProfileJson::Secrets::Include, &error));

    ProfileLibraryDialog dialog(dir.path(), testService);
    QSignalSpy keychain(&dialog, &ProfileLibraryDialog::keychainFinished);
    QVERIFY(dialog.importFile(path));
    QCOMPARE(dialog.visibleNames(), QStringList{QStringLiteral("shared")});
    QVERIFY(keychain.wait(20000));
    QVERIFY2(dialog.statusText().startsWith(QStringLiteral("Imported “shared”. Secrets were not saved: no keychain "
                                                           "service is running on this machine")),
             qPrintable(dialog.statusText()));
    const QByteArray stored = fileBytes(dialog.store().pathFor(QStringLiteral("shared")));
    QVERIFY(!stored.isEmpty());
    QVERIFY(!stored.contains("imported-secret"));
}

void tst_ProfileLibraryDialog::exportWithAndWithoutSecrets()
{
    QTemporaryDir dir;
    SessionProfile profile = plainProfile(QStringLiteral("p"), QStringLiteral("wss://p.test/"));
    profile.options.headers.append("Authorization", "Bearer kept-in-keychain");
    profile.options.secretHeaders = {QStringLiteral("Authorization")};
    ProfileLibraryDialog dialog(dir.path(), testService);
    QVERIFY(!dialog.includeSecretsBox()->isChecked()); // off unless asked
    QSignalSpy keychain(&dialog, &ProfileLibraryDialog::keychainFinished);
    QVERIFY(dialog.saveProfile(profile));
    QVERIFY(keychain.wait(20000));

    const QString plain = dir.filePath(QStringLiteral("plain.json"));
    QVERIFY(dialog.exportProfile(QStringLiteral("p"), plain, false));
    QCOMPARE(dialog.statusText(), QStringLiteral("Exported “p” to %1.").arg(plain));
    QVERIFY(fileBytes(plain).contains("{{secret}}"));

    // Asked for secrets, but the keychain is not there: the file is written without them, and the user is told.
    const QString withSecrets = dir.filePath(QStringLiteral("with-secrets.json"));
    QVERIFY(dialog.exportProfile(QStringLiteral("p"), withSecrets, true));
    QVERIFY(keychain.wait(20000));
    QVERIFY2(dialog.statusText().contains(QStringLiteral("without its secrets. Secrets could not be read from the "
                                                         "keychain: no keychain service is running")),
             qPrintable(dialog.statusText()));
    QVERIFY(!fileBytes(withSecrets).contains("kept-in-keychain"));
    QVERIFY(ProfileStore::readProfileFile(withSecrets, nullptr).has_value());
}

void tst_ProfileLibraryDialog::saveSessionAsProfileAndOpenIt()
{
    QTemporaryDir dir;
    qputenv("WSI_PROFILE_DIR", dir.path().toUtf8());
    {
        MessageTemplateLibrary saved;
        QVERIFY(saved.save({QStringLiteral("subscribe"), QStringLiteral("json"), QStringLiteral("{\"sub\":1}"), 2}));
        QSettings().setValue(QStringLiteral("composer/templates"), saved.toJson());
    }
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.newSession();

    // Every field the window can set: the connection bar's, and what it carries from a profile it was opened with.
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/chat?v=2"));
    options.headers.append("Authorization", "Bearer window-secret");
    options.headers.append("X-Tenant", "{{tenant}}");
    options.headers.append("X-Trace", "on");
    options.subprotocols = {QStringLiteral("v2.chat"), QStringLiteral("json")};
    options.origin = QStringLiteral("https://app.test");
    options.offerDeflate = false;
    options.tls = {QStringLiteral("/ca.pem"), QStringLiteral("/client.pem"), QStringLiteral("/client.key"), true};
    options.proxy = QUrl(QStringLiteral("socks5://127.0.0.1:1080"));
    options.strict = false;
    options.heartbeat.kind = HeartbeatSettings::Kind::Ping;
    options.heartbeat.intervalMs = 30000;
    options.heartbeat.replyTimeoutMs = 10000;
    options.heartbeat.missesUntilDead = 3;
    options.heartbeat.whenDead = HeartbeatSettings::WhenDead::Abort;
    options.heartbeat.stopAnsweringPingsAfter = 4;
    options.reconnect.enabled = true;
    options.autoPong = false;
    options.cookies = {{"sid", "cookie-secret"}};
    options.onConnectMessages = {{OnConnectMessage::Kind::Text, "hello"}, {OnConnectMessage::Kind::Ping, "p"}};
    options.handshakeTimeoutMs = 4321;
    view->connectionBar()->setOptions(options);
    QString error;
    QVERIFY2(view->simulatorPanel()->setChain({QStringLiteral("nginx:proxy_read_timeout=30s")}, &error),
             qPrintable(error));
    window.renameSession(window.sessionTabs()->indexOf(view), QStringLiteral("Chat staging"));

    SaveProfileDialog *save = window.saveSessionAsProfile();
    QVERIFY(save);
    QCOMPARE(save->nameField()->text(), QStringLiteral("Chat staging"));
    // Likely secrets are marked already; the others are not.
    QCOMPARE(save->secretHeaderList()->count(), 3);
    QCOMPARE(save->secretHeaderList()->item(0)->checkState(), Qt::Checked);
    QCOMPARE(save->secretHeaderList()->item(2)->checkState(), Qt::Unchecked);
    QCOMPARE(save->variableTable()->rowCount(), 1);
    QCOMPARE(save->variableTable()->item(0, 0)->text(), QStringLiteral("tenant"));
    save->variableTable()->item(0, 1)->setText(QStringLiteral("acme"));
    QVERIFY(save->includeTemplates()->isChecked());

    ProfileLibraryDialog *library = window.profileLibrary();
    QSignalSpy keychain(library, &ProfileLibraryDialog::keychainFinished);
    save->accept();
    QVERIFY(keychain.wait(20000));
    QVERIFY2(library->statusText().startsWith(QStringLiteral("Saved profile “Chat staging”. Secrets were not saved: "
                                                             "no keychain service is running on this machine")),
             qPrintable(library->statusText()));

    // On disk: every field, and no secret value.
    const QByteArray bytes = fileBytes(library->store().pathFor(QStringLiteral("Chat staging")));
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains("window-secret"));
    QVERIFY(!bytes.contains("cookie-secret"));
    const auto stored = library->store().load(QStringLiteral("Chat staging"), &error);
    QVERIFY2(stored, qPrintable(error));
    QCOMPARE(stored->options.url, options.url);
    QCOMPARE(stored->options.headers.value("Authorization"), QByteArray("{{secret}}"));
    QCOMPARE(stored->options.headers.value("X-Tenant"), QByteArray("{{tenant}}"));
    QCOMPARE(stored->options.headers.value("X-Trace"), QByteArray("on"));
    QCOMPARE(stored->options.secretHeaders, QStringList{QStringLiteral("Authorization")});
    QCOMPARE(stored->options.subprotocols, options.subprotocols);
    QCOMPARE(stored->options.origin, options.origin);
    QCOMPARE(stored->options.offerDeflate, false);
    QCOMPARE(stored->options.tls.caFile, options.tls.caFile);
    QCOMPARE(stored->options.tls.clientCertificateFile, options.tls.clientCertificateFile);
    QCOMPARE(stored->options.tls.clientKeyFile, options.tls.clientKeyFile);
    QCOMPARE(stored->options.tls.ignoreErrors, true);
    QCOMPARE(stored->options.proxy, options.proxy);
    QCOMPARE(stored->options.strict, false);
    QCOMPARE(stored->options.heartbeat.kind, HeartbeatSettings::Kind::Ping);
    QCOMPARE(stored->options.heartbeat.intervalMs, 30000);
    QCOMPARE(stored->options.heartbeat.replyTimeoutMs, std::optional<qint64>(10000));
    QCOMPARE(stored->options.heartbeat.missesUntilDead, 3);
    QCOMPARE(stored->options.heartbeat.whenDead, HeartbeatSettings::WhenDead::Abort);
    QCOMPARE(stored->options.heartbeat.stopAnsweringPingsAfter, 4);
    QCOMPARE(stored->options.reconnect.enabled, true);
    QCOMPARE(stored->options.autoPong, false);
    QCOMPARE(stored->options.cookies.size(), 1);
    QCOMPARE(stored->options.cookies.at(0).second, QByteArray("{{secret}}"));
    QCOMPARE(stored->options.onConnectMessages, options.onConnectMessages);
    QCOMPARE(stored->options.handshakeTimeoutMs, 4321);
    QCOMPARE(stored->simulatorChain, QStringList{QStringLiteral("nginx:proxy_read_timeout=30s")});
    QCOMPARE(stored->messageTemplates.size(), 1);
    QCOMPARE(stored->messageTemplates.at(0).name, QStringLiteral("subscribe"));
    QCOMPARE(stored->variables, (QList<ProfileVariable>{{QStringLiteral("tenant"), QStringLiteral("acme"), false}}));

    // Open it: the keychain has nothing, so the window asks for the secrets, then connects a new tab with them.
    const int tabs = window.sessionTabs()->count();
    library->openProfile(QStringLiteral("Chat staging"));
    ConnectValuesDialog *ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = library->findChild<ConnectValuesDialog *>()) != nullptr, 20000);
    QCOMPARE(ask->questions().size(), 2); // the Authorization header and the cookie; {{tenant}} has its value
    QCOMPARE(ask->field(0)->echoMode(), QLineEdit::Password);
    QVERIFY(ask->findChild<QLabel *>(QStringLiteral("keychainNote")));
    ask->field(0)->setText(QStringLiteral("Bearer typed-now"));
    ask->field(1)->setText(QStringLiteral("typed-cookie"));
    ask->accept();
    QCOMPARE(window.sessionTabs()->count(), tabs + 1);
    auto *opened = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(opened);
    QCOMPARE(window.sessionTabs()->tabText(window.sessionTabs()->currentIndex()), QStringLiteral("Chat staging"));
    QCOMPARE(opened->simulatorPanel()->chain(), stored->simulatorChain);
    const auto reopened = opened->connectionBar()->options(&error);
    QVERIFY2(reopened, qPrintable(error));
    QCOMPARE(reopened->url, options.url);
    QCOMPARE(reopened->headers.value("Authorization"), QByteArray("Bearer typed-now"));
    QCOMPARE(reopened->headers.value("X-Tenant"), QByteArray("acme"));
    QCOMPARE(reopened->cookies.at(0).second, QByteArray("typed-cookie"));
    QCOMPARE(reopened->onConnectMessages, options.onConnectMessages);
    QCOMPARE(reopened->heartbeat.missesUntilDead, 3);
    QCOMPARE(reopened->heartbeat.whenDead, HeartbeatSettings::WhenDead::Abort);
    QCOMPARE(reopened->handshakeTimeoutMs, 4321);
    qunsetenv("WSI_PROFILE_DIR");
}

int main(int argc, char **argv)
{
    // No keychain, as on a headless machine, and never the user's own: D-Bus points nowhere before anything uses it.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/wsi-no-session-bus");
    QApplication app(argc, argv);
    tst_ProfileLibraryDialog test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profilelibrarydialog.moc"
