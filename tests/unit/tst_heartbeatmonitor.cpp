// SPDX-License-Identifier: GPL-3.0-or-later
// HeartbeatMonitor driven with plain times: no timers, no sleeping.
#include "core/session/HeartbeatMonitor.h"

#include <QTest>

using namespace wsi;

namespace {

constexpr qint64 ms = 1'000'000;
using Health = HeartbeatEvent::Health;
using Kind = HeartbeatEvent::Kind;

} // namespace

class tst_HeartbeatMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repliesInTimeStayHealthy();
    void missesMakeItLateThenDead();
    void lateReplyMakesItHealthyAgain();
    void deadIsFinalUnlessKeptOpen();
    void replyAnswersEarlierHeartbeatsToo();
    void unknownOrRepeatedReplyIsIgnored();
    void noTimeoutExpectsNoReplies();
    void deadlinesComeInOrder();
};

void tst_HeartbeatMonitor::repliesInTimeStayHealthy()
{
    HeartbeatMonitor monitor(100 * ms, 2);
    QCOMPARE(monitor.sent(1, 0).kind, Kind::Sent);
    QCOMPARE(monitor.nextDeadlineNs(), std::optional<qint64>(100 * ms));
    const auto reply = monitor.replied(1, 3 * ms);
    QVERIFY(reply);
    QCOMPARE(reply->kind, Kind::Reply);
    QCOMPARE(reply->rttNs, 3 * ms);
    QCOMPARE(reply->health, Health::Healthy);
    QVERIFY(!reply->healthChanged);
    QCOMPARE(monitor.nextDeadlineNs(), std::nullopt);
    QVERIFY(monitor.advance(1000 * ms).isEmpty());
    QCOMPARE(monitor.health(), Health::Healthy);
}

void tst_HeartbeatMonitor::missesMakeItLateThenDead()
{
    HeartbeatMonitor monitor(100 * ms, 2);
    monitor.sent(1, 0);
    QVERIFY(monitor.advance(99 * ms).isEmpty()); // not yet
    QList<HeartbeatEvent> events = monitor.advance(100 * ms);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, Kind::Missed);
    QCOMPARE(events[0].sequence, quint64(1));
    QCOMPARE(events[0].timeNs, 100 * ms); // at its deadline, however late the check ran
    QCOMPARE(events[0].missed, 1);
    QCOMPARE(events[0].health, Health::Late);
    QVERIFY(events[0].healthChanged);
    QVERIFY(monitor.advance(150 * ms).isEmpty()); // counted once

    monitor.sent(2, 100 * ms);
    events = monitor.advance(250 * ms);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].missed, 2);
    QCOMPARE(events[0].health, Health::Dead);
    QVERIFY(events[0].healthChanged);
    QCOMPARE(monitor.health(), Health::Dead);
}

void tst_HeartbeatMonitor::lateReplyMakesItHealthyAgain()
{
    HeartbeatMonitor monitor(100 * ms, 3);
    monitor.sent(1, 0);
    QCOMPARE(monitor.advance(120 * ms).size(), 1);
    QCOMPARE(monitor.health(), Health::Late);
    const auto reply = monitor.replied(1, 130 * ms);
    QVERIFY(reply);
    QCOMPARE(reply->rttNs, 130 * ms);
    QCOMPARE(reply->missed, 0);
    QCOMPARE(reply->health, Health::Healthy);
    QVERIFY(reply->healthChanged);
}

void tst_HeartbeatMonitor::deadIsFinalUnlessKeptOpen()
{
    HeartbeatMonitor final(100 * ms, 1, true);
    final.sent(1, 0);
    QCOMPARE(final.advance(100 * ms).constFirst().health, Health::Dead);
    const auto reply = final.replied(1, 200 * ms);
    QVERIFY(reply);
    QCOMPARE(reply->health, Health::Dead);

    HeartbeatMonitor watching(100 * ms, 1, false);
    watching.sent(1, 0);
    QCOMPARE(watching.advance(100 * ms).constFirst().health, Health::Dead);
    const auto revived = watching.replied(1, 200 * ms);
    QVERIFY(revived);
    QCOMPARE(revived->health, Health::Healthy);
    QVERIFY(revived->healthChanged);
}

void tst_HeartbeatMonitor::replyAnswersEarlierHeartbeatsToo()
{
    // Timeout longer than the interval: several heartbeats wait at once.
    HeartbeatMonitor monitor(300 * ms, 2);
    monitor.sent(1, 0);
    monitor.sent(2, 100 * ms);
    monitor.sent(3, 200 * ms);
    QCOMPARE(monitor.awaiting(), 3);
    const auto reply = monitor.replied(2, 210 * ms);
    QVERIFY(reply);
    QCOMPARE(reply->rttNs, 110 * ms);
    QCOMPARE(monitor.awaiting(), 1); // 1 and 2 are answered
    QCOMPARE(monitor.nextDeadlineNs(), std::optional<qint64>(500 * ms));
    QCOMPARE(monitor.latestAwaiting(), std::optional<quint64>(3));
}

void tst_HeartbeatMonitor::unknownOrRepeatedReplyIsIgnored()
{
    HeartbeatMonitor monitor(100 * ms, 2);
    monitor.sent(1, 0);
    QVERIFY(!monitor.replied(7, 10 * ms));
    QVERIFY(monitor.replied(1, 10 * ms));
    QVERIFY(!monitor.replied(1, 20 * ms));
}

void tst_HeartbeatMonitor::noTimeoutExpectsNoReplies()
{
    HeartbeatMonitor monitor(0, 2);
    monitor.sent(1, 0);
    QCOMPARE(monitor.awaiting(), 0);
    QCOMPARE(monitor.nextDeadlineNs(), std::nullopt);
    QVERIFY(monitor.advance(1'000'000 * ms).isEmpty());
    QCOMPARE(monitor.health(), Health::Healthy);
}

void tst_HeartbeatMonitor::deadlinesComeInOrder()
{
    HeartbeatMonitor monitor(300 * ms, 5);
    monitor.sent(1, 0);
    monitor.sent(2, 100 * ms);
    monitor.sent(3, 200 * ms);
    const QList<HeartbeatEvent> misses = monitor.advance(450 * ms);
    QCOMPARE(misses.size(), 2);
    QCOMPARE(misses[0].sequence, quint64(1));
    QCOMPARE(misses[0].missed, 1);
    QCOMPARE(misses[1].sequence, quint64(2));
    QCOMPARE(misses[1].missed, 2);
    QVERIFY(misses[0].healthChanged);
    QVERIFY(!misses[1].healthChanged);
    QCOMPARE(monitor.nextDeadlineNs(), std::optional<qint64>(500 * ms));
}

QTEST_GUILESS_MAIN(tst_HeartbeatMonitor)
#include "tst_heartbeatmonitor.moc"
