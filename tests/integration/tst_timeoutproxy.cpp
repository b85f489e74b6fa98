// SPDX-License-Identifier: GPL-3.0-or-later
// The timeout proxy alone, between our own Session and the built-in echo server on 127.0.0.1: frames recorded in
// both directions, each expiry action as the client sees it (FIN and RST: 1006 at once; a silent drop: nothing,
// the session stays open), and the time scale.
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/proxy/TimeoutProxy.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace wsi;

namespace {

constexpr int waitMs = 10000;

// A masked client text frame (FIN set) shorter than 126 bytes.
QByteArray maskedText(const QByteArray &payload)
{
    const char key[4] = {0x0a, 0x1b, 0x2c, 0x3d};
    QByteArray frame;
    frame += char(0x81);
    frame += char(0x80 | payload.size());
    frame += QByteArray(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame += char(payload.at(i) ^ key[i % 4]);
    return frame;
}

// Everything readable on `fd` until `enough` holds or `timeoutMs` passes, without blocking the event loop.
QByteArray readUntil(int fd, const std::function<bool(const QByteArray &)> &enough, int timeoutMs)
{
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (!enough(received) && clock.elapsed() < timeoutMs) {
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            received.append(buffer, n);
        else if (n == 0)
            break;
        else
            QTest::qWait(5);
    }
    return received;
}

ChainLink model(const QString &text)
{
    QString error;
    const std::optional<ChainLink> link = ChainLink::parse(text, IntermediaryCatalog::builtIn(), &error);
    if (!link)
        qFatal("%s", qPrintable(error));
    return *link;
}

} // namespace

class tst_TimeoutProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void recordsBothDirections();
    void refusesBadOptions();
    void cutAction_data();
    void cutAction();
    void finAndRstOnTheWire_data();
    void finAndRstOnTheWire();
    void trafficKeepsItOpen();
    void upstreamDownIsA502();
    void framesSentWhileTheUpstreamIsDialledAllArrive();

private:
    bool startProxy(QList<ChainLink> models, double timeScale);
    Session *openSession();

    std::unique_ptr<EchoServer> m_server;
    std::unique_ptr<TimeoutProxy> m_proxy;
    std::unique_ptr<Session> m_session;
};

void tst_TimeoutProxy::init()
{
    m_server = std::make_unique<EchoServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void tst_TimeoutProxy::cleanup()
{
    m_session.reset();
    m_proxy.reset();
    m_server.reset();
}

bool tst_TimeoutProxy::startProxy(QList<ChainLink> models, double timeScale)
{
    ProxyOptions options;
    options.upstream = m_server->url();
    options.models = std::move(models);
    options.timeScale = timeScale;
    m_proxy = std::make_unique<TimeoutProxy>(options);
    if (!m_proxy->listen()) {
        qWarning("%s", qPrintable(m_proxy->errorString()));
        return false;
    }
    return true;
}

Session *tst_TimeoutProxy::openSession()
{
    SessionOptions options;
    options.url = m_proxy->url();
    m_session = std::make_unique<Session>(options);
    m_session->open();
    if (!QTest::qWaitFor([&] { return m_session->state() != Session::State::Connecting; }, waitMs))
        qWarning("session still connecting after %d ms", waitMs);
    return m_session.get();
}

void tst_TimeoutProxy::recordsBothDirections()
{
    QVERIFY(startProxy({}, 1));
    QCOMPARE(m_proxy->url().host(), QStringLiteral("127.0.0.1"));
    Session *session = openSession();
    QCOMPARE(session->state(), Session::State::Open);
    QCOMPARE(m_proxy->connections().size(), 1);
    ProxyConnection *connection = m_proxy->connections().constFirst();
    QCOMPARE(connection->state(), ProxyConnection::State::Open);
    QVERIFY(connection->clientRequest().startsWith("GET / HTTP/1.1\r\n"));
    QVERIFY(connection->forwardedRequest().contains(
        QByteArray(QByteArray("Host: 127.0.0.1:") + QByteArray::number(m_server->port()))));
    QCOMPARE(connection->response().statusCode, 101);

    const QByteArray big(70000, 'x'); // a 64-bit length, split over many reads
    session->sendText(QStringLiteral("through the timeout proxy ✓"));
    session->sendMessage(MessageType::Binary, big);
    session->sendPing("are you there");
    const auto log = connection->frameLog();
    const auto framesFrom = [&](Direction direction) {
        QList<QByteArray> payloads;
        for (qsizetype i = 0; i < log->frameCount(); ++i) {
            if (log->frame(i).direction() == direction)
                payloads << log->framePayload(i).toByteArray();
        }
        return payloads;
    };
    QVERIFY(QTest::qWaitFor([&] { return framesFrom(Direction::Incoming).size() >= 3; }, waitMs));
    const QList<QByteArray> expected{QStringLiteral("through the timeout proxy ✓").toUtf8(), big, "are you there"};
    QCOMPARE(framesFrom(Direction::Outgoing), expected); // from the client, unmasked in the log
    QCOMPARE(framesFrom(Direction::Incoming), expected); // the echo and the pong
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        QCOMPARE(log->frame(i).has(FrameRecord::Masked), log->frame(i).direction() == Direction::Outgoing);
    QVERIFY(log->messageCount() >= 4);
    // The bytes were relayed unchanged: the session got its echo, with no violation on either side.
    QVERIFY(QTest::qWaitFor([&] { return session->frameLog()->messageCount() >= 4; }, waitMs));
    for (qsizetype i = 0; i < log->frameCount(); ++i)
        QCOMPARE(log->frame(i).violationMask, quint64(0));

    QSignalSpy closed(connection, &ProxyConnection::closed);
    session->sendClose(1000, QStringLiteral("bye"));
    QVERIFY(closed.wait(waitMs));
    QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Closed; }, waitMs));
    QCOMPARE(session->closeRecord()->code, quint16(1000));
    QVERIFY(session->closeRecord()->clean);
    QVERIFY(!connection->cut());
    QCOMPARE(connection->state(), ProxyConnection::State::Closed);

    // The relayed connection's records say what the client's own session says about it.
    const SessionRecords records = connection->records();
    QCOMPARE(records.source, SessionRecords::Source::Relayed);
    QCOMPARE(records.url, m_server->url());
    QVERIFY(records.handshake.accepted);
    QCOMPARE(records.handshake.response.statusCode, 101);
    QVERIFY(records.handshake.requestHeaders.contains("Sec-WebSocket-Key"));
    QVERIFY(records.handshake.timings.upgradeNs > 0);
    QCOMPARE(records.log, log);
    QVERIFY(records.close);
    QCOMPARE(records.close->initiator, CloseRecord::Initiator::Client);
    QCOMPARE(records.close->code, quint16(1000));
    QCOMPARE(records.close->reason, QStringLiteral("bye"));
    QVERIFY(records.close->closeSent && records.close->closeReceived);
    QVERIFY(records.close->clean);
    QVERIFY2(records.close->error.isEmpty(), qPrintable(records.close->error));
}

void tst_TimeoutProxy::refusesBadOptions()
{
    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("http://127.0.0.1:1/"));
    TimeoutProxy proxy(options);
    QVERIFY(!proxy.listen());
    QVERIFY(proxy.errorString().contains(QStringLiteral("ws://")));
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:1/"));
    options.timeScale = 0;
    TimeoutProxy zero(options);
    QVERIFY(!zero.listen());
    // TLS files for a wss:// upstream are read before listening, as a session reads them before connecting: a
    // missing CA file is refused with its path, never replaced by the system's CAs alone.
    options.timeScale = 1;
    options.upstream = QUrl(QStringLiteral("wss://127.0.0.1:1/"));
    options.tls.caFile = QStringLiteral("/nonexistent/ca.pem");
    TimeoutProxy unreadableCa(options);
    QVERIFY(!unreadableCa.listen());
    QCOMPARE(unreadableCa.errorString(),
             QStringLiteral("the CA file /nonexistent/ca.pem cannot be read: No such file or directory"));
}

void tst_TimeoutProxy::cutAction_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("timeScale");
    QTest::addColumn<int>("expectedMs");
    QTest::addColumn<QString>("action");
    // nginx's 60 s default at 1/60: a FIN after 1 s of silence.
    QTest::newRow("FIN: nginx proxy_read_timeout 60 s at 1/60")
        << QStringLiteral("nginx") << 60.0 << 1000 << QStringLiteral("fin");
    // Azure Load Balancer's 4 min with TCP reset on, at 1/240.
    QTest::newRow("RST: azure-lb with EnableTcpReset at 1/240")
        << QStringLiteral("azure-lb:EnableTcpReset=1") << 240.0 << 1000 << QStringLiteral("rst");
    // Azure Load Balancer's default: the flow is forgotten silently.
    QTest::newRow("drop: azure-lb default at 1/240")
        << QStringLiteral("azure-lb") << 240.0 << 1000 << QStringLiteral("drop");
}

void tst_TimeoutProxy::cutAction()
{
    QFETCH(QString, model);
    QFETCH(double, timeScale);
    QFETCH(int, expectedMs);
    QFETCH(QString, action);
    QVERIFY(startProxy({::model(model)}, timeScale));
    Session *session = openSession();
    QCOMPARE(session->state(), Session::State::Open);
    QElapsedTimer clock;
    clock.start();
    ProxyConnection *connection = m_proxy->connections().constFirst();
    QSignalSpy cuts(connection, &ProxyConnection::cutHappened);
    QVERIFY(cuts.wait(waitMs));
    const qint64 cutMs = clock.elapsed();
    const ProxyCut cut = *connection->cut();
    QCOMPARE(IntermediaryTimer::actionName(cut.action), action);
    QCOMPARE(cut.scaledValueMs, qint64(expectedMs));
    QVERIFY2(std::abs(cutMs - expectedMs) < 250, qPrintable(QStringLiteral("cut after %1 ms").arg(cutMs)));
    QVERIFY2(std::abs(cut.idleNs / 1000000 - expectedMs) < 100, qPrintable(QString::number(cut.idleNs)));

    if (action == QLatin1StringView("drop")) {
        // Nothing tells the client: it stays open, and what it sends now is acknowledged by the kernel and discarded.
        session->sendText(QStringLiteral("into the void"));
        const qsizetype frames = session->frameLog()->frameCount();
        QTest::qWait(500);
        QCOMPARE(session->state(), Session::State::Open);
        QCOMPARE(session->frameLog()->frameCount(), frames); // no echo
        QCOMPARE(connection->state(), ProxyConnection::State::Dropped);
        // The client gives up by itself (its own heartbeat would): the proxy notices, the server stays half-open.
        QSignalSpy ends(connection, &ProxyConnection::endClosed);
        session->abort();
        QVERIFY(ends.wait(waitMs));
        QCOMPARE(ends.at(0).at(0).toString(), QStringLiteral("client"));
        QCOMPARE(m_server->connectionCount(), 1);
        return;
    }
    // FIN and RST: the client learns at once, with no Close frame: 1006.
    QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Closed; }, 1000));
    const CloseRecord close = *session->closeRecord();
    QCOMPARE(close.code, quint16(1006));
    QCOMPARE(close.initiator, CloseRecord::Initiator::Transport);
    QVERIFY(QTest::qWaitFor([&] { return m_server->connectionCount() == 0; }, waitMs));

    // The relayed connection ends the same way in its own records, with the cut as the reason.
    QVERIFY(QTest::qWaitFor([&] { return connection->records().close.has_value(); }, waitMs));
    const CloseRecord relayed = *connection->records().close;
    QCOMPARE(relayed.code, quint16(1006));
    QCOMPARE(relayed.initiator, CloseRecord::Initiator::Transport);
    QVERIFY(!relayed.clean && !relayed.closeSent && !relayed.closeReceived);
    QVERIFY2(relayed.error.startsWith(cut.by + u' ' + cut.timer) &&
                 relayed.error.contains(QStringLiteral("cut the connection")),
             qPrintable(relayed.error));
}

void tst_TimeoutProxy::finAndRstOnTheWire_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected");
    QTest::newRow("FIN") << QStringLiteral("nginx") << QStringLiteral("fin");
    QTest::newRow("RST") << QStringLiteral("azure-lb:EnableTcpReset=1") << QStringLiteral("rst");
}

void tst_TimeoutProxy::finAndRstOnTheWire()
{
    // A plain socket of our own, read with recv(): 0 is a FIN, ECONNRESET an RST (Qt reports both the same way).
    QFETCH(QString, model);
    QFETCH(QString, expected);
    QVERIFY(startProxy({::model(model)}, model.startsWith(u'n') ? 120.0 : 480.0)); // 0.5 s either way
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_proxy->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    const QByteArray request = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    QCOMPARE(::send(fd, request.constData(), size_t(request.size()), 0), ssize_t(request.size()));
    QByteArray received;
    QString ending = QStringLiteral("open");
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 3000 && ending == QLatin1StringView("open")) {
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            received.append(buffer, n);
        else if (n == 0)
            ending = QStringLiteral("fin");
        else if (errno == ECONNRESET)
            ending = QStringLiteral("rst");
        else if (errno != EAGAIN && errno != EWOULDBLOCK)
            ending = QString::fromLocal8Bit(strerror(errno));
        else
            QTest::qWait(5);
    }
    QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
    QCOMPARE(ending, expected);
    QVERIFY2(clock.elapsed() >= 450 && clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
}

void tst_TimeoutProxy::trafficKeepsItOpen()
{
    // proxy_read_timeout 0.6 s (60 s at 1/100), a ping every 0.25 s for 1.5 s: alive; then cut 0.6 s after the last.
    QVERIFY(startProxy({model(QStringLiteral("nginx"))}, 100));
    Session *session = openSession();
    QCOMPARE(session->state(), Session::State::Open);
    ProxyConnection *connection = m_proxy->connections().constFirst();
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 1500) {
        session->sendPing("hb");
        QTest::qWait(250);
        QCOMPARE(session->state(), Session::State::Open);
    }
    QVERIFY(!connection->cut());
    QVERIFY(QTest::qWaitFor([&] { return connection->cut().has_value(); }, 2000));
    const qint64 lastFrameNs = connection->frameLog()->frame(connection->frameLog()->frameCount() - 1).timeNs;
    const qint64 afterLastMs = (connection->cut()->atNs - lastFrameNs) / 1000000;
    // nginx's 300 ms precision, scaled: 3 ms.
    QVERIFY2(afterLastMs >= 595 && afterLastMs < 700, qPrintable(QString::number(afterLastMs)));
}

void tst_TimeoutProxy::upstreamDownIsA502()
{
    const quint16 port = m_server->port();
    m_server.reset(); // nothing listens there now
    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    m_proxy = std::make_unique<TimeoutProxy>(options);
    QVERIFY(m_proxy->listen());
    Session *session = openSession();
    QCOMPARE(session->state(), Session::State::Closed);
    QCOMPARE(session->handshake().response.statusCode, 502);
}

QTEST_GUILESS_MAIN(tst_TimeoutProxy)
#include "tst_timeoutproxy.moc"

void tst_TimeoutProxy::framesSentWhileTheUpstreamIsDialledAllArrive()
{
    // An upstream whose accept queue is full: Linux drops the proxy's SYN and sends it again about 1 s later, so the
    // client's request and the frames it sends meanwhile reach the proxy in several reads before the upstream is
    // connected. Every frame must reach the server, in order.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(listener >= 0);
    const auto closeListener = qScopeGuard([listener] { ::close(listener); });
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(listener, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(listener, 0), 0); // room for one connection not yet accepted
    socklen_t length = sizeof address;
    QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);
    QCOMPARE(::fcntl(listener, F_SETFL, O_NONBLOCK), 0);
    const quint16 upstreamPort = ntohs(address.sin_port);
    QTcpSocket filler; // takes that room
    filler.connectToHost(QStringLiteral("127.0.0.1"), upstreamPort);
    QVERIFY(filler.waitForConnected(waitMs));

    ProxyOptions options;
    options.upstream = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(upstreamPort));
    m_proxy = std::make_unique<TimeoutProxy>(options);
    QVERIFY2(m_proxy->listen(), qPrintable(m_proxy->errorString()));
    QTcpSocket client;
    client.connectToHost(QStringLiteral("127.0.0.1"), m_proxy->port());
    QVERIFY(client.waitForConnected(waitMs));
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    client.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                 "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray frames;
    for (const QByteArray &payload : {QByteArray("first"), QByteArray("second"), QByteArray("third")}) {
        QTest::qWait(100); // a read of its own each
        client.write(maskedText(payload));
        client.flush();
        frames += maskedText(payload);
    }
    QTest::qWait(100);

    // Make room: the proxy's next SYN is taken, and the server answers the upgrade.
    const int fillerFd = ::accept(listener, nullptr, nullptr);
    QVERIFY(fillerFd >= 0);
    ::close(fillerFd);
    int upstreamFd = -1;
    QVERIFY(QTest::qWaitFor([&] { return (upstreamFd = ::accept(listener, nullptr, nullptr)) >= 0; }, waitMs));
    const auto closeUpstream = qScopeGuard([upstreamFd] { ::close(upstreamFd); });
    const QByteArray request = readUntil(
        upstreamFd, [](const QByteArray &bytes) { return bytes.contains("\r\n\r\n"); }, waitMs);
    QVERIFY2(request.startsWith("GET / HTTP/1.1\r\n") && request.endsWith("\r\n\r\n"), request.constData());
    const QByteArray accept =
        QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
            .toBase64();
    const QByteArray answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
        accept + "\r\n\r\n";
    QCOMPARE(::send(upstreamFd, answer.constData(), size_t(answer.size()), 0), ssize_t(answer.size()));

    const QByteArray relayed = readUntil(
        upstreamFd, [&](const QByteArray &bytes) { return bytes.size() >= frames.size(); }, waitMs);
    QCOMPARE(relayed.toHex(), frames.toHex());
    ProxyConnection *connection = m_proxy->connections().constFirst();
    QVERIFY(QTest::qWaitFor([&] { return connection->frameLog()->frameCount() == 3; }, waitMs));
}
