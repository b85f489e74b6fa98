// SPDX-License-Identifier: GPL-3.0-or-later
// The keepalive simulator against the facts of reference/intermediaries.md and heartbeats.md: who cuts first,
// when (to the millisecond), with which action, and what each end sees.
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/KeepaliveSimulator.h"
#include "core/keepalive/OutcomeExplainer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace wsi;

namespace {

// A scenario from command-line-like pieces; fails the test on a bad piece.
class Scenario
{
public:
    explicit Scenario(std::initializer_list<const char *> chain)
    {
        const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
        m_scenario.tcp = catalog.tcp();
        for (const char *text : chain) {
            QString error;
            auto link = ChainLink::parse(QString::fromLatin1(text), catalog, &error);
            if (!link)
                qFatal("bad chain link %s: %s", text, qPrintable(error));
            m_scenario.chain.append(*link);
        }
    }
    Scenario &heartbeat(Endpoint side, const char *spec)
    {
        QString error;
        auto parsed = HeartbeatSpec::parse(QString::fromLatin1(spec), side, HeartbeatPresets::builtIn(), &error);
        if (!parsed)
            qFatal("bad heartbeat %s: %s", spec, qPrintable(error));
        end(side).heartbeat = *parsed;
        end(side).answersPings = parsed->answersPings;
        return *this;
    }
    Scenario &traffic(Endpoint side, qint64 everyMs)
    {
        end(side).trafficEveryMs = everyMs;
        return *this;
    }
    Scenario &keepalive(Endpoint side, qint64 idleMs, qint64 intervalMs = 75000, int probes = 9)
    {
        end(side).tcpKeepalive = TcpKeepaliveSettings{true, idleMs, intervalMs, probes};
        return *this;
    }
    Scenario &answersPings(Endpoint side, bool answers)
    {
        end(side).answersPings = answers;
        return *this;
    }
    Scenario &stopsReading(Endpoint side, qint64 atMs)
    {
        end(side).stopsReadingAtMs = atMs;
        return *this;
    }
    Scenario &recorded(Endpoint side, QList<qint64> times)
    {
        for (qint64 t : times)
            end(side).recorded.append({t, RecordedTraffic::Frame::Kind::Data});
        return *this;
    }
    Scenario &recordedUntil(qint64 ms)
    {
        m_scenario.recordedEndMs = ms;
        return *this;
    }
    Scenario &duration(qint64 ms)
    {
        m_scenario.durationMs = ms;
        return *this;
    }
    KeepaliveSimulator::Result run() const { return KeepaliveSimulator::run(m_scenario); }

private:
    EndpointBehaviour &end(Endpoint side) { return side == Endpoint::Client ? m_scenario.client : m_scenario.server; }
    SimulationScenario m_scenario;
};

constexpr Endpoint client = Endpoint::Client;
constexpr Endpoint server = Endpoint::Server;

} // namespace

class tst_KeepaliveSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nginxSilenceIsCutAt60s();
    void nginxPrecisionKeepsDeadlinesWithin300ms();
    void nginxHeartbeats_data();
    void nginxHeartbeats();
    void nginxOneWayTrafficEitherDirectionKeepsItAlive();
    void nginxStallTimers();
    void haproxyTunnelAndIndependentStreams();
    void natWithAndWithoutTcpKeepalive();
    void keepaliveProbesStopAtTheFirstL7Proxy();
    void lifetimeCutsDespiteHeartbeats();
    void apiGatewayIgnoresProtocolPings();
    void silentDropLeavesTheConnectionHalfOpen();
    void rstOnNextPacketAndTcpReset();
    void firstTimerOfTheChainWins();
    void unansweredPingsEndTheConnection();
    void presetsAgainstProxies();
    void protocolTimeoutsAtTheEndThatEnforcesThem();
    void explanationNamesTheKnobAndTheFix();
    void replayedSessionQuotesItsOwnLongestSilence();
    void anHourRunsFast();
};

void tst_KeepaliveSimulator::nginxSilenceIsCutAt60s()
{
    const auto result = Scenario({"nginx"}).run();
    const SimulationOutcome &o = result.outcome;
    QVERIFY(o.cut);
    QCOMPARE(o.atMs, qint64(60000));
    QCOMPARE(o.by, QStringLiteral("nginx"));
    QCOMPARE(o.timer, QStringLiteral("proxy_read_timeout"));
    QCOMPARE(o.action, ExpiryAction::Fin);
    QCOMPARE(o.client.state, EndpointView::State::Closed);
    QCOMPARE(o.client.atMs, std::optional<qint64>(60000));
    QCOMPARE(o.client.how, QStringLiteral("fin"));
    QCOMPARE(o.server.state, EndpointView::State::Closed);
    QCOMPARE(o.server.how, QStringLiteral("fin"));
    QCOMPARE(result.events.size(), 3); // the timer and both ends seeing it
}

void tst_KeepaliveSimulator::nginxPrecisionKeepsDeadlinesWithin300ms()
{
    // Deadline 60 s; frames at 0.1 and 0.2 s would move it by less than 300 ms: kept. Cut at last + T - 0.2 s.
    auto result = Scenario({"nginx"}).recorded(client, {100, 200}).run();
    QCOMPARE(result.outcome.atMs, qint64(60000));
    // A frame at 0.4 s moves it by 400 ms: re-armed to 60.4 s; one at 0.5 s is within 300 ms of that: kept.
    result = Scenario({"nginx"}).recorded(client, {100, 400, 500}).run();
    QCOMPARE(result.outcome.atMs, qint64(60400));
    // Without precision (HAProxy) the deadline always follows the last frame.
    result = Scenario({"haproxy:timeout_tunnel=60s"}).recorded(client, {100, 400, 500}).run();
    QCOMPARE(result.outcome.atMs, qint64(60500));
}

void tst_KeepaliveSimulator::nginxHeartbeats_data()
{
    QTest::addColumn<QString>("chain");
    QTest::addColumn<QString>("heartbeat");
    QTest::addColumn<qint64>("cutAt"); // -1: alive
    // heartbeats.md: behind the default 60 s, a 50 s heartbeat keeps the tunnel open; a 75 s one does not.
    QTest::newRow("ping 30 s") << QStringLiteral("nginx") << QStringLiteral("ping:30") << qint64(-1);
    QTest::newRow("ping 50 s") << QStringLiteral("nginx") << QStringLiteral("ping:50") << qint64(-1);
    QTest::newRow("ping 75 s") << QStringLiteral("nginx") << QStringLiteral("ping:75") << qint64(60000);
    QTest::newRow("ping 60 s is not enough") << QStringLiteral("nginx") << QStringLiteral("ping:60") << qint64(60000);
    QTest::newRow("ping 75 s, raised to 90 s")
        << QStringLiteral("nginx:proxy_read_timeout=90s") << QStringLiteral("ping:75") << qint64(-1);
    QTest::newRow("ping 75 s, raised, lowered")
        << QStringLiteral("nginx:proxy_read_timeout=20s") << QStringLiteral("ping:15") << qint64(-1);
    QTest::newRow("app 100 s vs 90 s") << QStringLiteral("nginx:proxy_read_timeout=90s") << QStringLiteral("app:100")
                                       << qint64(90000);
    QTest::newRow("unsolicited pong 45 s") << QStringLiteral("nginx") << QStringLiteral("pong:45") << qint64(-1);
}

void tst_KeepaliveSimulator::nginxHeartbeats()
{
    QFETCH(QString, chain);
    QFETCH(QString, heartbeat);
    QFETCH(qint64, cutAt);
    const QByteArray chainText = chain.toUtf8();
    const QByteArray heartbeatText = heartbeat.toUtf8();
    const auto result = Scenario({chainText.constData()}).heartbeat(client, heartbeatText.constData()).run();
    QCOMPARE(result.outcome.cut, cutAt >= 0);
    if (cutAt >= 0) {
        QCOMPARE(result.outcome.atMs, cutAt);
        QCOMPARE(result.outcome.timer, QStringLiteral("proxy_read_timeout"));
    } else {
        QCOMPARE(result.outcome.client.state, EndpointView::State::Open);
        QCOMPARE(result.outcome.server.state, EndpointView::State::Open);
    }
}

void tst_KeepaliveSimulator::nginxOneWayTrafficEitherDirectionKeepsItAlive()
{
    // intermediaries.md: proxy_read_timeout is re-armed by traffic in either direction, despite the docs' wording.
    QVERIFY(!Scenario({"nginx"}).traffic(client, 30000).run().outcome.cut);
    QVERIFY(!Scenario({"nginx"}).traffic(server, 30000).run().outcome.cut);
    // One-way traffic slower than the timer: cut 60 s after the last frame, whichever end sends.
    for (Endpoint side : {client, server}) {
        const auto result = Scenario({"nginx"}).recorded(side, {50000}).run();
        QCOMPARE(result.outcome.atMs, qint64(110000));
        QCOMPARE(result.outcome.timer, QStringLiteral("proxy_read_timeout"));
    }
    // proxy_send_timeout and send_timeout are stall timers: they never fire while both ends read.
    const auto result = Scenario({"nginx:proxy_read_timeout=1h"}).traffic(client, 1000).traffic(server, 1000).run();
    QVERIFY(!result.outcome.cut);
}

void tst_KeepaliveSimulator::nginxStallTimers()
{
    // The server stops reading at 10 s; the client's next write (at 12 s) blocks in nginx: proxy_send_timeout.
    auto result = Scenario({"nginx"}).traffic(client, 4000).stopsReading(server, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(72000));
    QCOMPARE(result.outcome.timer, QStringLiteral("proxy_send_timeout"));
    QCOMPARE(result.outcome.action, ExpiryAction::Fin);
    // The client stops reading: send_timeout; with reset_timedout_connection on, RST.
    result = Scenario({"nginx"}).traffic(server, 4000).stopsReading(client, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(72000));
    QCOMPARE(result.outcome.timer, QStringLiteral("send_timeout"));
    QCOMPARE(result.outcome.action, ExpiryAction::Fin);
    result = Scenario({"nginx:reset_timedout_connection=1"}).traffic(server, 4000).stopsReading(client, 10000).run();
    QCOMPARE(result.outcome.action, ExpiryAction::Rst);
    QCOMPARE(result.outcome.client.how, QStringLiteral("rst"));
    QCOMPARE(result.outcome.server.how, QStringLiteral("rst"));
    // HAProxy: a write timeout is an RST.
    result = Scenario({"haproxy:timeout_tunnel=30s"}).traffic(client, 4000).stopsReading(server, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(42000));
    QCOMPARE(result.outcome.action, ExpiryAction::Rst);
}

void tst_KeepaliveSimulator::haproxyTunnelAndIndependentStreams()
{
    // Nothing is set by default: nothing cuts.
    QVERIFY(!Scenario({"haproxy"}).run().outcome.cut);
    // timeout client / server are the idle timeouts when tunnel is unset; the shorter fires first.
    auto result = Scenario({"haproxy:timeout_client=20s,timeout_server=50s"}).run();
    QCOMPARE(result.outcome.atMs, qint64(20000));
    QCOMPARE(result.outcome.timer, QStringLiteral("timeout client"));
    QCOMPARE(result.outcome.action, ExpiryAction::Fin);
    // timeout tunnel supersedes them after the upgrade.
    result = Scenario({"haproxy:timeout_client=20s,timeout_server=50s,timeout_tunnel=40s"}).run();
    QCOMPARE(result.outcome.atMs, qint64(40000));
    QCOMPARE(result.outcome.timer, QStringLiteral("timeout tunnel"));
    // By default a send counts on both sides: one-way server push keeps the tunnel alive...
    QVERIFY(!Scenario({"haproxy:timeout_tunnel=30s"}).traffic(server, 10000).run().outcome.cut);
    QVERIFY(!Scenario({"haproxy:timeout_tunnel=30s"}).traffic(client, 10000).run().outcome.cut);
    // ...with independent-streams each side needs its own reads: one-way traffic is cut.
    result = Scenario({"haproxy:timeout_tunnel=30s,independent_streams=1"}).traffic(server, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(30000));
    QCOMPARE(result.outcome.timer, QStringLiteral("timeout tunnel"));
    QCOMPARE(result.outcome.timerCli, QStringLiteral("timeout_tunnel"));
    result =
        Scenario({"haproxy:timeout_client=1h,timeout_server=45s,independent_streams=1"}).traffic(client, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(45000));
    QCOMPARE(result.outcome.timer, QStringLiteral("timeout server"));
    // Client pings answered by pongs feed both sides; without pongs the server side starves.
    QVERIFY(
        !Scenario({"haproxy:timeout_tunnel=30s,independent_streams=1"}).heartbeat(client, "ping:10").run().outcome.cut);
    result = Scenario({"haproxy:timeout_tunnel=30s,independent_streams=1"})
                 .heartbeat(client, "ping:10")
                 .answersPings(server, false)
                 .run();
    QCOMPARE(result.outcome.atMs, qint64(30000));
}

void tst_KeepaliveSimulator::natWithAndWithoutTcpKeepalive()
{
    auto result = Scenario({"nat:idle_timeout=5m"}).run();
    QCOMPARE(result.outcome.atMs, qint64(300000));
    QCOMPARE(result.outcome.action, ExpiryAction::Drop);
    QCOMPARE(result.outcome.timer, QStringLiteral("mapping timeout"));
    // TCP keepalive probes count for L4 boxes.
    result = Scenario({"nat:idle_timeout=5m"}).keepalive(client, 60000).run();
    QVERIFY(!result.outcome.cut);
    QVERIFY(std::any_of(result.events.cbegin(), result.events.cend(), [](const SimulationEvent &e) {
        return e.type == SimulationEvent::Type::KeepaliveProbe && e.ok;
    }));
    // The Linux default (first probe after 2 h) cannot hold a 350 s box.
    result = Scenario({"aws-nlb"}).keepalive(client, 7200000).run();
    QCOMPARE(result.outcome.atMs, qint64(350000));
    result = Scenario({"azure-lb"}).keepalive(server, 200000).run();
    QVERIFY(!result.outcome.cut);
    // conntrack: 5 days.
    result = Scenario({"linux-conntrack"}).duration(6 * 86400000LL).run();
    QCOMPARE(result.outcome.atMs, qint64(432000000));
}

void tst_KeepaliveSimulator::keepaliveProbesStopAtTheFirstL7Proxy()
{
    // The server's probes end at HAProxy (which terminates TCP), so they never refresh the NAT on the client side.
    auto result = Scenario({"nat:idle_timeout=5m", "haproxy"}).keepalive(server, 60000).run();
    QCOMPARE(result.outcome.atMs, qint64(300000));
    QCOMPARE(result.outcome.by, QStringLiteral("nat"));
    result = Scenario({"nat:idle_timeout=5m", "haproxy"}).keepalive(client, 60000).run();
    QVERIFY(!result.outcome.cut);
    // And an L7 proxy never counts them.
    result = Scenario({"nginx"}).keepalive(client, 10000).keepalive(server, 10000).run();
    QCOMPARE(result.outcome.atMs, qint64(60000));
}

void tst_KeepaliveSimulator::lifetimeCutsDespiteHeartbeats()
{
    auto result = Scenario({"aws-apigw-websocket"}).heartbeat(client, "app:60").duration(3 * 3600000).run();
    QCOMPARE(result.outcome.atMs, qint64(7200000));
    QCOMPARE(result.outcome.timer, QStringLiteral("maximum connection duration"));
    QVERIFY(result.outcome.fix.contains(QLatin1StringView("A heartbeat cannot help against a maximum lifetime: "
                                                          "reconnect")));
    result = Scenario({"gcp-https-lb"}).heartbeat(client, "ping:5").run();
    QCOMPARE(result.outcome.atMs, qint64(30000));
    QCOMPARE(result.outcome.timer, QStringLiteral("timeoutSec"));
    result = Scenario({"azure-front-door"}).traffic(client, 1000).duration(5 * 3600000).run();
    QCOMPARE(result.outcome.atMs, qint64(14400000));
    // Within an hour the 2 h lifetime does not fire, and the explanation says it lies beyond.
    result = Scenario({"aws-apigw-websocket"}).heartbeat(client, "app:60").run();
    QVERIFY(!result.outcome.cut);
    QVERIFY(result.outcome.explanation.contains(QLatin1StringView("maximum connection duration")));
}

void tst_KeepaliveSimulator::apiGatewayIgnoresProtocolPings()
{
    const auto result = Scenario({"aws-apigw-websocket"}).heartbeat(client, "ping:60").run();
    QCOMPARE(result.outcome.atMs, qint64(600000));
    QCOMPARE(result.outcome.timer, QStringLiteral("idle timeout"));
    QVERIFY(result.outcome.fix.contains(QLatin1StringView("application message at most every 480 s")));
}

void tst_KeepaliveSimulator::silentDropLeavesTheConnectionHalfOpen()
{
    // The NAT forgets the flow at 300 s. The client sends at 600 s into the void and fails after the
    // retransmission timeout (924.6 s); the server only listens and never learns.
    auto result = Scenario({"nat:idle_timeout=5m"}).traffic(client, 600000).run();
    const SimulationOutcome &o = result.outcome;
    QCOMPARE(o.atMs, qint64(300000));
    QCOMPARE(o.action, ExpiryAction::Drop);
    QCOMPARE(o.client.state, EndpointView::State::Closed);
    QCOMPARE(o.client.atMs, std::optional<qint64>(600000 + 924600));
    QCOMPARE(o.client.how, QStringLiteral("retransmission_timeout"));
    QCOMPARE(o.client.halfOpenSinceMs, std::optional<qint64>(300000));
    QCOMPARE(o.server.state, EndpointView::State::HalfOpen);
    QVERIFY(!o.server.atMs);
    QVERIFY(o.assumptions.join(u' ').contains(QLatin1StringView("924.6 s")));

    // A listener with a ping and a pong timeout notices on its own: ping at 600 s, no pong by 610 s.
    result = Scenario({"azure-lb"}).heartbeat(client, "ping:600,timeout=10").run();
    QCOMPARE(result.outcome.atMs, qint64(240000));
    QCOMPARE(result.outcome.client.how, QStringLiteral("pong_timeout"));
    QCOMPARE(result.outcome.client.atMs, std::optional<qint64>(610000));
    QCOMPARE(result.outcome.server.state, EndpointView::State::HalfOpen);

    // TCP keepalive on a listener: idle + intvl x probes after the last activity.
    result =
        Scenario({"linux-conntrack:nf_conntrack_tcp_timeout_established=5m"}).keepalive(server, 600000, 75000, 9).run();
    QCOMPARE(result.outcome.atMs, qint64(300000));
    QCOMPARE(result.outcome.server.how, QStringLiteral("keepalive_probes"));
    QCOMPARE(result.outcome.server.atMs, std::optional<qint64>(600000 + 75000 * 9));
    QCOMPARE(result.outcome.client.state, EndpointView::State::HalfOpen);

    // An L7 proxy behind the dropped NAT still closes the server side when its own timer fires.
    result = Scenario({"nat:idle_timeout=30s", "nginx"}).run();
    QCOMPARE(result.outcome.by, QStringLiteral("nat"));
    QCOMPARE(result.outcome.server.how, QStringLiteral("fin"));
    QCOMPARE(result.outcome.server.atMs, std::optional<qint64>(60000));
    QCOMPARE(result.outcome.client.state, EndpointView::State::HalfOpen); // nginx's FIN dies in the NAT
}

void tst_KeepaliveSimulator::rstOnNextPacketAndTcpReset()
{
    // AWS NLB removes the flow at 350 s and answers the next packet with an RST (unverified in the reference).
    auto result = Scenario({"aws-nlb"}).traffic(client, 400000).run();
    QCOMPARE(result.outcome.atMs, qint64(350000));
    QCOMPARE(result.outcome.action, ExpiryAction::Drop);
    QCOMPARE(result.outcome.client.how, QStringLiteral("rst"));
    QCOMPARE(result.outcome.client.atMs, std::optional<qint64>(400000));
    QCOMPARE(result.outcome.server.state, EndpointView::State::HalfOpen);
    // Azure LB with TCP reset: RST both ways at once.
    result = Scenario({"azure-lb:EnableTcpReset=1"}).run();
    QCOMPARE(result.outcome.atMs, qint64(240000));
    QCOMPARE(result.outcome.action, ExpiryAction::Rst);
    QCOMPARE(result.outcome.client.how, QStringLiteral("rst"));
    QCOMPARE(result.outcome.server.how, QStringLiteral("rst"));
    QCOMPARE(result.outcome.client.atMs, std::optional<qint64>(240000));
}

void tst_KeepaliveSimulator::firstTimerOfTheChainWins()
{
    auto result = Scenario({"nat:idle_timeout=10m", "cloudflare", "nginx"}).run();
    QCOMPARE(result.outcome.by, QStringLiteral("nginx"));
    QCOMPARE(result.outcome.hop, 2);
    QCOMPARE(result.outcome.atMs, qint64(60000));
    result = Scenario({"nat:idle_timeout=10m", "cloudflare", "nginx:proxy_read_timeout=5m"}).run();
    QCOMPARE(result.outcome.by, QStringLiteral("cloudflare"));
    QCOMPARE(result.outcome.atMs, qint64(100000));
    result = Scenario({"heroku", "cloudflare", "nginx"}).run();
    QCOMPARE(result.outcome.by, QStringLiteral("heroku"));
    QCOMPARE(result.outcome.atMs, qint64(55000));
    // Pings every 80 s hold Cloudflare's 100 s but not nginx's 60 s.
    result = Scenario({"cloudflare", "nginx"}).heartbeat(server, "ping:80").run();
    QCOMPARE(result.outcome.by, QStringLiteral("nginx"));
    QCOMPARE(result.outcome.atMs, qint64(60000));
    // A 40 s heartbeat holds all three.
    QVERIFY(!Scenario({"nat:idle_timeout=10m", "cloudflare", "nginx"}).heartbeat(client, "ping:40").run().outcome.cut);
}

void tst_KeepaliveSimulator::unansweredPingsEndTheConnection()
{
    // Python websockets' client: ping every 20 s, gives up 20 s later when the server does not answer.
    const auto result = Scenario({}).heartbeat(client, "python-websockets").answersPings(server, false).run();
    QVERIFY(result.outcome.cut);
    QCOMPARE(result.outcome.by, QStringLiteral("client"));
    QCOMPARE(result.outcome.timer, QStringLiteral("pong_timeout"));
    QCOMPARE(result.outcome.atMs, qint64(40000));
    QCOMPARE(result.outcome.server.how, QStringLiteral("fin"));
    QVERIFY(result.outcome.fix.contains(QLatin1StringView("answer every ping")));
    // Answered, it stays up.
    QVERIFY(!Scenario({}).heartbeat(client, "python-websockets").run().outcome.cut);
}

void tst_KeepaliveSimulator::presetsAgainstProxies()
{
    // Socket.IO's 25 s application ping holds Heroku's 55 s window; a browser alone does not.
    QVERIFY(!Scenario({"heroku"}).heartbeat(server, "socketio").heartbeat(client, "socketio").run().outcome.cut);
    QCOMPARE(Scenario({"heroku"}).heartbeat(client, "browser").run().outcome.atMs, qint64(55000));
    // .NET's unsolicited pong every 2 min does not hold nginx's default.
    QCOMPARE(Scenario({"nginx"}).heartbeat(client, "dotnet").run().outcome.atMs, qint64(60000));
    // ActionCable's client goes stale after 6 s without a server ping (here the server sends none).
    const auto result = Scenario({}).heartbeat(client, "actioncable").run();
    QCOMPARE(result.outcome.by, QStringLiteral("client"));
    QCOMPARE(result.outcome.timer, QStringLiteral("staleThreshold"));
    QCOMPARE(result.outcome.timerCli, QStringLiteral("receive_timeout"));
    QCOMPARE(result.outcome.protocol, QStringLiteral("actioncable"));
    QCOMPARE(result.outcome.atMs, qint64(6000));
}

void tst_KeepaliveSimulator::protocolTimeoutsAtTheEndThatEnforcesThem()
{
    // A plain WebSocket client never answers Engine.IO's "2": the server closes pingInterval + pingTimeout in,
    // with a Close frame without a status.
    auto result = Scenario({}).heartbeat(server, "socketio").run();
    QVERIFY(result.outcome.cut);
    QCOMPARE(result.outcome.atMs, qint64(45000));
    QCOMPARE(result.outcome.by, QStringLiteral("server"));
    QCOMPARE(result.outcome.timer, QStringLiteral("pingTimeout"));
    QCOMPARE(result.outcome.protocol, QStringLiteral("socket.io"));
    QCOMPARE(result.outcome.client.closeCode, std::optional<int>(1005));
    QCOMPARE(result.outcome.client.how, QStringLiteral("close_frame"));
    QVERIFY2(result.outcome.explanation.contains(QLatin1StringView("got no pong (\"3\") within pingTimeout 20 s")),
             qPrintable(result.outcome.explanation));
    // With the test's short settings, as the open packet announces them.
    QCOMPARE(Scenario({}).heartbeat(server, "socketio:pingInterval=400ms,pingTimeout=300ms").run().outcome.atMs,
             qint64(700));
    // A Socket.IO client answers: behind nginx's 60 s, a silent application stays up on the 25 s pings.
    QVERIFY(!Scenario({"nginx"}).heartbeat(server, "socketio").heartbeat(client, "socketio").run().outcome.cut);
    // MQTT: a 120 s Keep Alive behind nginx's 60 s dies at 60 s, cut by nginx, not by the broker.
    result =
        Scenario({"nginx"}).heartbeat(client, "mqtt:keepalive=120s").heartbeat(server, "mqtt:keepalive=120s").run();
    QCOMPARE(result.outcome.atMs, qint64(60000));
    QCOMPARE(result.outcome.by, QStringLiteral("nginx"));
    // A 30 s Keep Alive holds it; a client that sends nothing after its CONNECT is dropped at 1.5 x Keep Alive.
    QVERIFY(!Scenario({"nginx"})
                 .heartbeat(client, "mqtt:keepalive=30s")
                 .heartbeat(server, "mqtt:keepalive=30s")
                 .duration(600000)
                 .run()
                 .outcome.cut);
    result = Scenario({}).heartbeat(server, "mqtt:keepalive=1s").recorded(client, {3}).run();
    QCOMPARE(result.outcome.atMs, qint64(1503));
    QCOMPARE(result.outcome.timer, QStringLiteral("Keep Alive x 1.5"));
    // graphql-ws: no connection_init within connectionInitWaitTimeout, then 4408; its client sends one at once.
    result = Scenario({}).heartbeat(server, "graphql-ws:connectionInitWaitTimeout=500ms").run();
    QCOMPARE(result.outcome.atMs, qint64(500));
    QCOMPARE(result.outcome.timer, QStringLiteral("connectionInitWaitTimeout"));
    QCOMPARE(result.outcome.client.closeCode, std::optional<int>(4408));
    QVERIFY(!Scenario({})
                 .heartbeat(server, "graphql-ws")
                 .heartbeat(client, "graphql-ws")
                 .duration(600000)
                 .run()
                 .outcome.cut);
    // STOMP's beats go one way and are never answered; RabbitMQ drops a silent client after 3 periods.
    QVERIFY(!Scenario({"nginx"}).heartbeat(server, "stomp").heartbeat(client, "stomp").run().outcome.cut);
    result = Scenario({}).heartbeat(server, "stomp").run();
    QCOMPARE(result.outcome.atMs, qint64(30000));
    QCOMPARE(result.outcome.by, QStringLiteral("server"));
    // SignalR's client gives up after serverTimeoutInMilliseconds without a server message.
    result = Scenario({}).heartbeat(client, "signalr").run();
    QCOMPARE(result.outcome.by, QStringLiteral("client"));
    QCOMPARE(result.outcome.timer, QStringLiteral("serverTimeoutInMilliseconds"));
    QCOMPARE(result.outcome.atMs, qint64(30000));
}

void tst_KeepaliveSimulator::explanationNamesTheKnobAndTheFix()
{
    auto result = Scenario({"nginx"}).run();
    QVERIFY2(result.outcome.explanation.contains(QLatin1StringView("proxy_read_timeout (60 s, the default)")),
             qPrintable(result.outcome.explanation));
    QVERIFY(result.outcome.explanation.contains(QLatin1StringView("1006")));
    QVERIFY(result.outcome.explanation.contains(QLatin1StringView("300 ms")));
    QVERIFY2(result.outcome.fix.startsWith(QLatin1StringView("Send a ping (or any message) at most every 48 s")),
             qPrintable(result.outcome.fix));
    QVERIFY(result.outcome.fix.contains(QLatin1StringView("raise proxy_read_timeout above")));
    result = Scenario({"nginx"}).heartbeat(client, "ping:75").run();
    QVERIFY2(result.outcome.fix.contains(QLatin1StringView("longest silence (75 s here)")),
             qPrintable(result.outcome.fix));
    result = Scenario({"nginx:proxy_read_timeout=30s"}).run();
    QVERIFY(result.outcome.explanation.contains(QLatin1StringView("30 s, set here; default 60 s")));
    QCOMPARE(OutcomeExplainer::safeIntervalMs(60000), qint64(48000));
    QCOMPARE(OutcomeExplainer::safeIntervalMs(350000), qint64(280000));
    result = Scenario({"aws-nat-gateway"}).run();
    QVERIFY(result.outcome.assumptions.join(u' ').contains(QLatin1StringView("unverified")));
}

void tst_KeepaliveSimulator::replayedSessionQuotesItsOwnLongestSilence()
{
    // A session with traffic at 0.1, 12.5 and 20.5 s that ended at 20.568 s, replayed for an hour: nginx cuts 60 s
    // after its last frame. The silence to quote is the session's own (12.4 s between its first two frames), not
    // the simulated hour's (3579.432 s after the last frame).
    auto result =
        Scenario({"nginx"}).recorded(client, {100, 12500}).recorded(server, {20500}).recordedUntil(20568).run();
    QVERIFY(result.outcome.cut);
    QCOMPARE(result.outcome.atMs, qint64(80500));
    QVERIFY2(result.outcome.fix.contains(QLatin1StringView("above the replayed session's longest silence (12.4 s)")),
             qPrintable(result.outcome.fix));
    QVERIFY2(!result.outcome.fix.contains(QLatin1StringView("3579")), qPrintable(result.outcome.fix));
    QVERIFY2(result.outcome.explanation.contains(QLatin1StringView("The replayed session ends at 20.568 s")),
             qPrintable(result.outcome.explanation));
    // The session's last silence counts too: a session cut 60 s after its last frame had a 60 s silence.
    result = Scenario({"nginx"}).recorded(client, {100, 1000}).recordedUntil(61000).run();
    QVERIFY2(result.outcome.fix.contains(QLatin1StringView("longest silence (60 s)")), qPrintable(result.outcome.fix));
    // Without a recording the whole simulated time is measured, as before.
    result = Scenario({"nginx"}).recorded(client, {100, 12500}).duration(600000).run();
    QVERIFY2(result.outcome.fix.contains(QLatin1StringView("longest silence (587.5 s here)")),
             qPrintable(result.outcome.fix));
}

void tst_KeepaliveSimulator::anHourRunsFast()
{
    // Not a timing assertion: a sanity check that the run is event-driven (an hour of pings every second is
    // 7,200 frames, not 3.6 million ticks).
    const auto result = Scenario({"nat:idle_timeout=5m", "cloudflare", "nginx"}).heartbeat(client, "ping:1").run();
    QVERIFY(!result.outcome.cut);
    QCOMPARE(result.events.size(), qsizetype(7200));
}

QTEST_GUILESS_MAIN(tst_KeepaliveSimulator)
#include "tst_keepalivesimulator.moc"
