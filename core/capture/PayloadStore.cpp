// SPDX-License-Identifier: GPL-3.0-or-later
#include "PayloadStore.h"

#include <cstring>

namespace wsi {

PayloadStore::~PayloadStore()
{
    for (qsizetype i = 0, n = m_chunks.size(); i < n; ++i)
        delete[] m_chunks.at(i);
}

qsizetype PayloadStore::addChunk(qsizetype size)
{
    const qsizetype index = m_chunks.append(new char[std::size_t(size)]);
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
    if (size > chunkBytes / 4) {
        chunk = addChunk(size);
    } else {
        if (m_currentChunk < 0 || m_currentFill + size > chunkBytes) {
            m_currentChunk = addChunk(chunkBytes);
            m_currentFill = 0;
        }
        chunk = m_currentChunk;
        offset = m_currentFill;
        m_currentFill += size;
    }
    std::memcpy(m_chunks.at(chunk) + offset, bytes.data(), std::size_t(size));
    m_bytesStored.fetch_add(size, std::memory_order_relaxed);
    return (quint64(chunk) << 32) | quint64(offset);
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
