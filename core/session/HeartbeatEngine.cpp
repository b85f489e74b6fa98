// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/HeartbeatEngine.h"

#include "core/session/Session.h"
#include "core/text/DurationText.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace wsi {

HeartbeatEngine::HeartbeatEngine(Session &session, HeartbeatSettings settings, Clock clock,
                                 std::shared_ptr<HeartbeatHistory> history, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_settings(std::move(settings))
    , m_clock(std::move(clock))
    , m_history(std::move(history))
    , m_monitor(m_settings.expectsReplies() ? m_settings.effectiveReplyTimeoutMs() * 1'000'000 : 0,
                m_settings.missesUntilDead, m_settings.whenDead != HeartbeatSettings::WhenDead::KeepOpen)
    , m_intervalTimer(this)
    , m_deadlineTimer(this)
    , m_receiveTimer(this)
{
    // Heartbeats of a few hundred ms are common in tests and tight setups; a coarse timer's 5% slack would show
    // up in the intervals people read off the frame table.
    m_intervalTimer.setTimerType(Qt::PreciseTimer);
    m_deadlineTimer.setTimerType(Qt::PreciseTimer);
    m_deadlineTimer.setSingleShot(true);
    m_receiveTimer.setTimerType(Qt::PreciseTimer);
    m_receiveTimer.setSingleShot(true);
    connect(&m_receiveTimer, &QTimer::timeout, this, &HeartbeatEngine::onReceiveTimeout);
    connect(&m_intervalTimer, &QTimer::timeout, this, &HeartbeatEngine::beat);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &HeartbeatEngine::checkDeadlines);
}

void HeartbeatEngine::start()
{
    const bool beats = m_settings.kind != HeartbeatSettings::Kind::None && m_settings.intervalMs > 0;
    const bool listens = m_settings.receiveTimeoutMs && *m_settings.receiveTimeoutMs > 0;
    if (m_running || (!beats && !listens))
        return;
    m_running = true;
    if (beats)
        m_intervalTimer.start(int(std::min<qint64>(m_settings.intervalMs, std::numeric_limits<int>::max())));
    if (listens)
        m_receiveTimer.start(int(std::min<qint64>(*m_settings.receiveTimeoutMs, std::numeric_limits<int>::max())));
}

void HeartbeatEngine::frameReceived()
{
    if (m_running && m_receiveTimer.isActive())
        m_receiveTimer.start(); // the same timeout, from now
}

void HeartbeatEngine::onReceiveTimeout()
{
    if (!m_running)
        return;
    record(m_monitor.receiveTimedOut(m_clock()));
    if (m_deadReported || m_settings.whenDead == HeartbeatSettings::WhenDead::KeepOpen)
        return;
    m_deadReported = true;
    Q_EMIT dead(QStringLiteral("heartbeat dead: nothing received for %1 (receive timeout)")
                    .arg(DurationText::format(*m_settings.receiveTimeoutMs)));
}

void HeartbeatEngine::stop()
{
    m_running = false;
    m_intervalTimer.stop();
    m_deadlineTimer.stop();
    m_receiveTimer.stop();
}

QByteArray HeartbeatEngine::appMessage(quint64 sequence) const
{
    QByteArray message = m_settings.appMessage;
    message.replace("{{seq}}", QByteArray::number(sequence));
    if (message.contains("{{now_ms}}"))
        message.replace("{{now_ms}}", QByteArray::number(QDateTime::currentMSecsSinceEpoch()));
    return message;
}

void HeartbeatEngine::beat()
{
    if (!m_running || m_session.state() != Session::State::Open)
        return;
    const qsizetype framesBefore = m_session.frameLog()->frameCount();
    const quint64 sequence = ++m_sequence;
    switch (m_settings.kind) {
    case HeartbeatSettings::Kind::Ping:
        m_session.sendPing(pingPrefix.toByteArray() + QByteArray::number(sequence));
        break;
    case HeartbeatSettings::Kind::Pong:
        // .NET's keep-alive: an unsolicited, empty pong (RFC 6455 §5.5.3 allows it as a one-way heartbeat).
        m_session.sendPong();
        break;
    case HeartbeatSettings::Kind::App:
        m_session.sendMessage(MessageType::Text, appMessage(sequence));
        break;
    case HeartbeatSettings::Kind::None:
        return;
    }
    const auto log = m_session.frameLog();
    if (log->frameCount() == framesBefore)
        return; // nothing went out (the connection is no longer open)
    HeartbeatEvent event = m_monitor.sent(sequence, log->frame(framesBefore).timeNs);
    event.frame = framesBefore;
    record(event);
    armDeadline();
}

void HeartbeatEngine::pongReceived(QByteArrayView pingPayload, qint64 timeNs, qsizetype frame)
{
    if (!m_running || m_settings.kind != HeartbeatSettings::Kind::Ping || !pingPayload.startsWith(pingPrefix))
        return;
    bool ok = false;
    const quint64 sequence = pingPayload.sliced(pingPrefix.size()).toULongLong(&ok);
    if (!ok)
        return;
    // A deadline that passed before this pong was read counts first, so a late pong reads as late, then healthy.
    checkDeadlines();
    if (auto event = m_monitor.replied(sequence, timeNs)) {
        event->frame = frame;
        record(*event);
    }
    armDeadline();
}

void HeartbeatEngine::messageReceived(qint64 timeNs)
{
    if (!m_running || m_settings.kind != HeartbeatSettings::Kind::App || !m_settings.expectsReplies())
        return;
    const auto latest = m_monitor.latestAwaiting();
    if (!latest)
        return;
    checkDeadlines();
    if (auto event = m_monitor.replied(*latest, timeNs))
        record(*event);
    armDeadline();
}

bool HeartbeatEngine::answerPing(qint64 timeNs)
{
    if (m_settings.stopAnsweringPingsAfter < 0)
        return true;
    if (m_pingsAnswered < m_settings.stopAnsweringPingsAfter) {
        ++m_pingsAnswered;
        return true;
    }
    if (m_pingsAnswered == m_settings.stopAnsweringPingsAfter) {
        ++m_pingsAnswered; // record it once
        HeartbeatEvent event;
        event.kind = HeartbeatEvent::Kind::StoppedAnswering;
        event.timeNs = timeNs;
        event.health = m_monitor.health();
        event.missed = m_monitor.missed();
        event.sequence = quint64(m_settings.stopAnsweringPingsAfter);
        record(event);
    }
    return false;
}

void HeartbeatEngine::checkDeadlines()
{
    if (!m_running)
        return;
    const QList<HeartbeatEvent> misses = m_monitor.advance(m_clock());
    for (const HeartbeatEvent &miss : misses)
        record(miss);
    armDeadline();
    if (m_monitor.health() == HeartbeatEvent::Health::Dead && !m_deadReported &&
        m_settings.whenDead != HeartbeatSettings::WhenDead::KeepOpen) {
        m_deadReported = true;
        const QString kind =
            m_settings.kind == HeartbeatSettings::Kind::Ping ? QStringLiteral("pong") : QStringLiteral("reply");
        Q_EMIT dead(QStringLiteral("heartbeat dead: no %1 within %2, %3 time(s) in a row (keepalive ping timeout)")
                        .arg(kind, DurationText::format(m_settings.effectiveReplyTimeoutMs()))
                        .arg(m_monitor.missed()));
    }
}

void HeartbeatEngine::armDeadline()
{
    const auto deadline = m_monitor.nextDeadlineNs();
    if (!m_running || !deadline) {
        m_deadlineTimer.stop();
        return;
    }
    // Round up: firing a little after the deadline finds the miss; firing before it would find nothing.
    const qint64 waitNs = std::max<qint64>(0, *deadline - m_clock());
    m_deadlineTimer.start(int(std::min<qint64>((waitNs + 999'999) / 1'000'000, std::numeric_limits<int>::max())));
}

void HeartbeatEngine::record(const HeartbeatEvent &event)
{
    m_history->append(event);
    Q_EMIT recorded();
}

} // namespace wsi
