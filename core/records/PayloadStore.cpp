// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/PayloadStore.h"

#include "core/records/CaptureMemory.h"

#include <bit>
#include <cstring>

namespace wsi {

PayloadStore::~PayloadStore()
{
    for (qsizetype i = 0, n = m_chunks.size(); i < n; ++i) {
        const Chunk &chunk = m_chunks.at(i);
        if (chunk.pooled)
            CaptureMemory::shared().release(chunk.data, std::size_t(chunk.size));
        else
            CaptureMemory::freeFresh(chunk.data);
    }
}

qsizetype PayloadStore::addChunk(qsizetype size, bool pooled)
{
    void *block =
        pooled ? CaptureMemory::shared().allocate(std::size_t(size)) : CaptureMemory::allocateFresh(std::size_t(size));
    const qsizetype index = m_chunks.append({static_cast<char *>(block), size, pooled});
    m_bytesAllocated.fetch_add(size, std::memory_order_relaxed);
    return index;
}

quint64 PayloadStore::store(QByteArrayView bytes)
{
    const qsizetype size = bytes.size();
    if (size == 0)
        return 0;
    qsizetype chunk;
    qsizetype offset = 0;
    if (size > ownBlockAbove) {
        chunk = addChunk(size, false);
    } else {
        if (m_currentChunk < 0 || m_currentFill + size > m_currentSize)
            startChunk(size);
        chunk = m_currentChunk;
        offset = m_currentFill;
        m_currentFill += size;
    }
    std::memcpy(m_chunks.at(chunk).data + offset, bytes.data(), std::size_t(size));
    m_bytesStored.fetch_add(size, std::memory_order_relaxed);
    return (quint64(chunk) << 32) | quint64(offset);
}

void PayloadStore::startChunk(qsizetype atLeast)
{
    // Shared chunks are powers of two, so that few sizes exist for CaptureMemory to recycle.
    m_currentSize = std::max(m_nextChunkBytes, qsizetype(std::bit_ceil(quint64(atLeast))));
    m_nextChunkBytes = std::min(m_nextChunkBytes * 2, maxChunkBytes);
    m_currentChunk = addChunk(m_currentSize, true);
    m_currentFill = 0;
}

PayloadStore::ReadRegion PayloadStore::readSpace(qsizetype wanted, qint64 maxTotal)
{
    const qsizetype room = m_currentChunk < 0 ? 0 : m_currentSize - m_currentFill;
    if (room < std::min(wanted, minReadSpace)) {
        if (bytesAllocated() + std::max(m_nextChunkBytes, wanted) > maxTotal)
            return {};
        startChunk(0);
    }
    const qsizetype size = std::min(wanted, m_currentSize - m_currentFill);
    return {m_currentChunk, m_chunks.at(m_currentChunk).data + m_currentFill, size};
}

PayloadStore::ReadRegion PayloadStore::reserve(qsizetype size, qint64 maxTotal)
{
    // Admitted by the payload bytes kept, the budget's own measure (FrameLog::storableLength), not by the memory
    // allocated: chunk tails left unused would otherwise refuse an in-place payload that the copying path (store())
    // then admits anyway, at the price of a copy into yet more fresh memory.
    if (size <= 0 || bytesStored() + size > maxTotal)
        return {};
    if (size > maxChunkBytes) {
        const qsizetype chunk = addChunk(size, false);
        return {chunk, m_chunks.at(chunk).data, size};
    }
    // Reservations (large payloads) are packed in chunks of their own, back to back: among frame headers and small
    // payloads, a chunk would keep room for one payload less (four 1 MiB payloads and their headers overflow 4 MiB).
    if (m_laneChunk < 0 || m_laneFill + size > m_laneSize) {
        m_laneSize = std::max(m_laneNextBytes, qsizetype(std::bit_ceil(quint64(size))));
        m_laneNextBytes = std::min(m_laneSize * 2, maxChunkBytes);
        m_laneChunk = addChunk(m_laneSize, true);
        m_laneFill = 0;
    }
    const ReadRegion region{m_laneChunk, m_chunks.at(m_laneChunk).data + m_laneFill, size};
    m_laneFill += size;
    return region;
}

PayloadStore::ReadRegion PayloadStore::reserveContinuing(const ReadRegion &read, QByteArrayView start, qsizetype size,
                                                         qint64 maxTotal)
{
    const ReadRegion reservation = reserve(size, maxTotal);
    // The caller copies the bytes at `start` into the reservation (a chunk of its own, never this one), so when they
    // end the current chunk's data their room is free again.
    if (reservation.isValid() && read.isValid() && read.chunk == m_currentChunk && read.contains(start) &&
        start.data() + start.size() == read.data + read.size &&
        read.data + read.size == m_chunks.at(m_currentChunk).data + m_currentFill)
        m_currentFill -= start.size();
    return reservation;
}

PayloadStore::ReadRegion PayloadStore::commitRead(const ReadRegion &region, qsizetype used)
{
    Q_ASSERT(region.chunk == m_currentChunk && region.data == m_chunks.at(m_currentChunk).data + m_currentFill);
    m_currentFill += used;
    return {region.chunk, region.data, used};
}

quint64 PayloadStore::referenceInRead(const ReadRegion &region, QByteArrayView bytes)
{
    Q_ASSERT(region.contains(bytes));
    m_bytesStored.fetch_add(bytes.size(), std::memory_order_relaxed);
    return (quint64(region.chunk) << 32) | quint64(bytes.data() - m_chunks.at(region.chunk).data);
}

QByteArrayView PayloadStore::view(quint64 reference, qsizetype length) const noexcept
{
    if (length == 0)
        return {};
    const auto chunk = qsizetype(reference >> 32);
    const auto offset = qsizetype(reference & 0xffffffffu);
    return {m_chunks.at(chunk).data + offset, length};
}

} // namespace wsi
