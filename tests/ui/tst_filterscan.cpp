// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"
#include "ui/frames/FilterScan.h"

#include <QTest>
#include <QThreadPool>

#include <mutex>

using namespace wsi;

namespace {

// Text frames numbered 0..count-1, every seventh one a three-frame fragmented message, every eleventh a ping.
std::shared_ptr<FrameLog> numberedLog(qsizetype count)
{
    auto log = std::make_shared<FrameLog>();
    for (qsizetype i = 0; i < count; ++i) {
        FrameHeader header;
        header.fin = true;
        header.opcode = i % 11 == 0 ? 0x9 : 0x1;
        const QByteArray payload = (i % 3 == 0 ? "Item " : "item ") + QByteArray::number(i);
        header.payloadLength = quint64(payload.size());
        header.headerLength = 2;
        log->appendFrame(FrameRecord::fromHeader(header, i * 1000, Direction::Incoming), payload);
    }
    return log;
}

struct Outcome {
    std::mutex mutex;
    bool finished = false;
    std::vector<qint32> visible;
    qsizetype scannedFrames = -1;
    QList<int> percents;
};

FilterScan::Callbacks recordInto(
    Outcome &outcome, std::function<bool()> isStale = [] { return false; })
{
    FilterScan::Callbacks callbacks;
    callbacks.isStale = std::move(isStale);
    callbacks.progressed = [&outcome](int percent) {
        const std::lock_guard lock(outcome.mutex);
        outcome.percents.append(percent);
    };
    callbacks.finished = [&outcome](std::vector<qint32> visible, qsizetype scannedFrames) {
        const std::lock_guard lock(outcome.mutex);
        outcome.finished = true;
        outcome.visible = std::move(visible);
        outcome.scannedFrames = scannedFrames;
    };
    return callbacks;
}

} // namespace

class tst_FilterScan : public QObject
{
    Q_OBJECT

private slots:
    void parallelSlicesGiveTheSerialResultInOrder_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("frames");
        QTest::newRow("one thread") << 1 << 300000;
        QTest::newRow("four threads") << 4 << 300000;
        QTest::newRow("four threads, log too small to split") << 4 << 1000;
        QTest::newRow("empty log") << 4 << 0;
    }
    void parallelSlicesGiveTheSerialResultInOrder()
    {
        QFETCH(int, threads);
        QFETCH(int, frames);
        const auto log = numberedLog(frames);
        FrameFilter filter;
        filter.text = QStringLiteral("ITEM 1");
        filter.regex = QRegularExpression(QStringLiteral("[37]$"));
        filter.prepare();
        std::vector<qint32> expected;
        for (qsizetype i = 0; i < log->frameCount(); ++i) {
            if (filter.matches(*log, i, -1))
                expected.push_back(qint32(i));
        }
        QVERIFY(frames == 0 || !expected.empty());

        QThreadPool pool;
        pool.setMaxThreadCount(threads);
        Outcome outcome;
        FilterScan::start(pool, log, filter, recordInto(outcome));
        pool.waitForDone();
        QVERIFY(outcome.finished);
        QCOMPARE(outcome.scannedFrames, qsizetype(frames));
        QCOMPARE(outcome.visible, expected);
        // Progress only goes up and never claims 100% before the result.
        for (qsizetype i = 1; i < outcome.percents.size(); ++i)
            QVERIFY(outcome.percents.at(i) > outcome.percents.at(i - 1));
        QVERIFY(outcome.percents.isEmpty() || outcome.percents.constLast() < 100);
    }

    void aStaleScanStopsWithoutAResult()
    {
        const auto log = numberedLog(300000);
        FrameFilter filter;
        filter.text = QStringLiteral("item");
        filter.prepare();
        QThreadPool pool;
        pool.setMaxThreadCount(4);
        std::atomic<int> checks{0};
        Outcome outcome;
        FilterScan::start(pool, log, filter, recordInto(outcome, [&checks] { return ++checks > 2; }));
        pool.waitForDone();
        QVERIFY(!outcome.finished);
        // Each slice stops at its first chunk boundary after going stale, not at the end of its slice.
        QVERIFY(checks.load() <= 2 + 4);
    }

    void framesAppendedDuringTheScanAreCaughtUp()
    {
        const auto log = numberedLog(200000);
        FrameFilter filter;
        filter.text = QStringLiteral("item 2");
        filter.prepare();
        QThreadPool pool;
        pool.setMaxThreadCount(2);
        Outcome outcome;
        // isStale is asked between chunks: the writer appends there, as a live session would meanwhile.
        std::atomic<int> calls{0};
        FrameLog *writable = log.get();
        std::mutex writer;
        auto callbacks = recordInto(outcome, [&] {
            const std::lock_guard lock(writer);
            if (++calls == 3) {
                FrameHeader header;
                header.fin = true;
                header.opcode = 0x1;
                const QByteArray payload("ITEM 2 late");
                header.payloadLength = quint64(payload.size());
                header.headerLength = 2;
                writable->appendFrame(FrameRecord::fromHeader(header, 0, Direction::Outgoing), payload);
            }
            return false;
        });
        FilterScan::start(pool, log, filter, std::move(callbacks));
        pool.waitForDone();
        QVERIFY(outcome.finished);
        QCOMPARE(outcome.scannedFrames, qsizetype(200001));
        QCOMPARE(outcome.visible.back(), qint32(200000));
    }
};

QTEST_GUILESS_MAIN(tst_FilterScan)
#include "tst_filterscan.moc"
