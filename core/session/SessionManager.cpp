// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionManager.h"

#include "RecordingPaths.h"
#include "SessionRecorder.h"

#include <QCoreApplication>
#include <QDir>

namespace wsi {

namespace {
// Set once, before the session moves to the network thread; read-only afterwards.
constexpr const char *recordingProperty = "wsi.recordingPath";
} // namespace

SessionManager::SessionManager(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("wsi-network"));
    m_thread.start();
    m_recordingThread.setObjectName(QStringLiteral("wsi-recording"));
    m_recordingThread.start();
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
    // The recorders got their sessions' ends queued above; this returns once they have written them.
    auto *probe = new QObject;
    probe->moveToThread(&m_recordingThread);
    QMetaObject::invokeMethod(
        probe, [probe] { delete probe; }, Qt::BlockingQueuedConnection);
    m_recordingThread.quit();
    m_recordingThread.wait();
}

Session *SessionManager::createSession(const SessionOptions &options)
{
    auto *session = new Session(options);
    QString recordingError;
    if (!m_recordingDirectory.isEmpty() && !QDir().mkpath(m_recordingDirectory)) {
        recordingError = QStringLiteral("cannot create the recordings folder %1")
                             .arg(QDir::toNativeSeparators(m_recordingDirectory));
    } else if (!m_recordingDirectory.isEmpty()) {
        const QString path = RecordingPaths::newFileIn(m_recordingDirectory, options.url, QDateTime::currentDateTime());
        session->setProperty(recordingProperty, path);
        SessionRecorder *recorder =
            SessionRecorder::start(session, path, &m_recordingThread, QCoreApplication::applicationVersion());
        connect(recorder, &SessionRecorder::failed, this, [this, session](const QString &error) {
            if (m_sessions.contains(session))
                Q_EMIT recordingFailed(session, error);
        });
        connect(recorder, &SessionRecorder::finished, this, &SessionManager::recordingFinished);
    }
    session->moveToThread(&m_thread);
    m_sessions.append(session);
    Q_EMIT sessionAdded(session);
    if (!recordingError.isEmpty())
        Q_EMIT recordingFailed(session, recordingError);
    return session;
}

QString SessionManager::recordingPath(const Session *session)
{
    return session->property(recordingProperty).toString();
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
