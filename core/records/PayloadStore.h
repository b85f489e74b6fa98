// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/AppendOnlyLog.h"

#include <QByteArrayView>

#include <atomic>

namespace wsi {

// Append-only byte storage for captured payloads, readable from other threads without locks (see AppendOnlyLog).
// Payloads are packed into chunks that start at 64 KiB and double up to 4 MiB, so a quiet session holds little
// memory and a busy one few chunks; a payload above 1 MiB gets a block of its own. No payload straddles two
// chunks, so a reference is just (chunk, offset).
//
// Recording costs mostly in the kernel's work on fresh memory (page faults, and zeroing every page before first
// use), so shared chunks (powers of two from 64 KiB to 4 MiB) come from CaptureMemory, which recycles those of
// closed sessions; chunks of 2 MiB and more are 2 MiB-aligned and offered for transparent huge pages (one fault per
// 2 MiB instead of 512). A payload's own block is a plain allocation.
//
// Large payloads (reserve()) are packed back to back in chunks of their own, apart from the reads, where frame
// headers would leave a chunk one payload short.
//
// A session reads the socket straight into the store (readSpace() / commitRead()): the frames found in those bytes
// are then stored where they were read, without a copy (referenceInRead()).
class PayloadStore final
{
public:
    PayloadStore() = default;
    ~PayloadStore();
    Q_DISABLE_COPY_MOVE(PayloadStore)

    static constexpr qsizetype firstChunkBytes = 64 * 1024;
    static constexpr qsizetype maxChunkBytes = 4 * 1024 * 1024;
    static constexpr qsizetype ownBlockAbove = 1024 * 1024;
    static constexpr qsizetype minReadSpace = 16 * 1024;

    // Writer only. Copies the bytes and returns a reference for view(); an empty payload needs no storage.
    quint64 store(QByteArrayView bytes);
    // Any thread, for a reference whose owner (a record) was published after store() returned.
    QByteArrayView view(quint64 reference, qsizetype length) const noexcept;

    // Writer only. Room for up to `wanted` bytes at the end of the current chunk (a new chunk when little is left),
    // to read into; empty when the store may not grow by that much (maxTotal). Until commitRead(), nothing is kept.
    struct ReadRegion {
        qsizetype chunk = -1;
        char *data = nullptr;
        qsizetype size = 0;
        bool isValid() const noexcept { return data != nullptr; }
        bool contains(QByteArrayView bytes) const noexcept
        {
            return data && bytes.data() >= data && bytes.data() + bytes.size() <= data + size;
        }
    };
    ReadRegion readSpace(qsizetype wanted, qint64 maxTotal);
    // The first `used` bytes of the region hold data now; returns the region shrunk to them.
    ReadRegion commitRead(const ReadRegion &region, qsizetype used);
    // Writer only. `size` bytes set aside now, to be filled before any record refers to them (a large payload
    // assembled in place), in chunks apart from reads; empty when the payloads kept would exceed maxTotal with it.
    ReadRegion reserve(qsizetype size, qint64 maxTotal);
    // Writer only. Like reserve(), for a payload whose first bytes, `start`, end the bytes just read into `read`. The
    // caller copies them into the reservation before anything else is stored; their room in `read` is free again.
    ReadRegion reserveContinuing(const ReadRegion &read, QByteArrayView start, qsizetype size, qint64 maxTotal);
    // A reference to payload bytes lying inside a committed read region (or a reservation): no copy.
    quint64 referenceInRead(const ReadRegion &region, QByteArrayView bytes);

    // Bytes of payload stored and bytes of memory held, for memory displays (relaxed: approximate while writing).
    qint64 bytesStored() const noexcept { return m_bytesStored.load(std::memory_order_relaxed); }
    qint64 bytesAllocated() const noexcept { return m_bytesAllocated.load(std::memory_order_relaxed); }

private:
    struct Chunk {
        char *data = nullptr;
        qsizetype size = 0;
        bool pooled = false; // from CaptureMemory (a shared chunk), else a payload's own block
    };

    qsizetype addChunk(qsizetype size, bool pooled);
    void startChunk(qsizetype atLeast);

    AppendOnlyLog<Chunk, 10> m_chunks;
    qsizetype m_currentChunk = -1;
    qsizetype m_currentFill = 0;
    qsizetype m_currentSize = 0;
    qsizetype m_nextChunkBytes = firstChunkBytes;
    // The chunk that reservations (large payloads) are packed into, apart from reads.
    qsizetype m_laneChunk = -1;
    qsizetype m_laneFill = 0;
    qsizetype m_laneSize = 0;
    qsizetype m_laneNextBytes = firstChunkBytes;
    std::atomic<qint64> m_bytesStored{0};
    std::atomic<qint64> m_bytesAllocated{0};
};

} // namespace wsi
