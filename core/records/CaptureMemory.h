// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace wsi {

// The large blocks that capture storage is made of (payload chunks, record chunks), recycled within the process.
//
// Why: recording a fast stream costs mostly in the kernel's work on fresh memory, not in our code. Every new page is
// faulted in and zeroed by the kernel on first touch, on the thread that touches it: the session's I/O thread. On a
// virtual machine whose host reclaims freed guest memory, that first touch ran at 0.4-4 GB/s, slower than the
// socket. So blocks freed by a store (a closed session's log) are kept, already faulted in, and handed to the next
// store that asks for that size, instead of going back to the kernel and coming back zeroed. Like an allocator's
// decay (jemalloc's dirty pages), a kept block goes back to the system once unused for `unusedLifetimeNs` (a helper
// thread frees it), and at most `maxRetainedBytes` are kept at all.
//
// Only sizes from minPooledBytes to maxPooledBytes, and at most maxSizeClasses distinct sizes, are kept; other
// sizes are plain allocations. Thread-safe.
class CaptureMemory final
{
public:
    static constexpr std::size_t minPooledBytes = 64 * 1024;
    static constexpr std::size_t maxPooledBytes = 4 * 1024 * 1024;
    static constexpr std::size_t maxSizeClasses = 32;

    struct Limits {
        qint64 unusedLifetimeNs = 10'000'000'000; // a kept block unused this long goes back to the system
        std::size_t maxRetainedBytes = 256 * 1024 * 1024;
    };
    // The shared instance's: keeps up to 1/16 of physical memory, between 64 and 512 MiB (enough for the next
    // session to record a few hundred MB without asking the kernel for fresh pages).
    static Limits sharedLimits();

    explicit CaptureMemory(const Limits &limits);
    ~CaptureMemory();
    Q_DISABLE_COPY_MOVE(CaptureMemory)

    // The process-wide instance that capture storage uses. Never destroyed: stores may outlive static destructors.
    static CaptureMemory &shared();

    // A block of `bytes` (a kept one when there is one of that size); never null (out of memory is fatal, as for
    // new). Blocks of 2 MiB and more are 2 MiB-aligned and offered for transparent huge pages.
    void *allocate(std::size_t bytes);
    // Gives back a block from allocate() of the same size.
    void release(void *block, std::size_t bytes) noexcept;

    // The same allocation as a fresh block from allocate(), never pooled, for measuring what the pool saves.
    static void *allocateFresh(std::size_t bytes);
    static void freeFresh(void *block) noexcept;

    struct Statistics {
        std::size_t retainedBytes = 0; // kept, not in use
        qint64 reused = 0;             // allocations served by a kept block
        qint64 fresh = 0;              // allocations of pooled sizes served by the system
    };
    Statistics statistics() const;

private:
    struct Block {
        void *data = nullptr;
        qint64 unusedSinceNs = 0;
    };
    struct SizeClass {
        std::size_t bytes = 0;
        std::vector<Block> blocks; // oldest first; taken from the back (warmest)
    };

    SizeClass *sizeClass(std::size_t bytes); // creates it when there is room; null when the size is not pooled
    bool startHelper() noexcept;             // under m_mutex
    void runHelper();
    void takeExpired(qint64 nowNs, std::vector<Block> &expired);
    qint64 nextExpiryNs() const;

    const Limits m_limits;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<SizeClass> m_classes;
    std::size_t m_retainedBytes = 0;
    Statistics m_statistics;
    bool m_stopping = false;
    std::thread m_helper; // frees expired blocks; started by the first block kept
};

} // namespace wsi
