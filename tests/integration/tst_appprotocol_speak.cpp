// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli connect --protocol` against real servers on 127.0.0.1, started here with short heartbeat settings:
// socket.io 4 (tests/integration/peers/socketio_peer.js), a graphql-transport-ws server (graphql_peer.js, npm
// graphql-ws), aedes over websocket-stream (mqtt_peer.js), sockjs 0.3.24 (sockjs_peer.js) and the WAMP router
// wamp.rt 0.2.0 with autobahn-js as a second client (wamp_peer.js). The session performs the handshake, answers or
// sends the protocol's heartbeats and stays connected through several heartbeat periods; with
// --no-protocol-heartbeat the server's own timeout ends it. STOMP here is checked against a scripted
// server (stomp_peer.js) that negotiates heart-beats as the specification says and reports the client's beats; its
// frames are compared with @stomp/stompjs's in tests/unit/tst_appprotocolmessages.
#include "CliProcess.h"
#include "PeerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace wsi;
using namespace wsi::test;

namespace {

// The messages of one direction, as their payload text.
QStringList payloads(const QList<QJsonObject> &events, const char *dir)
{
    QStringList out;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("message"))) {
        if (event.value(QStringLiteral("dir")).toString() != QLatin1String(dir))
            continue;
        const QString payload = event.value(QStringLiteral("payload")).toString();
        out.append(event.value(QStringLiteral("payload_encoding")).toString() == QLatin1String("base64")
                       ? QString::fromLatin1(QByteArray::fromBase64(payload.toLatin1()).toHex())
                       : payload);
    }
    return out;
}

// The application protocol's heartbeat events of one kind ("answered", "reply", "peer-beat", "missed").
QList<QJsonObject> protocolHeartbeats(const QList<QJsonObject> &events, const QString &what)
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("heartbeat"))) {
        if (event.value(QStringLiteral("source")).toString() == QLatin1String("protocol") &&
            event.value(QStringLiteral("what")).toString() == what)
            out.append(event);
    }
    return out;
}

// The WebSocket control frames of one opcode ("ping", "pong") and direction.
qsizetype controlFrames(const QList<QJsonObject> &events, const char *opcode, const char *dir)
{
    qsizetype count = 0;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("frame"))) {
        if (event.value(QStringLiteral("opcode")).toString() == QLatin1String(opcode) &&
            event.value(QStringLiteral("dir")).toString() == QLatin1String(dir))
            ++count;
    }
    return count;
}

// The "decoded" objects of the messages of one direction, in order (one per protocol message).
QList<QJsonObject> decodedMessages(const QList<QJsonObject> &events, const char *dir)
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : eventsNamed(events, QStringLiteral("message"))) {
        if (event.value(QStringLiteral("dir")).toString() != QLatin1String(dir))
            continue;
        for (const QJsonValue &decoded : event.value(QStringLiteral("decoded")).toArray())
            out.append(decoded.toObject());
    }
    return out;
}

QString compact(const QList<QJsonObject> &objects)
{
    QJsonArray array;
    for (const QJsonObject &object : objects)
        array.append(object);
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

double openTime(const QList<QJsonObject> &events)
{
    const QList<QJsonObject> handshakes = eventsNamed(events, QStringLiteral("handshake"));
    return handshakes.isEmpty() ? -1 : handshakes.first().value(QStringLiteral("t")).toDouble();
}

} // namespace

class tst_AppProtocolSpeak : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void socketIoAnswersEngineIoPings();
    void socketIoWithoutHeartbeatIsCut();
    void engineIo3ClientPings();
    void autoSpeaksWhatTheUrlShows();
    void graphqlTransportWs();
    void mqttKeepAlive();
    void mqttWithoutHeartbeatIsCut();
    void stompAgainstAScriptedServer();
    void stompWithoutHeartbeat();
    void stompServerThatStopsBeating();
    void sockJsFramedEndpoint();
    void sockJsCloseFrame();
    void sockJsRawEndpoint();
    void wampAgainstARealRouter();

private:
    bool startPeer(const QString &script, const QStringList &arguments = {});
    QByteArray serverOutput(QByteArrayView until);

    PeerProcess m_server;
    quint16 m_port = 0;
};

bool tst_AppProtocolSpeak::startPeer(const QString &script, const QStringList &arguments)
{
    if (!m_server.startNodeScript(script, arguments,
                                  {QStringLiteral("socket.io"), QStringLiteral("graphql-ws"), QStringLiteral("aedes"),
                                   QStringLiteral("websocket-stream"), QStringLiteral("sockjs"),
                                   QStringLiteral("wamp.rt"), QStringLiteral("autobahn")})) {
        qWarning("%s", qPrintable(m_server.errorString()));
        return false;
    }
    m_port = m_server.port();
    return true;
}

QByteArray tst_AppProtocolSpeak::serverOutput(QByteArrayView until)
{
    // The scripts print what the real server saw; it may take a moment to arrive after the client ended.
    [[maybe_unused]] const bool arrived = QTest::qWaitFor([&] { return m_server.output().contains(until); }, 2000);
    return m_server.output();
}

void tst_AppProtocolSpeak::cleanup()
{
    m_server.stop();
}

void tst_AppProtocolSpeak::socketIoAnswersEngineIoPings()
{
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port);
    // 1.6 s is five server heartbeat periods; unanswered, the server would close after 0.5 s.
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("socketio"), QStringLiteral("--emit"), QStringLiteral("hello"),
                               QStringLiteral("--arg"), QStringLiteral("\"inspector\""), QStringLiteral("--ack"),
                               QStringLiteral("--duration"), QStringLiteral("1.6")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    const QStringList in = payloads(events, "in");
    QVERIFY2(!out.isEmpty() && out.first() == QLatin1String("40"), qPrintable(out.join(u' ')));
    QVERIFY2(out.contains(QStringLiteral("420[\"hello\",\"inspector\"]")), qPrintable(out.join(u' ')));
    QVERIFY2(in.contains(QStringLiteral("430[\"hi inspector\"]")), qPrintable(in.join(u' ')));
    QVERIFY2(out.count(QStringLiteral("3")) >= 3, qPrintable(out.join(u' ')));
    QVERIFY2(in.count(QStringLiteral("2")) >= 3, qPrintable(in.join(u' ')));

    // Each pong is recorded as the answer to the server's ping, the pings with the interval between them.
    const QList<QJsonObject> answered = protocolHeartbeats(events, QStringLiteral("answered"));
    QVERIFY2(answered.size() >= 3, run.out.constData());
    for (const QJsonObject &event : answered) {
        QCOMPARE(event.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
        QVERIFY(event.value(QStringLiteral("rtt_ms")).toDouble() >= 0);
        QCOMPARE(event.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    }
    const QList<QJsonObject> pings = protocolHeartbeats(events, QStringLiteral("peer-beat"));
    QVERIFY(pings.size() >= 3);
    QVERIFY2(pings.last().value(QStringLiteral("interval_ms")).toDouble() > 250,
             QJsonDocument(pings.last()).toJson(QJsonDocument::Compact).constData());
    QVERIFY(protocolHeartbeats(events, QStringLiteral("missed")).isEmpty());

    // We ended it, cleanly, at --duration.
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY(!closes.isEmpty());
    QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
}

void tst_AppProtocolSpeak::socketIoWithoutHeartbeatIsCut()
{
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port);
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("socketio"), QStringLiteral("--no-protocol-heartbeat"),
                               QStringLiteral("--duration"), QStringLiteral("4")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    QVERIFY2(out == QStringList{QStringLiteral("40")}, qPrintable(out.join(u' ')));
    QVERIFY(!protocolHeartbeats(events, QStringLiteral("peer-beat")).isEmpty());
    QVERIFY(protocolHeartbeats(events, QStringLiteral("answered")).isEmpty());
    // The server closes pingTimeout after its first unanswered ping (pingInterval after the open): 0.5 s.
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    QCOMPARE(closes.last().value(QStringLiteral("code")).toInt(), 1005);
    const double after = closes.last().value(QStringLiteral("t")).toDouble() - openTime(events);
    QVERIFY2(after >= 0.45 && after < 3.0, qPrintable(QString::number(after)));
}

void tst_AppProtocolSpeak::engineIo3ClientPings()
{
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=3&transport=websocket").arg(m_port);
    // Engine.IO 3: the client pings every pingInterval (300 ms) and the server answers; it would close after 0.5 s
    // without a ping.
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("socketio"), QStringLiteral("--emit"), QStringLiteral("hello"),
                               QStringLiteral("--arg"), QStringLiteral("\"v2\""), QStringLiteral("--ack"),
                               QStringLiteral("--duration"), QStringLiteral("1.4")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    const QStringList in = payloads(events, "in");
    // The server connects the main namespace itself; the emit follows its "40".
    QVERIFY2(!out.contains(QStringLiteral("40")), qPrintable(out.join(u' ')));
    QVERIFY2(in.contains(QStringLiteral("430[\"hi v2\"]")), qPrintable(in.join(u' ')));
    QVERIFY2(out.count(QStringLiteral("2")) >= 3, qPrintable(out.join(u' ')));
    const QList<QJsonObject> replies = protocolHeartbeats(events, QStringLiteral("reply"));
    QVERIFY2(replies.size() >= 3, run.out.constData());
    for (const QJsonObject &reply : replies) {
        QVERIFY(reply.value(QStringLiteral("rtt_ms")).toDouble() >= 0);
        QCOMPARE(reply.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    }
    QCOMPARE(eventsNamed(events, QStringLiteral("close")).last().value(QStringLiteral("initiator")).toString(),
             QStringLiteral("client"));
}

void tst_AppProtocolSpeak::autoSpeaksWhatTheUrlShows()
{
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("--ping-interval"), QStringLiteral("300"),
                                                           QStringLiteral("--ping-timeout"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port);
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("auto"), QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    QVERIFY2(payloads(events, "out").value(0) == QLatin1String("40"), run.out.constData());
    const QList<QJsonObject> answered = protocolHeartbeats(events, QStringLiteral("answered"));
    QVERIFY2(answered.size() >= 2, run.out.constData());
    QCOMPARE(answered.first().value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
}

void tst_AppProtocolSpeak::graphqlTransportWs()
{
    QVERIFY(startPeer(QStringLiteral("graphql_peer.js"), {QStringLiteral("--init-wait"), QStringLiteral("1000")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/graphql").arg(m_port);
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("graphql-transport-ws"), QStringLiteral("--graphql-init"),
                               QStringLiteral("{\"token\":\"t\"}"), QStringLiteral("--graphql-subscribe"),
                               QStringLiteral("subscription { countdown(from: 2) }"), QStringLiteral("--duration"),
                               QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    const QStringList in = payloads(events, "in");
    QVERIFY2(out.value(0) == QLatin1String("{\"type\":\"connection_init\",\"payload\":{\"token\":\"t\"}}"),
             qPrintable(out.join(u' ')));
    QVERIFY2(in.value(0) == QLatin1String("{\"type\":\"connection_ack\"}"), qPrintable(in.join(u' ')));
    QVERIFY2(out.contains(QStringLiteral("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription "
                                         "{ countdown(from: 2) }\"}}")),
             qPrintable(out.join(u' ')));
    for (int n : {2, 1, 0})
        QVERIFY2(
            in.contains(
                QStringLiteral("{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"countdown\":%1}}}").arg(n)),
            qPrintable(in.join(u' ')));
    QVERIFY2(in.contains(QStringLiteral("{\"type\":\"ping\"}")), qPrintable(in.join(u' ')));
    QVERIFY2(out.contains(QStringLiteral("{\"type\":\"pong\"}")), qPrintable(out.join(u' ')));
    QCOMPARE(protocolHeartbeats(events, QStringLiteral("answered")).size(), 1);
    // The real server received the pong (its onPong hook ran).
    QVERIFY2(serverOutput("PONG").contains("PONG"), m_server.output().constData());
    // The negotiated subprotocol is the protocol's: --protocol offers it when no --subprotocol is given.
    const QJsonObject handshake = eventsNamed(events, QStringLiteral("handshake")).value(0);
    QVERIFY2(QJsonDocument(handshake).toJson().contains("graphql-transport-ws"), qPrintable(describe(run)));
}

void tst_AppProtocolSpeak::mqttKeepAlive()
{
    QVERIFY(startPeer(QStringLiteral("mqtt_peer.js")));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(m_port);
    // Keep Alive 1 s for 4.5 s: PINGREQ at about 1, 2, 3 and 4 s; aedes would drop a silent client after 1.5 s.
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("mqtt"), QStringLiteral("--mqtt-client-id"), QStringLiteral("wsi-test"),
                               QStringLiteral("--mqtt-keepalive"), QStringLiteral("1"), QStringLiteral("--subscribe"),
                               QStringLiteral("prices/#"), QStringLiteral("--publish"), QStringLiteral("prices/eur"),
                               QStringLiteral("1.08"), QStringLiteral("--duration"), QStringLiteral("4.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    const QStringList in = payloads(events, "in");
    // CONNECT, level 4, clean session, Keep Alive 1, client id "wsi-test"; CONNACK accepted.
    QVERIFY2(out.value(0) == QLatin1String("101400044d5154540402000100087773692d74657374"), qPrintable(out.join(u' ')));
    QVERIFY2(in.value(0) == QLatin1String("20020000"), qPrintable(in.join(u' ')));
    QVERIFY2(out.count(QStringLiteral("c000")) >= 3, qPrintable(out.join(u' ')));
    QVERIFY2(in.count(QStringLiteral("d000")) >= 3, qPrintable(in.join(u' ')));
    // Our own publish came back through our subscription.
    QVERIFY2(in.contains(QStringLiteral("3010000a7072696365732f657572312e3038")), qPrintable(in.join(u' ')));

    const QList<QJsonObject> replies = protocolHeartbeats(events, QStringLiteral("reply"));
    QVERIFY2(replies.size() >= 3, run.out.constData());
    for (const QJsonObject &reply : replies) {
        QCOMPARE(reply.value(QStringLiteral("protocol")).toString(), QStringLiteral("mqtt"));
        QVERIFY(reply.value(QStringLiteral("rtt_ms")).toDouble() >= 0);
    }
    QVERIFY(protocolHeartbeats(events, QStringLiteral("missed")).isEmpty());
    QCOMPARE(eventsNamed(events, QStringLiteral("close")).last().value(QStringLiteral("initiator")).toString(),
             QStringLiteral("client"));
    QVERIFY(serverOutput("CONNECTED wsi-test").contains("CONNECTED wsi-test"));
    QVERIFY(!m_server.output().contains("KEEPALIVE_TIMEOUT"));
}

void tst_AppProtocolSpeak::mqttWithoutHeartbeatIsCut()
{
    QVERIFY(startPeer(QStringLiteral("mqtt_peer.js")));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(m_port);
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                QStringLiteral("mqtt"), QStringLiteral("--mqtt-client-id"), QStringLiteral("silent"),
                QStringLiteral("--mqtt-keepalive"), QStringLiteral("1"), QStringLiteral("--no-protocol-heartbeat"),
                QStringLiteral("--duration"), QStringLiteral("5")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    QVERIFY(!payloads(events, "out").contains(QStringLiteral("c000")));
    // aedes: Keep Alive x 1500 + 1 ms after the CONNECT.
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    QVERIFY(closes.last().value(QStringLiteral("initiator")).toString() != QLatin1String("client"));
    const double after = closes.last().value(QStringLiteral("t")).toDouble() - openTime(events);
    QVERIFY2(after >= 1.45 && after < 4.0, qPrintable(QString::number(after)));
    QVERIFY2(serverOutput("KEEPALIVE_TIMEOUT silent").contains("KEEPALIVE_TIMEOUT silent"),
             m_server.output().constData());
}

void tst_AppProtocolSpeak::stompAgainstAScriptedServer()
{
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("--beat"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/stomp").arg(m_port);
    // CONNECT heart-beat:300,200 against CONNECTED 200,200: we beat every max(300, 200) = 300 ms, the server every
    // max(200, 200) = 200 ms.
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                QStringLiteral("stomp"), QStringLiteral("--stomp-login"), QStringLiteral("guest"),
                QStringLiteral("--stomp-passcode"), QStringLiteral("pw"), QStringLiteral("--stomp-heartbeat"),
                QStringLiteral("300,200"), QStringLiteral("--subscribe"), QStringLiteral("/topic/a"),
                QStringLiteral("--stomp-send"), QStringLiteral("/topic/a"), QStringLiteral("hello"),
                QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QStringList out = payloads(events, "out");
    const QStringList in = payloads(events, "in");
    QCOMPARE(out.value(0),
             QStringLiteral("CONNECT\naccept-version:1.2,1.1,1.0\nhost:127.0.0.1\nlogin:guest\npasscode:pw\n"
                            "heart-beat:300,200\n\n") +
                 QChar(0));
    QVERIFY2(out.value(1).startsWith(QLatin1String("SUBSCRIBE\nid:sub-1\ndestination:/topic/a\n")),
             qPrintable(out.join(u'|')));
    QVERIFY2(in.contains(QStringLiteral("MESSAGE\nsubscription:sub-1\nmessage-id:1\ndestination:/topic/a\n"
                                        "content-length:5\n\nhello") +
                         QChar(0)),
             qPrintable(in.join(u'|')));
    QVERIFY2(out.count(QStringLiteral("\n")) >= 3, qPrintable(out.join(u'|')));
    const QList<QJsonObject> beats = protocolHeartbeats(events, QStringLiteral("peer-beat"));
    QVERIFY2(beats.size() >= 4, run.out.constData());
    for (const QJsonObject &beat : beats)
        QCOMPARE(beat.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    QVERIFY(protocolHeartbeats(events, QStringLiteral("missed")).isEmpty());
    // The server saw our beats about 300 ms apart and never found us silent.
    const QByteArray server = serverOutput("BEAT");
    QVERIFY2(server.count("BEAT ") >= 3, server.constData());
    QVERIFY2(!server.contains("SILENT"), server.constData());
}

void tst_AppProtocolSpeak::stompWithoutHeartbeat()
{
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("--beat"), QStringLiteral("200")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/stomp").arg(m_port);
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                QStringLiteral("stomp"), QStringLiteral("--stomp-heartbeat"), QStringLiteral("300,200"),
                QStringLiteral("--no-protocol-heartbeat"), QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    QVERIFY(!payloads(jsonLines(run.out), "out").contains(QStringLiteral("\n")));
    // Promised every 300 ms, nothing came: the server notices after twice that.
    QVERIFY2(serverOutput("SILENT").contains("SILENT"), m_server.output().constData());
}

void tst_AppProtocolSpeak::stompServerThatStopsBeating()
{
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"),
                      {QStringLiteral("--beat"), QStringLiteral("200"), QStringLiteral("--mute")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/stomp").arg(m_port);
    // The server promises a beat every 200 ms and sends none: late 300 ms after its CONNECTED (the period plus half
    // the slack to 2 x 200 ms), dead at 400 ms; recorded, and the connection is left open.
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                               QStringLiteral("stomp"), QStringLiteral("--stomp-heartbeat"), QStringLiteral("300,200"),
                               QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> misses = protocolHeartbeats(events, QStringLiteral("missed"));
    QVERIFY2(misses.size() == 2, run.out.constData());
    QCOMPARE(misses[0].value(QStringLiteral("state")).toString(), QStringLiteral("late"));
    QCOMPARE(misses[1].value(QStringLiteral("state")).toString(), QStringLiteral("dead"));
    const double late = misses[0].value(QStringLiteral("t")).toDouble();
    const double dead = misses[1].value(QStringLiteral("t")).toDouble();
    QVERIFY2(dead - late > 0.05 && dead - late < 0.2, qPrintable(QStringLiteral("%1 %2").arg(late).arg(dead)));
    QVERIFY(protocolHeartbeats(events, QStringLiteral("peer-beat")).isEmpty());
    QCOMPARE(eventsNamed(events, QStringLiteral("close")).last().value(QStringLiteral("initiator")).toString(),
             QStringLiteral("client"));
}

void tst_AppProtocolSpeak::sockJsFramedEndpoint()
{
    // sockjs 0.3.24 pings at the WebSocket level every heartbeat_delay (here 300 ms) on its framed WebSocket
    // transport and sends no "h" there; with our pongs the session outlives five of its pings.
    QVERIFY(startPeer(QStringLiteral("sockjs_peer.js"), {QStringLiteral("--heartbeat-delay"), QStringLiteral("300")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/echo/123/abcdefgh/websocket").arg(m_port);
    for (const bool speak : {true, false}) {
        // Without --protocol the URL's shape is enough to decode it.
        QStringList arguments{QStringLiteral("connect"), QStringLiteral("--json"),      url,
                              QStringLiteral("--send"),  QStringLiteral("[\"hello\"]"), QStringLiteral("--duration"),
                              QStringLiteral("1.7")};
        if (speak)
            arguments << QStringLiteral("--protocol") << QStringLiteral("sockjs");
        const CliRun run = runCli(arguments);
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> events = jsonLines(run.out);
        const QList<QJsonObject> in = decodedMessages(events, "in");
        QVERIFY2(in.size() >= 3, qPrintable(compact(in)));
        QCOMPARE(in[0].value(QStringLiteral("protocol")).toString(), QStringLiteral("sockjs"));
        QCOMPARE(in[0].value(QStringLiteral("kind")).toString(), QStringLiteral("open"));
        QCOMPARE(in[1].value(QStringLiteral("kind")).toString(), QStringLiteral("array"));
        QCOMPARE(in[1].value(QStringLiteral("messages")).toArray(), QJsonArray{QStringLiteral("welcome")});
        QCOMPARE(in[2].value(QStringLiteral("messages")).toArray(), QJsonArray{QStringLiteral("hello")});
        const QList<QJsonObject> out = decodedMessages(events, "out");
        QVERIFY2(out.size() == 1 && out[0].value(QStringLiteral("kind")).toString() == QLatin1String("send"),
                 qPrintable(compact(out)));
        QVERIFY2(controlFrames(events, "ping", "in") >= 5, run.out.constData());
        QCOMPARE(controlFrames(events, "pong", "out"), controlFrames(events, "ping", "in"));
        for (const QJsonObject &message : in)
            QVERIFY2(message.value(QStringLiteral("kind")).toString() != QLatin1String("heartbeat"),
                     qPrintable(compact(in)));
        const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
        QVERIFY(!closes.isEmpty());
        QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    }
    QVERIFY2(serverOutput("DATA hello").count("OPEN websocket\n") == 2, m_server.output().constData());
}

void tst_AppProtocolSpeak::sockJsCloseFrame()
{
    QVERIFY(startPeer(QStringLiteral("sockjs_peer.js")));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/echo/7/closing/websocket").arg(m_port);
    // The server application closes the session: SockJS says so in a c frame, then closes the WebSocket.
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                QStringLiteral("sockjs"), QStringLiteral("--send"), QStringLiteral("[\"close 4001 bye\"]"),
                QStringLiteral("--duration"), QStringLiteral("3")});
    QVERIFY2(run.finished, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    const QList<QJsonObject> in = decodedMessages(events, "in");
    QVERIFY2(!in.isEmpty(), run.out.constData());
    const QJsonObject last = in.last();
    QCOMPARE(last.value(QStringLiteral("kind")).toString(), QStringLiteral("close"));
    QCOMPARE(last.value(QStringLiteral("code")).toInt(), 4001);
    QCOMPARE(last.value(QStringLiteral("reason")).toString(), QStringLiteral("bye"));
    const QList<QJsonObject> closes = eventsNamed(events, QStringLiteral("close"));
    QVERIFY2(!closes.isEmpty(), run.out.constData());
    QCOMPARE(closes.last().value(QStringLiteral("initiator")).toString(), QStringLiteral("server"));
    // sockjs-node's WebSocket Close after its c frame is a plain 1000 (lib/transport.js Session.close).
    QCOMPARE(closes.last().value(QStringLiteral("code")).toInt(), 1000);
}

void tst_AppProtocolSpeak::sockJsRawEndpoint()
{
    // sockjs's raw endpoint <prefix>/websocket: the application's messages without SockJS framing, no heartbeat.
    QVERIFY(startPeer(QStringLiteral("sockjs_peer.js"), {QStringLiteral("--heartbeat-delay"), QStringLiteral("300")}));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/echo/websocket").arg(m_port);
    const QStringList plain{QStringLiteral("connect"), QStringLiteral("--json"), url,
                            QStringLiteral("--send"),  QStringLiteral("hello"),  QStringLiteral("--duration"),
                            QStringLiteral("1")};
    const CliRun run = runCli(plain);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    QCOMPARE(payloads(events, "in"), (QStringList{QStringLiteral("welcome"), QStringLiteral("hello")}));
    // Not taken for SockJS, and no pings: the raw endpoint has no heartbeat.
    QVERIFY2(decodedMessages(events, "in").isEmpty(), run.out.constData());
    QCOMPARE(controlFrames(events, "ping", "in"), 0);

    // Told it is SockJS, the decoder says why the messages do not fit.
    const CliRun forced = runCli(plain + QStringList{QStringLiteral("--protocol"), QStringLiteral("sockjs")});
    QVERIFY2(forced.finished && forced.exitCode == 0, qPrintable(describe(forced)));
    const QList<QJsonObject> in = decodedMessages(jsonLines(forced.out), "in");
    QVERIFY2(!in.isEmpty(), forced.out.constData());
    const QJsonObject violation = in.first().value(QStringLiteral("violation")).toObject();
    QCOMPARE(violation.value(QStringLiteral("rule")).toString(), QStringLiteral("sockjs-frame-type"));
    QVERIFY2(violation.value(QStringLiteral("detail")).toString().contains(QStringLiteral("raw endpoint")),
             qPrintable(compact(in)));
    QVERIFY2(serverOutput("OPEN websocket-raw").contains("OPEN websocket-raw"), m_server.output().constData());
}

void tst_AppProtocolSpeak::wampAgainstARealRouter()
{
    QVERIFY(startPeer(QStringLiteral("wamp_peer.js")));
    QVERIFY2(serverOutput("READY").contains("READY"), m_server.output().constData());
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(m_port);
    // HELLO, then after WELCOME a SUBSCRIBE (request 1) and a CALL (request 2) of the procedure autobahn-js
    // registered; autobahn-js publishes to the topic once we subscribed.
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--protocol"),
                QStringLiteral("wamp"), QStringLiteral("--wamp-realm"), QStringLiteral("realm1"),
                QStringLiteral("--wamp-subscribe"), QStringLiteral("com.example.topic"), QStringLiteral("--wamp-call"),
                QStringLiteral("com.example.add"), QStringLiteral("--arg"), QStringLiteral("2"),
                QStringLiteral("--arg"), QStringLiteral("3"), QStringLiteral("--duration"), QStringLiteral("1.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> events = jsonLines(run.out);
    // wamp.rt takes only the subprotocol wamp.2.json, which --protocol wamp offers.
    QVERIFY2(QJsonDocument(eventsNamed(events, QStringLiteral("handshake")).value(0)).toJson().contains("wamp.2.json"),
             qPrintable(describe(run)));
    const QStringList sent = payloads(events, "out");
    QVERIFY2(sent.value(0).startsWith(QLatin1String("[1,\"realm1\",{\"roles\":{\"caller\":")),
             qPrintable(sent.join(u' ')));
    QCOMPARE(sent.value(1), QStringLiteral("[32,1,{},\"com.example.topic\"]"));
    QCOMPARE(sent.value(2), QStringLiteral("[48,2,{},\"com.example.add\",[2,3]]"));

    const QList<QJsonObject> in = decodedMessages(events, "in");
    QStringList kinds;
    for (const QJsonObject &message : in) {
        kinds.append(message.value(QStringLiteral("kind")).toString());
        QVERIFY2(!message.contains(QStringLiteral("violation")), qPrintable(compact(in)));
    }
    QVERIFY2(kinds.value(0) == QLatin1String("WELCOME"), qPrintable(compact(in)));
    for (const char *kind : {"SUBSCRIBED", "RESULT", "EVENT"})
        QVERIFY2(kinds.contains(QLatin1String(kind)), qPrintable(compact(in)));
    // Requests and replies pair by request id: SUBSCRIBE 1 with SUBSCRIBED 1, CALL 2 with RESULT 2.
    const QList<QJsonObject> out = decodedMessages(events, "out");
    for (const QJsonObject &message : in) {
        const QString kind = message.value(QStringLiteral("kind")).toString();
        if (kind != QLatin1String("SUBSCRIBED") && kind != QLatin1String("RESULT"))
            continue;
        const QJsonObject reply = message.value(QStringLiteral("correlation")).toObject();
        QCOMPARE(reply.value(QStringLiteral("role")).toString(), QStringLiteral("reply"));
        const QString request =
            kind == QLatin1String("SUBSCRIBED") ? QStringLiteral("SUBSCRIBE") : QStringLiteral("CALL");
        bool paired = false;
        for (const QJsonObject &ours : out) {
            const QJsonObject correlation = ours.value(QStringLiteral("correlation")).toObject();
            paired = paired || (ours.value(QStringLiteral("kind")).toString() == request &&
                                correlation.value(QStringLiteral("role")).toString() == QLatin1String("request") &&
                                correlation.value(QStringLiteral("key")) == reply.value(QStringLiteral("key")));
        }
        QVERIFY2(paired, qPrintable(compact(out) + u' ' + compact(in)));
        if (kind == QLatin1String("RESULT"))
            QCOMPARE(message.value(QStringLiteral("arguments")).toArray(), QJsonArray{5});
    }
    // The EVENT came from the other peer's publish, to the subscription the router gave us.
    const QByteArray server = serverOutput("PUBLISHED com.example.topic");
    QVERIFY2(server.contains("SUBSCRIBE com.example.topic"), server.constData());
    for (const QJsonObject &message : in) {
        if (message.value(QStringLiteral("kind")).toString() == QLatin1String("EVENT"))
            QCOMPARE(message.value(QStringLiteral("arguments")).toArray(),
                     QJsonArray{QStringLiteral("hello from autobahn")});
    }
}

QTEST_GUILESS_MAIN(tst_AppProtocolSpeak)
#include "tst_appprotocol_speak.moc"
