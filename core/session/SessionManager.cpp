// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/SessionManager.h"

namespace wsi {

SessionManager::SessionManager(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("wsi-network"));
    m_thread.start();
}

SessionManager::~SessionManager()
{
    // Sessions must die on their own thread (their sockets and timers live there), before the thread stops.
    for (Session *session : std::as_const(m_sessions))
        QMetaObject::invokeMethod(
            session, [session] { delete session; }, Qt::BlockingQueuedConnection);
    m_sessions.clear();
    m_thread.quit();
    m_thread.wait();
}

Session *SessionManager::createSession(const SessionOptions &options)
{
    auto *session = new Session(options);
    session->moveToThread(&m_thread);
    m_sessions.append(session);
    Q_EMIT sessionAdded(session);
    return session;
}

void SessionManager::removeSession(Session *session)
{
    if (!m_sessions.removeOne(session))
        return;
    Q_EMIT sessionRemoved(session);
    QMetaObject::invokeMethod(
        session,
        [session] {
            session->abort();
            session->deleteLater();
        },
        Qt::QueuedConnection);
}

void SessionManager::post(Session *session, std::function<void(Session *)> command)
{
    QMetaObject::invokeMethod(
        session, [session, command = std::move(command)] { command(session); }, Qt::QueuedConnection);
}

} // namespace wsi
