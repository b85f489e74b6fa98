// SPDX-License-Identifier: GPL-3.0-or-later
// Session against the built-in echo server (a real QWebSocketServer on 127.0.0.1).
#include "core/protocol/Opcode.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"

#include <QSignalSpy>
#include <QTest>

using namespace wsi;

class tst_Session : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void handshakeIsRecorded();
    void textBinaryFragmentedAndPingRoundTrip();
    void clientCloseIsClean();
    void serverVanishingIs1006();
    void refusedConnectionIsReported();
    void notificationsAreCoalesced();
    void ipv6Loopback();
    void hostNameIsResolvedAndTimed();

private:
    std::unique_ptr<Session> openSession(SessionOptions options = {});
    static bool waitFor(const std::function<bool()> &condition, int timeoutMs = 10000);

    std::unique_ptr<EchoServer> m_server;
};

void tst_Session::init()
{
    m_server = std::make_unique<EchoServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void tst_Session::cleanup()
{
    m_server.reset();
}

bool tst_Session::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

std::unique_ptr<Session> tst_Session::openSession(SessionOptions options)
{
    if (options.url.isEmpty())
        options.url = m_server->url();
    auto session = std::make_unique<Session>(options);
    session->open();
    if (!waitFor([&] { return session->state() != Session::State::Connecting; }))
        qWarning("session still connecting");
    return session;
}

void tst_Session::handshakeIsRecorded()
{
    auto session = openSession();
    QCOMPARE(session->state(), Session::State::Open);
    const HandshakeRecord h = session->handshake();
    QVERIFY(h.accepted);
    QVERIFY(h.requestBytes.startsWith("GET / HTTP/1.1\r\n"));
    QCOMPARE(h.response.statusCode, 101);
    QVERIFY(h.response.headers.contains("Sec-WebSocket-Accept"));
    QVERIFY(h.timings.connectNs >= 0);
    QVERIFY(h.timings.upgradeNs >= 0);
    QCOMPARE(h.timings.dnsNs, qint64(-1)); // 127.0.0.1 is a literal: no lookup
    QCOMPARE(h.timings.tlsNs, qint64(-1));
    QVERIFY(h.violations.isEmpty());
}

void tst_Session::textBinaryFragmentedAndPingRoundTrip()
{
    auto session = openSession();
    QCOMPARE(session->state(), Session::State::Open);
    session->sendText(QStringLiteral("héllo"));
    session->sendMessage(MessageType::Binary, QByteArray("\x00\x01\x02", 3));
    session->sendMessage(MessageType::Text, QByteArray("fragmented message"), 4);
    session->sendPing("p1");
    const auto log = session->frameLog();
    // Out: 1 + 1 + 4 + 1 frames; in: 3 echoed messages + 1 pong.
    QVERIFY(waitFor([&] { return log->messageCount() >= 6 && log->frameCount() >= 11; }));

    QList<QByteArray> incomingMessages;
    for (qsizetype i = 0; i < log->messageCount(); ++i) {
        if (log->message(i).direction == Direction::Incoming)
            incomingMessages << log->messagePayload(i).toByteArray();
    }
    QCOMPARE(incomingMessages, (QList<QByteArray>{QStringLiteral("héllo").toUtf8(), QByteArray("\x00\x01\x02", 3),
                                                  QByteArray("fragmented message")}));
    int outgoingContinuations = 0;
    bool pongSeen = false;
    for (qsizetype i = 0; i < log->frameCount(); ++i) {
        const FrameRecord &r = log->frame(i);
        if (r.direction() == Direction::Outgoing) {
            QVERIFY(r.has(FrameRecord::Masked));
            outgoingContinuations += r.opcode == 0 ? 1 : 0;
        } else {
            QVERIFY(!r.has(FrameRecord::Masked));
            if (r.opcode == Opcodes::value(Opcode::Pong)) {
                pongSeen = true;
                QCOMPARE(log->framePayload(i), QByteArrayView("p1"));
            }
        }
        QCOMPARE(r.violationMask, quint64(0));
        if (i > 0)
            QVERIFY(r.timeNs >= log->frame(i - 1).timeNs);
    }
    QCOMPARE(outgoingContinuations, 3);
    QVERIFY(pongSeen);

    // The pong was matched to our ping: one round trip, from the ping's frame to the pong's.
    QCOMPARE(log->roundTripCount(), 1);
    const RoundTrip &trip = log->roundTrip(0);
    QCOMPARE(log->frame(trip.pingFrame).opcode, Opcodes::value(Opcode::Ping));
    QCOMPARE(log->frame(trip.pongFrame).opcode, Opcodes::value(Opcode::Pong));
    QCOMPARE(trip.rttNs, log->frame(trip.pongFrame).timeNs - log->frame(trip.pingFrame).timeNs);
    QVERIFY(trip.rttNs >= 0);
}

void tst_Session::clientCloseIsClean()
{
    auto session = openSession();
    QSignalSpy closed(session.get(), &Session::closed);
    session->sendClose(1000, QStringLiteral("done"));
    QVERIFY(closed.wait(10000));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Client);
    QVERIFY(close->clean);
    QCOMPARE(close->code, quint16(1000));
    QVERIFY(close->closeSent && close->closeReceived);
    QCOMPARE(session->state(), Session::State::Closed);
}

void tst_Session::serverVanishingIs1006()
{
    auto session = openSession();
    QSignalSpy closed(session.get(), &Session::closed);
    QTest::qWait(50);
    m_server->close(); // aborts every client: TCP ends with no Close frame
    QVERIFY(closed.wait(10000));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QCOMPARE(close->code, quint16(1006));
    QVERIFY(!close->clean);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Transport);
    QVERIFY(close->idleInNs >= 40'000'000);
}

void tst_Session::refusedConnectionIsReported()
{
    const quint16 port = m_server->port();
    m_server.reset(); // nobody listens there now
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Closed);
    const HandshakeRecord h = session->handshake();
    QVERIFY(!h.accepted);
    QVERIFY2(h.explanation.contains(QStringLiteral("could not connect")), qPrintable(h.explanation));
    QCOMPARE(session->closeRecord()->code, quint16(1006));
}

void tst_Session::notificationsAreCoalesced()
{
    auto session = openSession();
    QSignalSpy appended(session.get(), &Session::framesAppended);
    for (int i = 0; i < 500; ++i)
        session->sendText(QStringLiteral("message %1").arg(i));
    const auto log = session->frameLog();
    QVERIFY(waitFor([&] { return log->frameCount() >= 1000; }));
    QTest::qWait(3 * Session::notifyIntervalMs);
    QVERIFY(!appended.isEmpty());
    // Far fewer notifications than frames, and the last one carries the full count.
    QVERIFY2(appended.size() < 100, qPrintable(QString::number(appended.size())));
    QCOMPARE(appended.last().at(0).value<qsizetype>(), log->frameCount());
}

void tst_Session::ipv6Loopback()
{
    EchoServer server;
    if (!server.listen(QHostAddress::LocalHostIPv6))
        QSKIP("this machine has no IPv6 loopback");
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://[::1]:%1/").arg(server.port()));
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Open);
    QCOMPARE(session->handshake().peerAddress, QStringLiteral("[::1]:%1").arg(server.port()));
    QVERIFY(
        session->handshake().requestBytes.contains(QStringLiteral("Host: [::1]:%1\r\n").arg(server.port()).toLatin1()));
    session->sendText(QStringLiteral("over IPv6"));
    QVERIFY(waitFor([&] { return session->frameLog()->messageCount() >= 2; }));
}

void tst_Session::hostNameIsResolvedAndTimed()
{
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://localhost:%1/").arg(m_server->port()));
    auto session = openSession(options);
    // "localhost" may resolve to ::1 first, where nobody listens: the session then tries 127.0.0.1.
    QCOMPARE(session->state(), Session::State::Open);
    QVERIFY(session->handshake().timings.dnsNs >= 0);
    QVERIFY(session->handshake().requestBytes.contains("Host: localhost:"));
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
