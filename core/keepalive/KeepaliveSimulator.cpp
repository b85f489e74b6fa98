// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KeepaliveSimulator.h"

#include "core/keepalive/KeepaliveTimer.h"
#include "core/keepalive/OutcomeExplainer.h"
#include "core/text/DurationText.h"

#include <limits>
#include <optional>

namespace wsi {
namespace {

constexpr qint64 never = std::numeric_limits<qint64>::max();
static_assert(KeepaliveTimer::unarmed == never, "a timer that is not armed is never next");

// What crosses the chain. Probes carry no payload; everything else is a WebSocket frame.
enum class Payload : quint8 { Data, AppHeartbeat, AppReply, Ping, RecordedPing, Pong, Probe };

bool isControl(Payload p)
{
    return p == Payload::Ping || p == Payload::RecordedPing || p == Payload::Pong;
}

SimulationEvent::FrameKind frameKindOf(Payload p)
{
    switch (p) {
    case Payload::AppHeartbeat:
        return SimulationEvent::FrameKind::AppHeartbeat;
    case Payload::AppReply:
        return SimulationEvent::FrameKind::AppReply;
    case Payload::Ping:
    case Payload::RecordedPing:
        return SimulationEvent::FrameKind::Ping;
    case Payload::Pong:
        return SimulationEvent::FrameKind::Pong;
    case Payload::Data:
    case Payload::Probe:
        break;
    }
    return SimulationEvent::FrameKind::Data;
}

struct HopState {
    const ChainLink *link = nullptr;
    bool l4 = false;
    bool closed = false;  // an L7 proxy that closed its connections (or an L4 box that reset them)
    bool dropped = false; // an L4 box (or any box) that forgot the flow: packets vanish here
    bool rstOnNextPacket = false;
    QList<KeepaliveTimer> timers;
    qint64 retransmitDeadline = never; // an L7 proxy writing into a dead segment
};

struct EndState {
    Endpoint side = Endpoint::Client;
    const EndpointBehaviour *behaviour = nullptr;
    bool open = true;
    EndpointView view;
    qint64 nextTraffic = never;
    qsizetype recordedIndex = 0;
    qint64 nextHeartbeat = never;
    qint64 replyDeadline = never;   // ping/app heartbeat reply
    qint64 receiveDeadline = never; // nothing received for receiveTimeoutMs
    qint64 initDeadline = never;    // the peer's opening message (graphql-ws connection_init) not yet received
    qint64 retransmitDeadline = never;
    // TCP keepalive: idle measured from the last activity; then probes every interval until answered.
    qint64 lastActivity = 0;
    qint64 lastProbe = 0;
    int failedProbes = 0;
};

class Simulation
{
public:
    explicit Simulation(const SimulationScenario &scenario)
        : m_scenario(scenario)
        , m_n(int(scenario.chain.size()))
    {
        for (const ChainLink &link : scenario.chain) {
            HopState hop;
            hop.link = &link;
            hop.l4 = link.model().isL4();
            for (const ChainLink::ActiveTimer &timer : link.activeTimers()) {
                KeepaliveTimer running(timer, timer.valueMs, link.model().precisionMs);
                running.start(0);
                hop.timers.append(running);
            }
            m_hops.append(hop);
        }
        initEnd(m_ends[0], Endpoint::Client, scenario.client);
        initEnd(m_ends[1], Endpoint::Server, scenario.server);
    }

    KeepaliveSimulator::Result run();

private:
    // Candidate next steps, in the order they run when simultaneous.
    enum class Step : quint8 {
        HopTimer,
        HopRetransmit,
        EndRetransmit,
        EndReply,
        EndReceive,
        EndInit,
        EndKeepalive,
        EndTraffic,
        EndHeartbeat,
    };
    struct Next {
        qint64 at = never;
        Step step = Step::HopTimer;
        int a = 0;
        int b = 0;
    };

    static void initEnd(EndState &end, Endpoint side, const EndpointBehaviour &behaviour)
    {
        end.side = side;
        end.behaviour = &behaviour;
        if (behaviour.trafficEveryMs && *behaviour.trafficEveryMs > 0)
            end.nextTraffic = *behaviour.trafficEveryMs;
        const HeartbeatSpec &hb = behaviour.heartbeat;
        if (hb.kind != HeartbeatSpec::Kind::None && hb.intervalMs > 0)
            end.nextHeartbeat = hb.intervalMs;
        if (hb.timeoutMs && hb.timeoutFrom == HeartbeatSpec::TimeoutFrom::LastReply &&
            (hb.kind == HeartbeatSpec::Kind::Ping || hb.kind == HeartbeatSpec::Kind::App))
            end.replyDeadline = *hb.timeoutMs; // gorilla: the read deadline is set at the start
        if (hb.receiveTimeoutMs)
            end.receiveDeadline = *hb.receiveTimeoutMs;
        if (hb.initTimeoutMs)
            end.initDeadline = *hb.initTimeoutMs;
    }

    EndState &end(Endpoint side) { return m_ends[side == Endpoint::Client ? 0 : 1]; }
    int positionOf(Endpoint side) const { return side == Endpoint::Client ? 0 : m_n + 1; }
    bool isHop(int position) const { return position >= 1 && position <= m_n; }
    HopState &hopAt(int position) { return m_hops[position - 1]; }
    EndState &endAt(int position) { return m_ends[position == 0 ? 0 : 1]; }
    QString modelAt(int position) const { return m_hops.at(position - 1).link->model().id; }
    qint64 limit() const
    {
        return m_cutAt ? std::max(m_scenario.durationMs, *m_cutAt + m_scenario.observeAfterCutMs)
                       : m_scenario.durationMs;
    }

    Next findNext();
    void process(const Next &next);

    void fireTimer(int hopIndex, int timerIndex);
    // One of an end's own timers fired (the wait for its heartbeat's reply, its receive timeout, the wait for the
    // peer's opening message): the end gives up, naming the timer's knob and value.
    void endTimerFires(EndState &s, Step step);
    void endGivesUp(Endpoint side, const QString &how, qint64 timeoutMs, const QString &detail,
                    const QString &knob = {});
    void endLearns(Endpoint side, const QString &how, const QString &detail, std::optional<int> closeCode = {});
    // closeCode: the Close frame an end's protocol sends as it closes (nullopt: FIN or RST without one).
    void closeToward(int from, int direction, ExpiryAction action, const QString &cause,
                     std::optional<int> closeCode = {});
    void resetFrom(int position, int towardDirection, const QString &box);
    void closeHop(int position);
    void markCut(int hop, qsizetype timerIndex, const QString &by, const QString &timer, const QString &timerCli,
                 qint64 value, bool isDefault, ExpiryAction action);

    void sendFrame(Endpoint side, Payload payload, const QString &detail = {});
    // Returns the chain index where the frame was lost, -1 when delivered, -2 when it waits unread at the end,
    // -3 when the end had closed (its FIN was lost) and answered with an RST.
    int transmit(int from, int direction, Payload payload);
    void receive(EndState &target, Payload payload);
    static bool answersHeartbeatOf(const EndState &target, const EndState &sender);
    void sendProbe(EndState &sender);
    void observe(HopState &hop, Payload payload, int direction);
    void startRetransmit(int position);

    const SimulationScenario &m_scenario;
    const int m_n;
    QList<HopState> m_hops;
    EndState m_ends[2];
    qint64 m_now = 0;
    std::optional<qint64> m_cutAt;
    SimulationOutcome m_outcome;
    QList<SimulationEvent> m_events;
};

Simulation::Next Simulation::findNext()
{
    Next best;
    const auto consider = [&best](qint64 at, Step step, int a, int b) {
        if (at == never)
            return;
        // Strictly earlier, or the same time and an earlier step/order: the scan below visits candidates in
        // priority order, so "<" on the time alone keeps the first one.
        if (at < best.at)
            best = Next{at, step, a, b};
    };
    for (int h = 0; h < m_n; ++h) {
        const HopState &hop = m_hops.at(h);
        if (hop.closed || hop.dropped)
            continue;
        for (int t = 0; t < hop.timers.size(); ++t)
            consider(hop.timers.at(t).deadline(), Step::HopTimer, h, t);
    }
    for (int h = 0; h < m_n; ++h) {
        if (!m_hops.at(h).closed)
            consider(m_hops.at(h).retransmitDeadline, Step::HopRetransmit, h, 0);
    }
    // Each kind of an open end's deadline, both ends before the next kind.
    const auto considerEnds = [&](qint64 EndState::*deadline, Step step) {
        for (int e = 0; e < 2; ++e) {
            if (m_ends[e].open)
                consider(m_ends[e].*deadline, step, e, 0);
        }
    };
    considerEnds(&EndState::retransmitDeadline, Step::EndRetransmit);
    considerEnds(&EndState::replyDeadline, Step::EndReply);
    considerEnds(&EndState::receiveDeadline, Step::EndReceive);
    considerEnds(&EndState::initDeadline, Step::EndInit);
    for (int e = 0; e < 2; ++e) {
        const EndState &s = m_ends[e];
        const TcpKeepaliveSettings &ka = s.behaviour->tcpKeepalive;
        // Keepalive runs only on an idle socket: not while unacknowledged data is being retransmitted.
        if (!s.open || !ka.enabled || s.retransmitDeadline != never)
            continue;
        consider(s.failedProbes == 0 ? s.lastActivity + ka.idleMs : s.lastProbe + ka.intervalMs, Step::EndKeepalive, e,
                 0);
    }
    for (int e = 0; e < 2; ++e) {
        const EndState &s = m_ends[e];
        if (!s.open)
            continue;
        qint64 at = s.nextTraffic;
        if (s.recordedIndex < s.behaviour->recorded.size())
            at = std::min(at, s.behaviour->recorded.at(s.recordedIndex).atMs);
        consider(at, Step::EndTraffic, e, 0);
    }
    for (int e = 0; e < 2; ++e) {
        if (m_ends[e].open)
            consider(m_ends[e].nextHeartbeat, Step::EndHeartbeat, e, 0);
    }
    return best;
}

KeepaliveSimulator::Result Simulation::run()
{
    // A protocol client's opening message (connection_init, CONNECT, the SignalR handshake) goes out at the upgrade.
    for (const EndState &s : m_ends) {
        if (s.behaviour->heartbeat.sendsInit)
            sendFrame(s.side, Payload::Data,
                      QStringLiteral("opening message of %1").arg(s.behaviour->heartbeat.protocol));
    }
    for (;;) {
        if (!m_ends[0].open && !m_ends[1].open)
            break;
        const Next next = findNext();
        if (next.at == never || next.at > limit())
            break;
        m_now = next.at;
        process(next);
    }

    // Each end's final view.
    for (EndState &s : m_ends) {
        if (!s.open)
            continue;
        if (!m_cutAt) {
            s.view.state = EndpointView::State::Open;
            s.view.detail = QStringLiteral("still open after %1").arg(DurationText::format(m_scenario.durationMs));
            continue;
        }
        s.view.state = EndpointView::State::HalfOpen;
        if (!s.view.halfOpenSinceMs)
            s.view.halfOpenSinceMs = *m_cutAt;
        s.view.detail =
            QStringLiteral("never learns: the connection is half-open (nothing it does within %1 after the cut "
                           "would notice: it sends nothing that expects an answer, and has no heartbeat timeout "
                           "or TCP keepalive that could fail)")
                .arg(DurationText::format(m_scenario.observeAfterCutMs));
    }
    m_outcome.client = m_ends[0].view;
    m_outcome.server = m_ends[1].view;
    KeepaliveSimulator::Result result{std::move(m_events), std::move(m_outcome)};
    if (m_scenario.explain)
        OutcomeExplainer::explain(m_scenario, result);
    return result;
}

void Simulation::process(const Next &next)
{
    switch (next.step) {
    case Step::HopTimer:
        fireTimer(next.a, next.b);
        return;
    case Step::HopRetransmit: {
        HopState &hop = m_hops[next.a];
        hop.retransmitDeadline = never;
        SimulationEvent event;
        event.type = SimulationEvent::Type::ProxyGaveUp;
        event.atMs = m_now;
        event.hop = next.a;
        event.model = hop.link->model().id;
        event.detail = QStringLiteral("%1 gives up on its dead TCP segment after the retransmission timeout (%2) "
                                      "and closes its other side")
                           .arg(event.model, DurationText::format(m_scenario.tcp.retransmissionTimeoutMs));
        m_events.append(event);
        closeHop(next.a + 1);
        const QString cause = QStringLiteral("%1 closed after its retransmissions failed").arg(event.model);
        closeToward(next.a + 1, -1, ExpiryAction::Fin, cause);
        closeToward(next.a + 1, +1, ExpiryAction::Fin, cause);
        return;
    }
    case Step::EndRetransmit: {
        EndState &s = m_ends[next.a];
        s.retransmitDeadline = never;
        endLearns(s.side, QStringLiteral("retransmission_timeout"),
                  QStringLiteral("its unacknowledged data failed the socket after the TCP retransmission timeout "
                                 "(%1, Linux tcp_retries2 = 15)")
                      .arg(DurationText::format(m_scenario.tcp.retransmissionTimeoutMs)));
        return;
    }
    case Step::EndReply:
    case Step::EndReceive:
    case Step::EndInit:
        endTimerFires(m_ends[next.a], next.step);
        return;
    case Step::EndKeepalive: {
        EndState &s = m_ends[next.a];
        const TcpKeepaliveSettings &ka = s.behaviour->tcpKeepalive;
        if (s.failedProbes >= ka.probes) {
            endLearns(s.side, QStringLiteral("keepalive_probes"),
                      QStringLiteral("%1 TCP keepalive probes went unanswered (idle %2 + %1 x %3)")
                          .arg(ka.probes)
                          .arg(DurationText::format(ka.idleMs), DurationText::format(ka.intervalMs)));
            return;
        }
        sendProbe(s);
        return;
    }
    case Step::EndTraffic: {
        EndState &s = m_ends[next.a];
        const QList<RecordedTraffic::Frame> &recorded = s.behaviour->recorded;
        if (s.recordedIndex < recorded.size() && recorded.at(s.recordedIndex).atMs <= s.nextTraffic) {
            const RecordedTraffic::Frame frame = recorded.at(s.recordedIndex++);
            const Payload payload = frame.kind == RecordedTraffic::Frame::Kind::Ping   ? Payload::RecordedPing
                                    : frame.kind == RecordedTraffic::Frame::Kind::Pong ? Payload::Pong
                                                                                       : Payload::Data;
            sendFrame(s.side, payload, QStringLiteral("recorded"));
            return;
        }
        s.nextTraffic += *s.behaviour->trafficEveryMs;
        sendFrame(s.side, Payload::Data);
        return;
    }
    case Step::EndHeartbeat: {
        EndState &s = m_ends[next.a];
        const HeartbeatSpec &hb = s.behaviour->heartbeat;
        s.nextHeartbeat += hb.intervalMs;
        const bool expectsReply = hb.timeoutMs && hb.timeoutFrom == HeartbeatSpec::TimeoutFrom::Heartbeat;
        switch (hb.kind) {
        case HeartbeatSpec::Kind::Ping:
            if (expectsReply && s.replyDeadline == never)
                s.replyDeadline = m_now + *hb.timeoutMs;
            sendFrame(s.side, Payload::Ping);
            break;
        case HeartbeatSpec::Kind::App:
            if (expectsReply && hb.beatsExpectAnswer && s.replyDeadline == never)
                s.replyDeadline = m_now + *hb.timeoutMs;
            sendFrame(s.side, Payload::AppHeartbeat);
            break;
        case HeartbeatSpec::Kind::Pong:
            sendFrame(s.side, Payload::Pong, QStringLiteral("unsolicited"));
            break;
        case HeartbeatSpec::Kind::None:
            break;
        }
        return;
    }
    }
}

void Simulation::markCut(int hop, qsizetype timerIndex, const QString &by, const QString &timer,
                         const QString &timerCli, qint64 value, bool isDefault, ExpiryAction action)
{
    if (m_cutAt)
        return;
    m_cutAt = m_now;
    m_outcome.cut = true;
    m_outcome.atMs = m_now;
    m_outcome.hop = hop;
    m_outcome.timerIndex = timerIndex;
    m_outcome.by = by;
    m_outcome.timer = timer;
    m_outcome.timerCli = timerCli;
    m_outcome.timerValueMs = value;
    m_outcome.timerIsDefault = isDefault;
    m_outcome.action = action;
}

void Simulation::fireTimer(int hopIndex, int timerIndex)
{
    HopState &hop = m_hops[hopIndex];
    hop.timers[timerIndex].stop();
    const ChainLink::ActiveTimer timer = hop.timers.at(timerIndex).definition();
    const IntermediaryModel &model = hop.link->model();
    const IntermediaryKnob &knob = model.knobs.at(timer.knobIndex);

    SimulationEvent event;
    event.type = SimulationEvent::Type::TimerFired;
    event.atMs = m_now;
    event.hop = hopIndex;
    event.model = model.id;
    event.knob = knob.name;
    event.action = timer.action;
    const QString actionText = timer.action == ExpiryAction::Fin   ? QStringLiteral("closes TCP (FIN) both ways")
                               : timer.action == ExpiryAction::Rst ? QStringLiteral("resets TCP (RST) both ways")
                                                                   : QStringLiteral("silently forgets the flow");
    event.detail = QStringLiteral("%1: %2 (%3) expires; it %4")
                       .arg(model.id, knob.name, DurationText::format(timer.valueMs), actionText);
    m_events.append(event);
    markCut(hopIndex, timer.timerIndex, model.id, knob.name, knob.cliName, timer.valueMs,
            !hop.link->isOverridden(knob.name), timer.action);

    const int position = hopIndex + 1;
    if (timer.action == ExpiryAction::Drop) {
        hop.dropped = true;
        hop.rstOnNextPacket = timer.rstOnNextPacket;
        for (KeepaliveTimer &t : hop.timers)
            t.stop();
        for (EndState &s : m_ends) {
            if (s.open && !s.view.halfOpenSinceMs)
                s.view.halfOpenSinceMs = m_now;
        }
        return;
    }
    closeHop(position);
    const QString cause = QStringLiteral("%1 %2").arg(model.id, knob.name);
    closeToward(position, -1, timer.action, cause);
    closeToward(position, +1, timer.action, cause);
}

void Simulation::closeHop(int position)
{
    HopState &hop = hopAt(position);
    hop.closed = true;
    hop.retransmitDeadline = never;
    for (KeepaliveTimer &t : hop.timers)
        t.stop();
}

void Simulation::closeToward(int from, int direction, ExpiryAction action, const QString &cause,
                             std::optional<int> closeCode)
{
    for (int position = from + direction; position >= 0 && position <= m_n + 1; position += direction) {
        if (!isHop(position)) {
            EndState &target = endAt(position);
            if (target.open && closeCode) {
                endLearns(target.side, QStringLiteral("close_frame"),
                          QStringLiteral("a Close frame arrives (%1)%2")
                              .arg(cause, *closeCode == 1005 ? QStringLiteral(", without a status: 1005")
                                                             : QStringLiteral(", code %1").arg(*closeCode)),
                          closeCode);
            } else if (target.open) {
                const QString how = action == ExpiryAction::Rst ? QStringLiteral("rst") : QStringLiteral("fin");
                endLearns(
                    target.side, how,
                    QStringLiteral("a %1 arrives at once (%2), no Close frame")
                        .arg(how == QLatin1StringView("rst") ? QStringLiteral("RST") : QStringLiteral("FIN"), cause));
            }
            return;
        }
        HopState &hop = hopAt(position);
        if (hop.dropped)
            return; // the FIN or RST vanishes in a box that forgot the flow
        if (hop.l4)
            continue;
        if (hop.closed)
            return;
        // An L7 proxy whose one side closes closes the other side too.
        closeHop(position);
    }
}

void Simulation::resetFrom(int position, int towardDirection, const QString &box)
{
    // An RST answering a packet of a forgotten flow (or sent to a closed socket) reaches the packet's sender.
    if (!isHop(position)) {
        EndState &target = endAt(position);
        if (target.open)
            endLearns(target.side, QStringLiteral("rst"),
                      QStringLiteral("its next packet is answered with an RST by %1").arg(box));
        return;
    }
    HopState &hop = hopAt(position);
    if (hop.closed)
        return;
    closeHop(position);
    closeToward(position, towardDirection, ExpiryAction::Fin,
                QStringLiteral("%1 closed after an RST from %2").arg(hop.link->model().id, box));
}

void Simulation::endTimerFires(EndState &s, Step step)
{
    const HeartbeatSpec &hb = s.behaviour->heartbeat;
    const QString end = SimulationEvent::endName(s.side);
    // "pingTimeout " before a value, or nothing for a timer without a knob of its own.
    const auto knobBefore = [](const QString &knob) { return knob.isEmpty() ? QString() : knob + u' '; };
    struct Expiry {
        qint64 EndState::*deadline;
        QString how;
        std::optional<qint64> valueMs;
        QString knob;
        QString detail;
    };
    Expiry e;
    switch (step) {
    case Step::EndReply: {
        const bool ping = hb.kind == HeartbeatSpec::Kind::Ping;
        const QString reply = hb.isProtocol() ? hb.replyName
                              : ping          ? QStringLiteral("pong")
                                              : QStringLiteral("reply to its heartbeat");
        e = {&EndState::replyDeadline, ping ? QStringLiteral("pong_timeout") : QStringLiteral("reply_timeout"),
             hb.timeoutMs, hb.timeoutKnob,
             QStringLiteral("no %1 within %2%3: %4 gives up on the connection")
                 .arg(reply, knobBefore(hb.timeoutKnob), DurationText::format(hb.timeoutMs.value_or(0)), end)};
        break;
    }
    case Step::EndReceive:
        e = {&EndState::receiveDeadline, QStringLiteral("receive_timeout"), hb.receiveTimeoutMs, hb.receiveTimeoutKnob,
             QStringLiteral("nothing received for %1%2: %3 gives up on the connection")
                 .arg(knobBefore(hb.receiveTimeoutKnob), DurationText::format(hb.receiveTimeoutMs.value_or(0)), end)};
        break;
    default: // Step::EndInit
        e = {&EndState::initDeadline, QStringLiteral("init_timeout"), hb.initTimeoutMs, hb.initTimeoutKnob,
             QStringLiteral("the peer's opening message did not come within %1 %2: %3 closes the connection")
                 .arg(hb.initTimeoutKnob, DurationText::format(hb.initTimeoutMs.value_or(0)), end)};
        break;
    }
    s.*e.deadline = never;
    endGivesUp(s.side, e.how, e.valueMs.value_or(0), e.detail, e.knob);
}

void Simulation::endGivesUp(Endpoint side, const QString &how, qint64 timeoutMs, const QString &detail,
                            const QString &knob)
{
    EndState &s = end(side);
    const HeartbeatSpec &hb = s.behaviour->heartbeat;
    SimulationEvent event;
    event.type = SimulationEvent::Type::EndGivesUp;
    event.atMs = m_now;
    event.end = side;
    event.how = how;
    event.detail = detail;
    m_events.append(event);
    markCut(-1, -1, SimulationEvent::endName(side), knob.isEmpty() ? how : knob, how, timeoutMs, true,
            ExpiryAction::Fin);
    if (m_outcome.by == SimulationEvent::endName(side) && m_outcome.atMs == m_now)
        m_outcome.protocol = hb.protocol;
    s.open = false;
    s.view.state = EndpointView::State::Closed;
    s.view.atMs = m_now;
    s.view.how = how;
    s.view.detail = detail;
    const int position = positionOf(side);
    closeToward(position, position == 0 ? +1 : -1, ExpiryAction::Fin,
                QStringLiteral("the %1 closed the connection").arg(SimulationEvent::endName(side)),
                !hb.isProtocol()                           ? std::nullopt
                : how == QLatin1StringView("pong_timeout") ? hb.pongTimeoutCloseCode
                                                           : hb.closeCode);
}

void Simulation::endLearns(Endpoint side, const QString &how, const QString &detail, std::optional<int> closeCode)
{
    EndState &s = end(side);
    if (!s.open)
        return;
    s.open = false;
    s.view.state = EndpointView::State::Closed;
    s.view.atMs = m_now;
    s.view.how = how;
    s.view.detail = detail;
    s.view.closeCode = closeCode;
    SimulationEvent event;
    event.type = SimulationEvent::Type::EndSees;
    event.atMs = m_now;
    event.end = side;
    event.how = how;
    event.closeCode = closeCode;
    event.detail = SimulationEvent::endName(side) +
                   QStringLiteral(" sees the connection close (%1): ").arg(closeCode.value_or(1006)) + detail;
    m_events.append(event);
}

void Simulation::sendFrame(Endpoint side, Payload payload, const QString &detail)
{
    EndState &s = end(side);
    if (!s.open)
        return;
    s.lastActivity = m_now;
    const int position = positionOf(side);
    const int direction = position == 0 ? +1 : -1;
    // The event goes in before the transmission, so that an answer (a pong) follows its ping in the timeline.
    const qsizetype index = m_events.size();
    SimulationEvent event;
    event.type = SimulationEvent::Type::Frame;
    event.atMs = m_now;
    event.end = side;
    event.frameKind = frameKindOf(payload);
    event.detail = detail;
    m_events.append(event);
    const int lost = transmit(position, direction, payload);
    SimulationEvent &recorded = m_events[index];
    recorded.ok = lost == -1;
    if (lost >= 0) {
        recorded.hop = lost;
        recorded.model = m_hops.at(lost).link->model().id;
    } else if (lost == -2) {
        recorded.detail = recorded.detail.isEmpty() ? QStringLiteral("waits unread: the peer stopped reading")
                                                    : recorded.detail + QStringLiteral(", waits unread");
    }
}

int Simulation::transmit(int from, int direction, Payload payload)
{
    int segmentSender = from;
    int lastL7 = -1;
    int position = from + direction;
    for (; isHop(position); position += direction) {
        HopState &hop = hopAt(position);
        if (hop.dropped) {
            if (hop.rstOnNextPacket)
                resetFrom(segmentSender, -direction, hop.link->model().id);
            else
                startRetransmit(segmentSender);
            return position - 1;
        }
        if (hop.closed) {
            // A proxy that closed while its FIN was lost on the way here: its host answers with an RST.
            resetFrom(segmentSender, -direction, hop.link->model().id);
            return position - 1;
        }
        observe(hop, payload, direction);
        if (!hop.l4) {
            segmentSender = position;
            lastL7 = position;
        }
    }
    EndState &target = endAt(position);
    if (!target.open) {
        resetFrom(segmentSender, -direction, SimulationEvent::endName(target.side));
        return -3;
    }
    const std::optional<qint64> &stops = target.behaviour->stopsReadingAtMs;
    if (stops && m_now >= *stops) {
        // The data waits in buffers: the nearest proxy's write toward this end blocks and its stall timers start.
        if (lastL7 > 0) {
            HopState &hop = hopAt(lastL7);
            bool armed = false;
            for (KeepaliveTimer &t : hop.timers) {
                if (!hop.closed && t.writeBlocked(target.side, m_now))
                    armed = true;
            }
            if (armed) {
                SimulationEvent event;
                event.type = SimulationEvent::Type::StallBegins;
                event.atMs = m_now;
                event.end = target.side;
                event.hop = lastL7 - 1;
                event.model = hop.link->model().id;
                event.detail = QStringLiteral("%1: a write toward the %2 blocks (it stopped reading): stall timers "
                                              "start")
                                   .arg(event.model, SimulationEvent::endName(target.side));
                m_events.append(event);
            }
        }
        return -2;
    }
    receive(target, payload);
    return -1;
}

void Simulation::receive(EndState &target, Payload payload)
{
    target.lastActivity = m_now;
    target.failedProbes = 0;
    const HeartbeatSpec &hb = target.behaviour->heartbeat;
    // The first message that is not a control frame is taken as the peer's opening message.
    if (!isControl(payload))
        target.initDeadline = never;
    if (hb.receiveTimeoutMs)
        target.receiveDeadline = m_now + *hb.receiveTimeoutMs;
    const bool isReply = (payload == Payload::Pong && hb.kind == HeartbeatSpec::Kind::Ping) ||
                         (payload == Payload::AppReply && hb.kind == HeartbeatSpec::Kind::App);
    if (isReply && hb.timeoutMs) {
        target.replyDeadline = hb.timeoutFrom == HeartbeatSpec::TimeoutFrom::LastReply ? m_now + *hb.timeoutMs : never;
    }
    if (payload == Payload::Ping && target.behaviour->answersPings)
        sendFrame(target.side, Payload::Pong, QStringLiteral("answers the ping"));
    else if (payload == Payload::AppHeartbeat && answersHeartbeatOf(target, end(peerOf(target.side))))
        sendFrame(target.side, Payload::AppReply, QStringLiteral("answers the heartbeat"));
}

bool Simulation::answersHeartbeatOf(const EndState &target, const EndState &sender)
{
    // A generic application heartbeat is answered by the peer's application; a protocol's only by an end that
    // speaks that protocol and answers it (a plain WebSocket client leaves Engine.IO's "2" unanswered). One-way
    // beats (a STOMP EOL, a SignalR Ping) are never answered.
    const HeartbeatSpec &beat = sender.behaviour->heartbeat;
    if (!beat.beatsExpectAnswer)
        return false;
    if (!beat.isProtocol())
        return true;
    const HeartbeatSpec &own = target.behaviour->heartbeat;
    return own.protocol == beat.protocol && own.answersProtocol;
}

void Simulation::sendProbe(EndState &sender)
{
    const int from = positionOf(sender.side);
    const int direction = from == 0 ? +1 : -1;
    bool answered = false;
    int position = from + direction;
    for (; isHop(position) && hopAt(position).l4; position += direction) {
        HopState &hop = hopAt(position);
        if (hop.dropped) {
            if (hop.rstOnNextPacket)
                resetFrom(from, -direction, hop.link->model().id);
            break;
        }
        observe(hop, Payload::Probe, direction);
    }
    if (!isHop(position) || !hopAt(position).l4) {
        const bool reached = !isHop(position) ? true : !hopAt(position).dropped;
        if (reached) {
            const bool peerClosed = isHop(position) ? hopAt(position).closed : !endAt(position).open;
            if (peerClosed)
                resetFrom(from, -direction,
                          isHop(position) ? modelAt(position) : SimulationEvent::endName(endAt(position).side));
            else
                answered = true;
        }
    }
    SimulationEvent event;
    event.type = SimulationEvent::Type::KeepaliveProbe;
    event.atMs = m_now;
    event.end = sender.side;
    event.ok = answered;
    m_events.append(event);
    if (answered) {
        sender.failedProbes = 0;
        sender.lastActivity = m_now;
    } else {
        ++sender.failedProbes;
        sender.lastProbe = m_now;
    }
}

void Simulation::observe(HopState &hop, Payload payload, int direction)
{
    TimerTraffic traffic;
    traffic.from = direction > 0 ? Endpoint::Client : Endpoint::Server;
    traffic.probe = payload == Payload::Probe;
    traffic.carriesData = !traffic.probe && !isControl(payload);
    for (KeepaliveTimer &timer : hop.timers)
        timer.observe(traffic, m_now);
}

void Simulation::startRetransmit(int position)
{
    qint64 &deadline = isHop(position) ? hopAt(position).retransmitDeadline : endAt(position).retransmitDeadline;
    if (deadline == never)
        deadline = m_now + m_scenario.tcp.retransmissionTimeoutMs;
}

} // namespace

KeepaliveSimulator::Result KeepaliveSimulator::run(const SimulationScenario &scenario)
{
    return Simulation(scenario).run();
}

} // namespace wsi
