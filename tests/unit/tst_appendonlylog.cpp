// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppendOnlyLog.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace wsi;

class tst_AppendOnlyLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendAndReadAcrossChunks();
    void addressesNeverMove();
    void concurrentReaderSeesOnlyCompleteElements();
};

struct Entry {
    qint64 index = -1;
    qint64 square = -1;
};

void tst_AppendOnlyLog::appendAndReadAcrossChunks()
{
    AppendOnlyLog<Entry, 4> log; // 16 per chunk: many chunks and more than one directory block
    QCOMPARE(log.size(), 0);
    for (qint64 i = 0; i < 16 * 256 * 3 + 5; ++i)
        QCOMPARE(log.append({i, i * i}), qsizetype(i));
    QCOMPARE(log.size(), qsizetype(16 * 256 * 3 + 5));
    for (qsizetype i = 0; i < log.size(); ++i) {
        QCOMPARE(log.at(i).index, qint64(i));
        QCOMPARE(log.at(i).square, qint64(i) * qint64(i));
    }
    QCOMPARE(log.back().index, qint64(log.size() - 1));
}

void tst_AppendOnlyLog::addressesNeverMove()
{
    AppendOnlyLog<Entry, 3> log;
    log.append({0, 0});
    const Entry *first = &log.at(0);
    for (qint64 i = 1; i < 10000; ++i)
        log.append({i, 0});
    QCOMPARE(&log.at(0), first);
    QCOMPARE(first->index, qint64(0));
}

// One writer appends while a reader polls size() and checks every element below it: the publish/acquire
// contract means a reader can never see a half-written element. Run under the sanitizers (dev-asan) too.
void tst_AppendOnlyLog::concurrentReaderSeesOnlyCompleteElements()
{
    AppendOnlyLog<Entry, 6> log;
    constexpr qint64 total = 300000;
    std::atomic<bool> failed{false};
    std::atomic<qint64> checked{0};
    QThread *reader = QThread::create([&] {
        qsizetype seen = 0;
        while (seen < total) {
            const qsizetype size = log.size();
            for (qsizetype i = seen; i < size; ++i) {
                const Entry &e = log.at(i);
                if (e.index != i || e.square != qint64(i) * 3)
                    failed = true;
            }
            checked += size - seen;
            seen = size;
        }
    });
    reader->start();
    for (qint64 i = 0; i < total; ++i)
        log.append({i, i * 3});
    QVERIFY(reader->wait(30000));
    delete reader;
    QVERIFY(!failed);
    QCOMPARE(checked.load(), total);
}

QTEST_GUILESS_MAIN(tst_AppendOnlyLog)
#include "tst_appendonlylog.moc"
