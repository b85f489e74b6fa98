// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HeartbeatHistory.h"
#include "core/records/HeartbeatSettings.h"
#include "core/session/HeartbeatMonitor.h"

#include <QByteArrayView>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace wsi {

class Session;

// A session's heartbeat: sends protocol pings, unsolicited pongs or application messages every interval while the
// connection is open, matches replies, counts misses (HeartbeatMonitor), records every event in the session's
// HeartbeatHistory, and says when the heartbeat is dead. Also decides whether the session still answers the
// server's pings ("stop answering pings after N").
//
// Owned by its Session and living on its thread; the session feeds it the pongs and messages it receives. Timers
// fire once per interval and once per reply deadline, never per frame.
class HeartbeatEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatEngine)

public:
    using Clock = std::function<qint64()>; // the session's clock, ns

    // Ping payloads start with this, then the sequence number in decimal: readable in the frame table and told
    // apart from the user's own pings.
    static constexpr QByteArrayView pingPrefix{"wsi-hb-"};

    HeartbeatEngine(Session &session, HeartbeatSettings settings, Clock clock,
                    std::shared_ptr<HeartbeatHistory> history, QObject *parent = nullptr);

    // The connection is open: the first heartbeat goes out one interval from now.
    void start();
    // The connection is closing or gone: no more heartbeats, no more deadlines.
    void stop();

    // A pong that answered one of our pings (the session matched its payload); frame: the pong's log index.
    void pongReceived(QByteArrayView pingPayload, qint64 timeNs, qsizetype frame);
    // Any frame from the peer: restarts the receive timeout.
    void frameReceived();
    // A whole data message from the peer: the reply to an App heartbeat that expects one.
    void messageReceived(qint64 timeNs);
    // A ping from the server: whether to answer it (false once "stop answering pings after N" is reached).
    bool answerPing(qint64 timeNs);

    const HeartbeatSettings &settings() const noexcept { return m_settings; }

Q_SIGNALS:
    // Events were appended to the history (the session coalesces this into its notifications).
    void recorded();
    // missesUntilDead replies missed in a row; why: in words, for the close record.
    void dead(const QString &why);

private:
    void beat();
    void checkDeadlines();
    void onReceiveTimeout();
    void armDeadline();
    void record(const HeartbeatEvent &event);
    QByteArray appMessage(quint64 sequence) const;

    Session &m_session;
    const HeartbeatSettings m_settings;
    Clock m_clock;
    std::shared_ptr<HeartbeatHistory> m_history;
    HeartbeatMonitor m_monitor;
    QTimer m_intervalTimer;
    QTimer m_deadlineTimer;
    QTimer m_receiveTimer; // restarted by every frame received, when a receive timeout is set
    quint64 m_sequence = 0;
    int m_pingsAnswered = 0;
    bool m_running = false;
    bool m_deadReported = false;
};

} // namespace wsi
