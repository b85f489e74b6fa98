// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/WholePayloads.h"

#include "core/recordings/RecordingReader.h"
#include "core/records/FrameLog.h"

namespace wsi {

WholePayloads::WholePayloads(const FrameLog &log, QString recordingPath)
    : m_log(log)
    , m_recordingPath(std::move(recordingPath))
{}

WholePayloads::~WholePayloads() = default;

bool WholePayloads::openRecording()
{
    if (m_openTried)
        return m_reader != nullptr;
    m_openTried = true;
    if (m_recordingPath.isEmpty())
        return false;
    auto reader = std::make_unique<RecordingReader>();
    QString error;
    if (!reader->open(m_recordingPath, &error)) {
        noteFailure(error);
        return false;
    }
    m_reader = std::move(reader);
    return true;
}

void WholePayloads::noteFailure(const QString &error)
{
    if (m_firstError.isEmpty())
        m_firstError = error;
}

QByteArrayView WholePayloads::frame(qsizetype index)
{
    const QByteArrayView kept = m_log.framePayload(index);
    if (!m_log.frame(index).has(FrameRecord::PayloadTruncated))
        return kept;
    if (!m_recordingPath.isEmpty() && openRecording()) {
        QString error;
        if (std::optional<QByteArray> whole = m_reader->framePayload(index, &error)) {
            m_readBack = std::move(*whole);
            m_readBackFrame = index;
            return m_readBack;
        }
        noteFailure(error);
    }
    ++m_unreadCount;
    return kept;
}

QByteArrayView WholePayloads::message(qsizetype index)
{
    const QByteArrayView kept = m_log.messagePayload(index);
    const MessageRecord &record = m_log.message(index);
    if (!record.payloadTruncated())
        return kept;
    // A message of one plain frame is that frame's payload, most often just read back for the frame.
    if (record.sharesFramePayload && m_readBackFrame >= 0 && quint64(m_readBackFrame) == record.firstFrame)
        return m_readBack;
    if (!m_recordingPath.isEmpty() && openRecording()) {
        QString error;
        if (std::optional<QByteArray> whole = m_reader->messagePayload(index, record, &error)) {
            m_readBack = std::move(*whole);
            m_readBackFrame = -1;
            return m_readBack;
        }
        noteFailure(error);
    }
    ++m_unreadCount;
    return kept;
}

} // namespace wsi
