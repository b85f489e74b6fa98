// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/session/Session.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <functional>

namespace wsi {

// Owns every session and the one network thread they all run on, so socket I/O never touches the GUI thread.
// Create, command and remove sessions from the thread that owns the manager; commands are queued to the network
// thread, and the sessions' signals arrive back queued.
// What sessions record is theirs to give (records()); SessionRecordings (core/recordings) writes them to disk.
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

    // Runs `command` on the session's thread (asynchronously).
    static void post(Session *session, std::function<void(Session *)> command);

Q_SIGNALS:
    // Emitted inside createSession(), before the session can be opened: a direct connection may still prepare it.
    void sessionAdded(wsi::Session *session);
    void sessionRemoved(wsi::Session *session);

private:
    QThread m_thread;
    QList<Session *> m_sessions;
};

} // namespace wsi
