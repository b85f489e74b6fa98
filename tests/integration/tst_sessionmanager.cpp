// SPDX-License-Identifier: GPL-3.0-or-later
// SessionManager: sessions on the network thread, commands queued to it, signals queued back.
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"

#include <QSignalSpy>
#include <QTest>

using namespace wsi;

class tst_SessionManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sessionsRunOnTheNetworkThread();
    void hundredSessionsThousandMessagesEach();
    void removeSessionWhileOpen();
};

static bool allOpen(const QList<Session *> &sessions)
{
    return std::all_of(sessions.cbegin(), sessions.cend(),
                       [](const Session *s) { return s->state() == Session::State::Open; });
}

void tst_SessionManager::sessionsRunOnTheNetworkThread()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionManager manager;
    SessionOptions options;
    options.url = server.url();
    Session *session = manager.createSession(options);
    QCOMPARE(session->thread(), manager.networkThread());
    QVERIFY(manager.networkThread() != QThread::currentThread());

    QSignalSpy appended(session, &Session::framesAppended);
    QThread *signalThread = nullptr;
    connect(session, &Session::handshakeFinished, this, [&] { signalThread = QThread::currentThread(); });
    SessionManager::post(session, [](Session *s) { s->open(); });
    QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Open; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return signalThread != nullptr; }, 5000));
    QCOMPARE(signalThread, QThread::currentThread()); // queued back to the thread that owns the receiver

    SessionManager::post(session, [](Session *s) { s->sendText(QStringLiteral("over the thread")); });
    QVERIFY(QTest::qWaitFor([&] { return session->frameLog()->messageCount() >= 2; }, 10000));
    QVERIFY(appended.wait(1000) || !appended.isEmpty());
}

// 100 sessions in one manager, 1,000 numbered messages each through the echo server: every echo arrives, in
// order, on the right session.
void tst_SessionManager::hundredSessionsThousandMessagesEach()
{
    constexpr int sessionCount = 100;
    constexpr int messagesEach = 1000;
    EchoServer server;
    QVERIFY(server.listen());
    SessionManager manager;
    QList<Session *> sessions;
    for (int i = 0; i < sessionCount; ++i) {
        SessionOptions options;
        options.url = server.url();
        Session *session = manager.createSession(options);
        sessions << session;
        SessionManager::post(session, [](Session *s) { s->open(); });
    }
    QVERIFY(QTest::qWaitFor([&] { return allOpen(sessions); }, 30000));
    for (int i = 0; i < sessionCount; ++i) {
        SessionManager::post(sessions[i], [i](Session *s) {
            for (int m = 0; m < messagesEach; ++m)
                s->sendText(QStringLiteral("%1:%2").arg(i).arg(m));
        });
    }
    auto incoming = [](const Session *s) {
        const auto log = s->frameLog();
        QList<QByteArray> messages;
        for (qsizetype k = 0; k < log->messageCount(); ++k) {
            if (log->message(k).direction == Direction::Incoming)
                messages << log->messagePayload(k).toByteArray();
        }
        return messages;
    };
    const bool allArrived = QTest::qWaitFor(
        [&] {
            return std::all_of(sessions.cbegin(), sessions.cend(),
                               [](const Session *s) { return s->frameLog()->messageCount() >= 2 * messagesEach; });
        },
        120000);
    QVERIFY(allArrived);
    for (int i = 0; i < sessionCount; ++i) {
        const QList<QByteArray> messages = incoming(sessions[i]);
        QCOMPARE(messages.size(), messagesEach);
        for (int m = 0; m < messagesEach; ++m)
            QCOMPARE(messages[m], QStringLiteral("%1:%2").arg(i).arg(m).toUtf8());
        QCOMPARE(sessions[i]->state(), Session::State::Open);
    }
}

void tst_SessionManager::removeSessionWhileOpen()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionManager manager;
    SessionOptions options;
    options.url = server.url();
    Session *session = manager.createSession(options);
    QSignalSpy removed(&manager, &SessionManager::sessionRemoved);
    SessionManager::post(session, [](Session *s) { s->open(); });
    QVERIFY(QTest::qWaitFor([&] { return session->state() == Session::State::Open; }, 10000));
    const auto log = session->frameLog(); // outlives the session: views may still read it
    manager.removeSession(session);
    QCOMPARE(removed.size(), 1);
    QVERIFY(manager.sessions().isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 10000));
    QCOMPARE(log->frameCount(), log->frameCount()); // still readable
}

QTEST_GUILESS_MAIN(tst_SessionManager)
#include "tst_sessionmanager.moc"
