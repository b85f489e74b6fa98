// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/OutcomeExplainer.h"

#include "core/text/DurationText.h"

namespace wsi::OutcomeExplainer {
namespace {

QString endName(Endpoint end)
{
    return SimulationEvent::endName(end);
}

// Whether a frame of the chain-less replay would have restarted a timer with this rule.
bool counts(ResetRule rule, const SimulationEvent &event)
{
    if (event.type == SimulationEvent::Type::KeepaliveProbe)
        return rule == ResetRule::PacketsEither && event.ok;
    if (event.type != SimulationEvent::Type::Frame || !event.ok)
        return false;
    const bool control =
        event.frameKind == SimulationEvent::FrameKind::Ping || event.frameKind == SimulationEvent::FrameKind::Pong;
    switch (rule) {
    case ResetRule::PayloadEither:
    case ResetRule::PacketsEither:
        return true;
    case ResetRule::DataEither:
        return !control;
    case ResetRule::ReadsFromClient:
        return event.end == Endpoint::Client;
    case ResetRule::ReadsFromServer:
        return event.end == Endpoint::Server;
    }
    return false;
}

// How far silences are measured: a replayed session's own end, else the whole simulated time.
qint64 measuredUntilMs(const SimulationScenario &scenario)
{
    return scenario.recordedEndMs ? std::min(*scenario.recordedEndMs, scenario.durationMs) : scenario.durationMs;
}

// The longest stretch without traffic this rule counts, up to measuredUntilMs(), in the scenario without the
// chain. nullopt when there is no such traffic at all.
std::optional<qint64> longestSilence(const SimulationScenario &scenario, ResetRule rule)
{
    SimulationScenario bare = scenario;
    bare.chain.clear();
    bare.explain = false;
    const KeepaliveSimulator::Result replay = KeepaliveSimulator::run(bare);
    const qint64 until = measuredUntilMs(scenario);
    qint64 last = 0;
    qint64 longest = 0;
    bool any = false;
    for (const SimulationEvent &event : replay.events) {
        if (event.atMs > until || !counts(rule, event))
            continue;
        any = true;
        longest = std::max(longest, event.atMs - last);
        last = event.atMs;
    }
    if (!any)
        return std::nullopt;
    return std::max(longest, until - last);
}

QString valueText(const SimulationOutcome &o, const IntermediaryKnob &knob)
{
    const QString value = DurationText::format(o.timerValueMs);
    if (o.timerIsDefault)
        return value + (knob.defaultUnverified ? QStringLiteral(", the default (unverified)")
                                               : QStringLiteral(", the default"));
    return knob.defaultValue
               ? QStringLiteral("%1, set here; default %2").arg(value, DurationText::format(*knob.defaultValue))
               : QStringLiteral("%1, set here; no default").arg(value);
}

QString actionText(ExpiryAction action)
{
    switch (action) {
    case ExpiryAction::Fin:
        return QStringLiteral("It closes TCP (FIN) toward both ends without a WebSocket Close frame, so a browser "
                              "reports close code 1006.");
    case ExpiryAction::Rst:
        return QStringLiteral("It resets TCP (RST) toward both ends without a WebSocket Close frame, so a browser "
                              "reports close code 1006.");
    case ExpiryAction::Drop:
        return QStringLiteral("It drops the flow silently: no FIN, no RST, no Close frame. The connection is "
                              "half-open: each end learns only when something it sends fails.");
    }
    return {};
}

QString raiseOrNot(const IntermediaryKnob &knob, const QString &tail)
{
    if (knob.configurable == QLatin1StringView("no"))
        return QStringLiteral(" (%1 cannot be changed in the product)").arg(knob.name);
    QString text = QStringLiteral(", or raise %1%2").arg(knob.name, tail);
    if (knob.configurable != QLatin1StringView("yes"))
        text += QStringLiteral(" (configurable: %1)").arg(knob.configurable);
    return text;
}

QString viewSentence(Endpoint end, const EndpointView &view)
{
    switch (view.state) {
    case EndpointView::State::Open:
        return QStringLiteral("The %1 stays open.").arg(endName(end));
    case EndpointView::State::Closed:
        return QStringLiteral("The %1 sees close %2 at %3: %4.")
            .arg(endName(end), QString::number(view.closeCode.value_or(1006)),
                 DurationText::format(view.atMs.value_or(0)), view.detail);
    case EndpointView::State::HalfOpen:
        return QStringLiteral("The %1 never learns: its connection stays half-open.").arg(endName(end));
    }
    return {};
}

void explainHop(const SimulationScenario &scenario, KeepaliveSimulator::Result &result)
{
    SimulationOutcome &o = result.outcome;
    const ChainLink &link = scenario.chain.at(o.hop);
    const IntermediaryModel &model = link.model();
    ChainLink::ActiveTimer active;
    for (const ChainLink::ActiveTimer &candidate : link.activeTimers()) {
        if (candidate.timerIndex == o.timerIndex)
            active = candidate;
    }
    const IntermediaryKnob &knob = model.knobs.at(active.knobIndex);
    const QString at = DurationText::format(o.atMs);
    const QString value = DurationText::format(o.timerValueMs);
    const QString safe = DurationText::format(safeIntervalMs(o.timerValueMs));
    QString explanation;
    QString fix;

    switch (active.kind) {
    case TimerKind::Idle: {
        explanation = QStringLiteral("%1 cut the connection at %2: %3 (%4) is an idle timer restarted by %5, and "
                                     "nothing it counts crossed it for %6.")
                          .arg(model.name, at, knob.name, valueText(o, knob),
                               IntermediaryTimer::resetRuleText(active.resetBy), value);
        if (model.precisionMs > 0)
            explanation += QStringLiteral(" %1 keeps a deadline that would move by less than %2, so its cut comes "
                                          "between last activity + %3 - %2 and last activity + %3.")
                               .arg(model.id, DurationText::format(model.precisionMs), value);
        const std::optional<qint64> silence = longestSilence(scenario, active.resetBy);
        QString silenceText;
        if (silence && scenario.recordedEndMs)
            silenceText = QStringLiteral(" above the replayed session's longest silence (%1)")
                              .arg(DurationText::format(*silence));
        else if (silence)
            silenceText = QStringLiteral(" above your longest silence (%1 here)").arg(DurationText::format(*silence));
        else
            silenceText =
                QStringLiteral(" above the connection's whole lifetime (nothing it counts is ever sent here)");
        // Past the recording's end nobody sends anything: say so, or the cut reads as the session's own.
        if (scenario.recordedEndMs && o.atMs > *scenario.recordedEndMs)
            explanation += QStringLiteral(" The replayed session ends at %1; after that the simulated connection "
                                          "stays open and silent.")
                               .arg(DurationText::format(*scenario.recordedEndMs));
        switch (active.resetBy) {
        case ResetRule::PayloadEither:
            fix = QStringLiteral("Send a ping (or any message) at most every %1, from either end").arg(safe) +
                  raiseOrNot(knob, silenceText) + u'.';
            break;
        case ResetRule::DataEither:
            fix = QStringLiteral("Send an application message at most every %1 from either end: protocol pings "
                                 "reportedly do not count here")
                      .arg(safe) +
                  raiseOrNot(knob, silenceText) + u'.';
            break;
        case ResetRule::PacketsEither:
            fix = QStringLiteral("Send a heartbeat at most every %1 from either end, or turn on TCP keepalive with "
                                 "idle <= %1 on an end (the Linux default of %2 cannot hold it)")
                      .arg(safe, DurationText::format(scenario.tcp.keepaliveIdleMs)) +
                  raiseOrNot(knob, silenceText) + u'.';
            break;
        case ResetRule::ReadsFromClient:
        case ResetRule::ReadsFromServer: {
            const QString sender =
                active.resetBy == ResetRule::ReadsFromClient ? QStringLiteral("client") : QStringLiteral("server");
            const QString other =
                active.resetBy == ResetRule::ReadsFromClient ? QStringLiteral("server") : QStringLiteral("client");
            explanation += QStringLiteral(" With this setting traffic from the %1 does not restart the %2 side's "
                                          "timer: one-way traffic gets cut.")
                               .arg(other, sender);
            fix = QStringLiteral("Make the %1 itself send a ping or message at most every %2 (the %3's traffic "
                                 "does not count here), or turn off independent-streams")
                      .arg(sender, safe, other) +
                  raiseOrNot(knob, silenceText) + u'.';
            break;
        }
        }
        break;
    }
    case TimerKind::Lifetime:
        explanation = QStringLiteral("%1 cut the connection at %2: %3 (%4) is a maximum lifetime: it ends every "
                                     "connection that long after it opened, busy or idle.")
                          .arg(model.name, at, knob.name, valueText(o, knob));
        fix = QStringLiteral("A heartbeat cannot help against a maximum lifetime: reconnect (before %1, and "
                             "re-subscribe after reconnecting)")
                  .arg(value) +
              raiseOrNot(knob, QString()) + u'.';
        break;
    case TimerKind::StallToClient:
    case TimerKind::StallToServer: {
        const QString stalled =
            active.kind == TimerKind::StallToClient ? QStringLiteral("client") : QStringLiteral("server");
        explanation = QStringLiteral("%1 cut the connection at %2: %3 (%4) is a stall timer, armed only while a "
                                     "write toward the %5 is blocked because the %5 does not read its socket; the "
                                     "%5 stopped reading and the write stayed blocked for %6.")
                          .arg(model.name, at, knob.name, valueText(o, knob), stalled, value);
        fix = QStringLiteral("Make the %1 keep reading its socket (a heartbeat does not help against a stall "
                             "timer)")
                  .arg(stalled) +
              raiseOrNot(knob, QString()) + u'.';
        break;
    }
    }
    explanation += u' ' + actionText(active.action);
    if (active.rstOnNextPacket)
        explanation += QStringLiteral(" %1 answers the next packet of the forgotten flow with an RST%2.")
                           .arg(model.id, model.timers.at(active.timerIndex).rstOnNextPacketUnverified
                                              ? QStringLiteral(" (unverified)")
                                              : QString());
    explanation += u' ' + viewSentence(Endpoint::Client, o.client) + u' ' + viewSentence(Endpoint::Server, o.server);
    if (active.action == ExpiryAction::Drop)
        fix += QStringLiteral(" A heartbeat with a reply timeout (a ping with a pong timeout) also detects the "
                              "half-open connection instead of waiting for TCP.");
    o.explanation = explanation;
    o.fix = fix;
}

// An end's application protocol gave up: say it with the protocol's own words and knob.
void explainProtocolEnd(Endpoint side, const EndpointBehaviour &self, const EndpointBehaviour &other,
                        SimulationOutcome &o)
{
    const HeartbeatSpec &hb = self.heartbeat;
    const HeartbeatSpec &peer = other.heartbeat;
    const QString who = QStringLiteral("The %1 %2").arg(hb.protocol, endName(side));
    const QString at = DurationText::format(o.atMs);
    const QString value = DurationText::format(o.timerValueMs);
    const QString closes = QStringLiteral("closes the connection") +
                           (!hb.closeCode           ? QString()
                            : *hb.closeCode == 1005 ? QStringLiteral(" with a Close frame without a status (1005)")
                                                    : QStringLiteral(" with Close %1").arg(*hb.closeCode));
    const bool peerSpeaks = peer.protocol == hb.protocol && peer.answersProtocol;
    if (o.timerCli == QLatin1StringView("reply_timeout") || o.timerCli == QLatin1StringView("pong_timeout")) {
        o.explanation = QStringLiteral("%1 %2 at %3: its %4 got no %5 within %6 %7.")
                            .arg(who, closes, at, hb.beatName, hb.replyName, hb.timeoutKnob, value);
        if (!peerSpeaks)
            o.explanation += peer.protocol == hb.protocol
                                 ? QStringLiteral(" The %1 does not answer them.").arg(endName(peerOf(side)))
                                 : QStringLiteral(" The %1 does not speak %2, so it never answers them.")
                                       .arg(endName(peerOf(side)), hb.protocol);
        o.fix = QStringLiteral("Make the %1 answer every %2 with %3 (a %4 client library does), or raise %5.")
                    .arg(endName(peerOf(side)), hb.beatName, hb.replyName, hb.protocol, hb.timeoutKnob);
    } else if (o.timerCli == QLatin1StringView("init_timeout")) {
        o.explanation = QStringLiteral("%1 %2 at %3: the %4's opening message did not come within %5 %6.")
                            .arg(who, closes, at, endName(peerOf(side)), hb.initTimeoutKnob, value);
        o.fix = QStringLiteral("Make the %1 send its opening message (%2: connection_init) right after the upgrade.")
                    .arg(endName(peerOf(side)), hb.protocol);
    } else {
        o.explanation = QStringLiteral("%1 %2 at %3: nothing came from the %4 for %5 %6.")
                            .arg(who, closes, at, endName(peerOf(side)), hb.receiveTimeoutKnob, value);
        o.fix = QStringLiteral("Make the %1 send something (its %2 heartbeat) at most every %3, or raise %4.")
                    .arg(endName(peerOf(side)), hb.protocol, DurationText::format(safeIntervalMs(o.timerValueMs)),
                         hb.receiveTimeoutKnob);
    }
    if (!hb.source.isEmpty())
        o.explanation += QStringLiteral(" (%1)").arg(hb.source);
}

void explainEnd(const SimulationScenario &scenario, KeepaliveSimulator::Result &result)
{
    SimulationOutcome &o = result.outcome;
    const Endpoint side = o.by == QLatin1StringView("client") ? Endpoint::Client : Endpoint::Server;
    const Endpoint peer = peerOf(side);
    const EndpointBehaviour &self = side == Endpoint::Client ? scenario.client : scenario.server;
    const EndpointBehaviour &other = side == Endpoint::Client ? scenario.server : scenario.client;
    const QString at = DurationText::format(o.atMs);
    const QString value = DurationText::format(o.timerValueMs);
    if (!o.protocol.isEmpty()) {
        explainProtocolEnd(side, self, other, o);
    } else if (o.timer == QLatin1StringView("pong_timeout")) {
        o.explanation = QStringLiteral("The %1 gave up at %2: it sends %3 and no pong came back within %4.")
                            .arg(endName(side), at, self.heartbeat.describe(), value);
        if (!other.answersPings) {
            o.explanation += QStringLiteral(" The %1 does not answer pings.").arg(endName(peer));
            o.fix = QStringLiteral("Make the %1 answer every ping with a pong (RFC 6455 §5.5.2 requires it: turn "
                                   "auto-pong on), or heartbeat with application messages the %1 answers.")
                        .arg(endName(peer));
        } else {
            o.fix = QStringLiteral("Make sure the %1 keeps reading its socket so that pongs come back in time, or "
                                   "lengthen the pong timeout.")
                        .arg(endName(peer));
        }
    } else if (o.timer == QLatin1StringView("receive_timeout")) {
        o.explanation = QStringLiteral("The %1 gave up at %2: it expects to receive something at least every %3 "
                                       "and the %4 sent nothing for that long.")
                            .arg(endName(side), at, value, endName(peer));
        o.fix = QStringLiteral("Make the %1 send a heartbeat at most every %2 (for instance the same stack's "
                               "preset on both ends), or lengthen the %3's timeout.")
                    .arg(endName(peer), DurationText::format(safeIntervalMs(o.timerValueMs)), endName(side));
    } else {
        o.explanation = QStringLiteral("The %1 gave up at %2: no reply to its heartbeat came within %3.")
                            .arg(endName(side), at, value);
        o.fix =
            QStringLiteral("Make sure the %1 answers the heartbeat and keeps reading its socket.").arg(endName(peer));
    }
    o.explanation += QStringLiteral(" It closes the connection itself, before any intermediary's timer fired. ") +
                     viewSentence(peer, peer == Endpoint::Client ? o.client : o.server);
}

} // namespace

qint64 safeIntervalMs(qint64 timerMs)
{
    const qint64 eighty = timerMs * 8 / 10;
    return eighty >= 10000 ? eighty / 1000 * 1000 : std::max<qint64>(eighty, 1);
}

void explain(const SimulationScenario &scenario, KeepaliveSimulator::Result &result)
{
    SimulationOutcome &o = result.outcome;
    o.assumptions.clear();
    o.assumptions.append(QStringLiteral("Frames cross the chain instantly; every intermediary sees a frame at the "
                                        "time it is sent."));
    bool halfOpen = false;
    bool retransmission = false;
    bool stall = false;
    for (const SimulationEvent &event : std::as_const(result.events)) {
        if (event.type == SimulationEvent::Type::ProxyGaveUp ||
            (event.type == SimulationEvent::Type::EndSees && event.how == QLatin1StringView("retransmission_timeout")))
            retransmission = true;
        if (event.type == SimulationEvent::Type::TimerFired && event.action == ExpiryAction::Drop)
            halfOpen = true;
        if (event.type == SimulationEvent::Type::StallBegins)
            stall = true;
    }
    if (halfOpen || retransmission)
        o.assumptions.append(QStringLiteral("TCP retransmission timeout %1: %2")
                                 .arg(DurationText::format(scenario.tcp.retransmissionTimeoutMs),
                                      scenario.tcp.retransmissionNote.isEmpty()
                                          ? QStringLiteral("Linux default tcp_retries2 = 15 (a lower bound)")
                                          : scenario.tcp.retransmissionNote));
    if (stall)
        o.assumptions.append(QStringLiteral("An end that stops reading blocks the very next write toward it (socket "
                                            "buffers treated as already full)."));
    for (const ChainLink &link : scenario.chain) {
        for (const ChainLink::ActiveTimer &timer : link.activeTimers()) {
            const IntermediaryKnob &knob = link.model().knobs.at(timer.knobIndex);
            if ((knob.defaultUnverified || link.model().unverified) && !link.isOverridden(knob.name))
                o.assumptions.append(
                    QStringLiteral("%1: the default %2 of %3 is unverified: set the value you "
                                   "measured (%1:%4=...).")
                        .arg(link.model().id, DurationText::format(timer.valueMs), knob.name, knob.cliName));
            if (link.model().timers.at(timer.timerIndex).rstOnNextPacketUnverified && timer.rstOnNextPacket)
                o.assumptions.append(QStringLiteral("%1: the RST answering the next packet after the flow is "
                                                    "removed is unverified.")
                                         .arg(link.model().id));
        }
    }

    if (!o.cut) {
        o.explanation = QStringLiteral("Nothing cut the connection in %1: every idle timer of the chain was restarted "
                                       "in time, and no lifetime or stall timer ran out.")
                            .arg(DurationText::format(scenario.durationMs));
        for (const ChainLink &link : scenario.chain) {
            for (const ChainLink::ActiveTimer &timer : link.activeTimers()) {
                if (timer.kind == TimerKind::Lifetime && timer.valueMs > scenario.durationMs)
                    o.explanation += QStringLiteral(" Beyond the simulated time: %1 ends every connection after %2 "
                                                    "(%3), and a heartbeat cannot prevent that; plan to reconnect.")
                                         .arg(link.model().id, DurationText::format(timer.valueMs),
                                              link.model().knobs.at(timer.knobIndex).name);
            }
        }
        o.fix.clear();
        return;
    }
    if (o.hop >= 0)
        explainHop(scenario, result);
    else
        explainEnd(scenario, result);
}

} // namespace wsi::OutcomeExplainer
