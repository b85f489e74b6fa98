// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KeepaliveTimer.h"

#include <QTest>

using namespace wsi;

Q_DECLARE_METATYPE(ResetRule)
Q_DECLARE_METATYPE(TimerKind)

// KeepaliveTimer holds the rules of an intermediary's timer that the simulator and the live timeout proxy both run:
// what restarts it, its precision, when stall timers run.
class tst_KeepaliveTimer : public QObject
{
    Q_OBJECT

private:
    static ChainLink::ActiveTimer definition(TimerKind kind, ResetRule resetBy = ResetRule::PayloadEither)
    {
        ChainLink::ActiveTimer d;
        d.kind = kind;
        d.resetBy = resetBy;
        d.valueMs = 60000;
        return d;
    }
    static TimerTraffic traffic(Endpoint from, bool data, bool probe = false)
    {
        TimerTraffic t;
        t.from = from;
        t.carriesData = data;
        t.probe = probe;
        return t;
    }

private Q_SLOTS:
    void restartedBy_data()
    {
        QTest::addColumn<ResetRule>("rule");
        QTest::addColumn<bool>("clientData");
        QTest::addColumn<bool>("clientControl");
        QTest::addColumn<bool>("serverData");
        QTest::addColumn<bool>("serverControl");
        QTest::addColumn<bool>("probe");
        QTest::newRow("payload either way (L7 proxies)")
            << ResetRule::PayloadEither << true << true << true << true << false;
        QTest::newRow("data messages only (API Gateway)")
            << ResetRule::DataEither << true << false << true << false << false;
        QTest::newRow("any packet, probes too (L4 boxes)")
            << ResetRule::PacketsEither << true << true << true << true << true;
        QTest::newRow("reads from the client") << ResetRule::ReadsFromClient << true << true << false << false << false;
        QTest::newRow("reads from the server") << ResetRule::ReadsFromServer << false << false << true << true << false;
    }
    void restartedBy()
    {
        QFETCH(ResetRule, rule);
        QFETCH(bool, clientData);
        QFETCH(bool, clientControl);
        QFETCH(bool, serverData);
        QFETCH(bool, serverControl);
        QFETCH(bool, probe);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Client, true)), clientData);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Client, false)), clientControl);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Server, true)), serverData);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Server, false)), serverControl);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Client, false, true)), probe);
        QCOMPARE(KeepaliveTimer::restartedBy(rule, traffic(Endpoint::Server, false, true)), probe);
    }

    void startArmsIdleAndLifetimeOnly_data()
    {
        QTest::addColumn<TimerKind>("kind");
        QTest::addColumn<bool>("armed");
        QTest::newRow("idle") << TimerKind::Idle << true;
        QTest::newRow("lifetime") << TimerKind::Lifetime << true;
        QTest::newRow("stall to client") << TimerKind::StallToClient << false;
        QTest::newRow("stall to server") << TimerKind::StallToServer << false;
    }
    void startArmsIdleAndLifetimeOnly()
    {
        QFETCH(TimerKind, kind);
        QFETCH(bool, armed);
        KeepaliveTimer timer(definition(kind), 60, 0);
        QVERIFY(!timer.isArmed());
        timer.start(5);
        QCOMPARE(timer.isArmed(), armed);
        QCOMPARE(timer.deadline(), armed ? 65 : KeepaliveTimer::unarmed);
        QCOMPARE(timer.lastRestart(), 5);
    }

    void idleRestartsOnCountedTraffic()
    {
        KeepaliveTimer timer(definition(TimerKind::Idle, ResetRule::ReadsFromServer), 60, 0);
        timer.start(0);
        QVERIFY(!timer.observe(traffic(Endpoint::Client, true), 10)); // not counted: nothing moves
        QCOMPARE(timer.deadline(), 60);
        QCOMPARE(timer.lastRestart(), 0);
        QVERIFY(timer.observe(traffic(Endpoint::Server, false), 20));
        QCOMPARE(timer.deadline(), 80);
        QCOMPARE(timer.lastRestart(), 20);
    }

    void lifetimeIsNeverRestarted()
    {
        KeepaliveTimer timer(definition(TimerKind::Lifetime), 60, 0);
        timer.start(0);
        QVERIFY(!timer.observe(traffic(Endpoint::Server, true), 30));
        QCOMPARE(timer.deadline(), 60);
    }

    // nginx keeps an armed deadline that would move by less than NGX_TIMER_LAZY_DELAY (300 ms); the silence is
    // still measured from the latest traffic.
    void restartWithinPrecisionKeepsTheDeadline()
    {
        KeepaliveTimer timer(definition(TimerKind::Idle), 60000, 300);
        timer.start(0);
        QVERIFY(!timer.observe(traffic(Endpoint::Client, true), 299));
        QCOMPARE(timer.deadline(), 60000);
        QCOMPARE(timer.lastRestart(), 299);
        QVERIFY(timer.observe(traffic(Endpoint::Client, true), 300));
        QCOMPARE(timer.deadline(), 60300);
    }

    void stallTimersRunWhileAWriteIsBlocked()
    {
        KeepaliveTimer timer(definition(TimerKind::StallToClient), 60, 0);
        timer.start(0);
        QVERIFY(!timer.writeBlocked(Endpoint::Server, 10)); // the other way: not this timer
        QVERIFY(timer.writeBlocked(Endpoint::Client, 10));
        QCOMPARE(timer.deadline(), 70);
        QVERIFY(!timer.writeBlocked(Endpoint::Client, 20)); // still blocked: it keeps running from the first block
        QCOMPARE(timer.deadline(), 70);
        QVERIFY(!timer.observe(traffic(Endpoint::Client, true), 30)); // traffic does not restart a stall timer
        QVERIFY(timer.writeDrained(Endpoint::Client));
        QVERIFY(!timer.isArmed());
        QVERIFY(!timer.writeDrained(Endpoint::Client));
    }

    void stoppedTimerIgnoresTraffic()
    {
        KeepaliveTimer timer(definition(TimerKind::Idle), 60, 0);
        timer.start(0);
        timer.stop();
        QVERIFY(!timer.observe(traffic(Endpoint::Client, true), 10));
        QVERIFY(!timer.isArmed());
    }
};

QTEST_GUILESS_MAIN(tst_KeepaliveTimer)
#include "tst_keepalivetimer.moc"
