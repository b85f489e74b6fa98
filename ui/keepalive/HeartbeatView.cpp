// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/keepalive/HeartbeatView.h"

#include "core/keepalive/HeartbeatSpec.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "core/records/HeartbeatHistory.h"
#include "ui/widgets/RttChart.h"
#include "ui/widgets/ThemedStyle.h"

#include <QFormLayout>
#include <QLabel>

#include <algorithm>

namespace wsi {
namespace {

QString milliseconds(qint64 ns)
{
    return QObject::tr("%1 ms").arg(double(ns) / 1e6, 0, 'f', 2);
}

QString seconds(qint64 ns)
{
    return QObject::tr("%1 s").arg(double(ns) / 1e9, 0, 'f', 1);
}

} // namespace

HeartbeatView::HeartbeatView(QWidget *parent)
    : QWidget(parent)
    , m_chart(new RttChart(this))
{
    auto *form = new QFormLayout(this);
    // In a narrow side tab a value goes under its name rather than past the right edge.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("health"));
    m_state->setMargin(3);
    form->addRow(tr("State"), m_state);
    m_engine = addRow(tr("Heartbeat"), "engine");
    m_protocolHeartbeat = addRow(tr("Protocol heartbeat"), "protocolHeartbeat");
    m_protocolHeartbeat->setWordWrap(true);
    m_lastPing = addRow(tr("Last ping sent"), "lastPing");
    m_lastPong = addRow(tr("Last pong received"), "lastPong");
    m_rtt = addRow(tr("Round trip"), "rtt");
    m_unanswered = addRow(tr("Unanswered pings"), "unanswered");
    m_serverPingsLabel = addRow(tr("Pings from the server"), "serverPings");
    m_serverInterval = addRow(tr("Server's ping interval"), "serverInterval");
    m_serverInterval->setToolTip(tr("The server's own heartbeat: how far apart its pings come. This client answers "
                                    "each with a pong (unless \"Answer pings\" is off)."));
    m_idleIn = addRow(tr("Silence from the server"), "idleIn");
    m_idleOut = addRow(tr("Silence from us"), "idleOut");
    m_chart->setObjectName(QStringLiteral("rttChart"));
    form->addRow(m_chart);
    show(0);
}

QLabel *HeartbeatView::addRow(const QString &name, const char *objectName)
{
    auto *value = new QLabel(this);
    value->setObjectName(QString::fromLatin1(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    static_cast<QFormLayout *>(layout())->addRow(name, value);
    return value;
}

QString HeartbeatView::healthName(Health health)
{
    switch (health) {
    case Health::Healthy:
        return tr("healthy");
    case Health::Late:
        return tr("late");
    case Health::Dead:
        return tr("dead");
    case Health::Ended:
        return tr("ended");
    case Health::Unknown:
        break;
    }
    return tr("not measured: no ping sent yet");
}

void HeartbeatView::setFrameLog(std::shared_ptr<const FrameLog> log)
{
    m_log = std::move(log);
    m_framesRead = 0;
    m_roundTripsRead = 0;
    m_pingsSent = 0;
    m_pingsAnswered = 0;
    m_lastPingSentNs = m_lastPongNs = m_lastRttNs = m_lastInNs = m_lastOutNs = -1;
    m_rtts.clear();
    m_pings.clear();
    m_health = Health::Unknown;
    m_serverPings = 0;
    m_firstServerPingNs = m_lastServerPingNs = m_previousServerPingNs = -1;
    m_endedAtNs = -1;
    m_endedHow.clear();
    m_chart->setSamples({});
    show(0);
}

void HeartbeatView::setEnded(qint64 atNs, const QString &how)
{
    m_endedAtNs = std::max<qint64>(0, atNs);
    m_endedHow = how;
    show(m_endedAtNs);
}

qint64 HeartbeatView::serverPingIntervalNs() const
{
    return m_serverPings < 2 ? -1 : (m_lastServerPingNs - m_firstServerPingNs) / (m_serverPings - 1);
}

QString HeartbeatView::ago(qint64 nowNs, qint64 thenNs) const
{
    if (thenNs < 0)
        return tr("never");
    const qint64 since = std::max<qint64>(0, nowNs - thenNs);
    return m_endedAtNs >= 0 ? tr("%1 before the end").arg(seconds(since)) : tr("%1 ago").arg(seconds(since));
}

HeartbeatView::Health HeartbeatView::serverHeartbeatHealth(qint64 nowNs) const
{
    const qint64 interval = serverPingIntervalNs();
    if (interval < 0)
        return Health::Unknown;
    // A ping half an interval late (and at least a second) is late; a server that gives up usually waits longer.
    return nowNs - m_lastServerPingNs > interval + std::max(minimumLateNs, interval / 2) ? Health::Late
                                                                                         : Health::Healthy;
}

void HeartbeatView::refresh(qint64 nowNs)
{
    if (!m_log) {
        show(nowNs);
        return;
    }
    // Only what was logged since the last refresh is read.
    for (const qsizetype count = m_log->frameCount(); m_framesRead < count; ++m_framesRead) {
        const FrameRecord &record = m_log->frame(m_framesRead);
        const bool outgoing = record.direction() == Direction::Outgoing;
        (outgoing ? m_lastOutNs : m_lastInNs) = record.timeNs;
        if (outgoing && record.opcode == Opcodes::value(Opcode::Ping)) {
            ++m_pingsSent;
            m_lastPingSentNs = record.timeNs;
            m_pings.append({m_framesRead, record.timeNs});
        } else if (!outgoing && record.opcode == Opcodes::value(Opcode::Pong)) {
            m_lastPongNs = record.timeNs;
        } else if (!outgoing && record.opcode == Opcodes::value(Opcode::Ping)) {
            if (m_serverPings++ == 0)
                m_firstServerPingNs = record.timeNs;
            m_previousServerPingNs = m_lastServerPingNs;
            m_lastServerPingNs = record.timeNs;
        }
    }
    bool newRoundTrips = false;
    for (const qsizetype count = m_log->roundTripCount(); m_roundTripsRead < count; ++m_roundTripsRead) {
        const RoundTrip &trip = m_log->roundTrip(m_roundTripsRead);
        m_lastRttNs = trip.rttNs;
        m_rtts.append(trip.rttNs);
        newRoundTrips = true;
        // A pong answers its ping and, per RFC 6455 §5.5.3, may stand for every earlier one.
        const auto answered = std::lower_bound(m_pings.cbegin(), m_pings.cend(), trip.pingFrame,
                                               [](const SentPing &p, qsizetype frame) { return p.frame < frame; });
        m_pingsAnswered = std::max(m_pingsAnswered, qsizetype(answered - m_pings.cbegin()) + 1);
    }
    if (m_rtts.size() > RttChart::maxSamples)
        m_rtts.remove(0, m_rtts.size() - RttChart::maxSamples);
    if (newRoundTrips)
        m_chart->setSamples(m_rtts);

    if (m_pingsSent == 0) {
        m_health = serverHeartbeatHealth(nowNs); // none of ours: the server's tells
    } else if (m_pingsAnswered >= m_pingsSent) {
        m_health = Health::Healthy;
    } else {
        // Late when the oldest unanswered ping has waited three times the usual round trip (at least a second).
        QList<qint64> sorted = m_rtts;
        std::sort(sorted.begin(), sorted.end());
        const qint64 usual = sorted.isEmpty() ? 0 : sorted[sorted.size() / 2];
        const qint64 waited = nowNs - m_pings[m_pingsAnswered].timeNs;
        if (waited > deadAfterNs)
            m_health = Health::Dead;
        else if (waited > std::max(minimumLateNs, 3 * usual))
            m_health = Health::Late;
        else
            m_health = Health::Healthy;
    }
    // With a heartbeat configured, the engine's verdict stands: it knows the reply timeout and the misses allowed.
    if (m_history && m_history->settings().kind != HeartbeatSettings::Kind::None) {
        const HeartbeatStatus status = m_history->status();
        switch (status.health) {
        case HeartbeatEvent::Health::Healthy:
            m_health = status.heartbeatsSent > 0 ? Health::Healthy : Health::Unknown;
            break;
        case HeartbeatEvent::Health::Late:
            m_health = Health::Late;
            break;
        case HeartbeatEvent::Health::Dead:
            m_health = Health::Dead;
            break;
        }
        const HeartbeatSettings &settings = m_history->settings();
        m_engine->setText(tr("%1 every %2 s, reply within %3 s; dead after %n missed in a row. Missed now: %4", nullptr,
                             settings.missesUntilDead)
                              .arg(HeartbeatSpec::kindName(settings.kind))
                              .arg(double(settings.intervalMs) / 1000.0)
                              .arg(double(settings.effectiveReplyTimeoutMs()) / 1000.0)
                              .arg(status.missed));
    } else if (serverPingIntervalNs() > 0) {
        m_engine->setText(tr("none of ours; the server pings about every %1, and this client answers")
                              .arg(seconds(serverPingIntervalNs())));
    } else {
        m_engine->setText(tr("none: the pings here are the ones you send"));
    }
    showProtocolHeartbeat();
    show(m_endedAtNs >= 0 ? m_endedAtNs : nowNs);
}

void HeartbeatView::showProtocolHeartbeat()
{
    const ProtocolHeartbeat protocol = m_history ? m_history->protocolHeartbeat() : ProtocolHeartbeat{};
    if (!protocol.isKnown()) {
        m_protocolHeartbeat->setText(tr("none: no application protocol's heartbeat negotiated"));
        return;
    }
    const HeartbeatStatus status = m_history->status(HeartbeatEvent::Source::Protocol);
    QString text = tr("%1 · %2").arg(protocol.description, HeartbeatEvent::healthName(status.health));
    if (status.lastRttNs >= 0)
        text += tr(" · last round trip %1").arg(milliseconds(status.lastRttNs));
    text += tr(" · %1 sent or answered, %2 received, %3 missed")
                .arg(status.heartbeatsSent)
                .arg(status.repliesReceived)
                .arg(status.missesTotal);
    m_protocolHeartbeat->setText(text);
}

void HeartbeatView::setHeartbeatHistory(std::shared_ptr<const HeartbeatHistory> history)
{
    m_history = std::move(history);
}

void HeartbeatView::show(qint64 nowNs)
{
    Theme::Color colour = Theme::Color::Neutral;
    if (m_endedAtNs >= 0) {
        // No heartbeat runs on a connection that is over: neither green nor red, and what it was before the end.
        const QString before =
            m_health == Health::Unknown ? tr("no heartbeat measured") : tr("was %1").arg(healthName(m_health));
        m_state->setText(tr("ended · %1").arg(before));
        m_state->setToolTip(tr("The connection ended%1 at %2 on its clock. Before the end, the heartbeat was: %3.")
                                .arg(m_endedHow.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_endedHow),
                                     seconds(m_endedAtNs), healthName(m_health)));
    } else {
        if (m_health == Health::Healthy)
            colour = Theme::Color::Success;
        else if (m_health == Health::Late)
            colour = Theme::Color::Warning;
        else if (m_health == Health::Dead)
            colour = Theme::Color::Failure;
        m_state->setText(healthName(m_health));
        m_state->setToolTip(QString());
    }
    ThemedStyle::apply(m_state, ThemedStyle::Look::Chip, colour);
    m_lastPing->setText(ago(nowNs, m_lastPingSentNs));
    m_lastPong->setText(ago(nowNs, m_lastPongNs));
    m_rtt->setText(m_lastRttNs < 0 ? tr("not measured") : milliseconds(m_lastRttNs));
    m_unanswered->setText(QString::number(m_pingsSent - m_pingsAnswered));
    m_serverPingsLabel->setText(
        m_serverPings == 0 ? tr("none") : tr("%1, the last %2").arg(m_serverPings).arg(ago(nowNs, m_lastServerPingNs)));
    if (m_serverPings < 2) {
        m_serverInterval->setText(m_serverPings == 0 ? tr("no pings from the server")
                                                     : tr("one ping so far: no interval yet"));
    } else {
        m_serverInterval->setText(tr("every %1 on average; the last interval %2")
                                      .arg(seconds(serverPingIntervalNs()), seconds(lastServerPingIntervalNs())));
    }
    m_idleIn->setText(m_lastInNs < 0 ? tr("nothing received yet") : ago(nowNs, m_lastInNs));
    m_idleOut->setText(m_lastOutNs < 0 ? tr("nothing sent yet") : ago(nowNs, m_lastOutNs));
}

} // namespace wsi
