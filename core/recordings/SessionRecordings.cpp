// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/SessionRecordings.h"

#include "core/home/DataHome.h"
#include "core/recordings/RecordingPaths.h"
#include "core/recordings/SessionRecorder.h"
#include "core/session/SessionManager.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>

namespace wsi {

SessionRecordings *SessionRecordings::of(SessionManager *manager)
{
    if (auto *existing = manager->findChild<SessionRecordings *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new SessionRecordings(manager);
}

SessionRecordings::SessionRecordings(SessionManager *manager)
    : QObject(manager)
    , m_manager(manager)
{
    // Direct: sessionAdded() is emitted inside createSession(), before anyone can open the session.
    connect(manager, &SessionManager::sessionAdded, this, &SessionRecordings::record, Qt::DirectConnection);
}

// The manager's destructor has ended its sessions, and their recorders got those ends queued: m_thread's
// destructor returns once they have written them.
SessionRecordings::~SessionRecordings() = default;

void SessionRecordings::record(Session *session)
{
    if (m_directory.isEmpty())
        return;
    if (!DataHome::makePrivateFolder(m_directory)) {
        Q_EMIT recordingFailed(
            session,
            QStringLiteral("cannot create the recordings folder %1").arg(QDir::toNativeSeparators(m_directory)));
        return;
    }
    QString why;
    const QString path =
        RecordingPaths::reserveNewFileIn(m_directory, session->options().url, QDateTime::currentDateTime(), &why);
    if (path.isEmpty()) {
        Q_EMIT recordingFailed(session, why);
        return;
    }
    SessionRecorder *recorder =
        SessionRecorder::start(session, path, &m_thread, QCoreApplication::applicationVersion());
    connect(recorder, &SessionRecorder::failed, this, [this, session](const QString &error) {
        if (m_manager->sessions().contains(session))
            Q_EMIT recordingFailed(session, error);
    });
    connect(recorder, &SessionRecorder::finished, this, &SessionRecordings::recordingFinished);
}

} // namespace wsi
