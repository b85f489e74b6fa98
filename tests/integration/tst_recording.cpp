// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ProfileJson.h"
#include "core/recordings/RecordingFormat.h"
#include "core/recordings/RecordingReader.h"
#include "core/recordings/RecordingWriter.h"
#include "core/recordings/SessionRecorder.h"
#include "core/recordings/SessionRecordings.h"
#include "core/records/FrameLog.h"
#include "core/records/PayloadOverflow.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"
#include "core/session/SessionManager.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace wsi;

namespace {

// Every field of every frame, message and round trip, and each whole payload (from the log when it kept it, else
// from the recording).
void compareLogs(const FrameLog &live, const FrameLog &read, RecordingReader &reader)
{
    QCOMPARE(read.frameCount(), live.frameCount());
    for (qsizetype i = 0; i < live.frameCount(); ++i) {
        const FrameRecord &a = live.frame(i);
        const FrameRecord &b = read.frame(i);
        QCOMPARE(b.timeNs, a.timeNs);
        QCOMPARE(b.opcode, a.opcode);
        QCOMPARE(b.payloadLength, a.payloadLength);
        QCOMPARE(b.headerLength, a.headerLength);
        QCOMPARE(b.maskingKey, a.maskingKey);
        QCOMPARE(b.violationMask, a.violationMask);
        const quint16 ignored = FrameRecord::PayloadTruncated;
        QCOMPARE(b.flags & ~ignored, a.flags & ~ignored);
        QCOMPARE(read.frameViolations(i), live.frameViolations(i));
        QByteArray payload = read.framePayload(i).toByteArray();
        if (b.has(FrameRecord::PayloadTruncated)) {
            QString error;
            const auto whole = reader.framePayload(i, &error);
            QVERIFY2(whole, qPrintable(error));
            payload = *whole;
        }
        QCOMPARE(quint64(payload.size()), a.payloadLength);
        if (!a.has(FrameRecord::PayloadTruncated))
            QCOMPARE(payload, live.framePayload(i).toByteArray());
    }
    QCOMPARE(read.messageCount(), live.messageCount());
    for (qsizetype i = 0; i < live.messageCount(); ++i) {
        const MessageRecord &a = live.message(i);
        const MessageRecord &b = read.message(i);
        QCOMPARE(b.timeNs, a.timeNs);
        QCOMPARE(b.firstFrame, a.firstFrame);
        QCOMPARE(b.lastFrame, a.lastFrame);
        QCOMPARE(b.length, a.length);
        QCOMPARE(b.wireLength, a.wireLength);
        QCOMPARE(b.type, a.type);
        QCOMPARE(b.direction, a.direction);
        QCOMPARE(b.compressed, a.compressed);
        QString error;
        const auto whole = reader.messagePayload(i, b, &error);
        QVERIFY2(whole, qPrintable(error));
        QCOMPARE(quint64(whole->size()), a.length);
        if (!a.payloadTruncated())
            QCOMPARE(*whole, live.messagePayload(i).toByteArray());
    }
    QCOMPARE(read.roundTripCount(), live.roundTripCount());
    for (qsizetype i = 0; i < live.roundTripCount(); ++i) {
        QCOMPARE(read.roundTrip(i).pingFrame, live.roundTrip(i).pingFrame);
        QCOMPARE(read.roundTrip(i).pongFrame, live.roundTrip(i).pongFrame);
        QCOMPARE(read.roundTrip(i).rttNs, live.roundTrip(i).rttNs);
    }
}

QByteArray pattern(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) & 0xff);
    return bytes;
}

// The echo server, and a session manager that records every session into a folder of its own.
struct RecordedEcho {
    QTemporaryDir dir;
    EchoServer echo;
    SessionManager manager;
    SessionRecordings *recordings = SessionRecordings::of(&manager);
    RecordedEcho() { recordings->setDirectory(dir.path()); }
};

// One text frame, a whole message by itself, appended to `log`.
void appendMessage(FrameLog &log, const QByteArray &payload, qint64 timeNs)
{
    FrameHeader header;
    header.fin = true;
    header.opcode = 0x1;
    header.payloadLength = quint64(payload.size());
    header.headerLength = payload.size() < 126 ? 2 : payload.size() < 65536 ? 4 : 10;
    const qsizetype index = log.appendFrame(FrameRecord::fromHeader(header, timeNs, Direction::Incoming), payload);
    log.appendMessage(RecordingFormat::singleFrameMessage(log.frame(index), index), payload);
}

bool createRecording(RecordingWriter &writer, const QString &path, QString *error)
{
    return writer.create(path,
                         RecordingWriter::SessionInfo{
                             QUrl(QStringLiteral("ws://127.0.0.1:1/")), QDateTime::currentDateTimeUtc(), {}, {}},
                         error);
}

bool writeCommit(RecordingWriter &writer, const FrameLog &log, RecordingWriter::LogPosition &position, QString *error)
{
    return writer.begin(error) && writer.writeNewRecords(log, position, nullptr, error) && writer.commit(error);
}

#ifdef Q_OS_LINUX
// How many write system calls this process has made (all its threads).
qint64 writeCallsSoFar()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("syscw:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}
#endif

} // namespace

// Recordings of real sessions against the echo server, read back: the same records, the same payloads (also those
// the in-memory log could not keep), the same handshake and close; and the reader's errors for files that are not
// recordings.
class tst_Recording : public QObject
{
    Q_OBJECT

private slots:
    // A quiet session commits nothing: its recording's removal is noticed all the same, reported as the window's
    // recording failures are, and the session goes on unrecorded.
    void removedRecordingOfAQuietSessionFails()
    {
        RecordedEcho setup;
        QVERIFY(setup.echo.listen());
        QSignalSpy failed(setup.recordings, &SessionRecordings::recordingFailed);
        SessionOptions options;
        options.url = setup.echo.url();
        Session *session = setup.manager.createSession(options);
        const QString path = session->recordingPath();
        SessionManager::post(session, [](Session *s) { s->open(); });
        QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Open; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(path); }, 5000));
        QVERIFY(QFile::remove(path));
        QVERIFY(failed.count() == 1 || failed.wait(5000));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("the recording file was removed: ") + path);
        QCOMPARE(session->state(), Session::State::Open);
    }

    void sessionManagerRecordsEverySession()
    {
        RecordedEcho setup;
        QTemporaryDir &dir = setup.dir;
        EchoServer &echo = setup.echo;
        QVERIFY(echo.listen());
        SessionManager &manager = setup.manager;
        SessionRecordings *recordings = setup.recordings;
        QSignalSpy finished(recordings, &SessionRecordings::recordingFinished);
        QSignalSpy failed(recordings, &SessionRecordings::recordingFailed);
        SessionOptions options;
        options.url = echo.url();
        options.heartbeat.kind = HeartbeatSettings::Kind::Ping;
        options.heartbeat.intervalMs = 50;
        Session *session = manager.createSession(options);
        const QString path = session->recordingPath();
        QVERIFY(path.startsWith(dir.path()));
        QVERIFY(path.endsWith(QStringLiteral(".wsirec")));
        SessionManager::post(session, [](Session *s) { s->open(); });
        QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Open; }, 5000));
        SessionManager::post(session, [](Session *s) {
            s->sendText(QStringLiteral("héllo"));
            s->sendMessage(MessageType::Binary, QByteArray("\x00\x01\xfe", 3));
            s->sendMessage(MessageType::Text, QByteArray("split in three"), 3);
            s->sendPing("are you there");
        });
        const auto log = session->frameLog();
        QVERIFY(QTest::qWaitFor([&] { return log->messageCount() >= 6 && log->roundTripCount() >= 2; }, 5000));
        SessionManager::post(session, [](Session *s) {
            s->closeBecause({OwnEnd::Reason::Interrupted, QStringLiteral("SIGTERM")}, quint16(1000),
                            QStringLiteral("bye"));
        });
        QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Closed; }, 5000));
        QVERIFY2(finished.count() == 1 || finished.wait(5000),
                 failed.isEmpty() ? "neither finished nor failed" : qPrintable(failed.first().at(1).toString()));
        QCOMPARE(finished.first().first().toString(), path);

        RecordingReader reader;
        QString error;
        QVERIFY2(reader.open(path, &error), qPrintable(error));
        const auto captured = reader.read(FrameLog::Budget{}, &error);
        QVERIFY2(captured, qPrintable(error));
        QCOMPARE(captured->url, options.url);
        QCOMPARE(captured->startedAt, session->startedAt());
        QCOMPARE(captured->recordingPath, path);
        compareLogs(*log, *captured->log, reader);

        const HandshakeRecord live = session->handshake();
        const HandshakeRecord &read = captured->handshake;
        QCOMPARE(read.requestBytes, live.requestBytes);
        QCOMPARE(read.requestHeaders, live.requestHeaders);
        QCOMPARE(read.response.raw, live.response.raw);
        QCOMPARE(read.response.statusCode, 101);
        QCOMPARE(read.response.headers, live.response.headers);
        QCOMPARE(read.accepted, true);
        QCOMPARE(read.timings.connectNs, live.timings.connectNs);
        QCOMPARE(read.timings.dnsNs, live.timings.dnsNs);
        QCOMPARE(read.timings.tlsNs, qint64(-1));
        QCOMPARE(read.peerAddress, live.peerAddress);

        QVERIFY(captured->close);
        QCOMPARE(captured->close->code, session->closeRecord()->code);
        QCOMPARE(captured->close->initiator, CloseRecord::Initiator::Client);
        QCOMPARE(captured->close->clean, true);
        QCOMPARE(captured->close->idleInNs, session->closeRecord()->idleInNs);
        // Why we ended it, as the session said it.
        QVERIFY(captured->close->ownEnd);
        QCOMPARE(captured->close->ownEnd->reason, OwnEnd::Reason::Interrupted);
        QCOMPARE(captured->close->ownEnd->detail, QStringLiteral("SIGTERM"));

        QVERIFY(captured->heartbeat);
        QCOMPARE(captured->heartbeat->settings().intervalMs, 50);
        const auto history = session->heartbeatHistory();
        QCOMPARE(captured->heartbeat->eventCount(), history->eventCount());
        QVERIFY(history->eventCount() > 0);
        for (qsizetype i = 0; i < history->eventCount(); ++i) {
            QCOMPARE(captured->heartbeat->event(i).timeNs, history->event(i).timeNs);
            QCOMPARE(captured->heartbeat->event(i).kind, history->event(i).kind);
            QCOMPARE(captured->heartbeat->event(i).rttNs, history->event(i).rttNs);
        }
        manager.removeSession(session);
    }

    // A log whose budget keeps almost nothing: the recording still has every payload in full, and a reader with a
    // small budget reads the rest back on demand.
    void payloadsBeyondTheMemoryBudgetAreRecorded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("budget.wsirec"));
        EchoServer echo;
        QVERIFY(echo.listen());
        QThread recordingThread;
        recordingThread.start();
        const auto stopThread = qScopeGuard([&] {
            recordingThread.quit();
            recordingThread.wait();
        });
        SessionOptions options;
        options.url = echo.url();
        options.budget.maxStoredTotal = 4096;
        options.budget.maxStoredPerFrame = 1024;
        Session session(options);
        SessionRecorder *recorder = SessionRecorder::start(&session, path, &recordingThread, QStringLiteral("test"));
        QSignalSpy finished(recorder, &SessionRecorder::finished);
        QSignalSpy failed(recorder, &SessionRecorder::failed);
        session.open();
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Open; }, 5000));
        for (int i = 0; i < 20; ++i)
            session.sendMessage(MessageType::Binary, pattern(3000 + i, i));
        session.sendMessage(MessageType::Binary, pattern(200'000, 99), 4);
        const auto log = session.frameLog();
        QVERIFY(QTest::qWaitFor([&] { return log->messageCount() == 42; }, 10000));
        QVERIFY(log->frame(log->frameCount() - 1).has(FrameRecord::PayloadTruncated));
        session.sendClose();
        QVERIFY2(finished.wait(5000), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        RecordingReader reader;
        QString error;
        QVERIFY2(reader.open(path, &error), qPrintable(error));
        FrameLog::Budget small;
        small.maxStoredTotal = 8192;
        small.maxStoredPerFrame = 2048;
        const auto captured = reader.read(small, &error);
        QVERIFY2(captured, qPrintable(error));
        QVERIFY(captured->log->payloadBytesStored() <= 8192);
        compareLogs(*log, *captured->log, reader);
        // The big message came back whole, from four frames.
        const qsizetype last = captured->log->messageCount() - 1;
        const auto big = reader.messagePayload(last, captured->log->message(last), &error);
        QVERIFY2(big, qPrintable(error));
        QCOMPARE(*big, pattern(200'000, 99));
    }

    // A one-frame message is stored as a flag on its frame; when the recorder wrote the frame before the message
    // was appended (they are published one after the other), the flag is set afterwards. Either way the reader
    // gives back the same messages, in order, among fragmented ones that have rows of their own.
    void messagesArriveAfterTheirFrames()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("order.wsirec"));
        FrameLog log;
        RecordingWriter writer;
        QString error;
        QVERIFY2(writer.create(path,
                               RecordingWriter::SessionInfo{
                                   QUrl(QStringLiteral("ws://127.0.0.1:1/")), QDateTime::currentDateTimeUtc(), {}, {}},
                               &error),
                 qPrintable(error));
        RecordingWriter::LogPosition position;
        auto flush = [&] {
            return writer.begin(&error) && writer.writeNewRecords(log, position, nullptr, &error) &&
                   writer.commit(&error);
        };
        auto frame = [&](quint8 opcode, bool fin, QByteArrayView payload, qint64 t) {
            FrameHeader h;
            h.fin = fin;
            h.opcode = opcode;
            h.payloadLength = quint64(payload.size());
            h.headerLength = 2;
            return log.appendFrame(FrameRecord::fromHeader(h, t, Direction::Incoming), payload);
        };
        const qsizetype a = frame(0x1, true, "one", 10);
        QVERIFY2(flush(), qPrintable(error)); // the frame, before its message
        log.appendMessage(RecordingFormat::singleFrameMessage(log.frame(a), a), "one");
        const qsizetype f1 = frame(0x2, false, "fr", 20);
        const qsizetype f2 = frame(0x0, true, "ag", 30);
        MessageRecord fragmented;
        fragmented.timeNs = 30;
        fragmented.firstFrame = quint64(f1);
        fragmented.lastFrame = quint64(f2);
        fragmented.wireLength = fragmented.length = 4;
        fragmented.frameCount = 2;
        fragmented.type = MessageType::Binary;
        log.appendMessage(fragmented, "frag");
        const qsizetype b = frame(0x2, true, QByteArray("\x00\x01", 2), 40);
        QVERIFY2(flush(), qPrintable(error)); // the flag on an earlier frame, a row, and a frame with its flag
        log.appendMessage(RecordingFormat::singleFrameMessage(log.frame(b), b), QByteArray("\x00\x01", 2));
        QVERIFY2(flush(), qPrintable(error));
        QCOMPARE(position.messages, 3);

        RecordingReader reader;
        QVERIFY2(reader.open(path, &error), qPrintable(error));
        const auto captured = reader.read(FrameLog::Budget{}, &error);
        QVERIFY2(captured, qPrintable(error));
        compareLogs(log, *captured->log, reader);
        QCOMPARE(captured->log->messagePayload(1).toByteArray(), QByteArray("frag"));
        QCOMPARE(captured->log->messagePayload(2).toByteArray(), QByteArray("\x00\x01", 2));
    }

    // Payloads from empty to over a megabyte, around SQLite's page and overflow sizes, in commits that together
    // checkpoint the WAL into the file several times: every byte reads back as written, each commit is readable by
    // another connection the moment commit() returns, and SQLite finds the file sound.
    void largePayloadsRoundTripByteExact()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("large.wsirec"));
        FrameLog log;
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(createRecording(writer, path, &error), qPrintable(error));
            const qsizetype sizes[] = {0,    1,     1023,  1024,       4061,    4062,
                                       4096, 65535, 65536, 65536 + 25, 300'000, (1 << 20) + 7};
            RecordingWriter::LogPosition position;
            for (int commit = 0; commit < 8; ++commit) {
                for (int i = 0; i < int(std::size(sizes)); ++i)
                    appendMessage(log, pattern(sizes[i], commit * 16 + i), log.frameCount() * 1000);
                QVERIFY2(writeCommit(writer, log, position, &error), qPrintable(error));

                RecordingReader live;
                QVERIFY2(live.open(path, &error), qPrintable(error));
                const auto sofar = live.read(FrameLog::Budget{}, &error);
                QVERIFY2(sofar, qPrintable(error));
                QCOMPARE(sofar->log->frameCount(), log.frameCount());
                const qsizetype last = log.frameCount() - 1;
                QCOMPARE(sofar->log->framePayload(last).toByteArray(), log.framePayload(last).toByteArray());
            }
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("integrity"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery check(db);
            QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
            QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("integrity"));

        RecordingReader reader;
        QString error;
        QVERIFY2(reader.open(path, &error), qPrintable(error));
        FrameLog::Budget small; // most payloads stay on disk and are read one by one
        small.maxStoredTotal = 1 << 20;
        small.maxStoredPerFrame = 4096;
        const auto captured = reader.read(small, &error);
        QVERIFY2(captured, qPrintable(error));
        compareLogs(log, *captured->log, reader);
    }

    // A damaged payload (its overflow chain points nowhere) is an error naming the file and the damage, not a crash
    // or a wrong payload; the frames around it still read.
    void damagedLargePayloadIsAClearError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.wsirec"));
        FrameLog log;
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(createRecording(writer, path, &error), qPrintable(error));
            for (int i = 0; i < 3; ++i)
                appendMessage(log, pattern(300'000, i), i);
            RecordingWriter::LogPosition position;
            QVERIFY2(writeCommit(writer, log, position, &error), qPrintable(error));
        }
        qint64 pageSize = 0;
        qint64 overflowPage = 0;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_size")) && q.next());
            pageSize = q.value(0).toLongLong();
            // The second frame's first overflow page: the first one after its leaf page's overflow pages begin.
            QVERIFY2(q.exec(QStringLiteral("SELECT pageno FROM dbstat WHERE name = 'frames' AND pagetype = 'overflow'"
                                           " ORDER BY pageno")),
                     qPrintable(q.lastError().text()));
            QList<qint64> pages;
            while (q.next())
                pages.append(q.value(0).toLongLong());
            QVERIFY(pages.size() > 3);
            overflowPage = pages.at(pages.size() / 2);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("damage"));
        {
            // An overflow page begins with the number of the next one: make it a page past the end of the file.
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.seek((overflowPage - 1) * pageSize));
            QVERIFY(file.write(QByteArray("\x7f\xff\xff\xff", 4)) == 4);
        }

        RecordingReader reader;
        QString error;
        QVERIFY2(reader.open(path, &error), qPrintable(error));
        FrameLog::Budget none;
        none.maxStoredTotal = 0;
        const auto captured = reader.read(none, &error);
        QVERIFY2(captured, qPrintable(error));
        QCOMPARE(captured->log->frameCount(), 3);
        int damaged = 0;
        for (qsizetype i = 0; i < 3; ++i) {
            const auto payload = reader.framePayload(i, &error);
            if (payload) {
                QCOMPARE(*payload, pattern(300'000, int(i)));
                continue;
            }
            ++damaged;
            QVERIFY2(error.startsWith(QStringLiteral("Cannot read a payload from the recording ") + path),
                     qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("malformed")), qPrintable(error));
        }
        QCOMPARE(damaged, 1);
    }

#ifdef Q_OS_LINUX
    // The writer hands SQLite's page writes to the operating system in runs (WriteCoalescingVfs): a commit of about
    // 1,000 pages of 4 KiB takes a few dozen write calls where SQLite alone makes two per page.
    void commitsReachTheFileInRuns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("runs.wsirec"));
        RecordingWriter writer;
        QString error;
        QVERIFY2(createRecording(writer, path, &error), qPrintable(error));
        FrameLog log;
        for (int i = 0; i < 1000; ++i)
            appendMessage(log, pattern(3900, i), i);
        RecordingWriter::LogPosition position;
        const qint64 before = writeCallsSoFar();
        QVERIFY(before >= 0);
        QVERIFY2(writeCommit(writer, log, position, &error), qPrintable(error));
        const qint64 calls = writeCallsSoFar() - before;
        QVERIFY2(QFileInfo(path + QStringLiteral("-wal")).size() > 1000 * 4096,
                 "the commit is in the WAL, a page a frame");
        QVERIFY2(calls < 200, qPrintable(QStringLiteral("%1 write calls").arg(calls)));
    }
#endif

    // A recording made before the close table had ended_by reads as before: no reason of our own, the rest intact.
    void closeWithoutEndedByColumnsReadsAsNone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("older.wsirec"));
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(
                writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x")), {}, {}, {}}, &error),
                qPrintable(error));
            CloseRecord close;
            close.initiator = CloseRecord::Initiator::Client;
            close.code = 1000;
            close.clean = true;
            close.ownEnd = OwnEnd{OwnEnd::Reason::DurationReached, QStringLiteral("5 s")};
            QVERIFY2(writer.begin(&error) && writer.writeClose(close, &error) && writer.commit(&error),
                     qPrintable(error));
        }
        const auto read = [&path]() -> std::optional<CloseRecord> {
            RecordingReader reader;
            QString error;
            if (!reader.open(path, &error))
                return std::nullopt;
            const auto records = reader.read(FrameLog::Budget{}, &error);
            return records ? records->close : std::nullopt;
        };
        const std::optional<CloseRecord> now = read();
        QVERIFY(now && now->ownEnd);
        QCOMPARE(now->ownEnd->reason, OwnEnd::Reason::DurationReached);
        QCOMPARE(now->ownEnd->detail, QStringLiteral("5 s"));
        {
            const QString connection = QStringLiteral("older-schema");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery query(db);
                QVERIFY(query.exec(QStringLiteral("ALTER TABLE close DROP COLUMN ended_by")));
                QVERIFY(query.exec(QStringLiteral("ALTER TABLE close DROP COLUMN ended_by_detail")));
            }
            QSqlDatabase::removeDatabase(connection);
        }
        const std::optional<CloseRecord> older = read();
        QVERIFY(older);
        QVERIFY(!older->ownEnd);
        QCOMPARE(older->initiator, CloseRecord::Initiator::Client);
        QCOMPARE(older->code, quint16(1000));
        QVERIFY(older->clean);
    }

    // Both heartbeats' events with their source and interval, the protocol's heartbeat as negotiated, and the
    // protocol the session was told to speak, from the settings.
    void protocolHeartbeatAndProtocolReadBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("protocol.wsirec"));
        SessionProfile profile;
        profile.name = QStringLiteral("ws://x/custom");
        profile.options.url = QUrl(profile.name);
        profile.options.protocol.mode = AppProtocolSettings::Mode::Speak;
        profile.options.protocol.protocol = AppProtocol::Stomp;
        const ProtocolHeartbeat negotiated{
            QStringLiteral("stomp"), QStringLiteral("CONNECT heart-beat:300,200"), 300, 0, 200, 400};
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(writer.create(path,
                                   RecordingWriter::SessionInfo{
                                       QUrl(QStringLiteral("ws://x/custom")), {}, {}, ProfileJson::toJson(profile)},
                                   &error),
                     qPrintable(error));
            HeartbeatEvent ping;
            ping.timeNs = 1000;
            HeartbeatEvent beat;
            beat.timeNs = 2000;
            beat.kind = HeartbeatEvent::Kind::PeerBeat;
            beat.source = HeartbeatEvent::Source::Protocol;
            beat.intervalNs = 200'000'000;
            beat.sequence = 3;
            HeartbeatEvent late = beat;
            late.kind = HeartbeatEvent::Kind::Missed;
            late.health = HeartbeatEvent::Health::Late;
            late.healthChanged = true;
            late.intervalNs = -1;
            late.missed = 1;
            QVERIFY2(writer.begin(&error) && writer.writeHeartbeatEvent(0, ping, &error) &&
                         writer.writeHeartbeatEvent(1, beat, &error) && writer.writeHeartbeatEvent(2, late, &error) &&
                         writer.writeInfo(QStringLiteral("protocol_heartbeat"),
                                          QString::fromUtf8(QJsonDocument(negotiated.toJson()).toJson()), &error) &&
                         writer.commit(&error),
                     qPrintable(error));
        }
        QString error;
        const std::optional<SessionRecords> read = RecordingReader::readFile(path, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->protocol, QStringLiteral("stomp"));
        QCOMPARE(read->heartbeat->protocolHeartbeat(), negotiated);
        QCOMPARE(read->heartbeat->eventCount(), 3);
        QCOMPARE(read->heartbeat->event(0).source, HeartbeatEvent::Source::WebSocket);
        QCOMPARE(read->heartbeat->event(0).intervalNs, -1);
        const HeartbeatEvent &beat = read->heartbeat->event(1);
        QCOMPARE(beat.source, HeartbeatEvent::Source::Protocol);
        QCOMPARE(beat.kind, HeartbeatEvent::Kind::PeerBeat);
        QCOMPARE(beat.intervalNs, 200'000'000);
        QCOMPARE(beat.sequence, quint64(3));
        // Each heartbeat's summary from its own events.
        QCOMPARE(read->heartbeat->status(HeartbeatEvent::Source::Protocol).health, HeartbeatEvent::Health::Late);
        QCOMPARE(read->heartbeat->status(HeartbeatEvent::Source::Protocol).repliesReceived, 1);
        QCOMPARE(read->heartbeat->status(HeartbeatEvent::Source::WebSocket).heartbeatsSent, 1);
        QCOMPARE(read->heartbeat->status(HeartbeatEvent::Source::WebSocket).health, HeartbeatEvent::Health::Healthy);
    }

    // A schema 1 recording, its heartbeat_events as that schema made them (no source, no interval): it opens, and
    // its events are the WebSocket heartbeat's.
    void schema1HeartbeatEventsReadAsWebSocket()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("schema1.wsirec"));
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(
                writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x")), {}, {}, {}}, &error),
                qPrintable(error));
        }
        {
            const QString connection = QStringLiteral("schema-1");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery query(db);
                for (const char *statement : {
                         "DROP TABLE heartbeat_events",
                         "CREATE TABLE heartbeat_events (idx INTEGER PRIMARY KEY, t_ns INTEGER NOT NULL,"
                         " kind INTEGER NOT NULL, health INTEGER NOT NULL, health_changed INTEGER NOT NULL,"
                         " rtt_ns INTEGER NOT NULL, frame INTEGER NOT NULL, sequence INTEGER NOT NULL,"
                         " missed INTEGER NOT NULL)",
                         "INSERT INTO heartbeat_events VALUES (0, 5000, 1, 0, 0, 1200, -1, 1, 0)",
                         "PRAGMA user_version = 1",
                     })
                    QVERIFY2(query.exec(QLatin1StringView(statement)), qPrintable(query.lastError().text()));
            }
            QSqlDatabase::removeDatabase(connection);
        }
        QString error;
        const std::optional<SessionRecords> read = RecordingReader::readFile(path, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->heartbeat->eventCount(), 1);
        const HeartbeatEvent &reply = read->heartbeat->event(0);
        QCOMPARE(reply.kind, HeartbeatEvent::Kind::Reply);
        QCOMPARE(reply.rttNs, 1200);
        QCOMPARE(reply.source, HeartbeatEvent::Source::WebSocket);
        QCOMPARE(reply.intervalNs, -1);
        QVERIFY(!read->heartbeat->protocolHeartbeat().isKnown());
        QVERIFY(read->protocol.isEmpty());
    }

    // A schema 2 recording (before rule marks: no rules tables, no relay_declined_deflate): it opens, without marks.
    void schema2HasNoRuleMarks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("schema2.wsirec"));
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(
                writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x")), {}, {}, {}}, &error),
                qPrintable(error));
            HandshakeRecord handshake;
            handshake.accepted = true;
            QVERIFY2(writer.begin(&error) && writer.writeHandshake(handshake, &error) && writer.commit(&error),
                     qPrintable(error));
        }
        {
            const QString connection = QStringLiteral("schema-2");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery query(db);
                for (const char *statement : {
                         "DROP TABLE rules",
                         "DROP TABLE rule_frames",
                         "ALTER TABLE handshake DROP COLUMN relay_declined_deflate",
                         "PRAGMA user_version = 2",
                     })
                    QVERIFY2(query.exec(QLatin1StringView(statement)), qPrintable(query.lastError().text()));
            }
            QSqlDatabase::removeDatabase(connection);
        }
        QString error;
        const std::optional<SessionRecords> read = RecordingReader::readFile(path, &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(read->handshake.accepted);
        QVERIFY(!read->handshake.relayDeclinedDeflate);
        QVERIFY(!read->ruleMarks);
    }

    // Rule marks written while they grow (the last run again) read back as marked.
    void ruleMarksRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rules.wsirec"));
        FrameLog log;
        for (int i = 0; i < 6; ++i) {
            FrameRecord frame;
            frame.opcode = 1;
            frame.flags = FrameRecord::Fin;
            frame.timeNs = i;
            frame.payloadLength = 1;
            log.appendFrame(frame, QByteArrayView("x"));
        }
        FrameRuleMarks marks(
            {{QStringLiteral("seen"), QStringLiteral("pass")}, {QStringLiteral("quiet"), QStringLiteral("drop")}});
        {
            RecordingWriter writer;
            QString error;
            QVERIFY2(
                writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x")), {}, {}, {}}, &error),
                qPrintable(error));
            RecordingWriter::LogPosition position;
            FrameRuleMarks::Progress written;
            marks.mark(0, 0, 0);
            marks.mark(1, 1, 0);
            QVERIFY2(writer.begin(&error) && writer.writeRules(marks.rules(), &error) &&
                         writer.writeNewRecords(log, position, nullptr, &error) &&
                         writer.writeNewRuleMarks(marks, written, &error) && writer.commit(&error),
                     qPrintable(error));
            marks.mark(2, 2, 0); // the run 0..1 grows to 0..2
            marks.mark(4, 5, 1);
            QVERIFY2(writer.begin(&error) && writer.writeNewRuleMarks(marks, written, &error) && writer.commit(&error),
                     qPrintable(error));
            QCOMPARE(written, marks.progress());
        }
        QString error;
        const std::optional<SessionRecords> read = RecordingReader::readFile(path, &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(read->ruleMarks);
        QCOMPARE(read->ruleMarks->rules(), marks.rules());
        const QList<qsizetype> expected{0, 0, 0, -1, 1, 1};
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(read->ruleMarks->ruleIndexOf(i), expected.at(i));
    }

    void neverReplacesAFileThatIsNotARecording()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("precious");
        file.close();
        RecordingWriter writer;
        QString error;
        QVERIFY(!writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x")), {}, {}, {}}, &error));
        QVERIFY2(error.contains(QStringLiteral("is not a WS Inspector recording")), qPrintable(error));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("precious"));
    }

    void readerErrorsNameTheFileAndTheProblem_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "missing"
                                 << "no such file";
        QTest::newRow("text") << "text"
                              << "not an SQLite file";
        QTest::newRow("other sqlite") << "other"
                                      << "another application";
        QTest::newRow("newer schema") << "newer"
                                      << QStringLiteral("newer WS Inspector (recording schema %1; this version reads "
                                                        "up to schema %2)")
                                             .arg(RecordingFormat::schemaVersion + 1)
                                             .arg(RecordingFormat::schemaVersion);
        QTest::newRow("truncated") << "truncated"
                                   << "Cannot";
        QTest::newRow("round trip past the frames") << "roundtrip"
                                                    << "a round trip refers to frames 7 and 9";
        QTest::newRow("heartbeat past the frames") << "heartbeat"
                                                   << "an event refers to frame 5";
        QTest::newRow("message past the frames") << "message"
                                                 << "message 0 refers to frames 0-3";
        QTest::newRow("rule marks past the frames")
            << "rule"
            << "a row marks frames 0 to 4 with rule 0, but the recording has 1 frames and 1 rules";
        QTest::newRow("rule mark of no rule")
            << "norule"
            << "a row marks frames 0 to 0 with rule 3, but the recording has 1 frames and 1 rules";
    }

    void readerErrorsNameTheFileAndTheProblem()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("file.wsirec"));
        if (kind == QLatin1StringView("text")) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"log\": {}}");
        } else if (kind == QLatin1StringView("other") || kind == QLatin1StringView("newer")) {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kind);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(QStringLiteral("CREATE TABLE t (x)")));
                if (kind == QLatin1StringView("newer")) {
                    QVERIFY(q.exec(QStringLiteral("PRAGMA application_id = %1").arg(RecordingFormat::applicationId)));
                    QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = %1").arg(RecordingFormat::schemaVersion + 1)));
                }
                db.close();
            }
            QSqlDatabase::removeDatabase(kind);
        } else if (kind == QLatin1StringView("truncated")) {
            RecordingWriter writer;
            QString error;
            QVERIFY2(
                writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x/")), {}, {}, {}}, &error),
                qPrintable(error));
        }
        if (kind == QLatin1StringView("roundtrip") || kind == QLatin1StringView("heartbeat") ||
            kind == QLatin1StringView("message") || kind == QLatin1StringView("rule") ||
            kind == QLatin1StringView("norule")) {
            // A well-formed recording whose rows point past its frames, as a damaged or hostile file could.
            {
                RecordingWriter writer;
                QString error;
                QVERIFY2(writer.create(path, RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://x/")), {}, {}, {}},
                                       &error),
                         qPrintable(error));
            }
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kind);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(QStringLiteral("INSERT INTO frames VALUES (0, 1, 1, 1, 2, 1, 0, 0, X'61')")));
                if (kind == QLatin1StringView("roundtrip"))
                    QVERIFY(q.exec(QStringLiteral("INSERT INTO round_trips VALUES (7, 9, 100)")));
                else if (kind == QLatin1StringView("heartbeat"))
                    QVERIFY(
                        q.exec(QStringLiteral("INSERT INTO heartbeat_events (idx, t_ns, kind, health, health_changed,"
                                              " rtt_ns, frame, sequence, missed) VALUES (0, 1, 0, 0, 0, -1, 5, 1,"
                                              " 0)")));
                else if (kind == QLatin1StringView("message"))
                    QVERIFY(
                        q.exec(QStringLiteral("INSERT INTO messages VALUES (0, 1, 0, 3, 1, 1, 4, 0, 0, 0, 0, NULL)")));
                else
                    QVERIFY(q.exec(QStringLiteral("INSERT INTO rules VALUES (0, 'redact', 'replace')")) &&
                            q.exec(kind == QLatin1StringView("rule")
                                       ? QStringLiteral("INSERT INTO rule_frames VALUES (0, 4, 0)")
                                       : QStringLiteral("INSERT INTO rule_frames VALUES (0, 0, 3)")));
                db.close();
            }
            QSqlDatabase::removeDatabase(kind);
        }
        if (kind == QLatin1StringView("truncated")) {
            // Cut the file after its header page: SQLite sees a damaged database.
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(1024));
        }
        QString error;
        const auto captured = RecordingReader::readFile(path, &error);
        QVERIFY(!captured);
        QVERIFY2(error.contains(path) || kind == QLatin1StringView("truncated"), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_Recording)
#include "tst_recording.moc"
