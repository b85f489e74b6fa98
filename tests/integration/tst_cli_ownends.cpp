// SPDX-License-Identifier: GPL-3.0-or-later
// Ends this client makes itself, told as its own: `wsinspector-cli connect` whose recording fills a 1 MiB file
// system during a fast feed closes with a Close frame naming the OS's reason (which the server sees) and exits 4,
// or goes on unrecorded when asked; a recording file removed while it is written ends it the same way, naming the
// file; a dead heartbeat, --duration and SIGINT are kept in the recording, and
// `diagnose` on it says this client ended the connection and why, never that the server did. Real servers on
// 127.0.0.1, the real CLI, every wait bounded.
#include "CliProcess.h"
#include "HostileServer.h"
#include "core/server/EchoServer.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <csignal>
#include <cstring>

using namespace wsi;
using namespace wsi::test;

namespace {

constexpr int runTimeoutMs = 15000;

// Runs a program to its end within a few seconds; true when it exited with 0.
bool succeeds(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(1000);
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// A 1 MiB tmpfs for the recording: mounted here when this process may (root), else by the CLI's own launcher in
// a user namespace of its own (unshare -rm), else none, with the reason. Unmounted when it goes.
class SmallDisk final
{
public:
    static constexpr const char *mountOptions = "size=1m";

    SmallDisk()
    {
        if (!m_base.isValid()) {
            m_unavailable = QStringLiteral("no temporary directory");
            return;
        }
        const QString dir = path();
        QDir().mkpath(dir);
        if (succeeds(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                               QString::fromLatin1(mountOptions), QStringLiteral("tmpfs"), dir})) {
            m_mountedHere = true;
            return;
        }
        // In a user namespace the mount is the CLI's alone: "$0" is the directory, "$@" the CLI and its arguments.
        const QString script =
            QStringLiteral("mount -t tmpfs -o %1 tmpfs \"$0\" && exec \"$@\"").arg(QString::fromLatin1(mountOptions));
        if (succeeds(QStringLiteral("unshare"), {QStringLiteral("-rm"), QStringLiteral("sh"), QStringLiteral("-c"),
                                                 script, dir, QStringLiteral("true")})) {
            m_launcher = {QStringLiteral("unshare"),
                          QStringLiteral("-rm"),
                          QStringLiteral("sh"),
                          QStringLiteral("-c"),
                          script,
                          dir};
            return;
        }
        m_unavailable = QStringLiteral("cannot mount a tmpfs: not root, and no user namespaces (unshare -rm)");
    }
    ~SmallDisk()
    {
        if (m_mountedHere && !succeeds(QStringLiteral("umount"), {path()}))
            qWarning("could not unmount %s", qPrintable(path()));
    }
    Q_DISABLE_COPY_MOVE(SmallDisk)

    QString unavailable() const { return m_unavailable; }
    QString path() const { return m_base.filePath(QStringLiteral("disk")); }
    CliRun runCli(const QStringList &arguments) const
    {
        return m_launcher.isEmpty() ? test::runCli(arguments, runTimeoutMs)
                                    : runCliVia(m_launcher, arguments, runTimeoutMs);
    }

private:
    QTemporaryDir m_base; // removed after the destructor's body unmounted the disk in it
    QStringList m_launcher;
    bool m_mountedHere = false;
    QString m_unavailable;
};

// Sends 4,000-byte text messages to every client as fast as a 5 ms timer allows (about 6 MB/s), and keeps the
// Close frame each client sent: the code and reason the server saw.
class FeedServer final : public QObject
{
public:
    static constexpr int messagesPerTick = 8;

    FeedServer()
        : m_server(QStringLiteral("feed"), QWebSocketServer::NonSecureMode)
        , m_payload(4000, u'x')
    {
        m_timer.setInterval(5);
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                m_clients.append(client);
                connect(client, &QWebSocket::disconnected, this, [this, client] {
                    m_clients.removeOne(client);
                    m_closeCode = client->closeCode();
                    m_closeReason = client->closeReason();
                    m_disconnected = true;
                });
            }
            m_timer.start();
        });
        connect(&m_timer, &QTimer::timeout, this, [this] {
            for (QWebSocket *client : std::as_const(m_clients)) {
                for (int i = 0; i < messagesPerTick; ++i)
                    client->sendTextMessage(m_payload);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()); }
    bool disconnected() const { return m_disconnected; }
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }

private:
    QWebSocketServer m_server;
    QString m_payload;
    QTimer m_timer;
    QList<QWebSocket *> m_clients;
    bool m_disconnected = false;
    int m_closeCode = 0;
    QString m_closeReason;
};

} // namespace

class tst_CliOwnEnds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullDiskClosesWithTheReasonAndExits4();
    void fullDiskContinuesUnrecordedWhenAsked();
    void removedRecordingClosesWithTheReasonAndExits4();
    void heartbeatDeathIsOurs();
    void durationIsOurs();
    void interruptIsOurs();

private:
    // `diagnose FILE`'s human output, after checking it ran.
    QString diagnoseText(const QString &file);
    QTemporaryDir m_dir;
};

QString tst_CliOwnEnds::diagnoseText(const QString &file)
{
    const CliRun run = runCli({QStringLiteral("diagnose"), file}, runTimeoutMs);
    if (!run.finished || run.exitCode != 0)
        return describe(run);
    return QString::fromUtf8(run.out);
}

void tst_CliOwnEnds::fullDiskClosesWithTheReasonAndExits4()
{
    const SmallDisk disk;
    if (!disk.unavailable().isEmpty())
        QSKIP(qPrintable(disk.unavailable()));
    FeedServer server;
    QVERIFY(server.listen());
    const CliRun run = disk.runCli({QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"),
                                    disk.path() + QStringLiteral("/feed.wsirec"), server.url()});
    QVERIFY2(run.finished && run.exitCode == 4, qPrintable(describe(run)));

    // The server was told, in the Close frame, why the client left.
    const QString reason = QString::fromLocal8Bit(std::strerror(ENOSPC)); // "No space left on device"
    QVERIFY(QTest::qWaitFor([&] { return server.disconnected(); }, 5000));
    QCOMPARE(server.closeCode(), 1001);
    QCOMPARE(server.closeReason(), QStringLiteral("recording failed: ") + reason);

    QVERIFY2(run.err.contains(QByteArray(QByteArray("recording failed: ") + reason.toUtf8())), run.err.constData());
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QCOMPARE(closes.size(), 1);
    const QJsonObject close = closes.constFirst();
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    QVERIFY(close.value(QStringLiteral("close_sent")).toBool());
    const QJsonObject endedBy = close.value(QStringLiteral("ended_by")).toObject();
    QCOMPARE(endedBy.value(QStringLiteral("reason")).toString(), QStringLiteral("recording_failed"));
    QCOMPARE(endedBy.value(QStringLiteral("detail")).toString(), reason);

    // The diagnosis follows even though the closing handshake completed, and it names our recording.
    const QList<QJsonObject> diagnoses = eventsNamed(events, QStringLiteral("diagnosis"));
    QCOMPARE(diagnoses.size(), 1);
    const QString summary = diagnoses.constFirst().value(QStringLiteral("summary")).toString();
    QVERIFY2(summary.startsWith(QStringLiteral("This client ended it: its recording failed (%1)").arg(reason)),
             qPrintable(summary));
    QVERIFY2(!summary.contains(QLatin1StringView("The server (or something on the path)")), qPrintable(summary));
    QCOMPARE(diagnoses.constFirst().value(QStringLiteral("cause")).toString(), QStringLiteral("client_closed"));

    // `diagnose` on the saved transcript tells it the same way.
    const QString transcript = m_dir.filePath(QStringLiteral("full.jsonl"));
    {
        QFile file(transcript);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(run.out);
    }
    const QString offline = diagnoseText(transcript);
    QVERIFY2(offline.contains(summary), qPrintable(offline));
}

void tst_CliOwnEnds::fullDiskContinuesUnrecordedWhenAsked()
{
    const SmallDisk disk;
    if (!disk.unavailable().isEmpty())
        QSKIP(qPrintable(disk.unavailable()));
    FeedServer server;
    QVERIFY(server.listen());
    const CliRun run =
        disk.runCli({QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"),
                     disk.path() + QStringLiteral("/feed.wsirec"), QStringLiteral("--on-record-error"),
                     QStringLiteral("continue"), QStringLiteral("--duration"), QStringLiteral("2"), server.url()});
    // The connection outlived its recording and ended at --duration, cleanly.
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("recording failed: ") && run.err.contains("going on unrecorded"), run.err.constData());
    QVERIFY(QTest::qWaitFor([&] { return server.disconnected(); }, 5000));
    QCOMPARE(server.closeCode(), 1000);

    const QList<QJsonObject> events = jsonLines(run.out);
    qsizetype errorAt = -1;
    qsizetype framesAfter = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QString event = events.at(i).value(QStringLiteral("event")).toString();
        if (event == QLatin1StringView("error") && errorAt < 0)
            errorAt = i;
        else if (event == QLatin1StringView("frame") && errorAt >= 0)
            ++framesAfter;
    }
    QVERIFY2(errorAt >= 0, run.out.right(2000).constData());
    QVERIFY2(framesAfter > 0, "no frame arrived after the recording failed");
    const QJsonObject close = eventsNamed(events, QStringLiteral("close")).value(0);
    QCOMPARE(close.value(QStringLiteral("ended_by")).toObject().value(QStringLiteral("reason")).toString(),
             QStringLiteral("duration_reached"));
}

void tst_CliOwnEnds::removedRecordingClosesWithTheReasonAndExits4()
{
    FeedServer server;
    QVERIFY(server.listen());
    const QString recording = m_dir.filePath(QStringLiteral("removed.wsirec"));
    QProcess process;
    process.start(cliPath(), {QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"),
                              recording, server.url()});
    QVERIFY(process.waitForStarted(5000));
    // The feed is flowing, and so is the recording, before its file goes.
    QByteArray out;
    QVERIFY2(readOutputUntil(process, out, "\"dir\":\"in\"", runTimeoutMs), out.constData());
    QVERIFY(QFile::remove(recording));
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, runTimeoutMs));
    out += process.readAllStandardOutput();
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 4, err.constData());

    const QString reason = QStringLiteral("the recording file was removed: ") + recording;
    QVERIFY(QTest::qWaitFor([&] { return server.disconnected(); }, 5000));
    QCOMPARE(server.closeCode(), 1001);
    QCOMPARE(server.closeReason(), QStringLiteral("recording failed: ") + reason);
    QVERIFY2(err.contains(
                 QStringLiteral("recording failed: %1 (closing the connection; exit status 4)").arg(reason).toUtf8()),
             err.constData());
    const QJsonObject close = eventsNamed(jsonLines(out), QStringLiteral("close")).value(0);
    const QJsonObject endedBy = close.value(QStringLiteral("ended_by")).toObject();
    QCOMPARE(endedBy.value(QStringLiteral("reason")).toString(), QStringLiteral("recording_failed"));
    QCOMPARE(endedBy.value(QStringLiteral("detail")).toString(), reason);
    // The writer closed the file it no longer had a name for: no -wal or -shm is left where it was.
    QVERIFY(!QFile::exists(recording + QStringLiteral("-wal")));
    QVERIFY(!QFile::exists(recording + QStringLiteral("-shm")));
}

void tst_CliOwnEnds::heartbeatDeathIsOurs()
{
    test::HostileServer server(QStringLiteral("silent-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    const QString recording = m_dir.filePath(QStringLiteral("dead.wsirec"));
    const CliRun run = runCli(
        {QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"), recording,
         QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--ping-interval"), QStringLiteral("0.1"),
         QStringLiteral("--pong-timeout"), QStringLiteral("0.1"), QStringLiteral("--dead-after"), QStringLiteral("2")},
        runTimeoutMs);
    QVERIFY2(run.finished && run.exitCode == 3, qPrintable(describe(run)));
    const QJsonObject close = eventsNamed(jsonLines(run.out), QStringLiteral("close")).value(0);
    const QJsonObject endedBy = close.value(QStringLiteral("ended_by")).toObject();
    QCOMPARE(endedBy.value(QStringLiteral("reason")).toString(), QStringLiteral("heartbeat_dead"));
    QVERIFY2(endedBy.value(QStringLiteral("detail")).toString().endsWith(QLatin1StringView(" s without a pong")),
             qPrintable(endedBy.value(QStringLiteral("detail")).toString()));

    // From the recording: the heartbeat's verdict, as ours.
    const QString text = diagnoseText(recording);
    QVERIFY2(text.contains(QLatin1StringView("This client ended it: its heartbeat declared the server dead after ")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1StringView(" s without a pong")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1StringView("The server (or something on the path)")), qPrintable(text));
}

void tst_CliOwnEnds::durationIsOurs()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    const QString recording = m_dir.filePath(QStringLiteral("duration.wsirec"));
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--record"), recording, echo.url().toString(),
                               QStringLiteral("--duration"), QStringLiteral("0.3")},
                              runTimeoutMs);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("this client ended it: the --duration of 0.3 s was reached"), run.out.constData());
    const QString text = diagnoseText(recording);
    QVERIFY2(text.contains(QLatin1StringView("This client ended it: the --duration of 0.3 s was reached.")),
             qPrintable(text));
}

void tst_CliOwnEnds::interruptIsOurs()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    const QString recording = m_dir.filePath(QStringLiteral("interrupted.wsirec"));
    QProcess process;
    process.start(cliPath(), {QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"),
                              recording, echo.url().toString(), QStringLiteral("--send"), QStringLiteral("hello")});
    QVERIFY(process.waitForStarted(5000));
    // The echo arrives once the connection is open and the signal handler installed.
    QByteArray out;
    QVERIFY2(readOutputUntil(process, out, "\"dir\":\"in\"", runTimeoutMs), out.constData());
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, runTimeoutMs));
    out += process.readAllStandardOutput();
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, out.constData());
    const QJsonObject close = eventsNamed(jsonLines(out), QStringLiteral("close")).value(0);
    const QJsonObject endedBy = close.value(QStringLiteral("ended_by")).toObject();
    QCOMPARE(endedBy.value(QStringLiteral("reason")).toString(), QStringLiteral("interrupted"));
    QCOMPARE(endedBy.value(QStringLiteral("detail")).toString(), QStringLiteral("SIGINT"));

    const QString text = diagnoseText(recording);
    QVERIFY2(text.contains(QLatin1StringView("This client ended it: interrupted by the user (SIGINT).")),
             qPrintable(text));
}

QTEST_GUILESS_MAIN(tst_CliOwnEnds)
#include "tst_cli_ownends.moc"
