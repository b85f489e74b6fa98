// SPDX-License-Identifier: GPL-3.0-or-later
// ProtocolTimeoutDiagnoser (through DisconnectDiagnoser, as `diagnose` runs it) on sessions built message by message:
// each case is the end an application protocol's own timer makes, with the messages its library sends (payloads as
// socket.io 4.8, graphql-ws 6.4, aedes 1.2, @stomp/stompjs 7.5, @microsoft/signalr, phoenix and @rails/actioncable
// put them on the wire; see tests/data/appprotocol), and a near miss that must not be read as one.
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/ProtocolHeartbeats.h"

#include <QJsonObject>
#include <QTest>

using namespace wsi;

namespace {

constexpr qint64 openedMs = 40;

struct Message {
    qint64 atMs; // after the upgrade
    Endpoint sender;
    QByteArray payload;
    bool binary = false;
    SessionEvidence::FrameKind kind = SessionEvidence::FrameKind::Data; // a Ping or Pong is no message
};

Message control(qint64 atMs, Endpoint sender, SessionEvidence::FrameKind kind)
{
    return {atMs, sender, {}, false, kind};
}

Message server(qint64 atMs, const char *text)
{
    return {atMs, Endpoint::Server, QByteArray(text)};
}

Message client(qint64 atMs, const char *text)
{
    return {atMs, Endpoint::Client, QByteArray(text)};
}

Message clientBytes(qint64 atMs, const char *hex)
{
    return {atMs, Endpoint::Client, QByteArray::fromHex(hex), true};
}

Message serverBytes(qint64 atMs, const char *hex)
{
    return {atMs, Endpoint::Server, QByteArray::fromHex(hex), true};
}

// A STOMP frame ends with a NUL, which a C string cannot hold.
Message stomp(qint64 atMs, Endpoint sender, const char *text)
{
    return {atMs, sender, QByteArray(text) + '\0'};
}

CloseRecord closeBy(CloseRecord::Initiator initiator, qint64 atMs, quint16 code, const QString &reason = {})
{
    CloseRecord close;
    close.initiator = initiator;
    close.code = code;
    close.reason = reason;
    close.clean = initiator != CloseRecord::Initiator::Transport;
    close.closeSent = close.clean;
    close.closeReceived = close.clean;
    close.atNs = (openedMs + atMs) * 1000000;
    return close;
}

ConnectionFacts facts(const char *url, const char *subprotocol = "")
{
    ConnectionFacts f;
    f.url = QUrl(QString::fromLatin1(url));
    f.subprotocol = QString::fromLatin1(subprotocol);
    if (!f.subprotocol.isEmpty())
        f.offeredSubprotocols = {f.subprotocol};
    return f;
}

SessionEvidence session(const ConnectionFacts &f, const QList<Message> &messages, const CloseRecord &close)
{
    SessionEvidence e;
    e.source = QStringLiteral("test");
    e.accepted = true;
    e.status = 101;
    e.openedMs = openedMs;
    QList<ProtocolEvidence::TimedMessage> timed;
    for (const Message &m : messages) {
        const qint64 at = openedMs + m.atMs;
        e.addFrame(at, m.sender == Endpoint::Client ? Direction::Outgoing : Direction::Incoming, m.kind);
        if (m.kind == SessionEvidence::FrameKind::Data)
            timed.append({at, AppMessage{m.sender, m.binary, m.payload}});
    }
    // The Close frames of a clean end cross too.
    if (close.initiator != CloseRecord::Initiator::Transport)
        e.addFrame(close.atNs / 1000000,
                   close.initiator == CloseRecord::Initiator::Client ? Direction::Outgoing : Direction::Incoming,
                   SessionEvidence::FrameKind::Close);
    e.protocol = ProtocolEvidence::fromMessages(f, timed);
    e.finish(close, close.atNs / 1000000);
    return e;
}

const char *const engineIoOpen =
    R"(0{"sid":"IXBx92-panz1_hqPAAAA","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";
const char *const socketIoUrl = "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket";

} // namespace

class TestProtocolTimeoutDiagnoser : public QObject
{
    Q_OBJECT

private slots:
    void socketIoPingTimeoutOfAClientThatNeverAnswers()
    {
        // The issue's session: a plain client, the open packet, a lone "2" at 25 s, the server's Close at 45 s.
        const SessionEvidence e = session(facts(socketIoUrl), {server(5, engineIoOpen), server(25000, "2")},
                                          closeBy(CloseRecord::Initiator::Server, 45000, 1005));
        QCOMPARE(e.protocol.protocol, QStringLiteral("socket.io"));
        QCOMPARE(e.protocol.pingIntervalMs, 25000);
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QVERIFY2(d.summary.startsWith(QStringLiteral(
                     "The Socket.IO server closed 45.0 s after the upgrade with a Close frame without a status (1005): "
                     "its ping (\"2\") at 25.0 s got no pong (\"3\") within pingTimeout 20 s; your client does not "
                     "answer Engine.IO pings.")),
                 qPrintable(d.summary));
        QVERIFY(d.fix.contains(QStringLiteral("\"3\"")));
        const QJsonObject json = d.toJson();
        QCOMPARE(json.value(QStringLiteral("cause")).toString(), QStringLiteral("protocol_timeout"));
        QCOMPARE(json.value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
        const QJsonObject timeout = json.value(QStringLiteral("protocol_timeout")).toObject();
        QCOMPARE(timeout.value(QStringLiteral("knob")).toString(), QStringLiteral("pingTimeout"));
        QCOMPARE(timeout.value(QStringLiteral("value_s")).toDouble(), 20.0);
        QCOMPARE(timeout.value(QStringLiteral("default_s")).toDouble(), 20.0);
        QCOMPARE(timeout.value(QStringLiteral("enforced_by")).toString(), QStringLiteral("server"));
        QCOMPARE(timeout.value(QStringLiteral("value_from")).toString(), QStringLiteral("announced"));
    }

    void socketIoShortSettingsAreQuotedFromTheOpenPacket()
    {
        const char *open = R"(0{"sid":"a","upgrades":[],"pingInterval":400,"pingTimeout":300,"maxPayload":1000000})";
        const SessionEvidence e = session(facts(socketIoUrl), {server(3, open), server(403, "2")},
                                          closeBy(CloseRecord::Initiator::Server, 705, 1005));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QVERIFY2(d.summary.contains(QStringLiteral("its ping (\"2\") at 0.4 s got no pong (\"3\") within pingTimeout "
                                                   "300 ms")),
                 qPrintable(d.summary));
        QCOMPARE(d.protocolTimeout->valueMs, 300);
    }

    void socketIoServerCloseAfterAnsweredPingsIsTheServersDecision()
    {
        // Every ping answered, then the server closes at a time no timer explains: its own decision.
        const SessionEvidence e = session(facts(socketIoUrl),
                                          {server(5, engineIoOpen), client(10, "40"), server(25000, "2"),
                                           client(25001, "3"), server(50001, "2"), client(50002, "3")},
                                          closeBy(CloseRecord::Initiator::Server, 52000, 1005));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ServerClosed);
        QCOMPARE(d.protocol, QStringLiteral("socket.io"));
        QVERIFY(!d.protocolTimeout);
    }

    void engineIo3ServerWaitsForTheClientsPings()
    {
        // Engine.IO 3 (Socket.IO 2): the client pings; a client that never does is closed pingInterval + pingTimeout
        // after the open.
        const char *open = R"(0{"sid":"b","upgrades":[],"pingInterval":400,"pingTimeout":300})";
        const SessionEvidence e = session(facts("ws://127.0.0.1:3000/socket.io/?EIO=3&transport=websocket"),
                                          {server(3, open)}, closeBy(CloseRecord::Initiator::Server, 706, 1005));
        QCOMPARE(e.protocol.engineIoVersion, 3);
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("pingInterval + pingTimeout"));
        QCOMPARE(d.protocolTimeout->valueMs, 700);
        QVERIFY2(d.summary.contains(QStringLiteral("no ping (\"2\") came from the client")), qPrintable(d.summary));
        // The simulator's server then waits pingInterval + pingTimeout for a ping.
        const std::optional<ProtocolHeartbeats> heartbeats =
            ProtocolHeartbeats::fromEvidence(e, HeartbeatPresets::builtIn());
        QVERIFY(heartbeats && heartbeats->server && !heartbeats->client);
        QCOMPARE(heartbeats->server->receiveTimeoutMs, 700);
    }

    void socketIoPingTimeoutRestartedByAClientPacket()
    {
        // engine.io restarts its ping timeout once when another client packet arrives while it waits for the pong.
        const SessionEvidence e = session(facts(socketIoUrl),
                                          {server(3, engineIoOpen), client(5, "40"), server(8, "40{\"sid\":\"x\"}"),
                                           server(25000, "2"), client(30000, "42[\"hello\"]")},
                                          closeBy(CloseRecord::Initiator::Server, 50001, 1005));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QVERIFY2(d.summary.contains(QStringLiteral("The client's packet at 30.0 s restarted that timeout once")),
                 qPrintable(d.summary));
    }

    void graphqlConnectionInitTimeout()
    {
        const SessionEvidence e = session(
            facts("ws://127.0.0.1:4000/graphql", "graphql-transport-ws"), {},
            closeBy(CloseRecord::Initiator::Server, 3002, 4408, QStringLiteral("Connection initialisation timeout")));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("connectionInitWaitTimeout"));
        QCOMPARE(d.protocolTimeout->defaultMs, 3000);
        QVERIFY2(d.summary.contains(QStringLiteral("no connection_init arrived within its connectionInitWaitTimeout")),
                 qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QStringLiteral("the client never sent connection_init")), qPrintable(d.summary));
        QVERIFY2(d.fix.contains(QStringLiteral("{\"type\":\"connection_init\"")), qPrintable(d.fix));
    }

    void graphqlOtherClosesStayTheServers()
    {
        const SessionEvidence e =
            session(facts("ws://127.0.0.1:4000/graphql", "graphql-transport-ws"),
                    {client(2, R"({"type":"connection_init"})"), server(4, R"({"type":"connection_ack"})")},
                    closeBy(CloseRecord::Initiator::Server, 9000, 4400, QStringLiteral("Invalid message")));
        QCOMPARE(DisconnectDiagnoser::diagnose(e).cause, DisconnectDiagnosis::Cause::ServerClosed);
    }

    void mqttBrokerCutsAtOneAndAHalfKeepAlive()
    {
        // CONNECT with Keep Alive 1 s (as `connect --send-hex` sends it), CONNACK, then silence; aedes ends the
        // stream 1.5 s after the CONNECT.
        const SessionEvidence e = session(facts("ws://127.0.0.1:1883/", "mqtt"),
                                          {clientBytes(3, "100c00044d5154540402000100 00"), serverBytes(5, "20020000")},
                                          closeBy(CloseRecord::Initiator::Transport, 1505, 1006));
        QCOMPARE(e.protocol.keepAliveMs, 1000);
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->protocol, QStringLiteral("mqtt"));
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("Keep Alive x 1.5"));
        QCOMPARE(d.protocolTimeout->valueMs, 1500);
        QVERIFY2(d.summary.contains(QStringLiteral("the client sent no PINGREQ")), qPrintable(d.summary));
        QVERIFY2(d.fix.contains(QStringLiteral("PINGREQ (C0 00)")), qPrintable(d.fix));
    }

    void mqttCutFarFromTheKeepAliveIsNotIt()
    {
        const SessionEvidence e = session(facts("ws://127.0.0.1:1883/", "mqtt"),
                                          {clientBytes(3, "100c00044d515454040200 3c0000"), serverBytes(5, "20020000")},
                                          closeBy(CloseRecord::Initiator::Transport, 1505, 1006));
        QCOMPARE(e.protocol.keepAliveMs, 60000);
        QVERIFY(DisconnectDiagnoser::diagnose(e).cause != DisconnectDiagnosis::Cause::ProtocolTimeout);
    }

    void stompBrokerGivesUpOnASilentClient()
    {
        const SessionEvidence e =
            session(facts("ws://127.0.0.1:15674/ws", "v12.stomp"),
                    {stomp(2, Endpoint::Client, "CONNECT\naccept-version:1.2\nhost:/\nheart-beat:1000,1000\n\n"),
                     stomp(5, Endpoint::Server, "CONNECTED\nversion:1.2\nheart-beat:1000,1000\n\n"), server(1005, "\n"),
                     server(2005, "\n")},
                    closeBy(CloseRecord::Initiator::Server, 2600, 1000, QStringLiteral("STOMP died")));
        QCOMPARE(e.protocol.stompClientPeriodMs(), 1000);
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("heart-beat (client to server)"));
        QVERIFY2(d.summary.contains(QStringLiteral("CONNECT heart-beat:1000,1000, CONNECTED heart-beat:1000,1000")),
                 qPrintable(d.summary));
    }

    void signalRClientServerTimeout()
    {
        const SessionEvidence e = session(facts("ws://127.0.0.1:5000/hub?id=abc"),
                                          {client(2, "{\"protocol\":\"json\",\"version\":1}\x1e"), server(4, "{}\x1e")},
                                          closeBy(CloseRecord::Initiator::Client, 30010, 1000));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("serverTimeoutInMilliseconds"));
        QCOMPARE(d.protocolTimeout->enforcedBy, QStringLiteral("client"));
    }

    void anEndOfThisClientsOwnIsNeverAProtocolTimeout()
    {
        // The same silence as above, but this client closed because it was asked to (--duration): no SignalR
        // library gave up.
        CloseRecord close = closeBy(CloseRecord::Initiator::Client, 30010, 1000);
        close.ownEnd = OwnEnd{OwnEnd::Reason::DurationReached, QStringLiteral("30 s")};
        const SessionEvidence e =
            session(facts("ws://127.0.0.1:5000/hub?id=abc"),
                    {client(2, "{\"protocol\":\"json\",\"version\":1}\x1e"), server(4, "{}\x1e")}, close);
        QCOMPARE(DisconnectDiagnoser::diagnose(e).cause, DisconnectDiagnosis::Cause::ClientClosed);
    }

    void phoenixHeartbeatTimeout()
    {
        const SessionEvidence e =
            session(facts("ws://127.0.0.1:4000/socket/websocket?vsn=2.0.0"),
                    {client(30000, R"([null,"1","phoenix","heartbeat",{}])"),
                     server(30002, R"([null,"1","phoenix","phx_reply",{"status":"ok","response":{}}])"),
                     client(60000, R"([null,"2","phoenix","heartbeat",{}])")},
                    closeBy(CloseRecord::Initiator::Client, 90000, 1000, QStringLiteral("heartbeat timeout")));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("heartbeatIntervalMs"));
        QVERIFY2(d.summary.contains(QStringLiteral("its heartbeat at 60.0 s got no phx_reply")), qPrintable(d.summary));
    }

    void actionCableStaleClient()
    {
        QList<Message> messages{server(5, R"({"type":"welcome"})")};
        for (qint64 t = 3000; t <= 9000; t += 3000)
            messages.append(server(t, R"({"type":"ping","message":1765000000})"));
        const SessionEvidence e = session(facts("ws://127.0.0.1:3000/cable", "actioncable-v1-json"), messages,
                                          closeBy(CloseRecord::Initiator::Client, 16000, 1000));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("staleThreshold"));
    }

    void sockJsNoResponseFromHeartbeat()
    {
        const SessionEvidence e = session(facts("ws://127.0.0.1:9999/echo/000/abcd1234/websocket"),
                                          {server(2, "o"), server(35000, R"(c[3000,"No response from heartbeat"])")},
                                          closeBy(CloseRecord::Initiator::Server, 35002, 1000));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QVERIFY2(d.summary.contains(QStringLiteral("c[3000,\"No response from heartbeat\"]")), qPrintable(d.summary));
    }

    void sockJsPongWaitCountsFromTheFirstUnansweredPing()
    {
        // sockjs-node 0.3.24, heartbeat_delay 5 s: two pings answered, the third not, c[3000, ...] 10 s after it.
        using Kind = SessionEvidence::FrameKind;
        const SessionEvidence e = session(
            facts("ws://127.0.0.1:9999/echo/000/abcd1234/websocket"),
            {server(2, "o"), control(5000, Endpoint::Server, Kind::Ping), control(5001, Endpoint::Client, Kind::Pong),
             control(10000, Endpoint::Server, Kind::Ping), control(10001, Endpoint::Client, Kind::Pong),
             control(15000, Endpoint::Server, Kind::Ping), control(20000, Endpoint::Server, Kind::Ping),
             server(25005, R"(c[3000,"No response from heartbeat"])")},
            closeBy(CloseRecord::Initiator::Server, 25030, 1000, QStringLiteral("Normal closure")));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ProtocolTimeout);
        QCOMPARE(d.protocolTimeout->knob, QStringLiteral("pong wait"));
        QCOMPARE(d.protocolTimeout->valueMs, std::optional<qint64>(10000));
        QVERIFY2(d.summary.contains(QStringLiteral("then with Close 1000 \"Normal closure\": its WebSocket ping at "
                                                   "15.0 s got no pong within the 10 s it waits; your client "
                                                   "answered 2 of its 4 pings, then stopped")),
                 qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QStringLiteral("5.0 s here from its first ping")), qPrintable(d.summary));

        // The simulator takes heartbeat_delay from the first ping; the client's two pongs are replayed from the
        // recording, and past them it answers no more.
        const auto heartbeats = ProtocolHeartbeats::fromEvidence(e, HeartbeatPresets::builtIn());
        QVERIFY(heartbeats && heartbeats->server && heartbeats->client);
        QCOMPARE(heartbeats->server->intervalMs, qint64(5000));
        QCOMPARE(heartbeats->server->timeoutMs, std::optional<qint64>(10000));
        QVERIFY(!heartbeats->client->answersPings);
    }

    void noProtocolLeavesTheDiagnosisAlone()
    {
        const SessionEvidence e = session(facts("ws://127.0.0.1:8080/"), {client(5, "hello"), server(6, "hello")},
                                          closeBy(CloseRecord::Initiator::Server, 45000, 1005));
        const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(e);
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::ServerClosed);
        QVERIFY(d.toJson().value(QStringLiteral("protocol")).isNull());
        QVERIFY(d.toJson().value(QStringLiteral("protocol_timeout")).isNull());
    }

    void recordedProtocolBecomesTheSimulatorsHeartbeats()
    {
        const char *open = R"(0{"sid":"a","upgrades":[],"pingInterval":400,"pingTimeout":300,"maxPayload":1000000})";
        const SessionEvidence silent = session(facts(socketIoUrl), {server(3, open), server(403, "2")},
                                               closeBy(CloseRecord::Initiator::Server, 705, 1005));
        const std::optional<ProtocolHeartbeats> fromSilent =
            ProtocolHeartbeats::fromEvidence(silent, HeartbeatPresets::builtIn());
        QVERIFY(fromSilent);
        QCOMPARE(fromSilent->server->intervalMs, 400);
        QCOMPARE(fromSilent->server->timeoutMs, 300);
        QCOMPARE(fromSilent->server->timeoutKnob, QStringLiteral("pingTimeout"));
        QVERIFY(!fromSilent->client); // it never answered: not taken to speak Engine.IO
        const SessionEvidence answering =
            session(facts(socketIoUrl), {server(3, open), client(5, "40"), server(403, "2"), client(404, "3")},
                    closeBy(CloseRecord::Initiator::Client, 600, 1000));
        const std::optional<ProtocolHeartbeats> fromAnswering =
            ProtocolHeartbeats::fromEvidence(answering, HeartbeatPresets::builtIn());
        QVERIFY(fromAnswering && fromAnswering->client);
        QCOMPARE(fromAnswering->client->protocol, QStringLiteral("socket.io"));
        QVERIFY(!fromAnswering->client->sendsInit); // the replayed recording holds its opening message
    }
};

QTEST_GUILESS_MAIN(TestProtocolTimeoutDiagnoser)
#include "tst_protocoltimeoutdiagnoser.moc"
