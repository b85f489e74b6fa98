// SPDX-License-Identifier: GPL-3.0-or-later
// Truth tests of the protocol timeouts: stock servers on 127.0.0.1 with short settings (from npm: socket.io 4 with
// pingInterval 400 ms / pingTimeout 300 ms, graphql-ws with connectionInitWaitTimeout 500 ms, aedes over
// websocket-stream, sockjs 0.3.24 with heartbeat_delay 1 s; Debian's rabbitmq-server with Web-STOMP, asked for a 1 s
// heart-beat), a plain `wsinspector-cli connect --record` that does not speak their protocol's heartbeat (for SockJS:
// that does not answer WebSocket pings, or stops answering them), and then `diagnose` on the recording must name the
// protocol's knob with the session's numbers, and `simulate` must predict the server's cut at the time it came.
#include "CliProcess.h"
#include "PeerProcess.h"
#include "RealRabbitMq.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace wsi::test;

namespace {

// How far the simulator's virtual time may sit from the real cut: the server's timer starts a few ms after the
// upgrade, and Node's timers and the loopback add some more.
constexpr double predictionSlackS = 0.15;

} // namespace

class tst_ProtocolTimeouts : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void socketIoPingTimeout();
    void graphqlConnectionInitTimeout();
    void mqttKeepAlive();
    void stompHeartBeat();
    void sockJsPongWait_data();
    void sockJsPongWait();

private:
    bool startPeer(const QString &script, const QStringList &arguments);
    // connect --json --record, bounded by durationS; the close event, with the recording's path.
    QJsonObject connectAndRecord(const QStringList &arguments, const QString &recording, int durationS = 8);
    QJsonObject diagnosis(const QString &recording);
    QJsonObject simulated(const QStringList &arguments);

    // Debian's rabbitmq-server with the Web-STOMP plugin as a private node (RealRabbitMq); its web_stomp port, or 0.
    quint16 startRabbitMq();
    void stopRabbitMq();

    PeerProcess m_peer;
    RealRabbitMq m_rabbit;
    QByteArray m_connectOut;            // the last connect's JSON lines
    QList<QJsonObject> m_connectEvents; // and as objects
    quint16 m_port = 0;
    QTemporaryDir m_dir;
};

void tst_ProtocolTimeouts::init()
{
    QVERIFY(m_dir.isValid());
}

void tst_ProtocolTimeouts::cleanup()
{
    m_peer.stop();
    stopRabbitMq();
}

quint16 tst_ProtocolTimeouts::startRabbitMq()
{
    if (!m_rabbit.start(m_dir.filePath(QStringLiteral("rabbitmq")))) {
        qWarning("%s", qPrintable(m_rabbit.errorString()));
        return 0;
    }
    return m_rabbit.webStompPort();
}

void tst_ProtocolTimeouts::stopRabbitMq()
{
    m_rabbit.stop();
}

bool tst_ProtocolTimeouts::startPeer(const QString &script, const QStringList &arguments)
{
    if (m_peer.startNodeScript(script, arguments,
                               {QStringLiteral("socket.io"), QStringLiteral("graphql-ws"), QStringLiteral("aedes"),
                                QStringLiteral("websocket-stream"), QStringLiteral("sockjs")})) {
        m_port = m_peer.port();
        return true;
    }
    qWarning("%s", qPrintable(m_peer.errorString()));
    return false;
}

QJsonObject tst_ProtocolTimeouts::connectAndRecord(const QStringList &arguments, const QString &recording,
                                                   int durationS)
{
    // --duration bounds the run: every server here closes well before it.
    const CliRun run =
        runCli(QStringList{QStringLiteral("connect"), QStringLiteral("--json"), QStringLiteral("--record"), recording,
                           QStringLiteral("--duration"), QString::number(durationS)} +
               arguments);
    if (!run.finished)
        qWarning("%s", qPrintable(describe(run)));
    m_connectOut = run.out;
    m_connectEvents = jsonLines(run.out);
    const QList<QJsonObject> closes = eventsNamed(m_connectEvents, QStringLiteral("close"));
    if (closes.isEmpty()) {
        qWarning("no close event: %s", qPrintable(describe(run)));
        return {};
    }
    return closes.last();
}

QJsonObject tst_ProtocolTimeouts::diagnosis(const QString &recording)
{
    const CliRun run = runCli({QStringLiteral("diagnose"), recording, QStringLiteral("--json")});
    const QList<QJsonObject> found = eventsNamed(jsonLines(run.out), QStringLiteral("diagnosis"));
    if (found.isEmpty()) {
        qWarning("no diagnosis event: %s", qPrintable(describe(run)));
        return {};
    }
    return found.last();
}

QJsonObject tst_ProtocolTimeouts::simulated(const QStringList &arguments)
{
    const CliRun run = runCli(QStringList{QStringLiteral("simulate"), QStringLiteral("--json")} + arguments);
    const QList<QJsonObject> outcome = eventsNamed(jsonLines(run.out), QStringLiteral("outcome"));
    if (outcome.isEmpty()) {
        qWarning("no outcome event: %s", qPrintable(describe(run)));
        return {};
    }
    return outcome.last();
}

void tst_ProtocolTimeouts::socketIoPingTimeout()
{
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("400"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("300")}));
    const QString recording = m_dir.filePath(QStringLiteral("socketio.wsirec"));
    // A plain WebSocket client: it reads the open packet and the "2", and never answers "3".
    const QJsonObject close = connectAndRecord(
        {QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port)}, recording);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1005);
    const double closedAt = close.value(QStringLiteral("t")).toDouble();

    // connect itself says it after the close, as diagnose says it from the recording.
    const QList<QJsonObject> live = eventsNamed(m_connectEvents, QStringLiteral("diagnosis"));
    QCOMPARE(live.size(), 1);
    const QJsonObject d = diagnosis(recording);
    QCOMPARE(live.first().value(QStringLiteral("summary")), d.value(QStringLiteral("summary")));
    // And from the JSON lines of connect --json, whose message events carry the payloads.
    const QString transcript = m_dir.filePath(QStringLiteral("socketio.jsonl"));
    {
        QFile file(transcript);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(m_connectOut);
    }
    QCOMPARE(diagnosis(transcript).value(QStringLiteral("protocol_timeout")),
             d.value(QStringLiteral("protocol_timeout")));
    QCOMPARE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
    QCOMPARE(d.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
    const QJsonObject timeout = d.value(QStringLiteral("protocol_timeout")).toObject();
    QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("pingTimeout"));
    QCOMPARE(timeout.value(QStringLiteral("value_s")).toDouble(), 0.3);
    QCOMPARE(timeout.value(QStringLiteral("default_s")).toDouble(), 20.0);
    const QString summary = d.value(QStringLiteral("summary")).toString();
    QVERIFY2(summary.contains(QStringLiteral("got no pong (\"3\") within pingTimeout 300 ms; your client does not "
                                             "answer Engine.IO pings")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("pingInterval 400 ms")), qPrintable(summary));

    // The simulator, from the recording's own open packet, and from the preset with the same knobs.
    for (const QStringList &arguments : {QStringList{QStringLiteral("--from"), recording},
                                         QStringList{QStringLiteral("--server-heartbeat"),
                                                     QStringLiteral("socketio:pingInterval=400ms,pingTimeout=300ms"),
                                                     QStringLiteral("--duration"), QStringLiteral("60")}}) {
        const QJsonObject outcome = simulated(arguments);
        QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("cut"));
        QCOMPARE(outcome.value(QStringLiteral("by")).toString(), QStringLiteral("server"));
        QCOMPARE(outcome.value(QStringLiteral("timer")).toString(), QStringLiteral("pingTimeout"));
        QCOMPARE(outcome.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
        const double predicted = outcome.value(QStringLiteral("at_s")).toDouble();
        QVERIFY2(std::abs(predicted - closedAt) <= predictionSlackS,
                 qPrintable(QStringLiteral("predicted %1 s, closed at %2 s").arg(predicted).arg(closedAt)));
        QCOMPARE(outcome.value(QStringLiteral("client_sees")).toObject().value(QStringLiteral("close_code")).toInt(),
                 1005);
    }
}

void tst_ProtocolTimeouts::graphqlConnectionInitTimeout()
{
    QVERIFY(startPeer(QStringLiteral("graphql_peer.js"), {QStringLiteral("--init-wait"), QStringLiteral("500")}));
    const QString recording = m_dir.filePath(QStringLiteral("graphql.wsirec"));
    const QJsonObject close =
        connectAndRecord({QStringLiteral("ws://127.0.0.1:%1/graphql").arg(m_port), QStringLiteral("--subprotocol"),
                          QStringLiteral("graphql-transport-ws")},
                         recording);
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 4408);
    const double closedAt = close.value(QStringLiteral("t")).toDouble();

    const QJsonObject d = diagnosis(recording);
    QCOMPARE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
    const QJsonObject timeout = d.value(QStringLiteral("protocol_timeout")).toObject();
    QCOMPARE(timeout.value(QStringLiteral("protocol")).toString(), QStringLiteral("graphql-transport-ws"));
    QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("connectionInitWaitTimeout"));
    QCOMPARE(timeout.value(QStringLiteral("default_s")).toDouble(), 3.0);
    // What the session measured: the server's 500 ms, from its 'connection' (as it wrote the 101), give or take the
    // time the 101 and the close took to reach the client: a loaded machine delays the 101 more than the close and
    // the session measures a little under 500 ms (0.498 s seen here).
    const double measured = timeout.value(QStringLiteral("value_s")).toDouble();
    QVERIFY2(std::abs(measured - 0.5) <= predictionSlackS, qPrintable(QString::number(measured)));
    QVERIFY2(d.value(QStringLiteral("fix")).toString().contains(QStringLiteral("{\"type\":\"connection_init\"")),
             qPrintable(d.value(QStringLiteral("fix")).toString()));

    const QJsonObject outcome =
        simulated({QStringLiteral("--server-heartbeat"), QStringLiteral("graphql-ws:connectionInitWaitTimeout=500ms"),
                   QStringLiteral("--duration"), QStringLiteral("60")});
    QCOMPARE(outcome.value(QStringLiteral("timer")).toString(), QStringLiteral("connectionInitWaitTimeout"));
    QCOMPARE(outcome.value(QStringLiteral("client_sees")).toObject().value(QStringLiteral("close_code")).toInt(), 4408);
    const double predicted = outcome.value(QStringLiteral("at_s")).toDouble();
    QVERIFY2(std::abs(predicted - closedAt) <= predictionSlackS,
             qPrintable(QStringLiteral("predicted %1 s, closed at %2 s").arg(predicted).arg(closedAt)));
}

void tst_ProtocolTimeouts::mqttKeepAlive()
{
    QVERIFY(startPeer(QStringLiteral("mqtt_peer.js"), {}));
    const QString recording = m_dir.filePath(QStringLiteral("mqtt.wsirec"));
    // MQTT 3.1.1 CONNECT: protocol name "MQTT", level 4, clean session, Keep Alive 1 s, an empty client id. Then
    // nothing: no PINGREQ.
    const QJsonObject close = connectAndRecord(
        {QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(m_port), QStringLiteral("--subprotocol"), QStringLiteral("mqtt"),
         QStringLiteral("--send-hex"), QStringLiteral("10 0c 00 04 4d 51 54 54 04 02 00 01 00 00")},
        recording);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    const double closedAt = close.value(QStringLiteral("t")).toDouble();
    QVERIFY2(closedAt >= 1.5 && closedAt < 1.5 + 0.5, qPrintable(QString::number(closedAt)));

    const QJsonObject d = diagnosis(recording);
    QCOMPARE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
    const QJsonObject timeout = d.value(QStringLiteral("protocol_timeout")).toObject();
    QCOMPARE(timeout.value(QStringLiteral("protocol")).toString(), QStringLiteral("mqtt"));
    QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("Keep Alive x 1.5"));
    QCOMPARE(timeout.value(QStringLiteral("value_s")).toDouble(), 1.5);
    QVERIFY2(d.value(QStringLiteral("summary")).toString().contains(QStringLiteral("the client sent no PINGREQ")),
             qPrintable(d.value(QStringLiteral("summary")).toString()));

    const QJsonObject outcome = simulated({QStringLiteral("--from"), recording});
    QCOMPARE(outcome.value(QStringLiteral("by")).toString(), QStringLiteral("server"));
    QCOMPARE(outcome.value(QStringLiteral("timer")).toString(), QStringLiteral("Keep Alive x 1.5"));
    const double predicted = outcome.value(QStringLiteral("at_s")).toDouble();
    QVERIFY2(std::abs(predicted - closedAt) <= predictionSlackS,
             qPrintable(QStringLiteral("predicted %1 s, closed at %2 s").arg(predicted).arg(closedAt)));
}

void tst_ProtocolTimeouts::stompHeartBeat()
{
    const quint16 port = startRabbitMq();
    QVERIFY(port != 0);
    const QString recording = m_dir.filePath(QStringLiteral("stomp.wsirec"));
    // CONNECT asking for a heart-beat each way every second, ended by its NUL (sent as a binary message, which
    // Web-STOMP reads as well); then nothing, no heart-beats.
    const QByteArray connectFrame =
        QByteArray("CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\nheart-beat:1000,1000\n\n") + '\0';
    const QJsonObject close = connectAndRecord(
        {QStringLiteral("ws://127.0.0.1:%1/ws").arg(port), QStringLiteral("--subprotocol"), QStringLiteral("v12.stomp"),
         QStringLiteral("--send-hex"), QString::fromLatin1(connectFrame.toHex())},
        recording);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("STOMP died"));
    const double closedAt = close.value(QStringLiteral("t")).toDouble();

    const QJsonObject d = diagnosis(recording);
    QCOMPARE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
    const QJsonObject timeout = d.value(QStringLiteral("protocol_timeout")).toObject();
    QCOMPARE(timeout.value(QStringLiteral("protocol")).toString(), QStringLiteral("stomp"));
    QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("heart-beat (client to server)"));
    QCOMPARE(timeout.value(QStringLiteral("value_s")).toDouble(), 1.0);
    QVERIFY2(d.value(QStringLiteral("summary"))
                 .toString()
                 .contains(QStringLiteral("CONNECT heart-beat:1000,1000, CONNECTED heart-beat:1000,1000")),
             qPrintable(d.value(QStringLiteral("summary")).toString()));

    // RabbitMQ gives up 2 to 3 periods after the last data it counted; after the CONNECT alone, 3.
    const QJsonObject outcome = simulated({QStringLiteral("--from"), recording});
    QCOMPARE(outcome.value(QStringLiteral("by")).toString(), QStringLiteral("server"));
    QCOMPARE(outcome.value(QStringLiteral("protocol")).toString(), QStringLiteral("stomp"));
    const double predicted = outcome.value(QStringLiteral("at_s")).toDouble();
    QVERIFY2(std::abs(predicted - closedAt) <= predictionSlackS,
             qPrintable(QStringLiteral("predicted %1 s, closed at %2 s").arg(predicted).arg(closedAt)));
}

void tst_ProtocolTimeouts::sockJsPongWait_data()
{
    QTest::addColumn<QStringList>("client");
    QTest::addColumn<double>("unansweredPingS"); // the ping sockjs's 10 s pong wait counts from
    QTest::addColumn<QString>("clientSays");
    QTest::newRow("never answers") << QStringList{QStringLiteral("--no-auto-pong")} << 1.0
                                   << QStringLiteral("your client does not answer WebSocket pings");
    QTest::newRow("stops after two pongs")
        << QStringList{QStringLiteral("--stop-answering-pings-after"), QStringLiteral("2")} << 3.0
        << QStringLiteral("your client answered 2 of its ");
}

void tst_ProtocolTimeouts::sockJsPongWait()
{
    QFETCH(QStringList, client);
    QFETCH(double, unansweredPingS);
    QFETCH(QString, clientSays);
    QVERIFY(startPeer(QStringLiteral("sockjs_peer.js"), {QStringLiteral("--heartbeat-delay"), QStringLiteral("1000")}));
    const QString recording =
        m_dir.filePath(QStringLiteral("sockjs-%1.wsirec").arg(QString::fromLatin1(QTest::currentDataTag())));
    // The framed WebSocket endpoint: sockjs pings every second and gives up 10 s after a ping without its pong
    // (lib/trans-websocket.js).
    const QJsonObject close = connectAndRecord(
        QStringList{QStringLiteral("ws://127.0.0.1:%1/echo/000/silent01/websocket").arg(m_port)} + client, recording,
        16);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1000);
    const double closedAt = close.value(QStringLiteral("t")).toDouble();
    const double expected = unansweredPingS + 10.0;
    QVERIFY2(closedAt >= expected && closedAt < expected + 0.5, qPrintable(QString::number(closedAt)));
    const QList<QJsonObject> messages = eventsNamed(m_connectEvents, QStringLiteral("message"));
    QVERIFY(!messages.isEmpty());
    QCOMPARE(messages.last().value(QStringLiteral("payload")).toString(),
             QStringLiteral("c[3000,\"No response from heartbeat\"]"));

    const QJsonObject d = diagnosis(recording);
    QCOMPARE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
    const QJsonObject timeout = d.value(QStringLiteral("protocol_timeout")).toObject();
    QCOMPARE(timeout.value(QStringLiteral("protocol")).toString(), QStringLiteral("sockjs"));
    QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("pong wait"));
    QCOMPARE(timeout.value(QStringLiteral("value_s")).toDouble(), 10.0);
    const QString summary = d.value(QStringLiteral("summary")).toString();
    QVERIFY2(summary.contains(QStringLiteral("its WebSocket ping at %1 s got no pong within the 10 s it waits; %2")
                                  .arg(unansweredPingS, 0, 'f', 1)
                                  .arg(clientSays)),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("1.0 s here from its first ping")), qPrintable(summary));

    // The simulator, from the recording (heartbeat_delay from the first ping, the client's pongs replayed and
    // none after them) and, for the client that never answers, from the preset with the same knob.
    QList<QStringList> simulations{{QStringLiteral("--from"), recording}};
    if (client.first() == QLatin1String("--no-auto-pong"))
        simulations.append({QStringLiteral("--server-heartbeat"), QStringLiteral("sockjs:heartbeat_delay=1s"),
                            QStringLiteral("--client-answers-pings"), QStringLiteral("no"),
                            QStringLiteral("--duration"), QStringLiteral("60")});
    for (const QStringList &arguments : std::as_const(simulations)) {
        const QJsonObject outcome = simulated(arguments);
        QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("cut"));
        QCOMPARE(outcome.value(QStringLiteral("by")).toString(), QStringLiteral("server"));
        QCOMPARE(outcome.value(QStringLiteral("protocol")).toString(), QStringLiteral("sockjs"));
        QCOMPARE(outcome.value(QStringLiteral("timer")).toString(), QStringLiteral("pong wait"));
        const double predicted = outcome.value(QStringLiteral("at_s")).toDouble();
        QVERIFY2(std::abs(predicted - closedAt) <= predictionSlackS,
                 qPrintable(QStringLiteral("predicted %1 s, closed at %2 s").arg(predicted).arg(closedAt)));
        QCOMPARE(outcome.value(QStringLiteral("client_sees")).toObject().value(QStringLiteral("close_code")).toInt(),
                 1000);
    }
}

QTEST_GUILESS_MAIN(tst_ProtocolTimeouts)
#include "tst_protocol_timeouts.moc"
