// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli export` end to end: real sessions recorded by `connect --record` against servers on 127.0.0.1,
// exported as JSON lines (the same events `connect --json` printed) and as HAR (read back by HarReader), payloads
// larger than what the export keeps in memory written whole, the HAR samples exported, and the errors.
#include "CliProcess.h"
#include "core/exchange/HarReader.h"
#include "core/recordings/RecordingReader.h"
#include "core/server/EchoServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace wsi;
using namespace wsi::test;

namespace {

constexpr qsizetype bigTextBytes = 5 * 1024 * 1024;
constexpr qsizetype bigBinaryBytes = 3 * 1024 * 1024;

QString sample(const QString &name)
{
    return QStringLiteral(WSI_TEST_DATA_DIR "/../data/har/") + name;
}

// Text whose every position differs from its neighbours, so a cut or a shifted block shows.
QByteArray bigText()
{
    QByteArray text;
    text.reserve(bigTextBytes);
    for (qsizetype i = 0; text.size() < bigTextBytes; ++i)
        text += QByteArray::number(i) + ' ';
    text.truncate(bigTextBytes);
    return text;
}

QByteArray bigBinary()
{
    QByteArray bytes(bigBinaryBytes, Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i)
        bytes[i] = char((i * 7 + i / 251) & 0xff);
    return bytes;
}

// Sends every client a 5 MiB text message in one frame and a 3 MiB binary message in 256 KiB fragments, then
// closes with 1000: payloads beyond the export's per-payload memory, whole frames and messages alike.
class BigMessageServer final : public QObject
{
public:
    BigMessageServer()
        : m_server(QStringLiteral("big"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                client->setOutgoingFrameSize(quint64(bigTextBytes) * 2);
                client->sendTextMessage(QString::fromLatin1(bigText()));
                client->setOutgoingFrameSize(256 * 1024);
                client->sendBinaryMessage(bigBinary());
                client->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("done"));
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }

private:
    QWebSocketServer m_server;
};

QList<QJsonObject> eventsOf(const QList<QJsonObject> &lines, const QStringList &events)
{
    QList<QJsonObject> kept;
    for (const QJsonObject &line : lines) {
        if (events.contains(line.value(QStringLiteral("event")).toString()))
            kept.append(line);
    }
    return kept;
}

QJsonObject without(QJsonObject object, const QStringList &fields)
{
    for (const QString &field : fields)
        object.remove(field);
    return object;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray payloadOf(const QJsonObject &event)
{
    const QString payload = event.value(QStringLiteral("payload")).toString();
    return event.value(QStringLiteral("payload_encoding")).toString() == QLatin1StringView("base64")
               ? QByteArray::fromBase64(payload.toLatin1())
               : payload.toUtf8();
}

} // namespace

class tst_CliExport : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    // The export of a recording says what `connect --json` said while recording it, event for event.
    void jsonLinesAreTheConnectTranscript()
    {
        EchoServer echo;
        QVERIFY(echo.listen());
        const QString recording = m_dir.filePath(QStringLiteral("echo.wsirec"));
        const CliRun connected =
            runCli({QStringLiteral("connect"), echo.url().toString(), QStringLiteral("--send"), QStringLiteral("héllo"),
                    QStringLiteral("--send-hex"), QStringLiteral("00 01 fe"), QStringLiteral("--ping=p"),
                    QStringLiteral("--close"), QStringLiteral("1000"), QStringLiteral("bye"), QStringLiteral("--json"),
                    QStringLiteral("--record"), recording});
        QVERIFY2(connected.finished && connected.exitCode == 0, qPrintable(describe(connected)));

        const QString out = m_dir.filePath(QStringLiteral("echo.jsonl"));
        const CliRun exported = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), out});
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        QVERIFY2(exported.out.isEmpty() && exported.err.isEmpty(), qPrintable(describe(exported)));
        const QList<QJsonObject> lines = jsonLines(readAll(out));
        QVERIFY(!lines.isEmpty());
        for (const QJsonObject &line : lines)
            QCOMPARE(line.value(QStringLiteral("session")).toInt(), 1);

        const QStringList sessionEvents{QStringLiteral("handshake"), QStringLiteral("frame"),
                                        QStringLiteral("message"),   QStringLiteral("heartbeat"),
                                        QStringLiteral("close"),     QStringLiteral("diagnosis")};
        const QList<QJsonObject> expected = eventsOf(jsonLines(connected.out), sessionEvents);
        const QList<QJsonObject> actual = eventsOf(lines, sessionEvents);
        QCOMPARE(actual.size(), lines.size()); // nothing but session events
        QCOMPARE(actual.size(), expected.size());
        // The handshake's "t" is the CLI's clock in the transcript, its phases' end in the export.
        const QJsonObject handshake = actual.constFirst();
        QCOMPARE(handshake.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
        QCOMPARE(handshake.value(QStringLiteral("url")).toString(), echo.url().toString());
        QVERIFY(!handshake.value(QStringLiteral("started")).toString().isEmpty());
        QCOMPARE(without(handshake, {QStringLiteral("t"), QStringLiteral("url"), QStringLiteral("started"),
                                     QStringLiteral("session")}),
                 without(expected.constFirst(), {QStringLiteral("t")}));
        for (qsizetype i = 1; i < actual.size(); ++i)
            QCOMPARE(without(actual.at(i), {QStringLiteral("session")}), expected.at(i));
        QCOMPARE(eventsOf(actual, {QStringLiteral("message")}).size(), 4); // two sent, two echoed
        QCOMPARE(actual.constLast().value(QStringLiteral("event")).toString(), QStringLiteral("close"));
        QCOMPARE(actual.constLast().value(QStringLiteral("reason")).toString(), QStringLiteral("bye"));

        // The same to standard output.
        const CliRun toStdout =
            runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), QStringLiteral("-")});
        QVERIFY2(toStdout.finished && toStdout.exitCode == 0, qPrintable(describe(toStdout)));
        QCOMPARE(toStdout.out, readAll(out));
    }

    // The HAR export of a recording, read back by the HAR import: the same messages, in order.
    void harReadsBackAsTheSameMessages()
    {
        EchoServer echo;
        QVERIFY(echo.listen());
        const QString recording = m_dir.filePath(QStringLiteral("har.wsirec"));
        const CliRun connected =
            runCli({QStringLiteral("connect"), echo.url().toString(), QStringLiteral("--send"), QStringLiteral("one"),
                    QStringLiteral("--send-hex"), QStringLiteral("ff 00"), QStringLiteral("--send"),
                    QStringLiteral("three"), QStringLiteral("--close"), QStringLiteral("--record"), recording});
        QVERIFY2(connected.finished && connected.exitCode == 0, qPrintable(describe(connected)));
        const QString out = m_dir.filePath(QStringLiteral("echo.har"));
        const CliRun exported = runCli({QStringLiteral("export"), recording, QStringLiteral("--har"), out});
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));

        QString error;
        const std::optional<SessionRecords> original = RecordingReader::readFile(recording, &error);
        QVERIFY2(original, qPrintable(error));
        HarReader reader;
        const std::optional<QList<SessionRecords>> imported = reader.readFile(out);
        QVERIFY2(imported, qPrintable(reader.errorString()));
        QCOMPARE(imported->size(), 1);
        const SessionRecords &session = imported->constFirst();
        QCOMPARE(session.url, echo.url());
        QCOMPARE(session.handshake.response.statusCode, 101);
        const FrameLog &a = *original->log;
        const FrameLog &b = *session.log;
        QCOMPARE(b.messageCount(), a.messageCount());
        QCOMPARE(b.messageCount(), 6);
        for (qsizetype i = 0; i < a.messageCount(); ++i) {
            QCOMPARE(b.message(i).direction, a.message(i).direction);
            QCOMPARE(b.message(i).type, a.message(i).type);
            QCOMPARE(b.messagePayload(i).toByteArray(), a.messagePayload(i).toByteArray());
        }
    }

    // Payloads above what the export keeps in memory (1 MiB each) are read back from the recording: whole, in a
    // frame of their own and in a fragmented message, in both formats; --payload-limit cuts them.
    void payloadsBeyondTheReadBudgetAreWhole()
    {
        BigMessageServer server;
        QVERIFY(server.listen());
        const QString recording = m_dir.filePath(QStringLiteral("big.wsirec"));
        const CliRun connected = runCli({QStringLiteral("connect"), server.url().toString(), QStringLiteral("--json"),
                                         QStringLiteral("--record"), recording});
        QVERIFY2(connected.finished && connected.exitCode == 0, qPrintable(describe(connected)));
        // What the transcript printed was cut at 4 KiB.
        const QList<QJsonObject> printed = eventsOf(jsonLines(connected.out), {QStringLiteral("message")});
        QCOMPARE(printed.size(), 2);
        QVERIFY(printed.constFirst().value(QStringLiteral("truncated")).toBool());
        // And the recording read within that memory does not hold them: the export has to read them back.
        QString error;
        const std::optional<SessionRecords> kept =
            RecordingReader::readFile(recording, &error, FrameLog::Budget{512ll * 1024 * 1024, 1024 * 1024});
        QVERIFY2(kept, qPrintable(error));
        QCOMPARE(kept->log->messageCount(), 2);
        QVERIFY(kept->log->message(0).payloadTruncated());
        QVERIFY(kept->log->message(1).payloadTruncated());

        const QString jsonl = m_dir.filePath(QStringLiteral("big.jsonl"));
        CliRun exported = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"), jsonl});
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        QVERIFY2(exported.err.isEmpty(), exported.err.constData());
        const QList<QJsonObject> lines = jsonLines(readAll(jsonl));
        const QList<QJsonObject> messages = eventsOf(lines, {QStringLiteral("message")});
        QCOMPARE(messages.size(), 2);
        QVERIFY(!messages.at(0).contains(QStringLiteral("truncated")));
        QCOMPARE(messages.at(0).value(QStringLiteral("type")).toString(), QStringLiteral("text"));
        QVERIFY(payloadOf(messages.at(0)) == bigText());
        QVERIFY(!messages.at(1).contains(QStringLiteral("truncated")));
        QCOMPARE(messages.at(1).value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));
        QVERIFY(payloadOf(messages.at(1)) == bigBinary());
        // The text went in one frame: its frame event holds it all too.
        const QList<QJsonObject> frames = eventsOf(lines, {QStringLiteral("frame")});
        QCOMPARE(frames.constFirst().value(QStringLiteral("length")).toInteger(), bigTextBytes);
        QVERIFY(!frames.constFirst().contains(QStringLiteral("truncated")));
        QVERIFY(payloadOf(frames.constFirst()) == bigText());

        const QString har = m_dir.filePath(QStringLiteral("big.har"));
        exported = runCli({QStringLiteral("export"), recording, QStringLiteral("--har"), har});
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        HarReader reader;
        const std::optional<QList<SessionRecords>> imported = reader.readFile(har);
        QVERIFY2(imported, qPrintable(reader.errorString()));
        const FrameLog &log = *imported->constFirst().log;
        QCOMPARE(log.messageCount(), 2);
        QVERIFY(log.messagePayload(0) == bigText());
        QVERIFY(log.messagePayload(1) == bigBinary());

        const CliRun limited = runCli({QStringLiteral("export"), recording, QStringLiteral("--jsonl"),
                                       QStringLiteral("-"), QStringLiteral("--payload-limit"), QStringLiteral("100")});
        QVERIFY2(limited.finished && limited.exitCode == 0, qPrintable(describe(limited)));
        const QList<QJsonObject> cut = eventsOf(jsonLines(limited.out), {QStringLiteral("message")});
        QCOMPARE(cut.size(), 2);
        QCOMPARE(payloadOf(cut.at(0)), bigText().first(100));
        QVERIFY(cut.at(0).value(QStringLiteral("truncated")).toBool());
        QCOMPARE(payloadOf(cut.at(1)), bigBinary().first(100));
    }

    void harSampleToJsonLines()
    {
        const CliRun run = runCli({QStringLiteral("export"), sample(QStringLiteral("chrome-ticker.har")),
                                   QStringLiteral("--jsonl"), QStringLiteral("-")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> lines = jsonLines(run.out);
        QVERIFY(!lines.isEmpty());
        const QJsonObject handshake = lines.constFirst();
        QCOMPARE(handshake.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
        QCOMPARE(handshake.value(QStringLiteral("url")).toString(),
                 QStringLiteral("wss://ticker.example.com/stream?v=2"));
        QCOMPARE(handshake.value(QStringLiteral("started")).toString(), QStringLiteral("2024-05-14T09:21:07.412Z"));
        QCOMPARE(handshake.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt(), 101);
        const QList<QJsonObject> messages = eventsOf(lines, {QStringLiteral("message")});
        QCOMPARE(messages.size(), 5);
        QCOMPARE(eventsOf(lines, {QStringLiteral("frame")}).size(), 7); // and 2 control frames
        const QJsonObject close = lines.constLast();
        QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
        QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1000);
        QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("bye"));
        for (const QJsonObject &line : lines)
            QCOMPARE(line.value(QStringLiteral("session")).toInt(), 1);
    }

    // A session opened with a bearer token and a token in its URL: both exports leave them out, with the
    // placeholder where they were (URL, HAR queryString, headers, raw handshake); --include-secrets keeps them.
    void secretsAreLeftOutUnlessAsked()
    {
        EchoServer echo;
        QVERIFY(echo.listen());
        QUrl url = echo.url();
        url.setQuery(QStringLiteral("token=xyz&room=7"));
        const QString recording = m_dir.filePath(QStringLiteral("secret.wsirec"));
        const CliRun connected =
            runCli({QStringLiteral("connect"), url.toString(), QStringLiteral("-H"),
                    QStringLiteral("Authorization: Bearer abc"), QStringLiteral("--send"), QStringLiteral("hi"),
                    QStringLiteral("--close"), QStringLiteral("--record"), recording});
        QVERIFY2(connected.finished && connected.exitCode == 0, qPrintable(describe(connected)));

        for (const QString &format : {QStringLiteral("--har"), QStringLiteral("--jsonl")}) {
            const QString out = m_dir.filePath(QStringLiteral("secret.") + format.mid(2));
            const CliRun exported = runCli({QStringLiteral("export"), recording, format, out});
            QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
            const QByteArray bytes = readAll(out);
            QVERIFY2(!bytes.contains("Bearer abc") && !bytes.contains("token=xyz") && !bytes.contains("\"xyz\""),
                     bytes.constData());
            QVERIFY2(bytes.contains("Bearer [redacted]") && bytes.contains("token=[redacted]&room=7"),
                     bytes.constData());
            if (format == QLatin1StringView("--jsonl")) // the raw request line too (HAR has no raw bytes)
                QVERIFY(bytes.contains("GET /?token=[redacted]&room=7 HTTP/1.1"));
            QVERIFY(bytes.contains("hi")); // payloads are the application's, untouched

            const QString kept = m_dir.filePath(QStringLiteral("kept.") + format.mid(2));
            const CliRun withSecrets =
                runCli({QStringLiteral("export"), recording, format, kept, QStringLiteral("--include-secrets")});
            QVERIFY2(withSecrets.finished && withSecrets.exitCode == 0, qPrintable(describe(withSecrets)));
            const QByteArray keptBytes = readAll(kept);
            QVERIFY2(keptBytes.contains("Bearer abc") && keptBytes.contains("token=xyz"), keptBytes.constData());
            QVERIFY(!keptBytes.contains("[redacted]"));
        }

        // HAR's queryString lists the parameters, the secret one as the placeholder.
        HarReader reader;
        QVERIFY(reader.readFile(m_dir.filePath(QStringLiteral("secret.har"))));
        const QJsonObject entry = QJsonDocument::fromJson(readAll(m_dir.filePath(QStringLiteral("secret.har"))))
                                      .object()
                                      .value(QStringLiteral("log"))
                                      .toObject()
                                      .value(QStringLiteral("entries"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        const QJsonArray query =
            entry.value(QStringLiteral("request")).toObject().value(QStringLiteral("queryString")).toArray();
        QCOMPARE(query.size(), 2);
        QCOMPARE(query.at(0).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("[redacted]"));
        QCOMPARE(query.at(1).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("7"));
    }

    // A HAR of two sessions: one HAR with both, or each session's lines in order, each starting with its handshake.
    void severalSessions()
    {
        QJsonObject document = QJsonDocument::fromJson(readAll(sample(QStringLiteral("playwright-echo.har")))).object();
        QJsonObject log = document.value(QStringLiteral("log")).toObject();
        QJsonArray entries;
        for (const QJsonValue &entry : log.value(QStringLiteral("entries")).toArray()) {
            if (entry.toObject().contains(QStringLiteral("_webSocketMessages")))
                entries.append(entry);
        }
        QCOMPARE(entries.size(), 1);
        QJsonObject second = entries.at(0).toObject();
        QJsonObject request = second.value(QStringLiteral("request")).toObject();
        request.insert(QStringLiteral("url"), QStringLiteral("ws://localhost:8080/second"));
        second.insert(QStringLiteral("request"), request);
        entries.append(second);
        log.insert(QStringLiteral("entries"), entries);
        document.insert(QStringLiteral("log"), log);
        const QString two = m_dir.filePath(QStringLiteral("two.har"));
        QVERIFY(writeFile(two, QJsonDocument(document).toJson()));

        const CliRun run = runCli({QStringLiteral("export"), two, QStringLiteral("--jsonl"), QStringLiteral("-")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> lines = jsonLines(run.out);
        const QList<QJsonObject> handshakes = eventsOf(lines, {QStringLiteral("handshake")});
        QCOMPARE(handshakes.size(), 2);
        QCOMPARE(handshakes.at(1).value(QStringLiteral("url")).toString(),
                 QStringLiteral("ws://localhost:8080/second"));
        int session = 0;
        for (const QJsonObject &line : lines) {
            const int number = line.value(QStringLiteral("session")).toInt();
            if (number != session) {
                QCOMPARE(number, session + 1);
                QCOMPARE(line.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
                session = number;
            }
        }
        QCOMPARE(session, 2);
        QCOMPARE(eventsOf(lines, {QStringLiteral("message")}).size() % 2, 0);

        // Each session of the export runs on its own clock; diagnose reads them as two connections.
        const QString jsonl = m_dir.filePath(QStringLiteral("two.jsonl"));
        QVERIFY(writeFile(jsonl, run.out));
        const CliRun diagnosed = runCli({QStringLiteral("diagnose"), jsonl, QStringLiteral("--json")});
        QVERIFY2(diagnosed.finished && diagnosed.exitCode == 0, qPrintable(describe(diagnosed)));
        QCOMPARE(eventsOf(jsonLines(diagnosed.out), {QStringLiteral("diagnosis")}).size(), 2);

        const QString har = m_dir.filePath(QStringLiteral("two-out.har"));
        const CliRun asHar = runCli({QStringLiteral("export"), two, QStringLiteral("--har"), har});
        QVERIFY2(asHar.finished && asHar.exitCode == 0, qPrintable(describe(asHar)));
        HarReader reader;
        const std::optional<QList<SessionRecords>> imported = reader.readFile(har);
        QVERIFY2(imported, qPrintable(reader.errorString()));
        QCOMPARE(imported->size(), 2);
        QCOMPARE(imported->at(1).url, QUrl(QStringLiteral("ws://localhost:8080/second")));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");

        const QString har = sample(QStringLiteral("chrome-ticker.har"));
        const QString out = QStringLiteral("OUT_DIR/out.jsonl");
        QTest::newRow("no file") << QStringList{QStringLiteral("--jsonl"), out} << 2 << QStringLiteral("FILE missing");
        QTest::newRow("no output") << QStringList{har} << 2 << QStringLiteral("--har OUT or --jsonl OUT");
        QTest::newRow("two outputs") << QStringList{har, QStringLiteral("--har"), out, QStringLiteral("--jsonl"), out}
                                     << 2 << QStringLiteral("one output per run");
        QTest::newRow("limit with har") << QStringList{har, QStringLiteral("--har"), out,
                                                       QStringLiteral("--payload-limit"), QStringLiteral("10")}
                                        << 2 << QStringLiteral("--payload-limit applies to --jsonl only");
        QTest::newRow("bad limit") << QStringList{har, QStringLiteral("--jsonl"), out,
                                                  QStringLiteral("--payload-limit"), QStringLiteral("-5")}
                                   << 2 << QStringLiteral("'-5' is not a number of bytes");
        QTest::newRow("missing file") << QStringList{QStringLiteral("OUT_DIR/none.wsirec"), QStringLiteral("--jsonl"),
                                                     out}
                                      << 2 << QStringLiteral("cannot read");
        QTest::newRow("text file") << QStringList{QStringLiteral("OUT_DIR/notes.txt"), QStringLiteral("--jsonl"), out}
                                   << 2 << QStringLiteral("notes.txt is neither SQLite nor JSON with a \"log\"");
        QTest::newRow("transcript") << QStringList{QStringLiteral("OUT_DIR/transcript.jsonl"), QStringLiteral("--har"),
                                                   out}
                                    << 2
                                    << QStringLiteral("transcript.jsonl is the JSON lines of 'wsinspector-cli connect "
                                                      "--json', not a recording or a HAR file");
        QTest::newRow("empty file") << QStringList{QStringLiteral("OUT_DIR/empty"), QStringLiteral("--har"), out} << 2
                                    << QStringLiteral("empty is an empty file");
        QTest::newRow("malformed har") << QStringList{sample(QStringLiteral("malformed/missing-comma.har")),
                                                      QStringLiteral("--har"), out}
                                       << 2 << QStringLiteral("line");
        QTest::newRow("unwritable out") << QStringList{har, QStringLiteral("--jsonl"),
                                                       QStringLiteral("OUT_DIR/no-such-dir/out.jsonl")}
                                        << 4 << QStringLiteral("cannot write 'OUT_DIR/no-such-dir/out.jsonl'");
        QTest::newRow("out is file") << QStringList{QStringLiteral("OUT_DIR/copy.har"), QStringLiteral("--jsonl"),
                                                    QStringLiteral("OUT_DIR/copy.har")}
                                     << 2 << QStringLiteral("OUT is FILE itself");
    }

    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const QString dir = m_dir.path();
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("notes.txt")), "just some notes\n"));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("transcript.jsonl")),
                          "{\"event\":\"handshake\",\"accepted\":true,\"t\":0}\n"));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("empty")), QByteArray()));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("copy.har")),
                          readAll(sample(QStringLiteral("chrome-ticker.har")))));
        // An OUT that exists is left as it was by a failed export.
        const QString out = m_dir.filePath(QStringLiteral("out.jsonl"));
        QVERIFY(writeFile(out, "before\n"));
        for (QString &argument : arguments)
            argument.replace(QLatin1StringView("OUT_DIR"), dir);
        message.replace(QLatin1StringView("OUT_DIR"), dir);

        const CliRun run = runCli(QStringList{QStringLiteral("export")} + arguments);
        QVERIFY2(run.finished && run.exitCode == exitCode, qPrintable(describe(run)));
        QVERIFY2(QString::fromUtf8(run.err).contains(message), qPrintable(describe(run)));
        QVERIFY2(!run.err.contains("\n\n") && run.out.isEmpty(), qPrintable(describe(run)));
        QCOMPARE(readAll(out), QByteArray("before\n"));
        QCOMPARE(readAll(m_dir.filePath(QStringLiteral("copy.har"))),
                 readAll(sample(QStringLiteral("chrome-ticker.har"))));
    }

    void help()
    {
        const CliRun run = runCli({QStringLiteral("export"), QStringLiteral("--help")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(run.out.contains("--payload-limit BYTES"));
        QVERIFY(run.out.contains("--include-secrets"));
        const CliRun main = runCli({QStringLiteral("--help")});
        QVERIFY(main.out.contains("export FILE"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(tst_CliExport)
#include "tst_cli_export.moc"
