// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/CaptureMemory.h"

#include <QTest>
#include <QThread>

#include <cstring>
#include <random>
#include <vector>

using namespace wsi;

class tst_CaptureMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void releasedBlockIsReusedForTheSameSize();
    void sizesOutsideThePooledRangeAreNotKept();
    void retainedBytesStayWithinTheLimit();
    void unusedBlocksGoBackToTheSystem();
    void sizeClassesAreBounded();
    void concurrentAllocateAndRelease();
    void hugeBlocksAreAligned();
};

namespace {

constexpr std::size_t kib = 1024;
constexpr std::size_t mib = 1024 * 1024;

CaptureMemory::Limits limits(std::size_t maxRetained = 64 * mib, qint64 lifetimeMs = 60000)
{
    CaptureMemory::Limits l;
    l.maxRetainedBytes = maxRetained;
    l.unusedLifetimeNs = lifetimeMs * 1'000'000;
    return l;
}

} // namespace

void tst_CaptureMemory::releasedBlockIsReusedForTheSameSize()
{
    CaptureMemory memory(limits());
    void *block = memory.allocate(256 * kib);
    QVERIFY(block);
    std::memset(block, 0x5a, 256 * kib); // really writable, all of it
    memory.release(block, 256 * kib);
    QCOMPARE(memory.statistics().retainedBytes, 256 * kib);

    QCOMPARE(memory.allocate(256 * kib), block); // the very block, not a fresh one
    const CaptureMemory::Statistics s = memory.statistics();
    QCOMPARE(s.reused, qint64(1));
    QCOMPARE(s.retainedBytes, std::size_t(0));

    // A different size never gets it.
    memory.release(block, 256 * kib);
    void *other = memory.allocate(512 * kib);
    QVERIFY(other != block);
    memory.release(other, 512 * kib);
}

void tst_CaptureMemory::sizesOutsideThePooledRangeAreNotKept()
{
    CaptureMemory memory(limits());
    for (const std::size_t size : {std::size_t(4 * kib), CaptureMemory::minPooledBytes - 1,
                                   CaptureMemory::maxPooledBytes + 1, std::size_t(16 * mib)}) {
        void *block = memory.allocate(size);
        std::memset(block, 1, size);
        memory.release(block, size);
        QCOMPARE(memory.statistics().retainedBytes, std::size_t(0));
    }
    QCOMPARE(memory.statistics().fresh, qint64(0)); // not counted: never pooled
}

void tst_CaptureMemory::retainedBytesStayWithinTheLimit()
{
    CaptureMemory memory(limits(1 * mib));
    std::vector<void *> blocks;
    for (int i = 0; i < 10; ++i)
        blocks.push_back(memory.allocate(256 * kib));
    for (void *block : blocks)
        memory.release(block, 256 * kib);
    QCOMPARE(memory.statistics().retainedBytes, 1 * mib); // four kept, six given back
}

void tst_CaptureMemory::unusedBlocksGoBackToTheSystem()
{
    CaptureMemory memory(limits(64 * mib, 50));
    memory.release(memory.allocate(128 * kib), 128 * kib);
    memory.release(memory.allocate(1 * mib), 1 * mib);
    QVERIFY(memory.statistics().retainedBytes > 0);
    QTRY_COMPARE_WITH_TIMEOUT(memory.statistics().retainedBytes, std::size_t(0), 5000);
}

void tst_CaptureMemory::sizeClassesAreBounded()
{
    CaptureMemory memory(limits(512 * mib));
    for (std::size_t i = 0; i < CaptureMemory::maxSizeClasses + 4; ++i) {
        const std::size_t size = CaptureMemory::minPooledBytes + i * 4096;
        memory.release(memory.allocate(size), size);
    }
    std::size_t pooled = 0;
    for (std::size_t i = 0; i < CaptureMemory::maxSizeClasses; ++i)
        pooled += CaptureMemory::minPooledBytes + i * 4096;
    QCOMPARE(memory.statistics().retainedBytes, pooled); // the sizes past the limit were given back
}

// Several threads allocate, write and release pooled sizes at once while the helper trims: every block
// handed out is whole and owned by one thread at a time (each thread checks its own pattern survives).
void tst_CaptureMemory::concurrentAllocateAndRelease()
{
    CaptureMemory memory(limits(8 * mib, 20));
    std::atomic<int> corrupted{0};
    std::vector<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.push_back(QThread::create([&memory, &corrupted, t] {
            std::mt19937 random{static_cast<unsigned>(t)};
            const std::size_t sizes[] = {64 * kib, 192 * kib, 256 * kib, 1 * mib};
            for (int i = 0; i < 400; ++i) {
                const std::size_t size = sizes[random() % 4];
                auto *block = static_cast<unsigned char *>(memory.allocate(size));
                const auto mark = static_cast<unsigned char>(t * 50 + i % 50);
                block[0] = mark;
                block[size / 2] = mark;
                block[size - 1] = mark;
                QThread::yieldCurrentThread();
                if (block[0] != mark || block[size / 2] != mark || block[size - 1] != mark)
                    ++corrupted;
                memory.release(block, size);
            }
        }));
        threads.back()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    QCOMPARE(corrupted.load(), 0);
    QVERIFY(memory.statistics().retainedBytes <= 8 * mib);
}

void tst_CaptureMemory::hugeBlocksAreAligned()
{
    CaptureMemory memory(limits());
    void *block = memory.allocate(4 * mib);
#ifdef Q_OS_LINUX
    QCOMPARE(quintptr(block) % (2 * mib), quintptr(0)); // eligible for transparent huge pages
#endif
    std::memset(block, 0, 4 * mib);
    memory.release(block, 4 * mib);
}

QTEST_GUILESS_MAIN(tst_CaptureMemory)
#include "tst_capturememory.moc"
