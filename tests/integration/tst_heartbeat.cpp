// SPDX-License-Identifier: GPL-3.0-or-later
// The heartbeat engine and auto-reconnect against real servers on 127.0.0.1: the built-in echo server (which
// answers pings, as QWebSocketServer always does) and a small scripted peer of this test that can ignore pings,
// ping the client, and drop connections. Intervals of 50-300 ms keep every test under a few seconds.
#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/Opcode.h"
#include "core/server/EchoServer.h"
#include "core/session/HeartbeatEngine.h"
#include "core/session/Reconnector.h"
#include "core/session/Session.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace wsi;

namespace {

constexpr qint64 ms = 1'000'000;

// A WebSocket server written for these tests, on raw TCP, so it can do what a QWebSocketServer cannot: leave pings
// unanswered, and drop connections without a Close frame.
class ScriptedPeer final : public QObject
{
public:
    struct Behaviour {
        bool answerPings = true;
        int pingEveryMs = 0;     // ping the client this often (0: never)
        int dropAfterMs = -1;    // drop each connection this long after its upgrade (-1: never)
        int dropConnections = 0; // ... only the first n connections (0: all of them)
    };

    explicit ScriptedPeer(Behaviour behaviour)
        : m_behaviour(behaviour)
    {
        m_clock.start();
        connect(&m_server, &QTcpServer::newConnection, this, &ScriptedPeer::onNewConnection);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }

    int connections() const { return int(m_upgradedAtMs.size()); }
    QList<qint64> upgradedAtMs() const { return m_upgradedAtMs; }
    QList<qint64> droppedAtMs() const { return m_droppedAtMs; }
    // Text messages received, per connection (index 0: the first).
    QList<QList<QByteArray>> texts() const { return m_texts; }
    int pingsReceived() const { return m_pingsReceived; }
    int pingsSent() const { return m_pingsSent; }
    int pongsReceived() const { return m_pongsReceived; }

private:
    struct Connection {
        QTcpSocket *socket = nullptr;
        QByteArray request;
        bool upgraded = false;
        int index = -1;
        FrameParser parser{Endpoint::Client};
    };

    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            auto connection = std::make_shared<Connection>();
            connection->socket = socket;
            connect(socket, &QTcpSocket::readyRead, this, [this, connection] { onReadyRead(*connection); });
        }
    }

    void onReadyRead(Connection &c)
    {
        if (!c.upgraded) {
            c.request += c.socket->readAll();
            if (!c.request.contains("\r\n\r\n"))
                return;
            QByteArray key;
            for (const QByteArray &line : c.request.split('\n')) {
                if (line.toLower().startsWith("sec-websocket-key:"))
                    key = line.mid(18).trimmed();
            }
            c.socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: " +
                            HandshakeRequest::computeAccept(key) + "\r\n\r\n");
            c.upgraded = true;
            c.index = int(m_upgradedAtMs.size());
            m_upgradedAtMs.append(m_clock.elapsed());
            m_texts.append(QList<QByteArray>());
            startBehaviour(c.socket, c.index);
            return;
        }
        const QByteArray bytes = c.socket->readAll();
        QByteArrayView input(bytes);
        FrameEvent event;
        while (c.parser.next(input, event)) {
            const quint8 opcode = event.header.opcode;
            if (opcode == Opcodes::value(Opcode::Text)) {
                m_texts[c.index].append(event.payload.toByteArray());
            } else if (opcode == Opcodes::value(Opcode::Ping)) {
                ++m_pingsReceived;
                if (m_behaviour.answerPings)
                    write(c.socket, Opcode::Pong, event.payload);
            } else if (opcode == Opcodes::value(Opcode::Pong)) {
                ++m_pongsReceived;
            } else if (opcode == Opcodes::value(Opcode::Close)) {
                write(c.socket, Opcode::Close, event.payload);
                c.socket->disconnectFromHost();
            }
        }
    }

    void startBehaviour(QTcpSocket *socket, int index)
    {
        if (m_behaviour.pingEveryMs > 0) {
            auto *timer = new QTimer(socket);
            connect(timer, &QTimer::timeout, socket, [this, socket] {
                if (socket->state() != QAbstractSocket::ConnectedState)
                    return;
                ++m_pingsSent;
                write(socket, Opcode::Ping, QByteArray("server-ping"));
            });
            timer->start(m_behaviour.pingEveryMs);
        }
        const bool drops =
            m_behaviour.dropAfterMs >= 0 && (m_behaviour.dropConnections == 0 || index < m_behaviour.dropConnections);
        if (drops) {
            QTimer::singleShot(m_behaviour.dropAfterMs, socket, [this, socket] {
                m_droppedAtMs.append(m_clock.elapsed());
                socket->abort();
            });
        }
    }

    void write(QTcpSocket *socket, Opcode opcode, QByteArrayView payload)
    {
        FrameSpec spec;
        spec.opcode = Opcodes::value(opcode);
        QByteArray bytes;
        m_writer.append(bytes, spec, payload);
        socket->write(bytes);
    }

    Behaviour m_behaviour;
    QTcpServer m_server;
    QElapsedTimer m_clock;
    FrameWriter m_writer{Endpoint::Server};
    QList<qint64> m_upgradedAtMs;
    QList<qint64> m_droppedAtMs;
    QList<QList<QByteArray>> m_texts;
    int m_pingsReceived = 0;
    int m_pingsSent = 0;
    int m_pongsReceived = 0;
};

QList<HeartbeatEvent> eventsOf(const HeartbeatHistory &history, HeartbeatEvent::Kind kind)
{
    QList<HeartbeatEvent> events;
    for (qsizetype i = 0; i < history.eventCount(); ++i) {
        if (history.event(i).kind == kind)
            events.append(history.event(i));
    }
    return events;
}

QList<qsizetype> framesOf(const FrameLog &log, Direction direction, Opcode opcode)
{
    QList<qsizetype> frames;
    for (qsizetype i = 0; i < log.frameCount(); ++i) {
        const FrameRecord &r = log.frame(i);
        if (r.direction() == direction && r.opcode == Opcodes::value(opcode))
            frames.append(i);
    }
    return frames;
}

HeartbeatSettings pingEvery(qint64 intervalMs, std::optional<qint64> timeoutMs = std::nullopt)
{
    HeartbeatSettings settings;
    settings.kind = HeartbeatSettings::Kind::Ping;
    settings.intervalMs = intervalMs;
    settings.replyTimeoutMs = timeoutMs;
    return settings;
}

} // namespace

class tst_Heartbeat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pingsAtIntervalWithRoundTrips();
    void unansweredPingsGoLateThenDeadAndClose1011();
    void deadHeartbeatCanAbortOrKeepOpen();
    void stopAnsweringPingsAfterN();
    void receiveTimeoutEndsASilentConnection();
    void appHeartbeatFromTemplate();
    void unsolicitedPongs();
    void reconnectsWithBackoffAndResendsOnConnectMessages();
    void reconnectGivesUpAfterMaxAttempts();
    void cleanClientCloseDoesNotReconnect();
    void stopCancelsPendingReconnect();

private:
    static std::unique_ptr<Session> openSession(const SessionOptions &options);
};

std::unique_ptr<Session> tst_Heartbeat::openSession(const SessionOptions &options)
{
    auto session = std::make_unique<Session>(options);
    session->open();
    if (!QTest::qWaitFor([&] { return session->state() != Session::State::Connecting; }, 10000))
        qWarning("session still connecting");
    return session;
}

void tst_Heartbeat::pingsAtIntervalWithRoundTrips()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options;
    options.url = server.url();
    options.heartbeat = pingEvery(100);
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Open);
    QSignalSpy updates(session.get(), &Session::heartbeatUpdated);
    const auto history = session->heartbeatHistory();
    QVERIFY(QTest::qWaitFor([&] { return history->status().repliesReceived >= 5; }, 5000));

    const auto log = session->frameLog();
    const QList<qsizetype> pings = framesOf(*log, Direction::Outgoing, Opcode::Ping);
    QVERIFY(pings.size() >= 5);
    QCOMPARE(log->framePayload(pings[0]), QByteArrayView("wsi-hb-1"));
    QCOMPARE(log->framePayload(pings[1]), QByteArrayView("wsi-hb-2"));
    // One interval apart (precise timers; generous bounds for a busy machine).
    const qint64 firstAfterOpen = log->frame(pings[0]).timeNs - session->handshake().timings.upgradeNs;
    QVERIFY(firstAfterOpen >= 80 * ms);
    for (qsizetype i = 1; i < pings.size(); ++i) {
        const qint64 gap = log->frame(pings[i]).timeNs - log->frame(pings[i - 1]).timeNs;
        QVERIFY2(gap >= 90 * ms && gap <= 250 * ms, qPrintable(QString::number(gap / ms)));
    }

    const QList<HeartbeatEvent> sent = eventsOf(*history, HeartbeatEvent::Kind::Sent);
    const QList<HeartbeatEvent> replies = eventsOf(*history, HeartbeatEvent::Kind::Reply);
    QVERIFY(replies.size() >= 5);
    QCOMPARE(sent[0].frame, pings[0]);
    QCOMPARE(sent[0].sequence, quint64(1));
    for (const HeartbeatEvent &reply : replies) {
        QVERIFY(reply.rttNs >= 0 && reply.rttNs < 100 * ms);
        QCOMPARE(reply.health, HeartbeatEvent::Health::Healthy);
        QCOMPARE(reply.missed, 0);
        QCOMPARE(log->frame(reply.frame).opcode, Opcodes::value(Opcode::Pong));
    }
    // The FrameLog has the same round trips.
    QVERIFY(log->roundTripCount() >= 5);
    QCOMPARE(log->roundTrip(0).rttNs, replies[0].rttNs);
    QVERIFY(eventsOf(*history, HeartbeatEvent::Kind::Missed).isEmpty());
    const HeartbeatStatus status = history->status();
    QCOMPARE(status.health, HeartbeatEvent::Health::Healthy);
    QVERIFY(status.lastRttNs >= 0);
    QVERIFY(status.heartbeatsSent >= status.repliesReceived);
    // Coalesced: far fewer notifications than events would be fine, never more than events.
    QVERIFY(updates.size() >= 1);
    QVERIFY(updates.size() <= history->eventCount());
    QCOMPARE(session->state(), Session::State::Open);
}

void tst_Heartbeat::unansweredPingsGoLateThenDeadAndClose1011()
{
    ScriptedPeer peer({.answerPings = false});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.heartbeat = pingEvery(100, 150);
    options.heartbeat.missesUntilDead = 2;
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Open);
    QSignalSpy closed(session.get(), &Session::closed);
    QVERIFY(closed.wait(5000));

    const auto history = session->heartbeatHistory();
    const QList<HeartbeatEvent> misses = eventsOf(*history, HeartbeatEvent::Kind::Missed);
    QCOMPARE(misses.size(), 2);
    QCOMPARE(misses[0].missed, 1);
    QCOMPARE(misses[0].health, HeartbeatEvent::Health::Late);
    QVERIFY(misses[0].healthChanged);
    QCOMPARE(misses[1].missed, 2);
    QCOMPARE(misses[1].health, HeartbeatEvent::Health::Dead);
    QVERIFY(misses[1].healthChanged);
    // Ping 1 at ~100 ms waits 150 ms; ping 2 at ~200 ms: dead at ~350 ms.
    QVERIFY2(misses[1].timeNs >= 300 * ms && misses[1].timeNs < 1500 * ms,
             qPrintable(QString::number(misses[1].timeNs / ms)));
    QVERIFY(peer.pingsReceived() >= 2);

    // Like Python websockets: Close 1011 "keepalive ping timeout", and the connection is gone without waiting.
    const auto log = session->frameLog();
    const QList<qsizetype> closes = framesOf(*log, Direction::Outgoing, Opcode::Close);
    QCOMPARE(closes.size(), 1);
    const QByteArrayView payload = log->framePayload(closes[0]);
    QCOMPARE(payload.first(2), QByteArrayView("\x03\xf3", 2)); // 1011
    QCOMPARE(payload.sliced(2), QByteArrayView("keepalive ping timeout"));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QVERIFY(!close->clean);
    QVERIFY(close->closeSent);
    QCOMPARE(close->initiator, CloseRecord::Initiator::Client);
    QVERIFY2(close->error.contains(QStringLiteral("heartbeat dead")), qPrintable(close->error));
    QCOMPARE(history->status().health, HeartbeatEvent::Health::Dead);
    QVERIFY(close->atNs - misses[1].timeNs < 1000 * ms);
}

void tst_Heartbeat::receiveTimeoutEndsASilentConnection()
{
    // A preset like the Socket.IO client's: nothing of its own to send here, but nothing received for 300 ms is
    // a dead connection, closed like a missed reply.
    ScriptedPeer peer({.answerPings = false});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.heartbeat.receiveTimeoutMs = 300;
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Open);
    QSignalSpy closed(session.get(), &Session::closed);
    QVERIFY(closed.wait(5000));
    const auto history = session->heartbeatHistory();
    const QList<HeartbeatEvent> misses = eventsOf(*history, HeartbeatEvent::Kind::Missed);
    QCOMPARE(misses.size(), 1);
    QCOMPARE(misses[0].health, HeartbeatEvent::Health::Dead);
    const qint64 afterOpen = misses[0].timeNs - session->handshake().timings.upgradeNs;
    QVERIFY2(afterOpen >= 280 * ms && afterOpen < 1500 * ms, qPrintable(QString::number(afterOpen / ms)));
    const auto close = session->closeRecord();
    QVERIFY(close);
    QVERIFY2(close->error.contains(QStringLiteral("receive timeout")), qPrintable(close->error));
    QCOMPARE(history->status().health, HeartbeatEvent::Health::Dead);
}

void tst_Heartbeat::deadHeartbeatCanAbortOrKeepOpen()
{
    ScriptedPeer peer({.answerPings = false});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.heartbeat = pingEvery(60, 60);
    options.heartbeat.missesUntilDead = 1;
    options.heartbeat.whenDead = HeartbeatSettings::WhenDead::Abort;
    {
        auto session = openSession(options);
        QSignalSpy closed(session.get(), &Session::closed);
        QVERIFY(closed.wait(5000));
        const auto close = session->closeRecord();
        QVERIFY(close && !close->closeSent && !close->clean);
        QCOMPARE(close->code, quint16(1006));
        QVERIFY(framesOf(*session->frameLog(), Direction::Outgoing, Opcode::Close).isEmpty());
    }
    options.heartbeat.whenDead = HeartbeatSettings::WhenDead::KeepOpen;
    auto session = openSession(options);
    const auto history = session->heartbeatHistory();
    QVERIFY(QTest::qWaitFor([&] { return eventsOf(*history, HeartbeatEvent::Kind::Missed).size() >= 3; }, 5000));
    QCOMPARE(history->status().health, HeartbeatEvent::Health::Dead);
    QCOMPARE(session->state(), Session::State::Open); // watched, not closed
}

void tst_Heartbeat::stopAnsweringPingsAfterN()
{
    ScriptedPeer peer({.pingEveryMs = 40});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.heartbeat.stopAnsweringPingsAfter = 2;
    auto session = openSession(options);
    QCOMPARE(session->state(), Session::State::Open);
    QVERIFY(QTest::qWaitFor([&] { return peer.pingsSent() >= 6; }, 5000));
    QTest::qWait(100); // any pong would be back by now

    QCOMPARE(peer.pongsReceived(), 2);
    const auto log = session->frameLog();
    QCOMPARE(framesOf(*log, Direction::Outgoing, Opcode::Pong).size(), 2);
    QVERIFY(framesOf(*log, Direction::Incoming, Opcode::Ping).size() >= 6);
    const auto history = session->heartbeatHistory();
    const QList<HeartbeatEvent> stopped = eventsOf(*history, HeartbeatEvent::Kind::StoppedAnswering);
    QCOMPARE(stopped.size(), 1); // said once, not per ping
    QCOMPARE(stopped[0].sequence, quint64(2));
    QVERIFY(history->status().stoppedAnsweringPings);
    QCOMPARE(session->state(), Session::State::Open);
}

void tst_Heartbeat::appHeartbeatFromTemplate()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options;
    options.url = server.url();
    options.heartbeat.kind = HeartbeatSettings::Kind::App;
    options.heartbeat.intervalMs = 80;
    options.heartbeat.replyTimeoutMs = 200;
    options.heartbeat.appMessage = QByteArrayLiteral(R"({"op":"ping","ref":{{seq}}})");
    auto session = openSession(options);
    const auto history = session->heartbeatHistory();
    QVERIFY(QTest::qWaitFor([&] { return history->status().repliesReceived >= 3; }, 5000));

    const auto log = session->frameLog();
    QList<QByteArray> sent;
    for (qsizetype i = 0; i < log->messageCount(); ++i) {
        if (log->message(i).direction == Direction::Outgoing)
            sent << log->messagePayload(i).toByteArray();
    }
    QVERIFY(sent.size() >= 3);
    QCOMPARE(sent[0], QByteArray(R"({"op":"ping","ref":1})"));
    QCOMPARE(sent[1], QByteArray(R"({"op":"ping","ref":2})"));
    const QList<HeartbeatEvent> replies = eventsOf(*history, HeartbeatEvent::Kind::Reply);
    QVERIFY(replies[0].rttNs >= 0 && replies[0].rttNs < 80 * ms);
    QCOMPARE(history->status().health, HeartbeatEvent::Health::Healthy);
}

void tst_Heartbeat::unsolicitedPongs()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options;
    options.url = server.url();
    options.heartbeat.kind = HeartbeatSettings::Kind::Pong;
    options.heartbeat.intervalMs = 50;
    auto session = openSession(options);
    const auto history = session->heartbeatHistory();
    QVERIFY(QTest::qWaitFor([&] { return history->status().heartbeatsSent >= 4; }, 5000));
    QTest::qWait(60);
    QVERIFY(framesOf(*session->frameLog(), Direction::Outgoing, Opcode::Pong).size() >= 4);
    QVERIFY(eventsOf(*history, HeartbeatEvent::Kind::Missed).isEmpty()); // no answer expected
    QCOMPARE(history->status().health, HeartbeatEvent::Health::Healthy);
    QCOMPARE(session->state(), Session::State::Open);
}

void tst_Heartbeat::reconnectsWithBackoffAndResendsOnConnectMessages()
{
    // The first two connections are dropped 150 ms after their upgrade; the third stays.
    ScriptedPeer peer({.dropAfterMs = 150, .dropConnections = 2});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.onConnectMessages = {{OnConnectMessage::Kind::Text, "auth secret"},
                                 {OnConnectMessage::Kind::Text, "subscribe ticks"}};
    options.reconnect.enabled = true;
    options.reconnect.maxAttempts = 3;
    options.reconnect.initialDelayMs = 200;
    options.reconnect.factor = 2;
    options.reconnect.jitter = 0.5;

    std::vector<std::unique_ptr<Session>> sessions;
    Reconnector reconnector(options, [&](const SessionOptions &o) {
        sessions.push_back(std::make_unique<Session>(o));
        return sessions.back().get();
    });
    reconnector.setRandomSeed(99);
    QSignalSpy started(&reconnector, &Reconnector::sessionStarted);
    QSignalSpy scheduled(&reconnector, &Reconnector::reconnectScheduled);
    QSignalSpy finished(&reconnector, &Reconnector::finished);
    reconnector.start();
    QVERIFY(QTest::qWaitFor([&] { return peer.connections() >= 3 && peer.texts().value(2).size() >= 2; }, 10000));
    QTest::qWait(100);

    QCOMPARE(started.size(), 3);
    QCOMPARE(started[2][1].toInt(), 3);
    QCOMPARE(scheduled.size(), 2);
    // Attempt n waits between base/2 and base: 100-200 ms, then 200-400 ms.
    const qint64 first = scheduled[0][1].toLongLong();
    const qint64 second = scheduled[1][1].toLongLong();
    QCOMPARE(scheduled[0][0].toInt(), 1);
    QCOMPARE(scheduled[1][0].toInt(), 2);
    QVERIFY2(first >= 100 && first <= 200, qPrintable(QString::number(first)));
    QVERIFY2(second >= 200 && second <= 400, qPrintable(QString::number(second)));
    // The same seed gives the same delays.
    ReconnectBackoff expected(options.reconnect, 99);
    QCOMPARE(first, expected.delayMs(1));
    QCOMPARE(second, expected.delayMs(2));
    // The waits really happened: each new connection came at least its delay after the drop.
    const QList<qint64> drops = peer.droppedAtMs();
    const QList<qint64> upgrades = peer.upgradedAtMs();
    QVERIFY2(upgrades[1] - drops[0] >= first - 20, qPrintable(QString::number(upgrades[1] - drops[0])));
    QVERIFY2(upgrades[2] - drops[1] >= second - 20, qPrintable(QString::number(upgrades[2] - drops[1])));
    QVERIFY(upgrades[2] - drops[1] < second + 1000);

    // Every connection authenticated and subscribed again, in order.
    const QList<QByteArray> expectedTexts{"auth secret", "subscribe ticks"};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(peer.texts()[i], expectedTexts);
    // Each attempt is its own session: the dropped ones ended abnormally, the last is open.
    QCOMPARE(reconnector.connectionCount(), 3);
    QCOMPARE(sessions[0]->closeRecord()->code, quint16(1006));
    QCOMPARE(sessions[1]->state(), Session::State::Closed);
    QCOMPARE(sessions[2]->state(), Session::State::Open);
    QCOMPARE(reconnector.currentSession(), sessions[2].get());
    QVERIFY(finished.isEmpty());
    QVERIFY(!reconnector.isWaiting());
}

void tst_Heartbeat::reconnectGivesUpAfterMaxAttempts()
{
    ScriptedPeer peer({.dropAfterMs = 20});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.reconnect.enabled = true;
    options.reconnect.maxAttempts = 2;
    options.reconnect.initialDelayMs = 50;
    std::vector<std::unique_ptr<Session>> sessions;
    Reconnector reconnector(options, [&](const SessionOptions &o) {
        sessions.push_back(std::make_unique<Session>(o));
        return sessions.back().get();
    });
    QSignalSpy scheduled(&reconnector, &Reconnector::reconnectScheduled);
    QSignalSpy finished(&reconnector, &Reconnector::finished);
    reconnector.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(scheduled.size(), 2);
    QCOMPARE(reconnector.connectionCount(), 3); // the first plus two attempts
    QVERIFY2(reconnector.finishReason().contains(QStringLiteral("gave up")), qPrintable(reconnector.finishReason()));
    QVERIFY(reconnector.isFinished());
}

void tst_Heartbeat::cleanClientCloseDoesNotReconnect()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options;
    options.url = server.url();
    options.reconnect.enabled = true;
    options.reconnect.initialDelayMs = 10;
    std::vector<std::unique_ptr<Session>> sessions;
    Reconnector reconnector(options, [&](const SessionOptions &o) {
        sessions.push_back(std::make_unique<Session>(o));
        return sessions.back().get();
    });
    QSignalSpy finished(&reconnector, &Reconnector::finished);
    reconnector.start();
    QVERIFY(QTest::qWaitFor([&] { return !sessions.empty() && sessions[0]->state() == Session::State::Open; }));
    sessions[0]->sendClose(1000);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reconnector.connectionCount(), 1);
    QVERIFY(reconnector.finishReason().contains(QStringLiteral("client closed")));
}

void tst_Heartbeat::stopCancelsPendingReconnect()
{
    ScriptedPeer peer({.dropAfterMs = 10});
    QVERIFY(peer.listen());
    SessionOptions options;
    options.url = peer.url();
    options.reconnect.enabled = true;
    options.reconnect.initialDelayMs = 5000; // long enough to be waiting when stop() comes
    std::vector<std::unique_ptr<Session>> sessions;
    Reconnector reconnector(options, [&](const SessionOptions &o) {
        sessions.push_back(std::make_unique<Session>(o));
        return sessions.back().get();
    });
    QSignalSpy scheduled(&reconnector, &Reconnector::reconnectScheduled);
    QSignalSpy finished(&reconnector, &Reconnector::finished);
    reconnector.start();
    QVERIFY(scheduled.wait(5000));
    QVERIFY(reconnector.isWaiting());
    QVERIFY(reconnector.remainingDelayMs() > 0);
    reconnector.stop();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!reconnector.isWaiting());
    QTest::qWait(50);
    QCOMPARE(reconnector.connectionCount(), 1);
}

QTEST_GUILESS_MAIN(tst_Heartbeat)
#include "tst_heartbeat.moc"
