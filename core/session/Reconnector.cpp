// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/Reconnector.h"

#include "core/session/Session.h"
#include "core/session/SessionManager.h"

#include <algorithm>
#include <limits>

namespace wsi {

Reconnector::Reconnector(SessionOptions options, SessionFactory factory, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_factory(std::move(factory))
    , m_backoff(m_options.reconnect)
    , m_delayTimer(this)
{
    // sessionStarted() carries a Session* across threads (queued to a view, or to a QSignalSpy).
    qRegisterMetaType<Session *>();
    m_delayTimer.setSingleShot(true);
    // The delays are what the user set and what tests check; a coarse timer may fire 5% early.
    m_delayTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_delayTimer, &QTimer::timeout, this, &Reconnector::openNext);
}

Reconnector::~Reconnector() = default;

void Reconnector::start()
{
    if (!m_sessions.isEmpty() || m_finished)
        return;
    openNext();
}

void Reconnector::stop()
{
    m_stopped = true;
    if (m_delayTimer.isActive()) {
        m_delayTimer.stop();
        finish(Finish::Stopped, QStringLiteral("stopped before the next reconnect"));
    }
}

void Reconnector::openNext()
{
    if (m_stopped || m_finished)
        return;
    Session *session = m_factory(m_options);
    m_sessions.append(session);
    m_openedFor.invalidate();
    // Consumers connect to the session first, so they see its end before this decides about the next one.
    Q_EMIT sessionStarted(session, int(m_sessions.size()));
    connect(session, &Session::handshakeFinished, this,
            [this, session](bool accepted) { onSessionOpened(session, accepted); });
    connect(session, &Session::closed, this, [this, session] { onSessionClosed(session); });
    SessionManager::post(session, [](Session *s) { s->open(); });
}

void Reconnector::onSessionOpened(Session *session, bool accepted)
{
    if (accepted && session == currentSession())
        m_openedFor.start();
}

void Reconnector::onSessionClosed(Session *session)
{
    if (session != currentSession() || m_finished)
        return;
    const ReconnectPolicy &policy = m_options.reconnect;
    if (m_stopped) {
        finish(Finish::Stopped, QStringLiteral("stopped"));
        return;
    }
    if (!policy.enabled) {
        finish(Finish::ReconnectOff, QStringLiteral("reconnect is off"));
        return;
    }
    const std::optional<CloseRecord> close = session->closeRecord();
    if (close && close->clean && close->initiator == CloseRecord::Initiator::Client) {
        finish(Finish::ClientClosed, QStringLiteral("the client closed the connection"));
        return;
    }
    if (m_openedFor.isValid() && m_openedFor.elapsed() >= policy.stableAfterMs)
        m_attempt = 0; // it was a working connection: start over with short delays
    if (policy.maxAttempts > 0 && m_attempt >= policy.maxAttempts) {
        finish(Finish::GaveUp, QStringLiteral("gave up after %1 reconnect attempt(s) in a row").arg(m_attempt));
        return;
    }
    ++m_attempt;
    m_pendingDelayMs = m_backoff.delayMs(m_attempt);
    m_delayTimer.start(int(std::min<qint64>(m_pendingDelayMs, std::numeric_limits<int>::max())));
    Q_EMIT reconnectScheduled(m_attempt, m_pendingDelayMs, int(m_sessions.size()) + 1);
}

void Reconnector::finish(Finish kind, const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_finish = kind;
    m_finishReason = reason;
    Q_EMIT finished();
}

} // namespace wsi
