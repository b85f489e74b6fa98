// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace wsi {

class FrameLog;
class RecordingReader;

// The whole payload of each frame and message of a session, for the exports: the log's bytes when it kept them
// all, else the bytes read back from the session's recording (RecordingReader::framePayload / messagePayload), so
// a payload the memory budget cut is still written in full. Without a recording, or when the recording does not
// hold a payload, the log's part is all there is: the caller sees it is shorter than the record's length.
//
// The recording is opened on first need, on the calling thread (Qt SQL connections belong to one thread): make,
// use and drop a WholePayloads on the same thread.
class WholePayloads final
{
public:
    // recordingPath: the session's recording, or empty when it has none (a HAR file, a session not recorded).
    WholePayloads(const FrameLog &log, QString recordingPath);
    ~WholePayloads();
    Q_DISABLE_COPY_MOVE(WholePayloads)

    // Valid until the next call.
    QByteArrayView frame(qsizetype index);
    QByteArrayView message(qsizetype index);

    // Payloads the log had cut that could not be read back (they are given cut), and why the first one failed.
    qsizetype unreadCount() const noexcept { return m_unreadCount; }
    QString firstError() const { return m_firstError; }

private:
    bool openRecording();
    void noteFailure(const QString &error);

    const FrameLog &m_log;
    QString m_recordingPath;
    std::unique_ptr<RecordingReader> m_reader;
    bool m_openTried = false;
    QByteArray m_readBack;
    qsizetype m_readBackFrame = -1; // the frame m_readBack is the payload of, if it is a frame's
    qsizetype m_unreadCount = 0;
    QString m_firstError;
};

} // namespace wsi
