// SPDX-License-Identifier: GPL-3.0-or-later
// What a recording of `wsinspector-cli connect --protocol ... --record` keeps of the application protocol, against
// real servers on 127.0.0.1: a stock socket.io 4 server (peers/socketio_peer.js), aedes over websocket-stream
// (peers/mqtt_peer.js) and the scripted STOMP 1.2 server (peers/stomp_peer.js). Read back, the recording gives the
// protocol's heartbeat events with their source and the heartbeat as negotiated; exports, `diagnose` and
// `simulate --from` decode with the protocol the session was told to speak; and exports leave out the credentials the
// protocol's connect message carried unless --include-secrets.
#include "CliProcess.h"
#include "PeerProcess.h"
#include "core/exchange/MessageDecoding.h"
#include "core/recordings/RecordingReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::test;

namespace {

const QByteArray secret = QByteArrayLiteral("S3cret");

QString name(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Every payload of a JSON-lines export's frame and message events, base64 decoded where it was encoded.
QByteArray jsonLinesPayloads(const QList<QJsonObject> &events)
{
    QByteArray all;
    for (const QJsonObject &event : events) {
        const QByteArray payload = event.value(QStringLiteral("payload")).toString().toUtf8();
        all += event.value(QStringLiteral("payload_encoding")).toString() == QLatin1String("base64")
                   ? QByteArray::fromBase64(payload)
                   : payload;
        all += '\n';
    }
    return all;
}

// Every message of a HAR export's first entry, its data as sent (base64 decoded for binary messages).
QByteArray harPayloads(const QJsonObject &har)
{
    QByteArray all;
    const QJsonArray entries = har.value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray();
    for (const QJsonValue &message : entries.first().toObject().value(QStringLiteral("_webSocketMessages")).toArray()) {
        const QByteArray data = message.toObject().value(QStringLiteral("data")).toString().toUtf8();
        all += message.toObject().value(QStringLiteral("opcode")).toInt() == 2 ? QByteArray::fromBase64(data) : data;
        all += '\n';
    }
    return all;
}

QList<QJsonObject> harMessages(const QJsonObject &har)
{
    QList<QJsonObject> out;
    const QJsonArray entries = har.value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray();
    for (const QJsonValue &message : entries.first().toObject().value(QStringLiteral("_webSocketMessages")).toArray())
        out.append(message.toObject());
    return out;
}

// The first decoded protocol message of kind `kind` among the events' (JSON lines "decoded", HAR "_decoded").
QJsonObject decodedOfKind(const QList<QJsonObject> &events, const QString &field, const QString &kind)
{
    for (const QJsonObject &event : events) {
        for (const QJsonValue &decoded : event.value(field).toArray()) {
            if (decoded.toObject().value(QStringLiteral("kind")).toString() == kind)
                return decoded.toObject();
        }
    }
    return {};
}

// The protocols the exported messages were decoded as.
QSet<QString> decodedProtocols(const QList<QJsonObject> &events, const QString &field)
{
    QSet<QString> protocols;
    for (const QJsonObject &event : events) {
        for (const QJsonValue &decoded : event.value(field).toArray())
            protocols.insert(decoded.toObject().value(QStringLiteral("protocol")).toString());
    }
    return protocols;
}

} // namespace

class tst_AppProtocolRecording : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void socketIoHeartbeatReadBackWithItsSource();
    void forcedProtocolDecodesExportsDiagnosisAndSimulation();
    void stompPasscodeLeftOutOfExports();
    void mqttPasswordLeftOutOfExports();

private:
    bool startPeer(const QString &script, const QStringList &arguments = {});
    // connect --record, bounded by --duration; whether it ran to its end.
    bool record(const QStringList &arguments, const QString &recording);
    // export RECORDING --jsonl / --har to standard output; what it wrote, the events or the HAR document.
    QByteArray exported(const QString &recording, const QString &format, bool includeSecrets);
    QList<QJsonObject> exportJsonLines(const QString &recording, bool includeSecrets);
    QJsonObject exportHar(const QString &recording, bool includeSecrets);

    PeerProcess m_server;
    quint16 m_port = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_AppProtocolRecording::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_AppProtocolRecording::cleanup()
{
    m_server.stop();
    m_dir.reset();
}

bool tst_AppProtocolRecording::startPeer(const QString &script, const QStringList &arguments)
{
    if (!m_server.startNodeScript(script, arguments,
                                  {QStringLiteral("socket.io"), QStringLiteral("aedes"), QStringLiteral("ws"),
                                   QStringLiteral("websocket-stream")})) {
        qWarning("%s", qPrintable(m_server.errorString()));
        return false;
    }
    m_port = m_server.port();
    return true;
}

bool tst_AppProtocolRecording::record(const QStringList &arguments, const QString &recording)
{
    const CliRun run =
        runCli(QStringList{QStringLiteral("connect"), QStringLiteral("--record"), recording} + arguments);
    if (!run.finished || run.exitCode != 0) {
        qWarning("%s", qPrintable(describe(run)));
        return false;
    }
    return true;
}

QByteArray tst_AppProtocolRecording::exported(const QString &recording, const QString &format, bool includeSecrets)
{
    QStringList arguments{QStringLiteral("export"), recording, format, QStringLiteral("-")};
    if (includeSecrets)
        arguments.append(QStringLiteral("--include-secrets"));
    const CliRun run = runCli(arguments);
    if (!run.finished || run.exitCode != 0)
        qWarning("%s", qPrintable(describe(run)));
    return run.out;
}

QList<QJsonObject> tst_AppProtocolRecording::exportJsonLines(const QString &recording, bool includeSecrets)
{
    return jsonLines(exported(recording, QStringLiteral("--jsonl"), includeSecrets));
}

QJsonObject tst_AppProtocolRecording::exportHar(const QString &recording, bool includeSecrets)
{
    return QJsonDocument::fromJson(exported(recording, QStringLiteral("--har"), includeSecrets)).object();
}

void tst_AppProtocolRecording::socketIoHeartbeatReadBackWithItsSource()
{
    // Engine.IO pings every 300 ms; 1.6 s is five of them, each answered.
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("200")}));
    const QString recording = m_dir->filePath(QStringLiteral("socketio.wsirec"));
    QVERIFY(record({QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port),
                    QStringLiteral("--protocol"), QStringLiteral("socketio"), QStringLiteral("--auth"),
                    QStringLiteral(R"({"token":"S3cret","room":"lobby"})"), QStringLiteral("--duration"),
                    QStringLiteral("1.6")},
                   recording));

    // The window and the exports read it this way.
    QString error;
    const std::optional<SessionRecords> read = RecordingReader::readFile(recording, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->protocol, QStringLiteral("socket.io"));
    const ProtocolHeartbeat negotiated = read->heartbeat->protocolHeartbeat();
    QCOMPARE(negotiated.protocol, QStringLiteral("socket.io"));
    QCOMPARE(negotiated.peerIntervalMs, 300);
    QVERIFY2(negotiated.description.contains(QStringLiteral("300")), qPrintable(negotiated.description));
    qsizetype pings = 0;
    qsizetype answers = 0;
    for (qsizetype i = 0; i < read->heartbeat->eventCount(); ++i) {
        const HeartbeatEvent &event = read->heartbeat->event(i);
        if (event.source != HeartbeatEvent::Source::Protocol)
            continue;
        if (event.kind == HeartbeatEvent::Kind::PeerBeat) {
            ++pings;
            // Since the previous ping (or the open packet): about the server's 300 ms.
            QVERIFY2(event.intervalNs > 200'000'000 && event.intervalNs < 1'000'000'000,
                     qPrintable(QString::number(event.intervalNs)));
        } else if (event.kind == HeartbeatEvent::Kind::Answered) {
            ++answers;
            QVERIFY(event.rttNs >= 0);
        }
        QCOMPARE(event.health, HeartbeatEvent::Health::Healthy);
    }
    QVERIFY2(pings >= 3 && answers >= 3, qPrintable(QStringLiteral("%1 pings, %2 answers").arg(pings).arg(answers)));
    const HeartbeatStatus status = read->heartbeat->status(HeartbeatEvent::Source::Protocol);
    QCOMPARE(status.repliesReceived, int(pings));
    QCOMPARE(status.heartbeatsSent, int(answers));

    // The JSON-lines export tells them as connect --json does; the auth token is left out.
    const QList<QJsonObject> events = exportJsonLines(recording, false);
    qsizetype exportedAnswers = 0;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("heartbeat"))) {
        if (event.value(QStringLiteral("source")).toString() != QLatin1String("protocol"))
            continue;
        QCOMPARE(event.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
        if (event.value(QStringLiteral("what")).toString() == QLatin1String("answered"))
            ++exportedAnswers;
    }
    QCOMPARE(exportedAnswers, answers);
    const QList<QJsonObject> messages = eventsNamed(events, QStringLiteral("message"));
    QVERIFY(!jsonLinesPayloads(messages + eventsNamed(events, QStringLiteral("frame"))).contains(secret));
    const QJsonObject connect = decodedOfKind(messages, QStringLiteral("decoded"), QStringLiteral("CONNECT"));
    QCOMPARE(connect.value(QStringLiteral("data")).toObject(),
             (QJsonObject{{QStringLiteral("token"), QStringLiteral("[redacted]")},
                          {QStringLiteral("room"), QStringLiteral("lobby")}}));
    QVERIFY(jsonLinesPayloads(messages).contains(R"(40{"token":"[redacted]","room":"lobby"})"));
    QVERIFY(jsonLinesPayloads(eventsNamed(exportJsonLines(recording, true), QStringLiteral("message")))
                .contains(R"(40{"token":"S3cret","room":"lobby"})"));
}

void tst_AppProtocolRecording::forcedProtocolDecodesExportsDiagnosisAndSimulation()
{
    // A STOMP server mounted at /cable, Action Cable's default path, that negotiates no subprotocol (the client
    // offers only "chat"): recognised from the handshake, the exports would decode the connection as Action Cable.
    // Told to speak STOMP, the session did; its recording says so, and every reader of it decodes STOMP.
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("--beat"), QStringLiteral("200")}));
    const QString recording = m_dir->filePath(QStringLiteral("stomp-cable.wsirec"));
    QVERIFY(record({QStringLiteral("ws://127.0.0.1:%1/cable").arg(m_port), QStringLiteral("--subprotocol"),
                    QStringLiteral("chat"), QStringLiteral("--protocol"), QStringLiteral("stomp"),
                    QStringLiteral("--stomp-heartbeat"), QStringLiteral("300,200"), QStringLiteral("--duration"),
                    QStringLiteral("1")},
                   recording));

    const QList<QJsonObject> messages = eventsNamed(exportJsonLines(recording, false), QStringLiteral("message"));
    QVERIFY(!messages.isEmpty());
    QCOMPARE(decodedProtocols(messages, QStringLiteral("decoded")), QSet<QString>{QStringLiteral("stomp")});
    const QJsonObject connected = decodedOfKind(messages, QStringLiteral("decoded"), QStringLiteral("CONNECTED"));
    QCOMPARE(connected.value(QStringLiteral("headers")).toObject().value(QStringLiteral("heart-beat")).toString(),
             QStringLiteral("200,200"));
    QVERIFY2(!connected.contains(QStringLiteral("violation")), qPrintable(name(connected)));
    QCOMPARE(decodedProtocols(harMessages(exportHar(recording, false)), QStringLiteral("_decoded")),
             QSet<QString>{QStringLiteral("stomp")});

    // The simulator and the diagnosis read the heartbeat STOMP negotiated: CONNECT 300,200 against CONNECTED
    // 200,200. (They recognise from the handshake and the first messages together, where the CONNECT outweighs the
    // path, so they read STOMP even without the recorded protocol; this checks that taking it keeps them so.)
    const CliRun simulate =
        runCli({QStringLiteral("simulate"), QStringLiteral("--json"), QStringLiteral("--from"), recording});
    QVERIFY2(simulate.finished && simulate.exitCode == 0, qPrintable(describe(simulate)));
    const QList<QJsonObject> scenario = jsonLines(simulate.out);
    QVERIFY(!scenario.isEmpty());
    const QString fromFile = scenario.first().value(QStringLiteral("protocol_from_file")).toString();
    QVERIFY2(fromFile.contains(QStringLiteral("STOMP"), Qt::CaseInsensitive), simulate.out.constData());
    const CliRun diagnose = runCli({QStringLiteral("diagnose"), recording, QStringLiteral("--json")});
    QVERIFY2(diagnose.finished, qPrintable(describe(diagnose)));
    QVERIFY2(diagnose.out.contains("heart-beat") || diagnose.out.contains("STOMP") || diagnose.out.contains("stomp"),
             diagnose.out.constData());
    QVERIFY2(!diagnose.out.contains("Action Cable") && !diagnose.out.contains("actioncable"), diagnose.out.constData());
}

void tst_AppProtocolRecording::stompPasscodeLeftOutOfExports()
{
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("--beat"), QStringLiteral("200")}));
    const QString recording = m_dir->filePath(QStringLiteral("stomp.wsirec"));
    QVERIFY(record({QStringLiteral("ws://127.0.0.1:%1/stomp").arg(m_port), QStringLiteral("--protocol"),
                    QStringLiteral("stomp"), QStringLiteral("--stomp-login"), QStringLiteral("guest"),
                    QStringLiteral("--stomp-passcode"), QString::fromLatin1(secret), QStringLiteral("--duration"),
                    QStringLiteral("0.5")},
                   recording));
    // The server had it: the session really sent it.
    QVERIFY2(m_server.output().contains("S3cret"), m_server.output().constData());

    const QList<QJsonObject> events = exportJsonLines(recording, false);
    const QList<QJsonObject> messages = eventsNamed(events, QStringLiteral("message"));
    const QList<QJsonObject> frames = eventsNamed(events, QStringLiteral("frame"));
    QVERIFY(!messages.isEmpty());
    for (const QJsonObject &event : events)
        QVERIFY2(!name(event).contains(QLatin1String(secret)), qPrintable(name(event)));
    QVERIFY(jsonLinesPayloads(messages).contains("login:guest\npasscode:[redacted]\n"));
    QVERIFY(jsonLinesPayloads(frames).contains("login:guest\npasscode:[redacted]\n"));
    QCOMPARE(messages.first().value(QStringLiteral("redacted")).toBool(), true);
    QCOMPARE(frames.first().value(QStringLiteral("redacted")).toBool(), true);
    QVERIFY(!messages.last().contains(QStringLiteral("redacted")));
    const QJsonObject connect = decodedOfKind(messages, QStringLiteral("decoded"), QStringLiteral("CONNECT"));
    QCOMPARE(connect.value(QStringLiteral("headers")).toObject().value(QStringLiteral("passcode")).toString(),
             QStringLiteral("[redacted]"));
    QCOMPARE(connect.value(QStringLiteral("headers")).toObject().value(QStringLiteral("login")).toString(),
             QStringLiteral("guest"));

    const QJsonObject har = exportHar(recording, false);
    QVERIFY(!QJsonDocument(har).toJson().contains(secret));
    QVERIFY(harPayloads(har).contains("passcode:[redacted]"));
    QCOMPARE(harMessages(har).first().value(QStringLiteral("_redacted")).toBool(), true);

    // Asked for, they are all there.
    QVERIFY(jsonLinesPayloads(eventsNamed(exportJsonLines(recording, true), QStringLiteral("message")))
                .contains("passcode:S3cret\n"));
    QVERIFY(harPayloads(exportHar(recording, true)).contains("passcode:S3cret\n"));
}

void tst_AppProtocolRecording::mqttPasswordLeftOutOfExports()
{
    QVERIFY(startPeer(QStringLiteral("mqtt_peer.js")));
    const QString recording = m_dir->filePath(QStringLiteral("mqtt.wsirec"));
    QVERIFY(record({QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(m_port), QStringLiteral("--protocol"),
                    QStringLiteral("mqtt"), QStringLiteral("--mqtt-client-id"), QStringLiteral("recorded"),
                    QStringLiteral("--mqtt-username"), QStringLiteral("alice"), QStringLiteral("--mqtt-password"),
                    QString::fromLatin1(secret), QStringLiteral("--duration"), QStringLiteral("0.5")},
                   recording));
    // aedes accepted the CONNECT: its password went over the wire.
    QVERIFY2(m_server.output().contains("CONNECTED recorded"), m_server.output().constData());

    const QList<QJsonObject> events = exportJsonLines(recording, false);
    const QList<QJsonObject> messages = eventsNamed(events, QStringLiteral("message"));
    QVERIFY(!messages.isEmpty());
    const QByteArray payloads = jsonLinesPayloads(messages + eventsNamed(events, QStringLiteral("frame")));
    QVERIFY(!payloads.contains(secret));
    QVERIFY(payloads.contains("[redacted]"));
    // Still a CONNECT our decoder reads without a violation: who connected, and a password of the marker's length.
    const QJsonObject connect = decodedOfKind(messages, QStringLiteral("decoded"), QStringLiteral("CONNECT"));
    QCOMPARE(connect.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    QCOMPARE(connect.value(QStringLiteral("passwordLength")).toInt(), 10);
    QVERIFY2(!connect.contains(QStringLiteral("violation")), qPrintable(name(connect)));
    QCOMPARE(messages.first().value(QStringLiteral("redacted")).toBool(), true);
    // The exported bytes decode to exactly what the export's "decoded" says.
    const QByteArray exported =
        QByteArray::fromBase64(messages.first().value(QStringLiteral("payload")).toString().toLatin1());
    MessageRecord record;
    record.length = record.wireLength = quint64(exported.size());
    record.type = MessageType::Binary;
    record.direction = Direction::Outgoing;
    MessageDecoding decoding(HandshakeRecord{}, AppProtocol::Mqtt);
    QCOMPARE(decoding.decode(record, exported), messages.first().value(QStringLiteral("decoded")).toArray());

    const QJsonObject har = exportHar(recording, false);
    QVERIFY(!harPayloads(har).contains(secret));
    QVERIFY(harPayloads(har).contains("[redacted]"));
    QCOMPARE(decodedOfKind(harMessages(har), QStringLiteral("_decoded"), QStringLiteral("CONNECT"))
                 .value(QStringLiteral("passwordLength"))
                 .toInt(),
             10);

    const QList<QJsonObject> withSecrets = exportJsonLines(recording, true);
    QVERIFY(jsonLinesPayloads(eventsNamed(withSecrets, QStringLiteral("message"))).contains(secret));
    QCOMPARE(decodedOfKind(eventsNamed(withSecrets, QStringLiteral("message")), QStringLiteral("decoded"),
                           QStringLiteral("CONNECT"))
                 .value(QStringLiteral("passwordLength"))
                 .toInt(),
             6);
    QVERIFY(harPayloads(exportHar(recording, true)).contains(secret));
}

QTEST_GUILESS_MAIN(tst_AppProtocolRecording)
#include "tst_appprotocol_recording.moc"
