// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppendOnlyLog.h"

#include <QByteArrayView>

#include <atomic>

namespace wsi {

// Append-only byte storage for captured payloads, readable from other threads without locks (see AppendOnlyLog).
// Payloads are packed into 1 MiB chunks; a payload larger than a quarter chunk gets a chunk of its own, so no
// payload straddles two chunks and a reference is just (chunk, offset).
class PayloadStore final
{
public:
    PayloadStore() = default;
    ~PayloadStore();
    Q_DISABLE_COPY_MOVE(PayloadStore)

    static constexpr qsizetype chunkBytes = 1024 * 1024;

    // Writer only. Copies the bytes and returns a reference for view(); an empty payload needs no storage.
    quint64 store(QByteArrayView bytes);
    // Any thread, for a reference whose owner (a record) was published after store() returned.
    QByteArrayView view(quint64 reference, qsizetype length) const noexcept;

    // Bytes of payload stored and bytes of memory held, for memory displays (relaxed: approximate while writing).
    qint64 bytesStored() const noexcept { return m_bytesStored.load(std::memory_order_relaxed); }
    qint64 bytesAllocated() const noexcept { return m_bytesAllocated.load(std::memory_order_relaxed); }

private:
    qsizetype addChunk(qsizetype size);

    AppendOnlyLog<char *, 10> m_chunks;
    qsizetype m_currentChunk = -1;
    qsizetype m_currentFill = 0;
    std::atomic<qint64> m_bytesStored{0};
    std::atomic<qint64> m_bytesAllocated{0};
};

} // namespace wsi
