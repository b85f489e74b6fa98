// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli profiles` and `connect --profile` end to end: the built binary imports a hand-written profile
// into a temporary profile directory, lists and shows it, connects with it to `wsinspector-cli serve` (with flags
// overriding parts of it), and exports it; variables and secrets are filled in from the command line and checked
// in the request a server received. Everything on 127.0.0.1, every wait bounded.
//
// No test here reaches a real keychain: the CLI runs with D-Bus pointed nowhere wherever secrets are involved,
// as on a headless machine (tests/unit/tst_secretstore covers the keychain itself).
#include "CliProcess.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/SecretStore.h"
#include "core/protocol/HandshakeRequest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace wsi::test;

namespace {

constexpr int processTimeoutMs = 20000;

using Environment = QList<QPair<QString, QString>>;

// A session bus that does not exist: no keychain can answer, as on a headless machine or in CI.
const Environment noKeychain = {
    {QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/wsi-no-session-bus")}};

// Runs the CLI with $WSI_PROFILE_DIR set to profileDir (unless empty), never the caller's own, without the
// caller's $WSI_VAR_* and with `extra` added to its environment.
CliRun runProfilesCli(const QStringList &arguments, const QString &profileDir = {}, const Environment &extra = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("WSI_PROFILE_DIR"));
    for (const QString &key : environment.keys()) {
        if (key.startsWith(QLatin1StringView("WSI_VAR_")))
            environment.remove(key);
    }
    if (!profileDir.isEmpty())
        environment.insert(QStringLiteral("WSI_PROFILE_DIR"), profileDir);
    for (const auto &[key, value] : extra)
        environment.insert(key, value);
    return runCli(arguments, processTimeoutMs, environment);
}

// What the server received: the value of a request header, or nothing.
QByteArray headerValue(const QByteArray &request, QByteArrayView name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// Keeps the opening request it receives and accepts it; the client's first frame after that (its Close, as these
// tests send nothing else) is answered with a Close 1000 and the end of the connection, so the CLI ends cleanly.
class RequestRecorder final : public QObject
{
public:
    RequestRecorder() { connect(&m_server, &QTcpServer::newConnection, this, &RequestRecorder::onNewConnection); }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url(const QString &pathAndQuery) const
    {
        return QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(pathAndQuery);
    }
    const QByteArray &request() const { return m_request; }

private:
    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        }
    }
    void onReadyRead(QTcpSocket *socket)
    {
        const QByteArray bytes = socket->readAll();
        if (m_upgraded) {
            socket->write(QByteArray("\x88\x02\x03\xe8", 4));
            socket->disconnectFromHost();
            return;
        }
        m_request += bytes;
        if (!m_request.contains("\r\n\r\n"))
            return;
        m_upgraded = true;
        socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: " +
                      wsi::HandshakeRequest::computeAccept(headerValue(m_request, "Sec-WebSocket-Key")) + "\r\n\r\n");
    }

    QTcpServer m_server;
    QByteArray m_request;
    bool m_upgraded = false;
};

// A profile file: name and url, plus `fields`.
QByteArray profileJson(const QString &name, const QString &url, QJsonObject fields)
{
    fields.insert(QStringLiteral("schema"), 1);
    fields.insert(QStringLiteral("name"), name);
    fields.insert(QStringLiteral("url"), url);
    return QJsonDocument(fields).toJson();
}

QJsonObject header(const QString &name, const QString &value)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("value"), value}};
}

// The incoming text messages of a --json transcript, in order.
QStringList messagesIn(const QByteArray &out)
{
    QStringList payloads;
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(QStringLiteral("event")).toString() == QLatin1StringView("message") &&
            event.value(QStringLiteral("dir")).toString() == QLatin1StringView("in"))
            payloads.append(event.value(QStringLiteral("payload")).toString());
    }
    return payloads;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class tst_CliProfiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void importListShowConnectExport();
    void connectFlagsOverrideTheProfile();
    void secretHeadersMustBeGiven();
    void exportsOfARecordingLeaveTheProfilesSecretsOut();
    void variablesReachTheServer();
    void missingVariablesAreAllNamed();
    void secretsWithoutKeychainAreNamed();
    void secretsGivenOnTheCommandLineNeedNoKeychain();
    void errors();
    void windowAndCommandLineShareTheirProfiles();

private:
    QByteArray profileDocument() const;
    bool importProfile(const QByteArray &document, const QString &fileName);

    std::unique_ptr<QProcess> m_serve;
    QString m_url;
    QTemporaryDir m_store;  // the profile directory
    QTemporaryDir m_source; // files to import, exports
};

void tst_CliProfiles::initTestCase()
{
    QVERIFY(m_store.isValid() && m_source.isValid());
    m_serve = std::make_unique<QProcess>();
    m_serve->start(cliPath(), {QStringLiteral("serve")});
    QVERIFY2(m_serve->waitForStarted(5000), qPrintable(m_serve->errorString()));
    QVERIFY2(QTest::qWaitFor([this] { return m_serve->canReadLine(); }, 10000), "serve printed no listening line");
    const QString line = QString::fromUtf8(m_serve->readLine()).trimmed();
    static const QRegularExpression listening(QStringLiteral("^listening ws://127\\.0\\.0\\.1:(\\d+)$"));
    const QRegularExpressionMatch match = listening.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    m_url = QStringLiteral("ws://127.0.0.1:%1/").arg(match.captured(1));

    // The profile every test uses, imported once.
    const QString file = m_source.filePath(QStringLiteral("echo.json"));
    QVERIFY(writeFile(file, profileDocument()));
    const CliRun run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("import"), file}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.startsWith("imported 'Local echo' into "), qPrintable(describe(run)));
}

void tst_CliProfiles::cleanupTestCase()
{
    if (m_serve && m_serve->state() != QProcess::NotRunning) {
        m_serve->terminate();
        if (!m_serve->waitForFinished(5000))
            m_serve->kill();
        m_serve->waitForFinished(5000);
    }
}

QByteArray tst_CliProfiles::profileDocument() const
{
    // Written by hand, as someone sharing a profile would: only some fields, the rest default.
    const QString document = QString::fromUtf8(R"({
        "schema": 1,
        "name": "Local echo",
        "url": "%1",
        "headers": [{"name": "X-From-Profile", "value": "yes"}, {"name": "X-Tenant", "value": "{{tenant}}"}],
        "subprotocols": [],
        "onConnect": [{"kind": "text", "payload": "from-profile"}, {"kind": "binary", "payload": "0102"}],
        "heartbeat": {"kind": "none"},
        "simulatorChain": ["nginx"],
        "templates": [{"name": "hello", "format": "text", "body": "hello", "fragments": 1}],
        "variables": [{"name": "tenant", "value": "acme"}]
    })");
    return document.arg(m_url).toUtf8();
}

bool tst_CliProfiles::importProfile(const QByteArray &document, const QString &fileName)
{
    const QString file = m_source.filePath(fileName);
    if (!writeFile(file, document))
        return false;
    const CliRun run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("import"), file}, m_store.path());
    if (!run.finished || run.exitCode != 0)
        qWarning("%s", qPrintable(describe(run)));
    return run.finished && run.exitCode == 0;
}

void tst_CliProfiles::importListShowConnectExport()
{
    // list: --dir wins over $WSI_PROFILE_DIR (here an empty directory).
    const QTemporaryDir empty;
    CliRun run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("list")}, empty.path());
    QVERIFY2(run.finished && run.exitCode == 0 && run.out.isEmpty(), qPrintable(describe(run)));
    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--dir"), m_store.path()},
                         empty.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QCOMPARE(run.out, QByteArray("Local echo\n"));

    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("show"), QStringLiteral("Local echo")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QJsonObject shown = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(shown.value(QStringLiteral("schema")).toInt(), 1);
    QCOMPARE(shown.value(QStringLiteral("name")).toString(), QStringLiteral("Local echo"));
    QCOMPARE(shown.value(QStringLiteral("url")).toString(), m_url);
    QCOMPARE(shown.value(QStringLiteral("simulatorChain")).toArray().size(), 1);

    // connect --profile NAME: the profile's URL, headers and on-connect messages.
    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Local echo"),
                          QStringLiteral("--json"), QStringLiteral("--close")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QCOMPARE(messagesIn(run.out).value(0), QStringLiteral("from-profile"));
    QVERIFY2(run.out.contains("X-From-Profile"), run.out.constData());
    QVERIFY2(run.out.contains("X-Tenant: acme"), run.out.constData()); // the profile's own value
    QVERIFY2(!run.out.contains("{{tenant}}"), run.out.constData());

    // export: a valid profile file, equal to what show printed.
    const QString exported = m_source.filePath(QStringLiteral("exported.json"));
    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("export"), QStringLiteral("Local echo"), exported},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object(), shown);

    // connect --profile FILE works without a profile directory.
    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), exported, QStringLiteral("--json"),
                          QStringLiteral("--close")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QCOMPARE(messagesIn(run.out).value(0), QStringLiteral("from-profile"));
}

void tst_CliProfiles::connectFlagsOverrideTheProfile()
{
    // --send replaces the profile's on-connect messages; -H replaces its header of that name.
    const CliRun run =
        runProfilesCli({QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--send"),
                        QStringLiteral("from-flag"), QStringLiteral("--profile=Local echo"), QStringLiteral("-H"),
                        QStringLiteral("X-From-Profile: overridden"), QStringLiteral("--close")},
                       m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QCOMPARE(messagesIn(run.out), QStringList{QStringLiteral("from-flag")});
    QVERIFY2(run.out.contains("overridden"), run.out.constData());
    QVERIFY2(!run.out.contains("X-From-Profile: yes"), run.out.constData());
}

void tst_CliProfiles::secretHeadersMustBeGiven()
{
    // A profile with a secret header, saved through import: the file holds only the placeholder.
    const QByteArray document =
        profileJson(QStringLiteral("With secret"), m_url,
                    {{QStringLiteral("secretHeaders"), QJsonArray{QStringLiteral("Authorization")}},
                     {QStringLiteral("headers"),
                      QJsonArray{header(QStringLiteral("Authorization"), QStringLiteral("Bearer hunter2"))}}});
    QVERIFY(importProfile(document, QStringLiteral("secret.json")));
    for (const QString &name : QDir(m_store.path()).entryList(QDir::Files)) {
        QFile stored(QDir(m_store.path()).filePath(name));
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY2(!stored.readAll().contains("hunter2"), qPrintable(name));
    }

    CliRun run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("With secret"),
                                 QStringLiteral("--close")},
                                m_store.path(), noKeychain);
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("profile 'With secret': no value for the secret header 'Authorization': "),
             qPrintable(describe(run)));
    QVERIFY2(run.err.contains("Give it on the command line: -H \"Authorization: VALUE\""), qPrintable(describe(run)));

    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("With secret"),
                          QStringLiteral("-H"), QStringLiteral("Authorization: Bearer given"), QStringLiteral("--json"),
                          QStringLiteral("--close")},
                         m_store.path(), noKeychain);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("Bearer given"), run.out.constData());
}

// A header the profile marks secret has a name no built-in rule knows (X-Tenant): the recording of a session opened
// from the profile keeps the name, so `export` of that recording, long after, still leaves its value out of both
// formats; --include-secrets keeps it.
void tst_CliProfiles::exportsOfARecordingLeaveTheProfilesSecretsOut()
{
    const QByteArray document = profileJson(
        QStringLiteral("Tenant"), m_url,
        {{QStringLiteral("secretHeaders"), QJsonArray{QStringLiteral("X-Tenant")}},
         {QStringLiteral("headers"), QJsonArray{header(QStringLiteral("X-Tenant"), QStringLiteral("acme-tenant")),
                                                header(QStringLiteral("X-Plain"), QStringLiteral("visible-value"))}}});
    QVERIFY(importProfile(document, QStringLiteral("tenant.json")));
    const QString recording = QDir(m_source.path()).filePath(QStringLiteral("tenant.wsirec"));
    const CliRun connected = runProfilesCli(
        {QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Tenant"), QStringLiteral("-H"),
         QStringLiteral("X-Tenant: acme-tenant"), QStringLiteral("--record"), recording, QStringLiteral("--close")},
        m_store.path(), noKeychain);
    QVERIFY2(connected.finished && connected.exitCode == 0, qPrintable(describe(connected)));

    for (const char *format : {"--har", "--jsonl"}) {
        const QString out = QDir(m_source.path()).filePath(QStringLiteral("tenant-export"));
        CliRun exported =
            runProfilesCli({QStringLiteral("export"), recording, QLatin1StringView(format), out}, m_store.path());
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray safe = file.readAll();
        file.close();
        QVERIFY2(!safe.contains("acme-tenant"), format);
        QVERIFY2(safe.contains("X-Tenant: [redacted]") || safe.contains("\"value\":\"[redacted]\""), format);
        QVERIFY2(safe.contains("visible-value"), format); // only the secret is left out

        exported = runProfilesCli(
            {QStringLiteral("export"), recording, QLatin1StringView(format), out, QStringLiteral("--include-secrets")},
            m_store.path());
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(file.readAll().contains("acme-tenant"), format);
        file.close();
        QVERIFY(QFile::remove(out));
    }
}

void tst_CliProfiles::variablesReachTheServer()
{
    RequestRecorder server;
    QVERIFY(server.listen());
    // room: declared without a value; tenant: only used; region: the profile's value, which the environment beats.
    const QByteArray document = profileJson(
        QStringLiteral("Templated"), server.url(QStringLiteral("/rooms/{{room}}?tenant={{tenant}}")),
        {{QStringLiteral("headers"), QJsonArray{header(QStringLiteral("X-Tenant"), QStringLiteral("{{tenant}}")),
                                                header(QStringLiteral("X-Region"), QStringLiteral("{{region}}"))}},
         {QStringLiteral("origin"), QStringLiteral("https://{{tenant}}.example")},
         {QStringLiteral("variables"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("room")}},
                                                  QJsonObject{{QStringLiteral("name"), QStringLiteral("region")},
                                                              {QStringLiteral("value"), QStringLiteral("eu")}}}}});
    QVERIFY(importProfile(document, QStringLiteral("templated.json")));

    const CliRun run = runProfilesCli(
        {QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Templated"), QStringLiteral("--var"),
         QStringLiteral("room=lobby one"), QStringLiteral("--var=tenant=acme"), QStringLiteral("--close")},
        m_store.path(),
        {{QStringLiteral("WSI_VAR_tenant"), QStringLiteral("from-environment")},
         {QStringLiteral("WSI_VAR_region"), QStringLiteral("us")}});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray &request = server.request();
    // Percent-encoded in the URL, as written elsewhere; --var over $WSI_VAR_ over the profile.
    QVERIFY2(request.startsWith("GET /rooms/lobby%20one?tenant=acme HTTP/1.1\r\n"), request.constData());
    QCOMPARE(headerValue(request, "X-Tenant"), QByteArray("acme"));
    QCOMPARE(headerValue(request, "X-Region"), QByteArray("us"));
    QCOMPARE(headerValue(request, "Origin"), QByteArray("https://acme.example"));
    QVERIFY2(!request.contains("{{"), request.constData());
}

void tst_CliProfiles::missingVariablesAreAllNamed()
{
    const QByteArray document = profileJson(
        QStringLiteral("Open values"), QStringLiteral("ws://127.0.0.1:9/{{room}}"),
        {{QStringLiteral("headers"), QJsonArray{header(QStringLiteral("X-Tenant"), QStringLiteral("{{tenant}}")),
                                                header(QStringLiteral("X-Region"), QStringLiteral("{{region}}"))}},
         {QStringLiteral("variables"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("region")},
                                                              {QStringLiteral("value"), QStringLiteral("eu")}}}}});
    QVERIFY(importProfile(document, QStringLiteral("open.json")));
    const QStringList connect = {QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Open values")};

    // Every missing name in one message, nothing on the network (port 9 would refuse: exit status 1).
    CliRun run = runProfilesCli(connect, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("profile 'Open values': no value for variables 'room', 'tenant'; give them with "
                              "--var room=VALUE --var tenant=VALUE (or in $WSI_VAR_room, $WSI_VAR_tenant)"),
             qPrintable(describe(run)));

    // One given: the other is still named, alone.
    run = runProfilesCli(connect + QStringList{QStringLiteral("--var"), QStringLiteral("room=a")}, m_store.path(),
                         {{QStringLiteral("WSI_VAR_region"), QStringLiteral("us")}});
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("no value for variable 'tenant'; give it with --var tenant=VALUE (or in "
                              "$WSI_VAR_tenant)"),
             qPrintable(describe(run)));

    // A variable the profile does not have is a typo, not something to ignore.
    run = runProfilesCli(connect + QStringList{QStringLiteral("--var"), QStringLiteral("tennant=a")}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--var tennant: profile 'Open values' has no variable 'tennant' (it has room, tenant, "
                              "region)"),
             qPrintable(describe(run)));

    // Malformed --var, never echoing the value (it may be a secret).
    run = runProfilesCli(connect + QStringList{QStringLiteral("--var"), QStringLiteral("1st=hidden-value")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--var: '1st' is not a variable name"), qPrintable(describe(run)));
    QVERIFY2(!run.err.contains("hidden-value"), qPrintable(describe(run)));
    run = runProfilesCli(connect + QStringList{QStringLiteral("--var"), QStringLiteral("room")}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--var 'room': expected NAME=VALUE"), qPrintable(describe(run)));
    run = runProfilesCli(connect + QStringList{QStringLiteral("--var"), QStringLiteral("room=")}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--var room=: the value is empty"), qPrintable(describe(run)));

    // Without a profile there is nothing to fill in.
    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:9/"), QStringLiteral("--var"),
                          QStringLiteral("room=a")});
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--var fills in the {{variables}} of a profile: it needs --profile"),
             qPrintable(describe(run)));
}

namespace {

// The profile the two secret tests share: a secret header, a cookie and a secret variable, all kept out of the file.
QByteArray vaultProfile(const QString &url)
{
    return profileJson(
        QStringLiteral("Vault"), url,
        {{QStringLiteral("secretHeaders"), QJsonArray{QStringLiteral("Authorization")}},
         {QStringLiteral("headers"),
          QJsonArray{header(QStringLiteral("Authorization"), QStringLiteral("Bearer kept-in-keychain")),
                     header(QStringLiteral("X-Token"), QStringLiteral("{{token}}"))}},
         {QStringLiteral("cookies"), QJsonArray{header(QStringLiteral("sid"), QStringLiteral("cookie-in-keychain"))}},
         {QStringLiteral("variables"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("token")},
                                                              {QStringLiteral("value"), QStringLiteral("t0k3n")},
                                                              {QStringLiteral("secret"), true}}}}});
}

} // namespace

void tst_CliProfiles::secretsWithoutKeychainAreNamed()
{
    QVERIFY(importProfile(vaultProfile(QStringLiteral("ws://127.0.0.1:9/")), QStringLiteral("vault.json")));
    QElapsedTimer clock;
    clock.start();
    const CliRun run = runProfilesCli(
        {QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Vault"), QStringLiteral("--close")},
        m_store.path(), noKeychain);
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    // Asked and answered at once: a missing session bus is not a wait for the 30 s bound.
    QVERIFY2(clock.elapsed() < 10000, qPrintable(describe(run)));
    const QByteArray expected =
        QByteArray(
            "profile 'Vault': no value for the secrets header 'Authorization', cookie 'sid', variable 'token': ") +
        (wsi::SecretStore::hasKeychainSupport() ? QByteArray("no keychain service is running on this machine (")
                                                : QByteArray("this build of WS Inspector has no keychain support"));
    QVERIFY2(run.err.contains(expected), qPrintable(describe(run)));
    QVERIFY2(run.err.contains("Give them on the command line: -H \"Authorization: VALUE\" --var token=VALUE (or "
                              "$WSI_VAR_token) -H \"Cookie: sid=VALUE\""),
             qPrintable(describe(run)));
    for (const char *secret : {"kept-in-keychain", "cookie-in-keychain", "t0k3n"})
        QVERIFY2(!run.out.contains(secret) && !run.err.contains(secret), secret);
}

void tst_CliProfiles::secretsGivenOnTheCommandLineNeedNoKeychain()
{
    RequestRecorder server;
    QVERIFY(server.listen());
    QByteArray document = vaultProfile(server.url(QStringLiteral("/")));
    document.replace("\"Vault\"", "\"Vault given\"");
    QVERIFY(importProfile(document, QStringLiteral("vault-given.json")));
    const CliRun run = runProfilesCli(
        {QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("Vault given"), QStringLiteral("-H"),
         QStringLiteral("Authorization: Bearer from-flag"), QStringLiteral("-H"), QStringLiteral("Cookie: sid=c00kie"),
         QStringLiteral("--close")},
        m_store.path(), noKeychain + Environment{{QStringLiteral("WSI_VAR_token"), QStringLiteral("env-token")}});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QByteArray &request = server.request();
    QCOMPARE(headerValue(request, "Authorization"), QByteArray("Bearer from-flag"));
    QCOMPARE(headerValue(request, "Cookie"), QByteArray("sid=c00kie")); // replaced, not merged with the profile's
    QCOMPARE(headerValue(request, "X-Token"), QByteArray("env-token"));
    QVERIFY2(!request.contains("{{secret}}"), request.constData());
}

void tst_CliProfiles::errors()
{
    CliRun run =
        runProfilesCli({QStringLiteral("profiles"), QStringLiteral("show"), QStringLiteral("nope")}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("no profile named 'nope'"), qPrintable(describe(run)));

    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("frobnicate")}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("export"), QStringLiteral("Local echo")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("missing arguments: export NAME FILE"), qPrintable(describe(run)));

    const QString broken = m_source.filePath(QStringLiteral("broken.json"));
    const QByteArray brokenDocument(
        R"({"schema": 1, "name": "B", "url": "ws://h/", "headers": [{"name": "A", "value": 1}]})");
    QVERIFY(writeFile(broken, brokenDocument));
    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("import"), broken}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("broken.json: headers[0].value: expected a string, found a number"),
             qPrintable(describe(run)));

    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("nope")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--profile: no profile named 'nope'"), qPrintable(describe(run)));

    const CliRun help = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("--help")});
    QVERIFY2(help.finished && help.exitCode == 0 && help.out.contains("export NAME FILE"), qPrintable(describe(help)));
    const CliRun mainHelp = runProfilesCli({QStringLiteral("--help")});
    QVERIFY(mainHelp.out.contains("profiles"));
}

// No $WSI_PROFILE_DIR: a profile saved by the window (the ProfileStore its profile dialogs use, under the window's
// application names) is listed by the real wsinspector-cli, and one the CLI imports is in the window's store,
// through the one data folder both find ($XDG_DATA_HOME here, a temporary one).
void tst_CliProfiles::windowAndCommandLineShareTheirProfiles()
{
    QTemporaryDir dataHome;
    QVERIFY(dataHome.isValid());
    const QByteArray previousDataHome = qgetenv("XDG_DATA_HOME");
    const QString previousOrganization = QCoreApplication::organizationName();
    const QString previousApplication = QCoreApplication::applicationName();
    const auto restore = qScopeGuard([&] {
        qputenv("XDG_DATA_HOME", previousDataHome);
        QCoreApplication::setOrganizationName(previousOrganization);
        QCoreApplication::setApplicationName(previousApplication);
    });
    qputenv("XDG_DATA_HOME", dataHome.path().toLocal8Bit());
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector")); // app/gui/main.cpp
    QCoreApplication::setApplicationName(QStringLiteral("WS Inspector"));

    wsi::SessionProfile saved;
    saved.name = QStringLiteral("Saved in the window");
    saved.options.url = QUrl(m_url);
    QString error;
    wsi::ProfileStore windowStore;
    QVERIFY2(windowStore.save(saved, &error), qPrintable(error));

    const Environment shared = {{QStringLiteral("XDG_DATA_HOME"), dataHome.path()}};
    CliRun run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("list")}, {}, shared);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("Saved in the window"), qPrintable(describe(run)));

    const QString file = m_source.filePath(QStringLiteral("from-the-cli.json"));
    QVERIFY(writeFile(file, profileJson(QStringLiteral("Imported by the CLI"), m_url, {})));
    run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("import"), file}, {}, shared);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY(windowStore.list().contains(QStringLiteral("Imported by the CLI")));
}

QTEST_GUILESS_MAIN(tst_CliProfiles)
#include "tst_cli_profiles.moc"
