// SPDX-License-Identifier: GPL-3.0-or-later
// STOMP against a real broker: RabbitMQ's Web-STOMP (Debian rabbitmq-server, a private node on 127.0.0.1:
// RealRabbitMq). @stomp/stompjs (npm, pinned) talks to it through `wsinspector-cli proxy --json`, whose message
// events carry the decoded STOMP frames both ways (and the broker ends its DISCONNECT with Close 1000 "STOMP died",
// no RECEIPT); and `connect --json`, sending a CONNECT and then nothing, shows
// what docs/app-protocols.md states of RabbitMQ's heart-beats: the values it answers with and how it ends a silent
// client; `connect --protocol stomp` beats and stays connected past the time RabbitMQ cuts a silent client.
#include "AppProtocolClient.h"
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "RealRabbitMq.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi::test;

class tst_AppProtocolStomp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void stompjsThroughTheProxyIsDecoded();
    void silentClientMeetsRabbitMqHeartBeats();
    void speakingStompOutlivesRabbitMqHeartBeats();

private:
    QTemporaryDir m_dir;
    RealRabbitMq m_broker;
};

void tst_AppProtocolStomp::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_broker.start(m_dir.path()), qPrintable(m_broker.errorString()));
}

void tst_AppProtocolStomp::cleanupTestCase()
{
    m_broker.stop();
}

void tst_AppProtocolStomp::stompjsThroughTheProxyIsDecoded()
{
    CaptureProcess proxy;
    QVERIFY2(proxy.start({QStringLiteral("--upstream"), m_broker.webStompUrl()}, QStringLiteral("proxy")),
             qPrintable(proxy.errorString()));
    QString error;
    const QJsonObject result =
        runAppProtocolClient({QStringLiteral("stomp"), QStringLiteral("ws://127.0.0.1:%1/ws").arg(proxy.port()),
                              QStringLiteral("1000"), QStringLiteral("2500")},
                             &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(result.value(QStringLiteral("server")).toString(), QStringLiteral("RabbitMQ/3.10.8"));
    QVERIFY(!proxy.waitForEvent("closed", [](const QJsonObject &) { return true; }).isEmpty());
    QVERIFY(proxy.stop());

    const QList<DecodedEvent> decoded = decodedEvents(proxy.eventsOf(1));
    QStringList seen; // for the failure messages
    for (const DecodedEvent &event : decoded)
        seen.append(event.sender + u' ' + event.decoded.value(QStringLiteral("kind")).toString());
    const QByteArray kinds = seen.join(QStringLiteral(", ")).toUtf8();
    for (const DecodedEvent &event : decoded) {
        QCOMPARE(event.decoded.value(QStringLiteral("protocol")).toString(), QStringLiteral("stomp"));
        QVERIFY2(!event.decoded.contains(QStringLiteral("violation")),
                 QJsonDocument(event.decoded).toJson().constData());
    }
    const QString client = QStringLiteral("client");
    const QString server = QStringLiteral("server");
    const QJsonObject connect = firstDecoded(decoded, client, QStringLiteral("CONNECT"));
    QCOMPARE(connect.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{1000, 1000}));
    QCOMPARE(connect.value(QStringLiteral("headers")).toObject().value(QStringLiteral("login")).toString(),
             QStringLiteral("guest"));
    const QJsonObject connected = firstDecoded(decoded, server, QStringLiteral("CONNECTED"));
    QCOMPARE(connected.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{1000, 1000}));
    QCOMPARE(connected.value(QStringLiteral("headers")).toObject().value(QStringLiteral("version")).toString(),
             QStringLiteral("1.2"));
    const QString queue = QStringLiteral("/queue/wsi-inspector");
    const QJsonObject subscribe = firstDecoded(decoded, client, QStringLiteral("SUBSCRIBE"));
    QCOMPARE(subscribe.value(QStringLiteral("headers")).toObject().value(QStringLiteral("destination")).toString(),
             queue);
    const QJsonObject send = firstDecoded(decoded, client, QStringLiteral("SEND"));
    QCOMPARE(send.value(QStringLiteral("headers")).toObject().value(QStringLiteral("destination")).toString(), queue);
    QCOMPARE(send.value(QStringLiteral("body")).toString(), QStringLiteral("hello from stompjs"));
    const QJsonObject message = firstDecoded(decoded, server, QStringLiteral("MESSAGE"));
    QCOMPARE(message.value(QStringLiteral("headers")).toObject().value(QStringLiteral("destination")).toString(),
             queue);
    QCOMPARE(message.value(QStringLiteral("body")).toString(), QStringLiteral("hello from stompjs"));
    // 2.5 s with beats every second both ways, then DISCONNECT asking for a receipt.
    QVERIFY2(!firstDecoded(decoded, client, QStringLiteral("heart-beat")).isEmpty(), kinds.constData());
    QVERIFY2(!firstDecoded(decoded, server, QStringLiteral("heart-beat")).isEmpty(), kinds.constData());
    const QJsonObject disconnect = firstDecoded(decoded, client, QStringLiteral("DISCONNECT"));
    QCOMPARE(disconnect.value(QStringLiteral("correlation")).toObject().value(QStringLiteral("role")).toString(),
             QStringLiteral("request"));
    // RabbitMQ 3.10 sends no RECEIPT for it: it closes at once, with the reason its heart-beat timeout gives too.
    QVERIFY2(firstDecoded(decoded, server, QStringLiteral("RECEIPT")).isEmpty(), kinds.constData());
    QJsonObject serverClose;
    for (const QJsonObject &event : proxy.eventsOf(1)) {
        if (event.value(QStringLiteral("event")).toString() == QLatin1StringView("frame") &&
            event.value(QStringLiteral("from")).toString() == server &&
            event.value(QStringLiteral("opcode")).toString() == QLatin1StringView("close"))
            serverClose = event;
    }
    QCOMPARE(serverClose.value(QStringLiteral("close_code")).toInt(), 1000);
    QCOMPARE(serverClose.value(QStringLiteral("close_reason")).toString(), QStringLiteral("STOMP died"));
}

void tst_AppProtocolStomp::silentClientMeetsRabbitMqHeartBeats()
{
    // The client says it sends every 300 ms and wants the server's every 2500 ms, then sends nothing at all.
    const QByteArray connectFrame =
        QByteArrayLiteral("CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\nheart-beat:300,2500\n\n") +
        '\0';
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), m_broker.webStompUrl(),
                QStringLiteral("--subprotocol"), QStringLiteral("v12.stomp"), QStringLiteral("--send-hex"),
                QString::fromLatin1(connectFrame.toHex()), QStringLiteral("--duration"), QStringLiteral("9")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<DecodedEvent> decoded = decodedEvents(events);
    QVERIFY2(!firstDecoded(decoded, QStringLiteral("client"), QStringLiteral("CONNECT")).isEmpty(),
             run.out.constData());
    // RabbitMQ answers as STOMP 1.2 reads the header (its sending period from the client's wish, its receiving one
    // from the client's offer), in whole seconds: 2500 -> 2000 down, 300 -> 1000 up.
    const QJsonObject connected = firstDecoded(decoded, QStringLiteral("server"), QStringLiteral("CONNECTED"));
    QCOMPARE(connected.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{2000, 1000}));

    double connectedAt = -1;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("message"))) {
        if (event.value(QStringLiteral("payload")).toString().startsWith(QStringLiteral("CONNECTED"))) {
            connectedAt = event.value(QStringLiteral("t")).toDouble();
            break;
        }
    }
    // With no beat from the client it closes, 1000 "STOMP died", some receive periods (1 s) later: not before two
    // of them, and well before our --duration.
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    const QJsonObject close = closes.constLast();
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1000);
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("STOMP died"));
    const double silentFor = close.value(QStringLiteral("t")).toDouble() - connectedAt;
    qInfo("RabbitMQ closed the silent client %.3f s after CONNECTED", silentFor);
    QVERIFY2(connectedAt >= 0 && silentFor >= 2.0 && silentFor < 8.0, qPrintable(QString::number(silentFor)));
}

void tst_AppProtocolStomp::speakingStompOutlivesRabbitMqHeartBeats()
{
    // A 1 s heart-beat each way: RabbitMQ closes a client that stays silent about 3 s after CONNECTED (above). Spoken
    // by the session, the beats go out every second, the broker's come in, and after 4.5 s the session is still the
    // one to close; the message it sent to its own subscription comes back.
    const QString queue = QStringLiteral("/queue/wsi-speak");
    const CliRun run = runCli({QStringLiteral("connect"),
                               QStringLiteral("--json"),
                               m_broker.webStompUrl(),
                               QStringLiteral("--protocol"),
                               QStringLiteral("stomp"),
                               QStringLiteral("--stomp-host"),
                               QStringLiteral("/"),
                               QStringLiteral("--stomp-login"),
                               QStringLiteral("guest"),
                               QStringLiteral("--stomp-passcode"),
                               QStringLiteral("guest"),
                               QStringLiteral("--stomp-heartbeat"),
                               QStringLiteral("1000,1000"),
                               QStringLiteral("--subscribe"),
                               queue,
                               QStringLiteral("--stomp-send"),
                               queue,
                               QStringLiteral("spoken to RabbitMQ"),
                               QStringLiteral("--duration"),
                               QStringLiteral("4.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    int ourBeats = 0;
    int brokerBeats = 0;
    bool messageBack = false;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("message"))) {
        const bool out = event.value(QStringLiteral("dir")).toString() == QLatin1StringView("out");
        const QString payload = event.value(QStringLiteral("payload")).toString();
        if (payload == QLatin1StringView("\n"))
            (out ? ourBeats : brokerBeats)++;
        for (const QJsonValue &decoded : event.value(QStringLiteral("decoded")).toArray()) {
            const QJsonObject frame = decoded.toObject();
            if (!out && frame.value(QStringLiteral("kind")).toString() == QLatin1StringView("MESSAGE") &&
                frame.value(QStringLiteral("body")).toString() == QLatin1StringView("spoken to RabbitMQ"))
                messageBack = true;
        }
    }
    QVERIFY2(ourBeats >= 3, run.out.constData());
    QVERIFY2(brokerBeats >= 3, run.out.constData());
    QVERIFY2(messageBack, run.out.constData());
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("heartbeat"))) {
        if (event.value(QStringLiteral("source")).toString() == QLatin1StringView("protocol"))
            QVERIFY2(event.value(QStringLiteral("what")).toString() != QLatin1StringView("missed"),
                     QJsonDocument(event).toJson().constData());
    }
}

QTEST_GUILESS_MAIN(tst_AppProtocolStomp)
#include "tst_appprotocol_stomp.moc"
