// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <memory>

class QLabel;

namespace wsi {

class FrameLog;
class HeartbeatHistory;
class RttChart;

// The health of a connection's heartbeat as measured from its traffic: the last ping sent and pong received, the
// round-trip time now and over time, pings still unanswered, the server's own pings and their intervals (its
// heartbeat), the silence in each direction, and a state: healthy, late (a ping has waited longer than usual, or the
// server's pings stopped coming at their pace) or dead (a ping has waited over deadAfterNs); once the connection is
// over, ended, with what it was before. The pings are the heartbeat engine's, or the ones the user sends.
class HeartbeatView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatView)

public:
    enum class Health : quint8 { Unknown, Healthy, Late, Dead, Ended };
    Q_ENUM(Health)

    static constexpr qint64 deadAfterNs = 30'000'000'000; // an unanswered ping this old: the peer is gone
    static constexpr qint64 minimumLateNs = 1'000'000'000;

    explicit HeartbeatView(QWidget *parent = nullptr);

    void setFrameLog(std::shared_ptr<const FrameLog> log);
    // The session's heartbeat engine, if it runs one: its settings are shown and its verdict (healthy, late, dead
    // by the configured timeout and misses) replaces the one measured from the traffic.
    void setHeartbeatHistory(std::shared_ptr<const HeartbeatHistory> history);
    // Reads the frames and round trips logged since the last call; `nowNs` is the session's clock now.
    void refresh(qint64 nowNs);
    // The connection is over (at atNs on its clock, `how`: "closed 1006"): the state reads ended, with the health
    // it had before. Until the next setFrameLog().
    void setEnded(qint64 atNs, const QString &how);

    Health health() const noexcept { return m_endedAtNs >= 0 ? Health::Ended : m_health; }
    // What the traffic said before the end (the same as health() while the connection runs).
    Health healthBeforeEnd() const noexcept { return m_health; }
    // The server's own pings: its heartbeat, which this client answers.
    qsizetype serverPings() const noexcept { return m_serverPings; }
    // Between the server's pings, on average and the last one; -1 before the second.
    qint64 serverPingIntervalNs() const;
    qint64 lastServerPingIntervalNs() const noexcept
    {
        return m_previousServerPingNs < 0 ? -1 : m_lastServerPingNs - m_previousServerPingNs;
    }
    qsizetype unansweredPings() const noexcept { return m_pingsSent - m_pingsAnswered; }
    qint64 lastRttNs() const noexcept { return m_lastRttNs; }
    static QString healthName(Health health);

private:
    QLabel *addRow(const QString &name, const char *objectName);
    void show(qint64 nowNs);
    void showProtocolHeartbeat();
    QString ago(qint64 nowNs, qint64 thenNs) const;
    // Without pings of ours, the server's heartbeat: late once its pings stop coming at their pace.
    Health serverHeartbeatHealth(qint64 nowNs) const;

    std::shared_ptr<const FrameLog> m_log;
    qsizetype m_framesRead = 0;
    qsizetype m_roundTripsRead = 0;
    qsizetype m_pingsSent = 0;
    qsizetype m_pingsAnswered = 0; // pings sent up to and including the last answered one
    qint64 m_lastPingSentNs = -1;
    qint64 m_lastPongNs = -1;
    qint64 m_lastRttNs = -1;
    qint64 m_lastInNs = -1;
    qint64 m_lastOutNs = -1;
    QList<qint64> m_rtts;
    struct SentPing {
        qsizetype frame = -1;
        qint64 timeNs = 0;
    };
    QList<SentPing> m_pings; // in the order sent, to find the oldest unanswered one
    Health m_health = Health::Unknown;
    qsizetype m_serverPings = 0;
    qint64 m_firstServerPingNs = -1;
    qint64 m_lastServerPingNs = -1;
    qint64 m_previousServerPingNs = -1;
    qint64 m_endedAtNs = -1;
    QString m_endedHow;

    std::shared_ptr<const HeartbeatHistory> m_history;
    QLabel *m_state;
    QLabel *m_engine;
    QLabel *m_protocolHeartbeat = nullptr; // the application protocol's own heartbeat, when one is spoken
    QLabel *m_lastPing;
    QLabel *m_lastPong;
    QLabel *m_rtt;
    QLabel *m_unanswered;
    QLabel *m_serverPingsLabel;
    QLabel *m_serverInterval;
    QLabel *m_idleIn;
    QLabel *m_idleOut;
    RttChart *m_chart;
};

} // namespace wsi
