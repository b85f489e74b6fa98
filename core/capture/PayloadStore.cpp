// SPDX-License-Identifier: GPL-3.0-or-later
#include "PayloadStore.h"

#include <cstdlib>
#include <cstring>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace wsi {
namespace {

constexpr qsizetype hugePage = 2 * 1024 * 1024;

char *allocateBlock(qsizetype size)
{
#ifdef Q_OS_LINUX
    if (size >= hugePage) {
        const qsizetype rounded = (size + hugePage - 1) / hugePage * hugePage;
        if (void *block = std::aligned_alloc(std::size_t(hugePage), std::size_t(rounded))) {
            madvise(block, std::size_t(rounded), MADV_HUGEPAGE); // a hint: without THP it is ignored
            return static_cast<char *>(block);
        }
    }
#endif
    return static_cast<char *>(std::malloc(std::size_t(size)));
}

} // namespace

PayloadStore::~PayloadStore()
{
    for (qsizetype i = 0, n = m_chunks.size(); i < n; ++i)
        std::free(m_chunks.at(i));
}

qsizetype PayloadStore::addChunk(qsizetype size)
{
    char *block = allocateBlock(size);
    if (!block)
        qFatal("PayloadStore: out of memory allocating %lld bytes", static_cast<long long>(size));
    const qsizetype index = m_chunks.append(block);
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
        chunk = addChunk(size);
    } else {
        if (m_currentChunk < 0 || m_currentFill + size > m_currentSize)
            startChunk(size);
        chunk = m_currentChunk;
        offset = m_currentFill;
        m_currentFill += size;
    }
    std::memcpy(m_chunks.at(chunk) + offset, bytes.data(), std::size_t(size));
    m_bytesStored.fetch_add(size, std::memory_order_relaxed);
    return (quint64(chunk) << 32) | quint64(offset);
}

void PayloadStore::startChunk(qsizetype atLeast)
{
    m_currentSize = std::max(m_nextChunkBytes, atLeast);
    m_nextChunkBytes = std::min(m_nextChunkBytes * 2, maxChunkBytes);
    m_currentChunk = addChunk(m_currentSize);
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
    return {m_currentChunk, m_chunks.at(m_currentChunk) + m_currentFill, size};
}

PayloadStore::ReadRegion PayloadStore::reserve(qsizetype size, qint64 maxTotal)
{
    // Admitted by the payload bytes kept, the budget's own measure (FrameLog::storableLength), not by the memory
    // allocated: chunk tails left unused would otherwise refuse an in-place payload that the copying path (store())
    // then admits anyway, at the price of a copy into yet more fresh memory.
    if (size <= 0 || bytesStored() + size > maxTotal)
        return {};
    if (size > maxChunkBytes) {
        const qsizetype chunk = addChunk(size);
        return {chunk, m_chunks.at(chunk), size};
    }
    if (m_currentChunk < 0 || m_currentFill + size > m_currentSize)
        startChunk(size);
    const ReadRegion region{m_currentChunk, m_chunks.at(m_currentChunk) + m_currentFill, size};
    m_currentFill += size;
    return region;
}

PayloadStore::ReadRegion PayloadStore::commitRead(const ReadRegion &region, qsizetype used)
{
    Q_ASSERT(region.chunk == m_currentChunk && region.data == m_chunks.at(m_currentChunk) + m_currentFill);
    m_currentFill += used;
    return {region.chunk, region.data, used};
}

quint64 PayloadStore::referenceInRead(const ReadRegion &region, QByteArrayView bytes)
{
    Q_ASSERT(region.contains(bytes));
    m_bytesStored.fetch_add(bytes.size(), std::memory_order_relaxed);
    return (quint64(region.chunk) << 32) | quint64(bytes.data() - m_chunks.at(region.chunk));
}

QByteArrayView PayloadStore::view(quint64 reference, qsizetype length) const noexcept
{
    if (length == 0)
        return {};
    const auto chunk = qsizetype(reference >> 32);
    const auto offset = qsizetype(reference & 0xffffffffu);
    return {m_chunks.at(chunk) + offset, length};
}

} // namespace wsi
