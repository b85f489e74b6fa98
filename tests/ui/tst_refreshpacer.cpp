// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/RefreshPacer.h"

#include <QElapsedTimer>
#include <QTest>

using namespace wsi;

// The views' pace: every notification while frames trickle in; at most one refresh per floodIntervalMs while they
// flood; nothing left behind.
class tst_RefreshPacer : public QObject
{
    Q_OBJECT

private slots:
    void trickleRefreshesAtOnce()
    {
        int refreshes = 0;
        RefreshPacer pacer([&] { ++refreshes; });
        for (qsizetype frames = 10; frames <= 100; frames += 10)
            pacer.framesArrived(frames);
        QCOMPARE(refreshes, 10);
        QVERIFY(!pacer.isRefreshPending());
    }

    void floodIsPacedAndCompletes()
    {
        QList<qint64> refreshTimes;
        QElapsedTimer clock;
        clock.start();
        qsizetype frames = 0;
        qsizetype shown = 0;
        RefreshPacer pacer([&] {
            refreshTimes.append(clock.elapsed());
            shown = frames;
        });
        // 50,000 frames per 16 ms notification for about a second.
        for (int tick = 0; tick < 60; ++tick) {
            frames += 50000;
            pacer.framesArrived(frames);
            QTest::qWait(16);
        }
        QVERIFY(QTest::qWaitFor([&] { return !pacer.isRefreshPending(); }, 2000));
        QCOMPARE(shown, frames); // the last frames are shown too
        // The first refresh at once, then at least floodIntervalMs apart (a timer may fire a little early).
        QVERIFY(refreshTimes.size() >= 2);
        for (qsizetype i = 2; i < refreshTimes.size(); ++i)
            QVERIFY2(
                refreshTimes.at(i) - refreshTimes.at(i - 1) >= RefreshPacer::floodIntervalMs * 9 / 10,
                qPrintable(
                    QStringLiteral("refreshes at %1 and %2 ms").arg(refreshTimes.at(i - 1)).arg(refreshTimes.at(i))));
        QVERIFY(refreshTimes.size() < 60 / 4);

        // Back to a trickle: once the last batch was small, every notification refreshes again.
        pacer.flush();
        const qsizetype before = refreshTimes.size();
        pacer.framesArrived(frames + 5);
        pacer.framesArrived(frames + 10);
        QCOMPARE(refreshTimes.size(), before + 2);
    }

    void flushAndResetRefreshNow()
    {
        int refreshes = 0;
        RefreshPacer pacer([&] { ++refreshes; });
        pacer.framesArrived(100000);
        pacer.framesArrived(200000); // a flood: deferred
        QCOMPARE(refreshes, 1);
        QVERIFY(pacer.isRefreshPending());
        pacer.flush();
        QCOMPARE(refreshes, 2);
        QVERIFY(!pacer.isRefreshPending());
        pacer.reset();
        pacer.framesArrived(5000); // a new log: its first frames at once
        QCOMPARE(refreshes, 3);
    }
};

QTEST_MAIN(tst_RefreshPacer)
#include "tst_refreshpacer.moc"
