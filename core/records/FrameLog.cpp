// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/FrameLog.h"

#include <algorithm>

namespace wsi {

FrameLog::FrameLog(const Budget &budget)
    : m_budget(budget)
{}

quint32 FrameLog::storableLength(qsizetype size) const noexcept
{
    const qint64 left = std::max<qint64>(0, m_budget.maxStoredTotal - m_payloads.bytesStored());
    return quint32(std::min<qint64>({qint64(size), m_budget.maxStoredPerFrame, left, qint64(0xffffffffu)}));
}

qsizetype FrameLog::appendFrame(FrameRecord record, QByteArrayView payload, const ViolationList &violations,
                                const PayloadStore::ReadRegion &readRegion)
{
    record.storedLength = storableLength(payload.size());
    const QByteArrayView kept = payload.first(record.storedLength);
    if (!kept.isEmpty() && readRegion.contains(kept))
        record.payloadReference = m_payloads.referenceInRead(readRegion, kept);
    else
        record.payloadReference = m_payloads.store(kept);
    const qsizetype index = m_frames.size();
    if (record.storedLength < quint64(payload.size())) {
        record.flags |= FrameRecord::PayloadTruncated;
        if (m_overflow)
            m_overflow->putFrame(index, payload);
    }
    record.violationMask |= Violations::mask(violations);
    if (!violations.isEmpty()) {
        record.flags |= FrameRecord::HasViolationDetails;
        m_violationDetails.append(ViolationDetails{index, violations});
    }
    return m_frames.append(record);
}

qsizetype FrameLog::messageContaining(qsizetype frame) const noexcept
{
    if (frame < 0 || frame >= frameCount())
        return -1;
    const FrameRecord &record = m_frames.at(frame);
    if (record.opcode > 0x2) // control or reserved: never part of a data message
        return -1;
    const qsizetype messages = messageCount();
    qsizetype lo = 0;
    qsizetype hi = messages;
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (m_messages.at(mid).lastFrame < quint64(frame))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (qsizetype m = lo; m < messages; ++m) {
        const MessageRecord &message = m_messages.at(m);
        if (message.direction == record.direction())
            return message.firstFrame <= quint64(frame) ? m : -1;
    }
    return -1;
}

qsizetype FrameLog::appendMessage(MessageRecord record, QByteArrayView payload)
{
    if (record.sharesFramePayload) {
        const FrameRecord &only = m_frames.at(qsizetype(record.firstFrame));
        record.payloadReference = only.payloadReference;
        record.storedLength = only.storedLength;
    } else {
        record.storedLength = storableLength(payload.size());
        record.payloadReference = m_payloads.store(payload.first(record.storedLength));
        if (m_overflow && record.storedLength < quint64(payload.size()))
            m_overflow->putMessage(m_messages.size(), payload);
    }
    return m_messages.append(record);
}

QByteArrayView FrameLog::framePayload(qsizetype index) const noexcept
{
    const FrameRecord &r = m_frames.at(index);
    return m_payloads.view(r.payloadReference, r.storedLength);
}

QByteArrayView FrameLog::messagePayload(qsizetype index) const noexcept
{
    const MessageRecord &r = m_messages.at(index);
    return m_payloads.view(r.payloadReference, r.storedLength);
}

ViolationList FrameLog::frameViolations(qsizetype index) const
{
    if (!m_frames.at(index).has(FrameRecord::HasViolationDetails))
        return {};
    // Entries are appended in frame order, so a binary search over the published ones finds it.
    qsizetype lo = 0;
    qsizetype hi = m_violationDetails.size();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (m_violationDetails.at(mid).frameIndex < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m_violationDetails.size() && m_violationDetails.at(lo).frameIndex == index)
        return m_violationDetails.at(lo).violations;
    return {};
}

qint64 FrameLog::memoryUsed() const noexcept
{
    return m_payloads.bytesAllocated() + qint64(m_frames.size()) * qint64(sizeof(FrameRecord)) +
           qint64(m_messages.size()) * qint64(sizeof(MessageRecord));
}

} // namespace wsi
