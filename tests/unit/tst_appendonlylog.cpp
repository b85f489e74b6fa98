// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/AppendOnlyLog.h"

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
    void elementsAreConstructedOnAppendAndDestroyedWithTheLog();
    void chunksAreRecycled();
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

namespace {
// Counts its live instances, so that a test sees every appended element destroyed exactly once.
struct Counted {
    static inline int alive = 0;
    QString text;
    explicit Counted(QString t = {})
        : text(std::move(t))
    {
        ++alive;
    }
    Counted(const Counted &other)
        : text(other.text)
    {
        ++alive;
    }
    Counted(Counted &&other) noexcept
        : text(std::move(other.text))
    {
        ++alive;
    }
    Counted &operator=(const Counted &) = default;
    Counted &operator=(Counted &&) = default;
    ~Counted() { --alive; }
};
} // namespace

// Chunks are raw memory: only appended elements are ever constructed, and the log destroys exactly those.
void tst_AppendOnlyLog::elementsAreConstructedOnAppendAndDestroyedWithTheLog()
{
    QCOMPARE(Counted::alive, 0);
    {
        AppendOnlyLog<Counted, 4> log;
        for (int i = 0; i < 100; ++i)
            log.append(Counted(QString::number(i)));
        QCOMPARE(Counted::alive, 100); // not 7 chunks x 16
        QCOMPARE(log.at(42).text, QStringLiteral("42"));
    }
    QCOMPARE(Counted::alive, 0);
}

// A log's chunks go back to CaptureMemory, and the next log of the same element size gets them again.
void tst_AppendOnlyLog::chunksAreRecycled()
{
    using BigLog = AppendOnlyLog<Entry, 14>; // 16,384 x 16 bytes = 256 KiB chunks: a pooled size
    static_assert(BigLog::chunkBytes >= CaptureMemory::minPooledBytes);
    const Entry *firstAddress = nullptr;
    {
        BigLog log;
        log.append({1, 1});
        firstAddress = &log.at(0);
    }
    const qint64 reusedBefore = CaptureMemory::shared().statistics().reused;
    BigLog again;
    again.append({2, 4});
    QCOMPARE(CaptureMemory::shared().statistics().reused, reusedBefore + 1);
    QCOMPARE(&again.at(0), firstAddress);
    QCOMPARE(again.at(0).square, qint64(4));
}

QTEST_GUILESS_MAIN(tst_AppendOnlyLog)
#include "tst_appendonlylog.moc"
