// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/recordings/RecordingThread.h"

#include <QObject>
#include <QString>

namespace wsi {

class Session;
class SessionManager;

// Records every session a SessionManager creates into one folder, a SessionRecorder each, on a recording thread of
// its own so the disk never slows the network thread. The session layer knows nothing of recordings: this listens
// to the manager's sessionAdded(), which comes before the session is opened.
//
// One per manager, made by of() on first use as the manager's child: it is deleted after the manager's destructor
// has ended every session, and waits until their recorders have written those ends.
class SessionRecordings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRecordings)

public:
    static SessionRecordings *of(SessionManager *manager);
    ~SessionRecordings() override;

    // Where new sessions are recorded; empty: not recorded (the default).
    void setDirectory(const QString &directory) { m_directory = directory; }
    QString directory() const { return m_directory; }

Q_SIGNALS:
    // The session's recording could not be created or written; the session goes on unrecorded.
    void recordingFailed(wsi::Session *session, const QString &error);
    // A session ended and its recording is complete and closed.
    void recordingFinished(const QString &path);

private:
    explicit SessionRecordings(SessionManager *manager);
    void record(Session *session);

    SessionManager *m_manager;
    RecordingThread m_thread;
    QString m_directory;
};

} // namespace wsi
