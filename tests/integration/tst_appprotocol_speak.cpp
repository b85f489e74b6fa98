// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli connect --protocol` against real servers on 127.0.0.1, started here with short heartbeat settings:
// socket.io 4 (tests/integration/peers/socketio_peer.js), a graphql-transport-ws server (graphql_peer.js, npm
// graphql-ws) and aedes over websocket-stream (mqtt_peer.js). The session performs the handshake, answers or sends
// the protocol's heartbeats and stays connected through several heartbeat periods; with --no-protocol-heartbeat
// the server's own timeout ends it. No STOMP broker runs in this environment: STOMP is checked against a scripted
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
                                   QStringLiteral("websocket-stream")})) {
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
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("300"), QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("300"), QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("300"), QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("socketio_peer.js"), {QStringLiteral("300"), QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("graphql_peer.js"), {QStringLiteral("1000")}));
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
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("200")}));
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
    QVERIFY(startPeer(QStringLiteral("stomp_peer.js"), {QStringLiteral("200"), QStringLiteral("mute")}));
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

QTEST_GUILESS_MAIN(tst_AppProtocolSpeak)
#include "tst_appprotocol_speak.moc"
