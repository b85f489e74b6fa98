// SPDX-License-Identifier: GPL-3.0-or-later
// Truth tests: the keepalive models of nginx and HAProxy against the real nginx and HAProxy (Debian packages),
// started by the test on 127.0.0.1 with small timeouts in front of an upstream of our own.
//
// For each traffic pattern (silence, one-way data each way, pings, TCP keepalive only, HAProxy with and without
// timeout tunnel and option independent-streams), the same scenario goes to three places:
// - the KeepaliveSimulator, in virtual time: the prediction (cut or alive, and when);
// - a Session of ours through the real proxy: what really happens;
// - a Session of ours through the TimeoutProxy running the same model at time scale 1.
// All three must agree: cut or alive, and the time of the cut within 0.5 s (nginx itself is only precise to
// 300 ms). These are the proof behind every explanation the app prints about nginx and HAProxy.
//
// And the diagnosis of a real session cut by a non-default timeout, from that session's own records: nginx names
// itself in the upgrade response (Server: nginx/x.y.z), so its proxy_read_timeout is named with the value the
// session shows; HAProxy adds no field of its own, so the diagnosis says nobody named itself and lists HAProxy's
// timeout tunnel among the knobs that could be set to that value.
#include "CliProcess.h"
#include "PeerProcess.h"
#include "RealNginx.h"
#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/KeepaliveSimulator.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/session/Session.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#if defined(Q_OS_LINUX)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

using namespace wsi;
using wsi::test::PeerProcess;
namespace RealNginx = wsi::test::RealNginx;

namespace {

constexpr int startMs = 20000;
constexpr qint64 toleranceMs = 500;

// The server behind the proxies: never echoes; pushes a data message every `pushEveryMs` until `pushUntilMs`
// after each upgrade when asked; answers pings (QWebSocket does).
class Upstream final : public QObject
{
public:
    Upstream()
        : m_server(QStringLiteral("truth-upstream"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, &Upstream::onNewConnection);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    void setPush(int everyMs, int untilMs)
    {
        m_everyMs = everyMs;
        m_untilMs = untilMs;
    }

private:
    void onNewConnection()
    {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            if (m_everyMs <= 0)
                continue;
            auto *timer = new QTimer(socket);
            timer->setTimerType(Qt::PreciseTimer);
            auto *clock = new QElapsedTimer;
            clock->start();
            connect(timer, &QTimer::destroyed, timer, [clock] { delete clock; });
            const int until = m_untilMs;
            connect(timer, &QTimer::timeout, socket, [socket, timer, clock, until] {
                if (clock->elapsed() > until + 50) {
                    timer->stop();
                    return;
                }
                socket->sendTextMessage(QStringLiteral("push"));
            });
            timer->start(m_everyMs);
        }
    }

    QWebSocketServer m_server;
    int m_everyMs = 0;
    int m_untilMs = 0;
};

// One session through one proxy, driven by the pattern, and what it observed.
struct Run {
    QString name;
    std::unique_ptr<Session> session;
    QElapsedTimer clock; // started when the session is open: the upgrade, t = 0 of the simulation
    std::optional<qint64> closedAtMs;
    qsizetype sent = 0;
};

} // namespace

class tst_Truth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void pattern_data();
    void pattern();
    void diagnosedFromItsOwnSession_data();
    void diagnosedFromItsOwnSession();
    void simulateFromItsRecordingStartsFromTheNamedProxy();

private:
    bool startNginx(const ChainLink &link);
    bool startHaproxy(const ChainLink &link);
    bool writeFile(const QString &path, const QStringList &lines);

    QTemporaryDir m_dir;
    PeerProcess m_proxy;
    std::unique_ptr<Upstream> m_upstream;
    std::unique_ptr<TimeoutProxy> m_timeoutProxy;
    QString m_summary;
};

void tst_Truth::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_Truth::cleanup()
{
    m_proxy.stop();
    m_timeoutProxy.reset();
    m_upstream.reset();
}

bool tst_Truth::writeFile(const QString &path, const QStringList &lines)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write((lines.join(u'\n') + u'\n').toUtf8());
    return true;
}

bool tst_Truth::startNginx(const ChainLink &link)
{
    return RealNginx::start(m_proxy, m_dir.path(), m_upstream->port(),
                            *link.value(QStringLiteral("proxy_read_timeout")));
}

bool tst_Truth::startHaproxy(const ChainLink &link)
{
    const quint16 port = PeerProcess::freePort();
    QStringList config{
        QStringLiteral("global"),
        QStringLiteral("  log stdout format raw local0 info"),
        QStringLiteral("defaults"),
        QStringLiteral("  mode http"),
        QStringLiteral("  log global"),
        QStringLiteral("  option httplog"),
        QStringLiteral("  timeout connect 5s"),
    };
    for (const char *knob : {"timeout tunnel", "timeout client", "timeout server"}) {
        if (const auto ms = link.value(QLatin1StringView(knob)))
            config << QStringLiteral("  %1 %2ms").arg(QLatin1StringView(knob)).arg(*ms);
    }
    if (link.value(QStringLiteral("option independent-streams")) == 1)
        config << QStringLiteral("  option independent-streams");
    config << QStringLiteral("frontend fe") << QStringLiteral("  bind 127.0.0.1:%1").arg(port)
           << QStringLiteral("  default_backend be") << QStringLiteral("backend be")
           << QStringLiteral("  server upstream 127.0.0.1:%1").arg(m_upstream->port());
    const QString path = m_dir.filePath(QStringLiteral("haproxy-%1.cfg").arg(port));
    if (!writeFile(path, config))
        return false;
    return m_proxy.startListening(QStringLiteral("haproxy"), QStringLiteral("haproxy"),
                                  {QStringLiteral("-f"), path, QStringLiteral("-db")}, port, startMs);
}

void tst_Truth::pattern_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("clientDataMs");  // a data message from the client every N ms, until untilMs
    QTest::addColumn<int>("serverDataMs");  // a data message from the server every N ms, until untilMs
    QTest::addColumn<int>("clientPingMs");  // a ping from the client every N ms (the server answers), until untilMs
    QTest::addColumn<bool>("tcpKeepalive"); // TCP keepalive on the client's socket: probes every second
    QTest::addColumn<int>("untilMs");

    const QString nginx = QStringLiteral("nginx:proxy_read_timeout=1500ms");
    QTest::newRow("nginx, silence") << nginx << 0 << 0 << 0 << false << 0;
    QTest::newRow("nginx, client data only") << nginx << 400 << 0 << 0 << false << 2000;
    QTest::newRow("nginx, server data only") << nginx << 0 << 400 << 0 << false << 2000;
    QTest::newRow("nginx, client pings answered") << nginx << 0 << 0 << 400 << false << 2000;
#if defined(Q_OS_LINUX)
    QTest::newRow("nginx, TCP keepalive only") << nginx << 0 << 0 << 0 << true << 0;
#endif

    const QString tunnel = QStringLiteral("haproxy:timeout_tunnel=1500ms,timeout_client=30s,timeout_server=30s");
    QTest::newRow("haproxy tunnel, silence") << tunnel << 0 << 0 << 0 << false << 0;
    QTest::newRow("haproxy tunnel, client data only") << tunnel << 400 << 0 << 0 << false << 2000;
    QTest::newRow("haproxy tunnel, server data only") << tunnel << 0 << 400 << 0 << false << 2000;
    QTest::newRow("haproxy tunnel, client pings answered") << tunnel << 0 << 0 << 400 << false << 2000;

    const QString sides = QStringLiteral("haproxy:timeout_client=1500ms,timeout_server=2500ms");
    QTest::newRow("haproxy client/server, silence") << sides << 0 << 0 << 0 << false << 0;
    QTest::newRow("haproxy client/server, client data only") << sides << 400 << 0 << 0 << false << 2000;
    QTest::newRow("haproxy client/server, server data only") << sides << 0 << 400 << 0 << false << 2000;

    const QString independent = tunnel + QStringLiteral(",independent_streams=1");
    QTest::newRow("haproxy tunnel independent-streams, client data only")
        << independent << 400 << 0 << 0 << false << 2000;
    QTest::newRow("haproxy tunnel independent-streams, server data only")
        << independent << 0 << 400 << 0 << false << 2000;
    QTest::newRow("haproxy client/server independent-streams, client data only")
        << sides + QStringLiteral(",independent_streams=1") << 400 << 0 << 0 << false << 2000;
}

void tst_Truth::pattern()
{
    QFETCH(QString, model);
    QFETCH(int, clientDataMs);
    QFETCH(int, serverDataMs);
    QFETCH(int, clientPingMs);
    QFETCH(bool, tcpKeepalive);
    QFETCH(int, untilMs);

    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    QString error;
    const std::optional<ChainLink> link = ChainLink::parse(model, catalog, &error);
    QVERIFY2(link, qPrintable(error));
    qint64 longestTimer = 0;
    for (const ChainLink::ActiveTimer &timer : link->activeTimers()) {
        if (timer.kind == TimerKind::Idle && timer.valueMs < 10000)
            longestTimer = std::max(longestTimer, timer.valueMs);
    }
    const qint64 windowMs = untilMs + longestTimer + 1500;

    // The prediction: the same frames, replayed in virtual time.
    SimulationScenario scenario;
    scenario.tcp = catalog.tcp();
    scenario.chain = {*link};
    scenario.durationMs = windowMs;
    scenario.explain = false;
    const auto every = [untilMs](int intervalMs, RecordedTraffic::Frame::Kind kind) {
        QList<RecordedTraffic::Frame> frames;
        for (qint64 t = intervalMs; intervalMs > 0 && t <= untilMs; t += intervalMs)
            frames.append({t, kind});
        return frames;
    };
    scenario.client.recorded = every(clientDataMs, RecordedTraffic::Frame::Kind::Data) +
                               every(clientPingMs, RecordedTraffic::Frame::Kind::Ping);
    scenario.server.recorded = every(serverDataMs, RecordedTraffic::Frame::Kind::Data) +
                               every(clientPingMs, RecordedTraffic::Frame::Kind::Pong);
    std::sort(scenario.client.recorded.begin(), scenario.client.recorded.end(),
              [](const auto &a, const auto &b) { return a.atMs < b.atMs; });
    if (tcpKeepalive) {
        scenario.client.tcpKeepalive.enabled = true;
        scenario.client.tcpKeepalive.idleMs = 1000;
        scenario.client.tcpKeepalive.intervalMs = 1000;
    }
    const SimulationOutcome predicted = KeepaliveSimulator::run(scenario).outcome;
    const std::optional<qint64> predictedMs = predicted.cut ? std::optional<qint64>(predicted.atMs) : std::nullopt;

    // The real proxy and the timeout proxy with the same model, side by side, in front of one upstream.
    m_upstream = std::make_unique<Upstream>();
    m_upstream->setPush(serverDataMs, untilMs);
    QVERIFY(m_upstream->listen());
    const bool isNginx = link->model().id == QLatin1StringView("nginx");
    QVERIFY2(isNginx ? startNginx(*link) : startHaproxy(*link), qPrintable(m_proxy.errorString()));
    ProxyOptions proxyOptions;
    proxyOptions.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_upstream->port()));
    proxyOptions.models = {*link};
    m_timeoutProxy = std::make_unique<TimeoutProxy>(proxyOptions);
    QVERIFY2(m_timeoutProxy->listen(), qPrintable(m_timeoutProxy->errorString()));

    Run runs[2];
    runs[0].name = link->model().name;
    runs[1].name = QStringLiteral("TimeoutProxy");
    const QUrl urls[2] = {QUrl(QStringLiteral("ws://127.0.0.1:%1/truth").arg(m_proxy.port())), m_timeoutProxy->url()};
    for (int i = 0; i < 2; ++i) {
        SessionOptions options;
        options.url = urls[i];
        options.offerDeflate = false;
        runs[i].session = std::make_unique<Session>(options);
        Run *run = &runs[i];
        connect(run->session.get(), &Session::handshakeFinished, this, [run](bool) { run->clock.start(); });
        connect(run->session.get(), &Session::closed, this, [run] { run->closedAtMs = run->clock.elapsed(); });
        run->session->open();
    }
    QVERIFY2(QTest::qWaitFor([&] { return runs[0].clock.isValid() && runs[1].clock.isValid(); }, startMs),
             qPrintable(QString::fromLocal8Bit(m_proxy.output())));
    for (Run &run : runs) {
        QCOMPARE(run.session->state(), Session::State::Open);
#if defined(Q_OS_LINUX)
        if (tcpKeepalive) {
            // Probes every second on our end: the proxy's kernel answers them, the proxy itself never sees them.
            auto *socket = run.session->findChild<QTcpSocket *>();
            QVERIFY(socket);
            socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
            const int fd = int(socket->socketDescriptor());
            const int one = 1;
            QCOMPARE(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof one), 0);
            QCOMPARE(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof one), 0);
        }
#endif
    }

    // Drive the client's traffic on schedule until the window ends or both are cut.
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    connect(&tick, &QTimer::timeout, this, [&] {
        for (Run &run : runs) {
            if (run.session->state() != Session::State::Open)
                continue;
            const qint64 t = run.clock.elapsed();
            const auto &planned = scenario.client.recorded;
            while (run.sent < planned.size() && planned.at(run.sent).atMs <= t) {
                if (planned.at(run.sent).kind == RecordedTraffic::Frame::Kind::Ping)
                    run.session->sendPing("truth");
                else
                    run.session->sendText(QStringLiteral("data"));
                ++run.sent;
            }
        }
    });
    tick.start(5);
    // Not reaching both cuts is an outcome too ("alive"), judged below against the prediction.
    [[maybe_unused]] const bool bothCut =
        QTest::qWaitFor([&] { return runs[0].closedAtMs && runs[1].closedAtMs; }, int(windowMs));
    tick.stop();

    const auto describe = [](const std::optional<qint64> &ms) {
        return ms ? QStringLiteral("cut at %1 s").arg(double(*ms) / 1000.0, 0, 'f', 3) : QStringLiteral("alive");
    };
    QString line = QStringLiteral("%1 | predicted %2 (%3) | %4 %5 | TimeoutProxy %6")
                       .arg(QString::fromLatin1(QTest::currentDataTag()), describe(predictedMs),
                            predicted.cut ? predicted.by + u' ' + predicted.timer : QString(), runs[0].name,
                            describe(runs[0].closedAtMs), describe(runs[1].closedAtMs));
    qInfo("%s", qPrintable(line));
    const QString context = line + QStringLiteral("\n--- proxy output:\n") + QString::fromLocal8Bit(m_proxy.output());
    for (const Run &run : runs) {
        QVERIFY2(run.closedAtMs.has_value() == predictedMs.has_value(), qPrintable(context));
        if (!predictedMs)
            continue;
        QVERIFY2(std::abs(*run.closedAtMs - *predictedMs) <= toleranceMs, qPrintable(context));
        // No Close frame from any of them: the client sees 1006.
        QCOMPARE(run.session->closeRecord()->code, quint16(1006));
        QCOMPARE(run.session->closeRecord()->initiator, CloseRecord::Initiator::Transport);
    }
    for (Run &run : runs)
        run.session.reset();
}

void tst_Truth::diagnosedFromItsOwnSession_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("nginx proxy_read_timeout 2s") << QStringLiteral("nginx:proxy_read_timeout=2s");
    QTest::newRow("haproxy timeout tunnel 2s")
        << QStringLiteral("haproxy:timeout_tunnel=2s,timeout_client=30s,timeout_server=30s");
}

void tst_Truth::diagnosedFromItsOwnSession()
{
    QFETCH(QString, model);
    QString error;
    const std::optional<ChainLink> link = ChainLink::parse(model, IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(link, qPrintable(error));
    m_upstream = std::make_unique<Upstream>();
    QVERIFY(m_upstream->listen());
    const bool isNginx = link->model().id == QLatin1StringView("nginx");
    QVERIFY2(isNginx ? startNginx(*link) : startHaproxy(*link), qPrintable(m_proxy.errorString()));

    // A session through the real proxy, silent until the proxy cuts it.
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/truth").arg(m_proxy.port()));
    options.offerDeflate = false;
    Session session(options);
    session.open();
    QVERIFY2(QTest::qWaitFor([&] { return session.state() == Session::State::Closed; }, startMs),
             qPrintable(QString::fromLocal8Bit(m_proxy.output())));
    QVERIFY(session.closeRecord());
    QCOMPARE(session.closeRecord()->initiator, CloseRecord::Initiator::Transport);

    const SessionEvidence evidence = SessionEvidence::fromRecords(session.records());
    const DisconnectDiagnosis d = DisconnectDiagnoser::diagnose(evidence);
    const QString context = d.toLines().join(u'\n') + QStringLiteral("\n--- upgrade response:\n") +
                            QString::fromUtf8(session.records().handshake.response.raw);
    qInfo("%s", qPrintable(d.summary));
    // What the session shows the timer is set to: the silence before the cut, within nginx's 300 ms of precision
    // and a round trip.
    const auto nearTwoSeconds = [](qint64 ms) { return ms >= 1500 && ms <= 2600; };
    if (isNginx) {
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::IntermediaryTimeout);
        QVERIFY2(!d.clues.isEmpty() && d.clues.constFirst().value.startsWith(QLatin1StringView("nginx/")),
                 qPrintable(context));
        const DiagnosisCandidate &top = d.candidates.constFirst();
        QCOMPARE(top.modelId, QStringLiteral("nginx"));
        QCOMPARE(top.knob, QStringLiteral("proxy_read_timeout"));
        QVERIFY2(top.inferred && nearTwoSeconds(top.defaultMs), qPrintable(context));
        QVERIFY2(top.clue.startsWith(QLatin1StringView("Server: nginx/")), qPrintable(context));
        QVERIFY2(d.summary.contains(QLatin1StringView("in the upgrade response names nginx")), qPrintable(context));
        QVERIFY2(d.summary.contains(QLatin1StringView("most likely nginx's proxy_read_timeout, set to about ")),
                 qPrintable(context));
        QVERIFY2(d.summary.contains(QLatin1StringView("its default is 60 s")), qPrintable(context));
    } else {
        // HAProxy writes no field of its own into the 101: no honest clue, so every knob that fits is listed.
        QCOMPARE(d.cause, DisconnectDiagnosis::Cause::Unexplained);
        QVERIFY2(d.clues.isEmpty(), qPrintable(context));
        QVERIFY2(d.summary.contains(QLatin1StringView("No intermediary named itself in the upgrade response")),
                 qPrintable(context));
        QVERIFY2(d.summary.contains(QLatin1StringView("HAProxy timeout tunnel (no default)")), qPrintable(context));
        const QRegularExpressionMatch value =
            QRegularExpression(QStringLiteral("its idle timeout is set to about ([0-9.]+) s")).match(d.summary);
        QVERIFY2(value.hasMatch(), qPrintable(context));
        QVERIFY2(nearTwoSeconds(qint64(value.captured(1).toDouble() * 1000.0)), qPrintable(context));
    }
}

// `wsinspector-cli simulate --from` a recording made through the real nginx with proxy_read_timeout 2s, without
// --chain: the chain is the one the recording suggests, nginx (it names itself in the upgrade response) with
// proxy_read_timeout set to the silence before its cut, and the simulation cuts where nginx did. With --chain the
// user's chain wins and the suggestion is only reported.
void tst_Truth::simulateFromItsRecordingStartsFromTheNamedProxy()
{
    using namespace wsi::test;
    m_upstream = std::make_unique<Upstream>();
    QVERIFY(m_upstream->listen());
    QVERIFY2(RealNginx::start(m_proxy, m_dir.path(), m_upstream->port(), 2000), qPrintable(m_proxy.errorString()));
    const QString recording = m_dir.filePath(QStringLiteral("behind-nginx.wsirec"));
    const CliRun connected = runCli(
        {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/truth").arg(m_proxy.port()),
         QStringLiteral("--send"), QStringLiteral("one message, then silence"), QStringLiteral("--record"), recording});
    QVERIFY2(connected.finished && connected.exitCode == 3, qPrintable(describe(connected))); // cut: abnormal

    // The value the recording shows, within nginx's 300 ms of precision and a round trip.
    const QRegularExpression suggestedLink(QStringLiteral("^nginx:proxy_read_timeout=([0-9.]+)s$"));
    const auto nearTwoSeconds = [](double s) { return s >= 1.5 && s <= 2.6; };

    const CliRun human = runCli({QStringLiteral("simulate"), QStringLiteral("--from"), recording});
    QVERIFY2(human.finished && human.exitCode == 0, qPrintable(describe(human)));
    const QString text = QString::fromUtf8(human.out);
    QVERIFY2(text.contains(QLatin1StringView("Chain from the session (no --chain given):\n  Suggested from the upgrade "
                                             "response of ws://127.0.0.1.\n    nginx:proxy_read_timeout=")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1StringView(": from Server: nginx/")) &&
                 text.contains(QLatin1StringView("in the upgrade response; proxy_read_timeout set to ")) &&
                 text.contains(QLatin1StringView(" silence before the cut\n")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1StringView("Simulating client -> nginx:proxy_read_timeout=")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1StringView("\nOutcome: cut at ")), qPrintable(text));

    const CliRun json =
        runCli({QStringLiteral("simulate"), QStringLiteral("--from"), recording, QStringLiteral("--json")});
    QVERIFY2(json.finished && json.exitCode == 0, qPrintable(describe(json)));
    const QList<QJsonObject> lines = jsonLines(json.out);
    QVERIFY2(lines.size() >= 2, qPrintable(describe(json)));
    const QJsonObject start = lines.constFirst();
    const QJsonObject suggested = start.value(QStringLiteral("suggested")).toObject();
    QVERIFY2(suggested.value(QStringLiteral("used")).toBool(), qPrintable(describe(json)));
    const QJsonArray chain = suggested.value(QStringLiteral("chain")).toArray();
    QCOMPARE(chain.size(), 1);
    const QRegularExpressionMatch link = suggestedLink.match(chain.at(0).toString());
    QVERIFY2(link.hasMatch() && nearTwoSeconds(link.captured(1).toDouble()), qPrintable(describe(json)));
    QCOMPARE(start.value(QStringLiteral("chain")).toArray(), chain);
    const QJsonObject reason = suggested.value(QStringLiteral("links")).toArray().at(0).toObject();
    QCOMPARE(reason.value(QStringLiteral("model")).toString(), QStringLiteral("nginx"));
    QVERIFY2(reason.value(QStringLiteral("reason")).toString().startsWith(QLatin1StringView("from Server: nginx/")),
             qPrintable(describe(json)));
    const QJsonObject outcome = lines.constLast();
    QCOMPARE(outcome.value(QStringLiteral("event")).toString(), QStringLiteral("outcome"));
    QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("cut"));
    // Silent after the upgrade: the simulated nginx cuts when its read timeout, as the session measured it, runs out.
    QVERIFY2(std::abs(outcome.value(QStringLiteral("at_s")).toDouble() - link.captured(1).toDouble()) < 0.5,
             qPrintable(describe(json)));

    // The user's chain wins.
    const CliRun given =
        runCli({QStringLiteral("simulate"), QStringLiteral("--from"), recording, QStringLiteral("--chain"),
                QStringLiteral("haproxy:timeout_tunnel=1h"), QStringLiteral("--json")});
    QVERIFY2(given.finished && given.exitCode == 0, qPrintable(describe(given)));
    const QJsonObject givenStart = jsonLines(given.out).constFirst();
    QCOMPARE(givenStart.value(QStringLiteral("chain")).toArray(),
             QJsonArray{QStringLiteral("haproxy:timeout_tunnel=1h")});
    QCOMPARE(givenStart.value(QStringLiteral("suggested")).toObject().value(QStringLiteral("used")), QJsonValue(false));
    QCOMPARE(givenStart.value(QStringLiteral("suggested")).toObject().value(QStringLiteral("chain")).toArray(), chain);
}

QTEST_GUILESS_MAIN(tst_Truth)
#include "tst_truth.moc"
