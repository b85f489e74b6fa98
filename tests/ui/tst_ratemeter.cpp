// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/RateMeter.h"

#include <QTest>

using namespace wsi;

class tst_RateMeter : public QObject
{
    Q_OBJECT

private slots:
    void nothingUntilEnoughTimeHasPassed()
    {
        RateMeter meter;
        QCOMPARE(meter.perSecond(), 0.0);
        meter.sample(0, 0);
        meter.sample(100, 50);
        QCOMPARE(meter.perSecond(), 0.0); // 100 ms say little
    }

    void steadyTraffic()
    {
        RateMeter meter;
        for (qint64 ms = 0; ms <= 5000; ms += 33)
            meter.sample(ms, ms * 3); // 3 per ms
        QCOMPARE(meter.perSecond(), 3000.0);
    }

    void followsAChangeWithinTheWindow()
    {
        RateMeter meter;
        qint64 total = 0;
        qint64 ms = 0;
        for (; ms < 10000; ms += 100) {
            total += 100; // 1,000/s
            meter.sample(ms, total);
        }
        for (const qint64 end = ms + RateMeter::windowMs + 200; ms < end; ms += 100) {
            total += 10; // 100/s
            meter.sample(ms, total);
        }
        QVERIFY2(qAbs(meter.perSecond() - 100.0) < 1.0, QByteArray::number(meter.perSecond()).constData());
    }

    void silenceBringsItToZero()
    {
        RateMeter meter;
        meter.sample(0, 0);
        meter.sample(1000, 500);
        QCOMPARE(meter.perSecond(), 500.0);
        for (qint64 ms = 1000; ms <= 1000 + RateMeter::windowMs + 1000; ms += 1000)
            meter.sample(ms, 500);
        QCOMPARE(meter.perSecond(), 0.0);
    }

    void aSmallerTotalStartsOver()
    {
        RateMeter meter;
        meter.sample(0, 1000);
        meter.sample(1000, 2000);
        meter.sample(2000, 10); // another session
        QCOMPARE(meter.perSecond(), 0.0);
        meter.sample(3000, 110);
        QCOMPARE(meter.perSecond(), 100.0);
    }
};

QTEST_GUILESS_MAIN(tst_RateMeter)
#include "tst_ratemeter.moc"
