// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QMutex>

#include <optional>

namespace wsi {

// The payloads a FrameLog could not keep in full (its memory budget, or the per-frame cap), handed over to the
// session's recording so the recording still holds every byte. The log puts a payload here before it publishes the
// record, so a recorder that has seen a record finds its payload here (or, if it was kept, in the log).
//
// The queue itself is bounded: when the recorder falls behind by more than maxPendingBytes, further payloads are
// not kept and are counted as lost; the recording then marks those frames as not recorded, never silently.
class PayloadOverflow final
{
public:
    static constexpr qint64 defaultMaxPendingBytes = 256ll * 1024 * 1024;

    explicit PayloadOverflow(qint64 maxPendingBytes = defaultMaxPendingBytes)
        : m_maxPendingBytes(maxPendingBytes)
    {}
    Q_DISABLE_COPY_MOVE(PayloadOverflow)

    // Writer side (the session's thread): copies the whole payload of that frame or message.
    void putFrame(qsizetype index, QByteArrayView payload) { put(m_frames, index, payload); }
    void putMessage(qsizetype index, QByteArrayView payload) { put(m_messages, index, payload); }

    // Reader side (the recorder's thread): takes the payload of that frame or message, if it is here.
    std::optional<QByteArray> takeFrame(qsizetype index) { return take(m_frames, index); }
    std::optional<QByteArray> takeMessage(qsizetype index) { return take(m_messages, index); }

    qint64 pendingBytes() const;
    qint64 lostPayloads() const;

private:
    void put(QHash<qsizetype, QByteArray> &payloads, qsizetype index, QByteArrayView payload);
    std::optional<QByteArray> take(QHash<qsizetype, QByteArray> &payloads, qsizetype index);

    const qint64 m_maxPendingBytes;
    mutable QMutex m_mutex;
    QHash<qsizetype, QByteArray> m_frames;
    QHash<qsizetype, QByteArray> m_messages;
    qint64 m_pendingBytes = 0;
    qint64 m_lost = 0;
};

} // namespace wsi
