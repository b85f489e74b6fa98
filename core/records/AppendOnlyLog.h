// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CaptureMemory.h"

#include <QtGlobal>

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

namespace wsi {

// An append-only sequence that one thread writes while any number of threads read, without locks.
//
// Elements live in fixed-size chunks that never move, found through a two-level directory that is allocated
// lazily and never reallocated, so an element's address is stable for the log's lifetime. The writer constructs
// the element, then publishes the new size with a release store; a reader that loads size() (acquire) may read
// every element below it. Capacity: 256 x 256 chunks of 2^ChunkBits elements (268 million with the default).
//
// Chunks come from CaptureMemory, and an element is constructed only when appended: a chunk's memory is written
// once, by the append that fills it, not first zeroed by a constructor over the whole chunk.
//
// The log must outlive its readers; only the writer thread may call append().
template<typename T, unsigned ChunkBits = 12>
class AppendOnlyLog final
{
public:
    static constexpr qsizetype chunkSize = qsizetype{1} << ChunkBits;
    static constexpr qsizetype blockChunks = 256;
    static constexpr qsizetype topBlocks = 256;
    static constexpr qsizetype capacity = chunkSize * blockChunks * topBlocks;
    static constexpr std::size_t chunkBytes = std::size_t(chunkSize) * sizeof(T);
    static_assert(alignof(T) <= alignof(std::max_align_t), "chunks are only malloc-aligned");

    AppendOnlyLog() = default;
    ~AppendOnlyLog()
    {
        if constexpr (!std::is_trivially_destructible_v<T>) {
            for (qsizetype i = 0, n = m_size.load(std::memory_order_relaxed); i < n; ++i)
                slotFor(i, false)->~T();
        }
        for (auto &block : m_top) {
            Block *b = block.load(std::memory_order_relaxed);
            if (!b)
                continue;
            for (auto &chunk : b->chunks)
                CaptureMemory::shared().release(chunk.load(std::memory_order_relaxed), chunkBytes);
            delete b;
        }
    }
    Q_DISABLE_COPY_MOVE(AppendOnlyLog)

    // Number of published elements (acquire): every index below it may be read.
    qsizetype size() const noexcept { return m_size.load(std::memory_order_acquire); }
    bool isFull() const noexcept { return m_size.load(std::memory_order_relaxed) >= capacity; }

    // Appends and publishes one element; returns its index, or -1 when the log is full.
    qsizetype append(T value)
    {
        const qsizetype index = m_size.load(std::memory_order_relaxed);
        if (index >= capacity)
            return -1;
        new (slotFor(index, true)) T(std::move(value));
        m_size.store(index + 1, std::memory_order_release);
        return index;
    }

    // Valid for index < size() as loaded by this thread.
    const T &at(qsizetype index) const noexcept
    {
        return *std::launder(const_cast<AppendOnlyLog *>(this)->slotFor(index, false));
    }
    const T &operator[](qsizetype index) const noexcept { return at(index); }

    // The last published element; the log must not be empty.
    const T &back() const noexcept { return at(size() - 1); }

private:
    struct Block {
        std::array<std::atomic<T *>, blockChunks> chunks{};
    };

    // The address of an element's slot: constructed for index < size(), raw memory at size().
    T *slotFor(qsizetype index, bool create)
    {
        const auto chunkIndex = std::size_t(index >> ChunkBits);
        auto &blockSlot = m_top[chunkIndex / blockChunks];
        Block *block = blockSlot.load(std::memory_order_acquire);
        if (!block && create) {
            block = new Block;
            blockSlot.store(block, std::memory_order_release);
        }
        auto &chunkSlot = block->chunks[chunkIndex % blockChunks];
        T *chunk = chunkSlot.load(std::memory_order_acquire);
        if (!chunk && create) {
            chunk = static_cast<T *>(CaptureMemory::shared().allocate(chunkBytes));
            chunkSlot.store(chunk, std::memory_order_release);
        }
        return chunk + (index & (chunkSize - 1));
    }

    std::array<std::atomic<Block *>, topBlocks> m_top{};
    std::atomic<qsizetype> m_size{0};
};

} // namespace wsi
