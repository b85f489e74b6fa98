// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/PayloadOverflow.h"

#include <QMutexLocker>

namespace wsi {

void PayloadOverflow::put(QHash<qsizetype, QByteArray> &payloads, qsizetype index, QByteArrayView payload)
{
    const QMutexLocker lock(&m_mutex);
    if (m_pendingBytes + payload.size() > m_maxPendingBytes) {
        ++m_lost;
        return;
    }
    m_pendingBytes += payload.size();
    payloads.insert(index, payload.toByteArray());
}

std::optional<QByteArray> PayloadOverflow::take(QHash<qsizetype, QByteArray> &payloads, qsizetype index)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = payloads.find(index);
    if (it == payloads.end())
        return std::nullopt;
    QByteArray payload = std::move(it.value());
    payloads.erase(it);
    m_pendingBytes -= payload.size();
    return payload;
}

qint64 PayloadOverflow::pendingBytes() const
{
    const QMutexLocker lock(&m_mutex);
    return m_pendingBytes;
}

qint64 PayloadOverflow::lostPayloads() const
{
    const QMutexLocker lock(&m_mutex);
    return m_lost;
}

} // namespace wsi
