// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/session/ReconnectBackoff.h"
#include "core/session/SessionOptions.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace wsi {

class Session;

// Auto-reconnect: one Session per connection attempt, a new one after each connection that ended without the user
// closing it, after a backoff delay (ReconnectBackoff). Each new connection sends the options' on-connect messages
// again (the Session does that on open), so it re-authenticates and re-subscribes.
//
// A reconnect is a new connection, so it is a new Session with its own handshake, FrameLog, heartbeat history and
// close record: the end of each attempt stays what it was (and can be diagnosed), and a view shows all attempts by
// keeping their sessions (sessions()).
//
// Lives on the thread that creates the sessions (the GUI thread with SessionManager::createSession, or the CLI's
// main thread); sessions are opened with SessionManager::post, so they may live on the network thread.
// Not a reconnect: a clean close the client started (the user closed it), or anything after stop().
class Reconnector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Reconnector)

public:
    using SessionFactory = std::function<Session *(const SessionOptions &)>;
    // Why no further connection is made: what a view says after the last close.
    enum class Finish : quint8 {
        Running,      // not finished
        Stopped,      // stop() was called (the user's Disconnect, Ctrl-C, --close, --duration)
        ReconnectOff, // the options do not reconnect
        ClientClosed, // the client closed the connection cleanly: nothing to recover
        GaveUp,       // maxAttempts reconnects in a row failed
    };

    Reconnector(SessionOptions options, SessionFactory factory, QObject *parent = nullptr);
    ~Reconnector() override;

    // For tests: the jitter's random source, made deterministic.
    void setRandomSeed(quint64 seed) { m_backoff = ReconnectBackoff(m_options.reconnect, seed); }

    // Opens the first connection.
    void start();
    // No further connection: a pending reconnect is cancelled (then finished() follows at once). The current
    // session is left alone; close or abort it as usual.
    void stop();

    const SessionOptions &options() const noexcept { return m_options; }
    Session *currentSession() const { return m_sessions.isEmpty() ? nullptr : m_sessions.constLast().data(); }
    // Every connection in order (null where its owner deleted it).
    QList<QPointer<Session>> sessions() const { return m_sessions; }
    int connectionCount() const noexcept { return int(m_sessions.size()); }
    // Reconnect attempts in a row since the last stable connection (what maxAttempts counts).
    int attemptsInARow() const noexcept { return m_attempt; }
    bool isWaiting() const { return m_delayTimer.isActive(); }
    bool isFinished() const noexcept { return m_finished; }
    // When the pending reconnect happens, in ms from now; -1 when none is pending.
    qint64 remainingDelayMs() const { return m_delayTimer.isActive() ? m_delayTimer.remainingTime() : -1; }
    // Why no further connection is made, once finished: in words, and as a kind.
    QString finishReason() const { return m_finishReason; }
    Finish finishKind() const noexcept { return m_finish; }

Q_SIGNALS:
    // A connection's Session was created and is about to be opened: connect to its signals here.
    // connection: 1 for the first, 2 for the first reconnect ...
    void sessionStarted(wsi::Session *session, int connection);
    // The previous connection ended; the next one opens after delayMs. attempt: reconnect attempts in a row
    // (1 = the first since the last stable connection).
    void reconnectScheduled(int attempt, qint64 delayMs, int connection);
    // No further connection will be made (see finishReason()).
    void finished();

private:
    void openNext();
    void onSessionOpened(Session *session, bool accepted);
    void onSessionClosed(Session *session);
    void finish(Finish kind, const QString &reason);

    SessionOptions m_options;
    SessionFactory m_factory;
    ReconnectBackoff m_backoff;
    QList<QPointer<Session>> m_sessions;
    QTimer m_delayTimer;
    QElapsedTimer m_openedFor; // since the current connection's handshake succeeded
    int m_attempt = 0;
    qint64 m_pendingDelayMs = 0;
    bool m_stopped = false;
    bool m_finished = false;
    Finish m_finish = Finish::Running;
    QString m_finishReason;
};

} // namespace wsi
