// SPDX-License-Identifier: GPL-3.0-or-later
// ReconnectBackoff with a seeded random source: exact, repeatable delays.
#include "core/session/ReconnectBackoff.h"

#include <QTest>

using namespace wsi;

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void baseGrowsExponentiallyAndIsCapped();
    void noJitterIsTheBase();
    void equalJitterStaysInTheUpperHalf();
    void fullJitterSpansZeroToBase();
    void sameSeedSameDelays();
    void hugeAttemptCountsStayAtTheCap();
};

void tst_ReconnectBackoff::baseGrowsExponentiallyAndIsCapped()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 100;
    policy.factor = 2;
    policy.maxDelayMs = 1000;
    const ReconnectBackoff backoff(policy, 1);
    QCOMPARE(backoff.baseDelayMs(1), 100);
    QCOMPARE(backoff.baseDelayMs(2), 200);
    QCOMPARE(backoff.baseDelayMs(3), 400);
    QCOMPARE(backoff.baseDelayMs(4), 800);
    QCOMPARE(backoff.baseDelayMs(5), 1000);
    QCOMPARE(backoff.baseDelayMs(6), 1000);
}

void tst_ReconnectBackoff::noJitterIsTheBase()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 250;
    policy.factor = 1.5;
    policy.jitter = 0;
    ReconnectBackoff backoff(policy, 42);
    QCOMPARE(backoff.delayMs(1), 250);
    QCOMPARE(backoff.delayMs(2), 375);
    QCOMPARE(backoff.delayMs(3), 563); // 562.5 rounded
}

void tst_ReconnectBackoff::equalJitterStaysInTheUpperHalf()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 1000;
    policy.maxDelayMs = 8000;
    policy.jitter = 0.5;
    ReconnectBackoff backoff(policy, 7);
    qint64 lowest = std::numeric_limits<qint64>::max();
    qint64 highest = 0;
    for (int i = 0; i < 2000; ++i) {
        const qint64 delay = backoff.delayMs(3); // base 4000
        QVERIFY2(delay >= 2000 && delay <= 4000, qPrintable(QString::number(delay)));
        lowest = std::min(lowest, delay);
        highest = std::max(highest, delay);
    }
    // The jitter is used: the draws spread over the range.
    QVERIFY(lowest < 2200);
    QVERIFY(highest > 3800);
}

void tst_ReconnectBackoff::fullJitterSpansZeroToBase()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 1000;
    policy.jitter = 1.0;
    ReconnectBackoff backoff(policy, 3);
    qint64 lowest = std::numeric_limits<qint64>::max();
    for (int i = 0; i < 2000; ++i) {
        const qint64 delay = backoff.delayMs(1);
        QVERIFY(delay >= 0 && delay <= 1000);
        lowest = std::min(lowest, delay);
    }
    QVERIFY(lowest < 100);
}

void tst_ReconnectBackoff::sameSeedSameDelays()
{
    ReconnectPolicy policy;
    ReconnectBackoff a(policy, 1234);
    ReconnectBackoff b(policy, 1234);
    ReconnectBackoff c(policy, 4321);
    QList<qint64> fromA;
    QList<qint64> fromB;
    QList<qint64> fromC;
    for (int attempt = 1; attempt <= 8; ++attempt) {
        fromA << a.delayMs(attempt);
        fromB << b.delayMs(attempt);
        fromC << c.delayMs(attempt);
    }
    QCOMPARE(fromA, fromB);
    QVERIFY(fromA != fromC);
}

void tst_ReconnectBackoff::hugeAttemptCountsStayAtTheCap()
{
    ReconnectPolicy policy;
    policy.maxDelayMs = 30000;
    policy.jitter = 0;
    ReconnectBackoff backoff(policy, 1);
    QCOMPARE(backoff.delayMs(100000), 30000);
    QCOMPARE(backoff.baseDelayMs(std::numeric_limits<int>::max()), 30000);
}

QTEST_GUILESS_MAIN(tst_ReconnectBackoff)
#include "tst_reconnectbackoff.moc"
