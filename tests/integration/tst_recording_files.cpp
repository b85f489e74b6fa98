// SPDX-License-Identifier: GPL-3.0-or-later
// What recordings leave on disk, on the real programs: no WAL after a clean exit or SIGTERM (command line and
// window), a failed connection attempt's recording in a few KB with its handshake and the reason, and a WAL that
// stays bounded while a long feed is recorded; a recording file removed, renamed away or replaced while it is
// written fails the writer's next commit, and leaves nothing behind.
#include "CliProcess.h"
#include "FeedServer.h"
#include "core/recordings/RecordingReader.h"
#include "core/recordings/RecordingWriter.h"
#include "core/server/EchoServer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>

using namespace wsi;
using namespace wsi::test;

namespace {

// A failed attempt's recording is at most this big (it was 704 KB: one 64 KiB page per table and index).
constexpr qint64 failedAttemptBytes = 16 * 1024;
// The WAL's bound (RecordingWriter): the WAL header and 1,024 pages of 4 KiB with their frame headers, after which
// it is checkpointed and starts over; plus the commit that crossed it, which for one small message is a few pages.
constexpr qint64 walBoundBytes = 32 + 1024 * (4096 + 24);
constexpr qint64 smallCommitBytes = 4 * (4096 + 24);

// Recordings fed a message of 32 KiB every 20 ms outgrow what is compacted when they close within a second, so
// there is a WAL to be removed.
constexpr int feedIntervalMs = 20;
constexpr qsizetype feedMessageBytes = 32 * 1024;

// Answers every upgrade request with 403 and a short body.
class RefusingServer final : public QObject
{
public:
    RefusingServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    socket->write("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
                                  "Connection: close\r\n\r\nno entry 403");
                    socket->disconnectFromHost();
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }

private:
    QTcpServer m_server;
};

// A port nothing listens on.
quint16 refusedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    return server.serverPort(); // closed when `server` goes
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

QString walOf(const QString &path)
{
    return path + QStringLiteral("-wal");
}

// The recording at `path`, read back whole.
std::optional<SessionRecords> read(const QString &path)
{
    QString error;
    std::optional<SessionRecords> records = RecordingReader::readFile(path, &error);
    if (!records)
        qWarning("%s", qPrintable(error));
    return records;
}

// Ends `process` with SIGTERM and waits for it.
bool terminate(QProcess &process)
{
    ::kill(pid_t(process.processId()), SIGTERM);
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 20000);
}

// A log and its recording, written as the recorder does: what was appended since the last commit, in one commit.
class LogRecording
{
public:
    bool create(const QString &path)
    {
        return m_writer.create(
            path,
            RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://127.0.0.1:9/")), {}, QStringLiteral("test"), {}},
            &m_error);
    }
    void append(const QByteArray &payload)
    {
        FrameHeader header;
        header.fin = true;
        header.opcode = 0x2;
        header.payloadLength = quint64(payload.size());
        header.headerLength = payload.size() < 126 ? 2 : 4;
        // 200 ms apart, as a slow feed's messages.
        m_log.appendFrame(FrameRecord::fromHeader(header, m_log.frameCount() * 200'000'000LL, Direction::Incoming),
                          payload);
    }
    bool commit()
    {
        return m_writer.begin(&m_error) && m_writer.writeNewRecords(m_log, m_position, nullptr, &m_error) &&
               m_writer.commit(&m_error);
    }
    QString error() const { return m_error; }

private:
    FrameLog m_log;
    RecordingWriter m_writer;
    RecordingWriter::LogPosition m_position;
    QString m_error;
};

} // namespace

class tst_RecordingFiles : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    // A session that ends by itself: the recording is complete and its WAL has been checkpointed and removed.
    void cleanExitLeavesNoWal()
    {
        FeedServer feed(feedIntervalMs, feedMessageBytes);
        QVERIFY(feed.listen());
        const QString path = m_dir->filePath(QStringLiteral("clean.wsirec"));
        const CliRun run = runCli({QStringLiteral("connect"), feed.url().toString(), QStringLiteral("--duration"),
                                   QStringLiteral("2"), QStringLiteral("--record"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(filesIn(m_dir->path()), QStringList{QStringLiteral("clean.wsirec")});
        const auto records = read(path);
        QVERIFY(records);
        QVERIFY2(records->log->frameCount() > 20, qPrintable(QString::number(records->log->frameCount())));
        QVERIFY(records->close);
    }

    // SIGTERM ends the command line as a clean close does: the recording has the close, and no WAL is left.
    void sigtermOfTheCommandLineLeavesNoWal()
    {
        FeedServer feed(feedIntervalMs, feedMessageBytes);
        QVERIFY(feed.listen());
        const QString path = m_dir->filePath(QStringLiteral("terminated.wsirec"));
        QProcess cli;
        cli.setStandardOutputFile(QProcess::nullDevice());
        cli.start(cliPath(), {QStringLiteral("connect"), feed.url().toString(), QStringLiteral("--record"), path});
        QVERIFY(cli.waitForStarted(5000));
        // Recording, with a WAL, and past the size a closing recording is compacted at.
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo(path).size() + QFileInfo(walOf(path)).size() > 512 * 1024; },
                                20000));
        QVERIFY(QFile::exists(walOf(path)));
        QVERIFY(terminate(cli));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(filesIn(m_dir->path()), QStringList{QStringLiteral("terminated.wsirec")});
        const auto records = read(path);
        QVERIFY(records);
        QVERIFY(records->log->frameCount() > 0);
        QVERIFY(records->close);
        QCOMPARE(records->close->code, quint16(1000));
    }

    // The window, ended with SIGTERM (a logout, `kill`), quits as its own Quit does: its recording is complete
    // and no WAL is left beside it.
    void sigtermOfTheWindowLeavesNoWal()
    {
        FeedServer feed(feedIntervalMs, feedMessageBytes);
        QVERIFY(feed.listen());
        QProcess window;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("HOME"), m_dir->path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir->filePath(QStringLiteral("share")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("config")));
        window.setProcessEnvironment(environment);
        window.start(QStringLiteral(WSI_APP_PATH), {feed.url().toString()});
        QVERIFY(window.waitForStarted(5000));
        const QString recordings = m_dir->filePath(QStringLiteral("share/wsinspector/recordings"));
        QString path;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QStringList files = QDir(recordings).entryList({QStringLiteral("*.wsirec")}, QDir::Files);
                if (files.size() != 1)
                    return false;
                path = QDir(recordings).filePath(files.constFirst());
                return QFileInfo(path).size() + QFileInfo(walOf(path)).size() > 512 * 1024;
            },
            30000));
        QVERIFY(QFile::exists(walOf(path)));
        QVERIFY(terminate(window));
        QCOMPARE(window.exitStatus(), QProcess::NormalExit);
        QCOMPARE(QDir(recordings).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()});
        const auto records = read(path);
        QVERIFY(records);
        QVERIFY(records->log->frameCount() > 0);
        QVERIFY(records->close);
    }

    // A refused connection's recording: a few KB, with the attempt and why it failed.
    void refusedAttemptIsRecordedInAFewKilobytes()
    {
        const quint16 port = refusedPort();
        QVERIFY(port != 0);
        const QString path = m_dir->filePath(QStringLiteral("refused.wsirec"));
        const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port),
                                   QStringLiteral("--record"), path});
        QVERIFY2(run.finished && run.exitCode != 0, qPrintable(describe(run)));
        QCOMPARE(filesIn(m_dir->path()), QStringList{QStringLiteral("refused.wsirec")});
        QVERIFY2(QFileInfo(path).size() <= failedAttemptBytes, qPrintable(QString::number(QFileInfo(path).size())));
        const auto records = read(path);
        QVERIFY(records);
        QVERIFY(!records->handshake.accepted);
        QVERIFY(records->close);
        QVERIFY2(records->close->error.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                 qPrintable(records->close->error));
    }

    // A handshake the server rejects, attempted three times (--reconnect 2): each attempt's recording holds the
    // request, the server's answer and the reason, in a few KB.
    void rejectedHandshakesAreRecordedInAFewKilobytesEach()
    {
        RefusingServer server;
        QVERIFY(server.listen());
        const QString path = m_dir->filePath(QStringLiteral("rejected.wsirec"));
        const CliRun run = runCli({QStringLiteral("connect"), server.url().toString(), QStringLiteral("--reconnect"),
                                   QStringLiteral("2"), QStringLiteral("--reconnect-delay"), QStringLiteral("0"),
                                   QStringLiteral("--record"), path});
        QVERIFY2(run.finished && run.exitCode != 0, qPrintable(describe(run)));
        const QStringList expected{QStringLiteral("rejected-2.wsirec"), QStringLiteral("rejected-3.wsirec"),
                                   QStringLiteral("rejected.wsirec")};
        QCOMPARE(filesIn(m_dir->path()), expected);
        for (const QString &name : expected) {
            const QString attempt = m_dir->filePath(name);
            QVERIFY2(QFileInfo(attempt).size() <= failedAttemptBytes,
                     qPrintable(QStringLiteral("%1: %2 bytes").arg(name).arg(QFileInfo(attempt).size())));
            const auto records = read(attempt);
            QVERIFY(records);
            const HandshakeRecord &handshake = records->handshake;
            QVERIFY(handshake.requestBytes.startsWith("GET / HTTP/1.1\r\n"));
            QVERIFY(handshake.responseReceived);
            QCOMPARE(handshake.response.statusCode, 403);
            QCOMPARE(handshake.response.body, QByteArray("no entry 403"));
            QVERIFY(!handshake.accepted);
            QVERIFY(!handshake.explanation.isEmpty());
            QVERIFY(records->close);
        }
    }

    // A long feed, including one commit larger than the WAL's bound: the WAL never stays beyond its bound (it is
    // checkpointed and started over, and cut back after the large commit), and it is removed on close.
    void walStaysBoundedDuringALongFeed()
    {
        const QString path = m_dir->filePath(QStringLiteral("long.wsirec"));
        {
            LogRecording recording;
            QVERIFY2(recording.create(path), qPrintable(recording.error()));
            // 8 MB in one commit: the WAL holds it whole for now.
            for (int i = 0; i < 128; ++i)
                recording.append(QByteArray(64 * 1024, 'L'));
            QVERIFY2(recording.commit(), qPrintable(recording.error()));
            QVERIFY(QFileInfo(walOf(path)).size() > walBoundBytes);
            // Then a small message per commit, as a slow feed's recorder writes them: 3,000 commits, three times
            // the pages after which the WAL is checkpointed.
            qint64 largestWal = 0;
            for (int i = 0; i < 3000; ++i) {
                recording.append(QByteArray(100, 's'));
                QVERIFY2(recording.commit(), qPrintable(recording.error()));
                largestWal = std::max(largestWal, QFileInfo(walOf(path)).size());
            }
            qInfo("largest WAL during the small commits: %lld bytes", static_cast<long long>(largestWal));
            QVERIFY2(largestWal <= walBoundBytes + smallCommitBytes, qPrintable(QString::number(largestWal)));
        }
        QVERIFY(!QFile::exists(walOf(path)));
        const auto records = read(path);
        QVERIFY(records);
        QCOMPARE(records->log->frameCount(), 128 + 3000);
    }

    // What a commit of a slow feed's one small message costs on disk: a page of 4 KiB, two when the frames
    // table's last page splits (it was 64 KiB).
    void aSmallCommitWritesAFewKilobytes()
    {
        const QString path = m_dir->filePath(QStringLiteral("slow.wsirec"));
        LogRecording recording;
        QVERIFY2(recording.create(path), qPrintable(recording.error()));
        auto onDisk = [&] { return QFileInfo(path).size() + QFileInfo(walOf(path)).size(); };
        const qint64 before = onDisk();
        constexpr int commits = 200;
        for (int i = 0; i < commits; ++i) {
            recording.append(QByteArray(100, 'p'));
            QVERIFY2(recording.commit(), qPrintable(recording.error()));
        }
        const double perCommit = double(onDisk() - before) / commits;
        qInfo("%.0f bytes on disk per commit of one 100-byte message", perCommit);
        QVERIFY2(perCommit <= 2 * (4096 + 24), qPrintable(QString::number(perCommit)));
    }

    // SQLite would go on writing to a file no name leads to: the next commit says so instead.
    void aRemovedFileFailsTheNextCommit_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("removed") << QStringLiteral("remove");
        QTest::newRow("renamed away") << QStringLiteral("rename");
        QTest::newRow("replaced by another file") << QStringLiteral("replace");
    }
    void aRemovedFileFailsTheNextCommit()
    {
        QFETCH(QString, how);
        const QString path = m_dir->filePath(QStringLiteral("gone.wsirec"));
        const QString elsewhere = m_dir->filePath(QStringLiteral("elsewhere"));
        QDir().mkpath(elsewhere);
        {
            LogRecording recording;
            QVERIFY2(recording.create(path), qPrintable(recording.error()));
            recording.append(QByteArray(100, 'p'));
            QVERIFY2(recording.commit(), qPrintable(recording.error()));

            if (how == QLatin1StringView("rename")) {
                QVERIFY(QFile::rename(path, elsewhere + QStringLiteral("/kept.wsirec")));
            } else {
                QVERIFY(QFile::remove(path));
                if (how == QLatin1StringView("replace")) {
                    QFile other(path);
                    QVERIFY(other.open(QIODevice::WriteOnly));
                }
            }
            recording.append(QByteArray(100, 'q'));
            QVERIFY(!recording.commit());
            QCOMPARE(recording.error(), QStringLiteral("the recording file was removed: ") + path);
        }
        // Closing it cleans up after itself: no -wal or -shm is left next to where the file was.
        const QStringList expected =
            how == QLatin1StringView("replace") ? QStringList{QStringLiteral("gone.wsirec")} : QStringList{};
        QCOMPARE(filesIn(m_dir->path()), expected);
        // A file renamed away keeps everything committed to it, the WAL's part included.
        if (how == QLatin1StringView("rename")) {
            const auto records = read(elsewhere + QStringLiteral("/kept.wsirec"));
            QVERIFY(records);
            QCOMPARE(records->log->frameCount(), 2);
        }
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir; // a fresh one per test: they compare what is left in it
};

QTEST_GUILESS_MAIN(tst_RecordingFiles)
#include "tst_recording_files.moc"
