// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Session.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <functional>

namespace wsi {

// Owns every session and the one network thread they all run on, so socket I/O never touches the GUI thread.
// Create, command and remove sessions from the thread that owns the manager; commands are queued to the network
// thread, and the sessions' signals arrive back queued.
//
// With a recordings directory set, every session it creates is recorded there (SessionRecorder) on a second
// thread, the recording thread, so the disk never slows the network thread.
class SessionManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionManager)

public:
    explicit SessionManager(QObject *parent = nullptr);
    ~SessionManager() override;

    // The session is created idle; call open() on it through post(). The pointer stays valid until
    // removeSession() or the manager's destruction.
    Session *createSession(const SessionOptions &options);
    // Aborts the session if it still runs and deletes it on the network thread.
    void removeSession(Session *session);
    QList<Session *> sessions() const { return m_sessions; }
    QThread *networkThread() noexcept { return &m_thread; }

    // Where new sessions are recorded; empty: not recorded (the default).
    void setRecordingDirectory(const QString &directory) { m_recordingDirectory = directory; }
    QString recordingDirectory() const { return m_recordingDirectory; }
    // The recording file of a session it created, or empty when it is not recorded.
    static QString recordingPath(const Session *session);

    // Runs `command` on the session's thread (asynchronously).
    static void post(Session *session, std::function<void(Session *)> command);

Q_SIGNALS:
    void sessionAdded(wsi::Session *session);
    void sessionRemoved(wsi::Session *session);
    // The session's recording could not be created or written; the session goes on unrecorded.
    void recordingFailed(wsi::Session *session, const QString &error);
    // A session ended and its recording is complete and closed.
    void recordingFinished(const QString &path);

private:
    QThread m_thread;
    QThread m_recordingThread;
    QString m_recordingDirectory;
    QList<Session *> m_sessions;
};

} // namespace wsi
