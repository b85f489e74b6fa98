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
// round-trip time now and over time, pings still unanswered, the silence in each direction, and a state:
// healthy, late (a ping has waited longer than usual) or dead (a ping has waited over deadAfterNs). Until the
// heartbeat engine sends pings by itself, the pings are the ones the user sends.
class HeartbeatView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatView)

public:
    enum class Health : quint8 { Unknown, Healthy, Late, Dead };
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

    Health health() const noexcept { return m_health; }
    qsizetype unansweredPings() const noexcept { return m_pingsSent - m_pingsAnswered; }
    qint64 lastRttNs() const noexcept { return m_lastRttNs; }
    static QString healthName(Health health);

private:
    QLabel *addRow(const QString &name, const char *objectName);
    void show(qint64 nowNs);

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

    std::shared_ptr<const HeartbeatHistory> m_history;
    QLabel *m_state;
    QLabel *m_engine;
    QLabel *m_lastPing;
    QLabel *m_lastPong;
    QLabel *m_rtt;
    QLabel *m_unanswered;
    QLabel *m_idleIn;
    QLabel *m_idleOut;
    RttChart *m_chart;
};

} // namespace wsi
