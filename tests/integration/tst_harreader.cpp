// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/HarReader.h"
#include "core/exchange/HarWriter.h"
#include "core/exchange/RecordedTrafficReader.h"
#include "core/exchange/SessionEvidenceReader.h"
#include "core/exchange/SessionFileFormat.h"
#include "core/records/FrameLog.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

QString sample(const QString &name)
{
    return QStringLiteral(WSI_TEST_DATA_DIR "/../data/har/") + name;
}

qint64 ms(qint64 ns)
{
    return qRound64(double(ns) / 1e6);
}

QByteArray framePayload(const FrameLog &log, qsizetype index)
{
    return log.framePayload(index).toByteArray();
}

// One frame as the tests describe it: "out 211 text {...}".
QString describeFrame(const FrameLog &log, qsizetype index)
{
    const FrameRecord &f = log.frame(index);
    const QString kind = f.opcode == 1   ? QStringLiteral("text")
                         : f.opcode == 2 ? QStringLiteral("binary")
                                         : QStringLiteral("op%1").arg(f.opcode);
    const QByteArray payload = framePayload(log, index);
    return QStringLiteral("%1 %2 %3 %4")
        .arg(f.direction() == Direction::Outgoing ? QStringLiteral("out") : QStringLiteral("in"))
        .arg(ms(f.timeNs))
        .arg(kind, f.opcode == 1 ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toHex()));
}

QStringList describeFrames(const FrameLog &log)
{
    QStringList frames;
    for (qsizetype i = 0; i < log.frameCount(); ++i)
        frames << describeFrame(log, i);
    return frames;
}

QList<SessionRecords> readSample(const QString &name)
{
    HarReader reader;
    const auto sessions = reader.readFile(sample(name));
    if (!sessions)
        qWarning("%s", qPrintable(reader.errorString()));
    return sessions.value_or(QList<SessionRecords>{});
}

// Bytes that can be read once and never sought, as from a pipe.
class StreamDevice final : public QIODevice
{
public:
    explicit StreamDevice(QByteArray bytes)
        : m_bytes(std::move(bytes))
    {}
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_bytes.size() + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_bytes.size());
        memcpy(data, m_bytes.constData(), size_t(n));
        m_bytes.remove(0, n);
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
};

} // namespace

// HAR files as Chrome, Firefox, mitmproxy and Playwright write them (hand-made samples in tests/data/har that follow
// their real structure), malformed ones, our own export read back, and files too large to hold in memory.
class tst_HarReader : public QObject
{
    Q_OBJECT

private slots:
    void chromeExport()
    {
        HarReader reader;
        const auto sessions = reader.readFile(sample(QStringLiteral("chrome-ticker.har")));
        QVERIFY2(sessions, qPrintable(reader.errorString()));
        QCOMPARE(reader.entryCount(), 2); // the page itself is not a WebSocket
        QCOMPARE(sessions->size(), 1);
        const SessionRecords &s = sessions->at(0);
        QCOMPARE(s.source, SessionRecords::Source::Har);
        QVERIFY(s.sourcePath.endsWith(QStringLiteral("chrome-ticker.har")));
        QCOMPARE(s.url, QUrl(QStringLiteral("wss://ticker.example.com/stream?v=2")));
        QCOMPARE(s.startedAt, QDateTime::fromString(QStringLiteral("2024-05-14T09:21:07.412Z"), Qt::ISODateWithMs));
        // Chrome writes the messages before startedDateTime: their times are still relative to it.
        const QStringList expected{
            QStringLiteral("out 211 text {\"op\":\"subscribe\",\"channel\":\"ticker\"}"),
            QStringLiteral("in 276 text {\"type\":\"subscribed\",\"channel\":\"ticker\"}"),
            QStringLiteral("in 1005 binary 00010203ff"),
            QStringLiteral("out 2638 text héllo ✓"),
            QStringLiteral("in 2689 text line one\nline two"),
            QStringLiteral("out 5088 op8 03e8627965"),
            QStringLiteral("in 5129 op8 03e8627965"),
        };
        QCOMPARE(describeFrames(*s.log), expected);
        QCOMPARE(s.log->messageCount(), 5); // Close frames are not messages
        QCOMPARE(s.log->message(3).direction, Direction::Outgoing);
        QCOMPARE(s.log->message(3).length, quint64(QByteArray("héllo ✓").size()));
        QCOMPARE(s.log->messagePayload(2).toByteArray(), QByteArray::fromHex("00010203ff"));
        QCOMPARE(s.log->message(2).type, MessageType::Binary);
        const FrameRecord &sent = s.log->frame(0);
        QVERIFY(sent.has(FrameRecord::Fin));
        QVERIFY(sent.has(FrameRecord::Masked));
        QCOMPARE(sent.headerBytes(), 6);
        QVERIFY(!s.log->frame(1).has(FrameRecord::Masked));

        const HandshakeRecord &h = s.handshake;
        QVERIFY(h.accepted);
        QVERIFY(h.responseReceived);
        QCOMPARE(h.response.statusCode, 101);
        QVERIFY(h.requestBytes.startsWith("GET /stream?v=2 HTTP/1.1\r\n"));
        QVERIFY(h.requestBytes.contains("\r\nSec-WebSocket-Key: q4xkcO32u266gldTuKaSOw==\r\n"));
        QVERIFY(h.requestBytes.endsWith("\r\n\r\n"));
        QVERIFY(h.response.raw.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QCOMPARE(h.requestHeaders.value("upgrade"), QByteArray("websocket"));
        QCOMPARE(h.extensions, QList<QByteArray>{"permessage-deflate; client_max_window_bits=15"});
        QCOMPARE(h.peerAddress, QStringLiteral("203.0.113.24:443"));
        QCOMPARE(h.timings.dnsNs, -1);
        QCOMPARE(ms(h.timings.upgradeNs), 62);

        QVERIFY(s.close);
        QCOMPARE(s.close->initiator, CloseRecord::Initiator::Client);
        QCOMPARE(s.close->code, quint16(1000));
        QCOMPARE(s.close->reason, QStringLiteral("bye"));
        QVERIFY(s.close->clean);
        QCOMPARE(ms(s.close->atNs), 5129);
        QCOMPARE(ms(s.close->idleInNs), 5129 - 2689);
    }

    void firefoxExportHasTheUpgradeOnly()
    {
        const QList<SessionRecords> sessions = readSample(QStringLiteral("firefox-chat.har"));
        QCOMPARE(sessions.size(), 1);
        const SessionRecords &s = sessions.at(0);
        QCOMPARE(s.url, QUrl(QStringLiteral("wss://chat.example.org/socket")));
        QCOMPARE(s.startedAt.toUTC(),
                 QDateTime::fromString(QStringLiteral("2024-06-03T15:44:12.901Z"), Qt::ISODateWithMs));
        QCOMPARE(s.log->frameCount(), 0);
        QVERIFY(!s.close);
        QVERIFY(s.handshake.accepted);
        QCOMPARE(s.handshake.subprotocol, QStringLiteral("chat.v2"));
        QCOMPARE(s.handshake.peerAddress, QStringLiteral("[2001:db8::7]:443"));
        // HAR's connect includes TLS; ours is TCP alone.
        QCOMPARE(ms(s.handshake.timings.dnsNs), 3);
        QCOMPARE(ms(s.handshake.timings.tlsNs), 19);
        QCOMPARE(ms(s.handshake.timings.connectNs), 8);
        QCOMPARE(ms(s.handshake.timings.upgradeNs), 34);
    }

    void mitmproxyExport()
    {
        const QList<SessionRecords> sessions = readSample(QStringLiteral("mitmproxy-trading.har"));
        QCOMPARE(sessions.size(), 1);
        const SessionRecords &s = sessions.at(0);
        QCOMPARE(s.url, QUrl(QStringLiteral("wss://stream.trading.example/ws"))); // mitmproxy writes https://
        // startedDateTime has microseconds; the session clock starts at its millisecond.
        const QStringList expected{
            QStringLiteral("out 278 text {\"action\":\"auth\",\"token\":\"t-3f9a\"}"),
            QStringLiteral("in 334 text {\"status\":\"ok\"}"),
            QStringLiteral("in 1377 binary 82a373657107"),
            QStringLiteral("out 29127 text "),
        };
        QCOMPARE(describeFrames(*s.log), expected);
        QCOMPARE(s.log->messageCount(), 4);
        QCOMPARE(s.log->message(3).length, quint64(0));
        QVERIFY(!s.close);
        QCOMPARE(s.handshake.timings.tlsNs, -1); // null
        QCOMPARE(s.handshake.peerAddress, QStringLiteral("198.51.100.10:443"));
    }

    void playwrightExport()
    {
        const QList<SessionRecords> sessions = readSample(QStringLiteral("playwright-echo.har"));
        QCOMPARE(sessions.size(), 1);
        const SessionRecords &s = sessions.at(0);
        QCOMPARE(s.url, QUrl(QStringLiteral("ws://localhost:8080/echo")));
        const QStringList expected{
            QStringLiteral("out 49 text hello"),
            QStringLiteral("in 50 text hello"),
            QStringLiteral("out 2099 op9 "),
            QStringLiteral("in 2101 op10 "),
            QStringLiteral("in 7999 op8 03e9676f696e672061776179"),
            QStringLiteral("out 8000 op8 03e9"),
        };
        QCOMPARE(describeFrames(*s.log), expected);
        QCOMPARE(s.log->messageCount(), 2);
        QCOMPARE(s.handshake.peerAddress, QStringLiteral("[::1]:8080"));
        QVERIFY(s.close);
        QCOMPARE(s.close->initiator, CloseRecord::Initiator::Server);
        QCOMPARE(s.close->code, quint16(1001));
        QCOMPARE(s.close->reason, QStringLiteral("going away"));
        QVERIFY(s.close->clean);
    }

    void formatIsToldByContent_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<SessionFileFormat>("format");
        QTest::newRow("chrome") << QByteArray("{\n  \"log\": {\n    \"version\": \"1.2\",") << SessionFileFormat::Har;
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF{\"log\":{}}") << SessionFileFormat::Har;
        QTest::newRow("transcript") << QByteArray("{\"event\":\"handshake\",\"t\":0}\n")
                                    << SessionFileFormat::Transcript;
        QTest::newRow("sqlite") << QByteArray("SQLite format 3\0", 16) << SessionFileFormat::Recording;
        QTest::newRow("blank") << QByteArray(" \n") << SessionFileFormat::Empty;
    }

    void formatIsToldByContent()
    {
        QFETCH(QByteArray, head);
        QFETCH(SessionFileFormat, format);
        QCOMPARE(SessionFileFormats::detect(head), format);
    }

    void malformedFilesGivePreciseErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("expected");
        const auto row = [](const char *file, QStringList expected) {
            QTest::newRow(file) << QString::fromLatin1(file) << expected;
        };
        row("truncated.har", {QStringLiteral("truncated.har: byte 4348 (line 155, column 26): "),
                              QStringLiteral("log.entries[1]._webSocketMessages"),
                              QStringLiteral("the string that starts at line 155, column 21 is not terminated")});
        row("not-json.har", {QStringLiteral("byte 0 (line 1, column 1)"),
                             QStringLiteral("not a HAR file: expected a JSON object ('{') at the start, found '<'")});
        row("missing-log.har", {QStringLiteral("no \"log\" member: not a HAR file")});
        row("entries-not-array.har",
            {QStringLiteral("(line 5, column 16): log.entries: expected an array of entries, found an object")});
        row("time-as-string.har", {QStringLiteral("(line 141, column 21): log.entries[1]._webSocketMessages[2].time: "
                                                  "expected a number (seconds since the epoch), found a string")});
        row("bad-base64.har", {QStringLiteral("(line 143, column 21): log.entries[1]._webSocketMessages[2].data: "
                                              "character 5 is not base64")});
        row("bad-opcode.har", {QStringLiteral("(line 154, column 23): log.entries[1]._webSocketMessages[4].opcode: "
                                              "opcode 3 is not one a message can have")});
        row("bad-message-type.har",
            {QStringLiteral("(line 134, column 21): log.entries[1]._webSocketMessages[1].type: expected \"send\" "
                            "or \"receive\", found \"recv\"")});
        row("header-value-number.har",
            {QStringLiteral("log.entries[1].request.headers[9].value: expected a string, found a number")});
        row("bad-started-date.har", {QStringLiteral("log.entries[1].startedDateTime: \"14/05/2024 09:21\" is not an "
                                                    "ISO 8601 date and time")});
        row("missing-comma.har",
            {QStringLiteral("(line 145, column 11): in log.entries[1]._webSocketMessages: expected ',' or ']' after an "
                            "array element, found '{'")});
    }

    void malformedFilesGivePreciseErrors()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, expected);
        HarReader reader;
        QVERIFY(!reader.readFile(sample(QStringLiteral("malformed/") + file)));
        for (const QString &part : expected)
            QVERIFY2(reader.errorString().contains(part),
                     qPrintable(QStringLiteral("'%1' not in: %2").arg(part, reader.errorString())));
    }

    void ourExportReadsBack()
    {
        EchoServer echo;
        QVERIFY(echo.listen());
        SessionOptions options;
        options.url = echo.url();
        Session session(options);
        session.open();
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Open; }, 5000));
        session.sendText(QStringLiteral("héllo"));
        session.sendMessage(MessageType::Binary, QByteArray("\x00\x01\xfe", 3));
        session.sendText(QString(300, u'x')); // a 16-bit length
        const auto log = session.frameLog();
        QVERIFY(QTest::qWaitFor([&] { return log->messageCount() == 6; }, 5000));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("export.har"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            HarWriter writer(&file);
            QVERIFY2(writer.write({session.records()}, QStringLiteral("0.1")), qPrintable(writer.errorString()));
        }
        HarReader reader;
        const auto sessions = reader.readFile(path);
        QVERIFY2(sessions, qPrintable(reader.errorString()));
        QCOMPARE(sessions->size(), 1);
        const SessionRecords &back = sessions->at(0);
        QCOMPARE(back.url, options.url);
        QCOMPARE(back.startedAt.toMSecsSinceEpoch(), session.startedAt().toMSecsSinceEpoch());
        QCOMPARE(back.log->messageCount(), log->messageCount());
        for (qsizetype i = 0; i < log->messageCount(); ++i) {
            const MessageRecord &a = log->message(i);
            const MessageRecord &b = back.log->message(i);
            QCOMPARE(b.direction, a.direction);
            QCOMPARE(b.type, a.type);
            QCOMPARE(back.log->messagePayload(i).toByteArray(), log->messagePayload(i).toByteArray());
            QVERIFY2(qAbs(b.timeNs - a.timeNs) < 1000000, qPrintable(QString::number(b.timeNs - a.timeNs)));
        }
        QVERIFY(back.handshake.accepted);
        QCOMPARE(back.handshake.requestHeaders.value("sec-websocket-key"),
                 session.handshake().requestHeaders.value("sec-websocket-key"));
    }

    // 200 000 messages, written before startedDateTime as Chrome does (so they are read on a second pass), into a
    // log whose budget keeps 64 KiB of payloads: every frame and message is there, the payloads are cut and say so.
    void largeFileIsStreamed()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("large.har"));
        const int count = 200000;
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\",\"version\":\"537.36\"},"
                       "\"entries\":["
                       "{\"_resourceType\":\"websocket\",\"_webSocketMessages\":[");
            QByteArray chunk;
            for (int i = 0; i < count; ++i) {
                chunk += (i > 0 ? "," : "") + QByteArray("{\"type\":\"") + (i % 2 ? "receive" : "send") +
                         "\",\"time\":" + QByteArray::number(1700000000.0 + i * 0.001, 'f', 3) +
                         ",\"opcode\":1,\"data\":\"message number " + QByteArray::number(i) + " with some padding\"}";
                if (chunk.size() > 1 << 20) {
                    file.write(chunk);
                    chunk.clear();
                }
            }
            file.write(chunk);
            file.write(
                "],\"request\":{\"method\":\"GET\",\"url\":\"wss://big.example/\",\"headers\":[]},"
                "\"response\":{\"status\":101,\"headers\":[]},\"startedDateTime\":\"2023-11-14T22:13:19.000Z\"}]}}");
        }
        HarReader::Options options;
        options.budget = {64 * 1024, 256};
        HarReader reader(options);
        const auto sessions = reader.readFile(path);
        QVERIFY2(sessions, qPrintable(reader.errorString()));
        QCOMPARE(sessions->size(), 1);
        const FrameLog &log = *sessions->at(0).log;
        QCOMPARE(log.frameCount(), count);
        QCOMPARE(log.messageCount(), count);
        QVERIFY(log.payloadBytesStored() <= 64 * 1024);
        // startedDateTime is one second before the first message.
        QCOMPARE(ms(log.frame(0).timeNs), 1000);
        QCOMPARE(ms(log.frame(count - 1).timeNs), 1000 + (count - 1));
        QVERIFY(log.frame(count - 1).has(FrameRecord::PayloadTruncated));
        QCOMPARE(log.message(count - 1).length, quint64(QByteArray("message number 199999 with some padding").size()));
        QVERIFY(log.message(count - 1).payloadTruncated());
    }

    // A message far larger than any value the reader buffers is counted as it streams by, never held whole.
    void giantMessageIsNotBuffered()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("giant.har"));
        const qint64 size = 2730 * 3 * 1024; // 8 MiB in whole base64 blocks
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"log\":{\"entries\":[{\"startedDateTime\":\"2024-01-01T00:00:00.000Z\",\"_resourceType\":"
                       "\"websocket\","
                       "\"_webSocketMessages\":[{\"type\":\"receive\",\"time\":1704067201.5,\"opcode\":2,\"data\":\"");
            const QByteArray block = QByteArray(3 * 1024, '\x7f').toBase64();
            for (qint64 written = 0; written < size; written += 3 * 1024)
                file.write(block);
            file.write("\"}]}]}}");
        }
        HarReader::Options options;
        options.maxValueBytes = 1024 * 1024;
        options.budget = {1024 * 1024, 1024};
        HarReader reader(options);
        const auto sessions = reader.readFile(path);
        QVERIFY2(sessions, qPrintable(reader.errorString()));
        const FrameLog &log = *sessions->at(0).log;
        QCOMPARE(log.frameCount(), 1);
        QCOMPARE(log.frame(0).payloadLength, quint64(size));
        QCOMPARE(log.frame(0).storedLength, 1024u);
        QVERIFY(log.frame(0).has(FrameRecord::PayloadTruncated));
        QCOMPARE(framePayload(log, 0), QByteArray(1024, '\x7f'));
        QCOMPARE(ms(log.frame(0).timeNs), 1500);
    }

    void hugeValueIsRefused()
    {
        QByteArray har =
            "{\"log\":{\"entries\":[{\"request\":{\"url\":\"wss://x/\",\"headers\":[{\"name\":\"Cookie\",\"value\":\"";
        har += QByteArray(2 * 1024 * 1024, 'c');
        har += "\"}]}}]}}";
        QBuffer buffer(&har);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        HarReader::Options options;
        options.maxValueBytes = 1024 * 1024;
        HarReader reader(options);
        QVERIFY(!reader.read(&buffer, QStringLiteral("huge.har")));
        QVERIFY2(reader.errorString().contains(QStringLiteral("log.entries[0].request.headers: a value larger than "
                                                              "1 MiB; refused rather than held in memory")),
                 qPrintable(reader.errorString()));
    }

    // A pipe cannot go back for messages written before startedDateTime: they are timed from the first message, and
    // millisecond times (some writers) are read as such.
    void streamWithoutSeeking()
    {
        QByteArray har = "{\"log\":{\"entries\":[{\"_webSocketMessages\":["
                         "{\"type\":\"send\",\"time\":1704067200250,\"opcode\":1,\"data\":\"a\"},"
                         "{\"type\":\"receive\",\"time\":1704067200750,\"opcode\":1,\"data\":\"b\"}],"
                         "\"startedDateTime\":\"2024-01-01T00:00:00.000Z\"}]}}";
        StreamDevice device(har);
        QVERIFY(device.open(QIODevice::ReadOnly));
        HarReader reader;
        const auto sessions = reader.read(&device, QStringLiteral("pipe"));
        QVERIFY2(sessions, qPrintable(reader.errorString()));
        const FrameLog &log = *sessions->at(0).log;
        QCOMPARE(describeFrames(log), (QStringList{QStringLiteral("out 0 text a"), QStringLiteral("in 500 text b")}));
        QCOMPARE(sessions->at(0).startedAt.toMSecsSinceEpoch(), 1704067200250);
    }

    void diagnosisAndSimulatorReadHar()
    {
        QString error;
        const auto evidence = SessionEvidenceReader::readFile(sample(QStringLiteral("playwright-echo.har")), &error);
        QVERIFY2(evidence, qPrintable(error));
        QCOMPARE(evidence->size(), 1);
        QVERIFY(evidence->at(0).close);
        QCOMPARE(evidence->at(0).close->code, quint16(1001));
        QCOMPARE(evidence->at(0).pingsSent, 1);
        QCOMPARE(evidence->at(0).pongsReceived, 1);

        const auto traffic = RecordedTrafficReader::readFile(sample(QStringLiteral("chrome-ticker.har")), &error);
        QVERIFY2(traffic, qPrintable(error));
        QCOMPARE(traffic->client.size(), 2); // Close frames are not traffic
        QCOMPARE(traffic->server.size(), 3);
        QCOMPARE(traffic->server.at(2).atMs, 2689);

        QVERIFY(!RecordedTrafficReader::readFile(sample(QStringLiteral("firefox-chat.har")), &error));
        QVERIFY2(error.contains(QStringLiteral("hold no messages")), qPrintable(error));
        QVERIFY(!SessionEvidenceReader::readFile(sample(QStringLiteral("malformed/bad-opcode.har")), &error));
        QVERIFY2(error.contains(QStringLiteral("log.entries[1]._webSocketMessages[4].opcode")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_HarReader)
#include "tst_harreader.moc"
