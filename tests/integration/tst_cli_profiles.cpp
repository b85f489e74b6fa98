// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli profiles` and `connect --profile` end to end: the built binary imports a hand-written profile
// into a temporary profile directory, lists and shows it, connects with it to `wsinspector-cli serve` (with flags
// overriding parts of it), and exports it. Everything on 127.0.0.1, every wait bounded.
#include "CliProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace wsi::test;

namespace {

constexpr int processTimeoutMs = 20000;

// Runs the CLI with $WSI_PROFILE_DIR set to profileDir (unless empty), never the caller's own.
CliRun runProfilesCli(const QStringList &arguments, const QString &profileDir = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("WSI_PROFILE_DIR"));
    if (!profileDir.isEmpty())
        environment.insert(QStringLiteral("WSI_PROFILE_DIR"), profileDir);
    return runCli(arguments, processTimeoutMs, environment);
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
    void errors();

private:
    QByteArray profileDocument() const;

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
        "templates": [{"name": "hello", "format": "text", "body": "hello", "fragments": 1}]
    })");
    return document.arg(m_url).toUtf8();
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
    QVERIFY2(run.out.contains("{{tenant}}"), run.out.constData()); // variables are sent as written for now

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
    QByteArray document = profileDocument();
    document.replace("\"Local echo\"", "\"With secret\"");
    document.replace(
        R"("headers": [)",
        R"("secretHeaders": ["Authorization"], "headers": [{"name": "Authorization", "value": "Bearer hunter2"}, )");
    const QString file = m_source.filePath(QStringLiteral("secret.json"));
    QVERIFY(writeFile(file, document));
    CliRun run = runProfilesCli({QStringLiteral("profiles"), QStringLiteral("import"), file}, m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    for (const QString &name : QDir(m_store.path()).entryList(QDir::Files)) {
        QFile stored(QDir(m_store.path()).filePath(name));
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY2(!stored.readAll().contains("hunter2"), qPrintable(name));
    }

    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("With secret"),
                          QStringLiteral("--close")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("profile 'With secret': header 'Authorization' is a secret"), qPrintable(describe(run)));

    run = runProfilesCli({QStringLiteral("connect"), QStringLiteral("--profile"), QStringLiteral("With secret"),
                          QStringLiteral("-H"), QStringLiteral("Authorization: Bearer given"), QStringLiteral("--json"),
                          QStringLiteral("--close")},
                         m_store.path());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("Bearer given"), run.out.constData());
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

QTEST_GUILESS_MAIN(tst_CliProfiles)
#include "tst_cli_profiles.moc"
