// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/DisconnectDiagnoser.h"

#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/IntermediaryFingerprints.h"
#include "core/keepalive/OutcomeExplainer.h"
#include "core/keepalive/ProtocolTimeoutDiagnoser.h"
#include "core/protocol/CloseCode.h"
#include "core/text/DurationText.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace wsi::DisconnectDiagnoser {
namespace {

using Confidence = DiagnosisCandidate::Confidence;
using Cause = DisconnectDiagnosis::Cause;

// Measured silences are shown with one decimal ("60.0 s"), so that 59.7 s is not printed as "1 min".
QString secondsText(qint64 ms)
{
    return DurationText::tenths(ms);
}

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

QString uncapitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toLower();
    return text;
}

Confidence confidenceOf(int score)
{
    return score >= 75 ? Confidence::High : score >= 50 ? Confidence::Medium : Confidence::Low;
}

QString trafficWithout(ResetRule rule)
{
    switch (rule) {
    case ResetRule::PayloadEither:
        return QStringLiteral("a frame in either direction");
    case ResetRule::DataEither:
        return QStringLiteral("a data message in either direction");
    case ResetRule::PacketsEither:
        return QStringLiteral("a frame in either direction");
    case ResetRule::ReadsFromClient:
        return QStringLiteral("a frame from the client");
    case ResetRule::ReadsFromServer:
        return QStringLiteral("a frame from the server");
    }
    return {};
}

QString silencePhrase(ResetRule rule, qint64 ms)
{
    switch (rule) {
    case ResetRule::PayloadEither:
    case ResetRule::PacketsEither:
        return QStringLiteral("no frame in either direction for %1").arg(secondsText(ms));
    case ResetRule::DataEither:
        return QStringLiteral("no data message in either direction for %1 (pings and pongs aside)")
            .arg(secondsText(ms));
    case ResetRule::ReadsFromClient:
        return QStringLiteral("nothing from the client for %1").arg(secondsText(ms));
    case ResetRule::ReadsFromServer:
        return QStringLiteral("nothing from the server for %1").arg(secondsText(ms));
    }
    return {};
}

// How the session ended, as the end of a sentence.
QString endPhrase(const SessionEvidence &e)
{
    if (!e.close)
        return QStringLiteral("the record ends with the connection still open");
    const CloseRecord &c = *e.close;
    if (c.initiator == CloseRecord::Initiator::Transport)
        return c.error.isEmpty() ? QStringLiteral("the TCP connection closed without a Close frame")
                                 : QStringLiteral("the connection failed without a Close frame (%1)").arg(c.error);
    if (c.initiator == CloseRecord::Initiator::Server)
        return QStringLiteral("the server sent a Close frame");
    if (c.ownEnd && c.ownEnd->reason != OwnEnd::Reason::Requested)
        return QStringLiteral("this client ended it: ") + c.ownEnd->describe();
    return c.error.isEmpty() ? QStringLiteral("the client closed the connection")
                             : QStringLiteral("the client gave up on the connection (%1)").arg(c.error);
}

QString raiseOrNot(const DiagnosisCandidate &c, const QString &tail)
{
    if (c.configurable == QLatin1StringView("no"))
        return QStringLiteral(" (%1 cannot be changed in %2)").arg(c.knob, c.modelName);
    QString text = QStringLiteral(", or raise %1%2").arg(c.knob, tail);
    if (!c.configurable.isEmpty() && c.configurable != QLatin1StringView("yes"))
        text += QStringLiteral(" (configurable: %1)").arg(c.configurable);
    return text;
}

// A timer as it ran: the timeout proxy divides every timer by its time scale (1: as modelled). Timers are compared
// as they ran and named as modelled ("60 s, run as 3 s").
struct Timer : ChainLink::ActiveTimer {
    qint64 modelledMs = 0;
};

struct TimeScale {
    double factor = 1.0;

    qint64 scaled(qint64 ms) const { return factor == 1.0 ? ms : qint64(std::llround(double(ms) / factor)); }
    QList<Timer> timersOf(const ChainLink &link) const
    {
        QList<Timer> timers;
        for (const ChainLink::ActiveTimer &active : link.activeTimers()) {
            Timer timer{active, active.valueMs};
            timer.valueMs = std::max<qint64>(1, scaled(active.valueMs));
            timers.append(timer);
        }
        return timers;
    }
    QString valueText(const Timer &timer) const
    {
        if (factor == 1.0)
            return DurationText::format(timer.valueMs);
        return QStringLiteral("%1, run as %2")
            .arg(DurationText::format(timer.modelledMs), DurationText::format(timer.valueMs));
    }
};

// A box that counts every packet never fires while the end's TCP keepalive probes come more often than its timer.
bool keepaliveHolds(const SessionEvidence &e, const ChainLink::ActiveTimer &timer)
{
    return timer.resetBy == ResetRule::PacketsEither && e.tcpKeepaliveIdleMs && *e.tcpKeepaliveIdleMs < timer.valueMs;
}

struct Contradiction {
    QString hard; // the model with these values cannot have been on the path
    QString soft; // it could, only if a reported behaviour is wrong
};

// Whether a timer of this link would have cut the session before `candidate` did: the connection lived through a
// longer silence than an idle timer allows, or is older than a lifetime.
Contradiction contradiction(const SessionEvidence &e, const ChainLink &link, const Timer &candidate,
                            const TimeScale &scale)
{
    Contradiction result;
    const IntermediaryModel &model = link.model();
    for (const Timer &t : scale.timersOf(link)) {
        const IntermediaryKnob &knob = model.knobs.at(t.knobIndex);
        const qint64 limit = t.valueMs + lateSlackMs(t.valueMs);
        const QString value = scale.valueText(t);
        if (t.kind == TimerKind::Lifetime) {
            if (t.timerIndex != candidate.timerIndex && e.ageMs() > limit) {
                result.hard = QStringLiteral("its %1 (%2) would have ended the connection earlier: it lived %3")
                                  .arg(knob.name, value, secondsText(e.ageMs()));
                return result;
            }
            continue;
        }
        if (t.kind != TimerKind::Idle || keepaliveHolds(e, t))
            continue;
        const bool drop = t.action == ExpiryAction::Drop;
        const auto survivedBy = [&](ResetRule rule) {
            qint64 survived = drop ? e.longestSurvivedSilenceMs : e.longestEarlierSilenceMs(rule);
            // Another timer that closes would have fired before the end if the final silence outran it.
            if (t.timerIndex != candidate.timerIndex && !drop && candidate.action != ExpiryAction::Drop)
                survived = std::max(survived, e.silenceMs(rule));
            return survived;
        };
        const qint64 survived = survivedBy(t.resetBy);
        if (survived <= limit)
            continue;
        if (t.resetBy == ResetRule::DataEither && survivedBy(ResetRule::PayloadEither) <= limit) {
            result.soft = QStringLiteral("But its %1 (%2, data messages only) would have cut the connection "
                                         "during %3 without a data message, unless pings and pongs count there "
                                         "after all (reportedly they do not).")
                              .arg(knob.name, value, secondsText(survived));
            continue;
        }
        result.hard = QStringLiteral("its %1 (%2) would have cut the connection earlier: it lived through %3 "
                                     "without %4")
                          .arg(knob.name, value, secondsText(survived), trafficWithout(t.resetBy));
        return result;
    }
    return result;
}

struct Match {
    DiagnosisCandidate candidate;
    QString evidence; // the sentence of evidence the candidate shares with others of its kind
    qint64 distanceMs = 0;
    qsizetype order = 0;
};

class Diagnosis
{
public:
    Diagnosis(const SessionEvidence &evidence, const QList<ChainLink> &links, double timeScale)
        : e(evidence)
        , m_links(links)
        , m_scale{timeScale}
    {}

    DisconnectDiagnosis run();

private:
    void addFacts();
    void addProtocolFacts();
    void handshakeFailed();
    void serverClosed();
    void clientEnded(const OwnEnd &own);
    void matchClosingTimers();
    void matchDroppingTimers(bool requireSend);
    bool finishWithCandidates(Cause cause);
    void unexplained();
    void summarizeCandidates(const QString &lead);
    void fixFor(const DiagnosisCandidate &top);
    void sayWhatTheFingerprintSays();
    bool inferFromFingerprint(qint64 silence);
    QStringList settableTo() const;

    // What the upgrade response says of this model ("Server: nginx/1.22.1 in the upgrade response"); empty when
    // no clue names it.
    QString clueFor(const QString &modelId) const;
    QString namedByClues() const; // "nginx or Kubernetes ingress-nginx"
    // Whether an idle timer set to `valueMs` would have cut the session before its end: it lived through a longer
    // silence counted that way.
    bool outlivedBy(const Timer &timer, qint64 valueMs) const;

    DiagnosisCandidate candidateFor(const ChainLink &link, const Timer &timer) const;
    void consider(const ChainLink &link, const Timer &timer, qsizetype order, int score, const QString &why,
                  const QString &evidence, qint64 distanceMs, std::optional<qint64> silenceMs);

    const SessionEvidence &e;
    const QList<ChainLink> &m_links;
    TimeScale m_scale;
    DisconnectDiagnosis d;
    QList<Match> m_matches;
    QList<FingerprintClue> m_clues;
};

QString Diagnosis::clueFor(const QString &modelId) const
{
    QStringList texts;
    for (const FingerprintClue &clue : m_clues) {
        if (clue.names(modelId))
            texts.append(clue.fieldText());
    }
    texts.removeDuplicates();
    return texts.isEmpty() ? QString() : texts.join(QStringLiteral("; ")) + QStringLiteral(" in the upgrade response");
}

QString Diagnosis::namedByClues() const
{
    QStringList names;
    for (const FingerprintClue &clue : m_clues) {
        for (const QString &id : clue.intermediaries) {
            const auto link =
                std::find_if(m_links.begin(), m_links.end(), [&id](const ChainLink &l) { return l.model().id == id; });
            names.append(link != m_links.end() ? link->model().name : id);
        }
    }
    names.removeDuplicates();
    return names.join(QStringLiteral(" or "));
}

bool Diagnosis::outlivedBy(const Timer &timer, qint64 valueMs) const
{
    if (timer.kind == TimerKind::Lifetime)
        return false;
    return e.longestEarlierSilenceMs(timer.resetBy) > valueMs + lateSlackMs(valueMs);
}

DiagnosisCandidate Diagnosis::candidateFor(const ChainLink &link, const Timer &timer) const
{
    const IntermediaryModel &model = link.model();
    const IntermediaryKnob &knob = model.knobs.at(timer.knobIndex);
    DiagnosisCandidate c;
    c.modelId = model.id;
    c.modelName = model.name;
    c.knob = knob.name;
    c.configurable = knob.configurable;
    c.timerId = model.timers.at(timer.timerIndex).id;
    c.kind = timer.kind;
    c.resetBy = timer.resetBy;
    c.action = timer.action;
    c.defaultMs = timer.valueMs;
    c.timeScale = m_scale.factor;
    c.modelledMs = timer.modelledMs;
    c.overridden = link.isOverridden(knob.name);
    c.defaultUnverified = !link.isOverridden(knob.name) && (knob.defaultUnverified || model.unverified);
    c.ageMs = e.ageMs();
    return c;
}

void Diagnosis::consider(const ChainLink &link, const Timer &timer, qsizetype order, int score, const QString &why,
                         const QString &evidence, qint64 distanceMs, std::optional<qint64> silenceMs)
{
    DiagnosisCandidate c = candidateFor(link, timer);
    const Contradiction against = contradiction(e, link, timer, m_scale);
    if (!against.hard.isEmpty()) {
        d.ruledOut.append(QStringLiteral("%1: the timing fits, but %2.").arg(c.label(), against.hard));
        return;
    }
    c.why = why;
    if (c.defaultUnverified) {
        score -= 15;
        c.why += QStringLiteral(" The default is unverified.");
    }
    if (!against.soft.isEmpty()) {
        score -= 45;
        c.why += u' ' + against.soft;
    }
    if (link.model().verifiedByTests)
        score += 5; // checked against the real software by this project's tests
    c.clue = clueFor(link.model().id);
    if (!c.clue.isEmpty()) {
        score += 5; // the intermediary named itself: the likelier of timers that match equally well
        c.why += QStringLiteral(" %1 names %2.").arg(c.clue, link.model().name);
    }
    c.score = std::clamp(score, 0, 100);
    c.confidence = confidenceOf(c.score);
    c.silenceMs = silenceMs;
    m_matches.append({c, evidence, distanceMs, order});
}

void Diagnosis::matchClosingTimers()
{
    // Only an end by TCP closing without a Close frame looks like what these boxes do.
    for (qsizetype i = 0; i < m_links.size(); ++i) {
        const ChainLink &link = m_links.at(i);
        const IntermediaryModel &model = link.model();
        const qint64 precisionMs = m_scale.scaled(model.precisionMs);
        for (const Timer &timer : m_scale.timersOf(link)) {
            if (timer.action == ExpiryAction::Drop ||
                (timer.kind != TimerKind::Idle && timer.kind != TimerKind::Lifetime))
                continue;
            const qint64 lo = timer.valueMs - precisionMs - earlySlackMs;
            const qint64 hi = timer.valueMs + lateSlackMs(timer.valueMs);
            const QString knob = model.knobs.at(timer.knobIndex).name;
            const QString value = m_scale.valueText(timer);
            const QString window = QStringLiteral("%1 to %2").arg(secondsText(lo), secondsText(hi));
            const QString precision =
                precisionMs > 0
                    ? QStringLiteral(" (%1 keeps a deadline that would move by less than %2, so it may cut up to %2 "
                                     "early)")
                          .arg(model.id, DurationText::format(precisionMs))
                    : QString();
            const QString action = timer.action == ExpiryAction::Rst
                                       ? QStringLiteral("it resets TCP (RST) without a Close frame")
                                       : QStringLiteral("it closes TCP (FIN) without a Close frame");
            if (timer.kind == TimerKind::Idle) {
                if (keepaliveHolds(e, timer))
                    continue;
                const qint64 silence = e.silenceMs(timer.resetBy);
                if (silence < lo || silence > hi)
                    continue;
                int score = 90;
                QString why = QStringLiteral("%1 (%2) is an idle timer restarted by %3; the session had %4 before "
                                             "the end, within %5%6, and on expiry %7, which is how this session "
                                             "ended.")
                                  .arg(knob, value, IntermediaryTimer::resetRuleText(timer.resetBy),
                                       silencePhrase(timer.resetBy, silence), window, precision, action);
                if (timer.resetBy == ResetRule::DataEither) {
                    score -= 10;
                    if (e.silenceMs(ResetRule::PayloadEither) + earlySlackMs < lo)
                        why += QStringLiteral(" Pings or pongs crossed during that silence: they reportedly do not "
                                              "restart this timer.");
                }
                consider(link, timer, i, score, why,
                         silencePhrase(timer.resetBy, silence) + QStringLiteral(" before ") + endPhrase(e),
                         std::abs(silence - timer.valueMs), silence);
            } else {
                const qint64 age = e.ageMs();
                if (age < lo || age > hi)
                    continue;
                const QString why = QStringLiteral("%1 (%2) is a maximum lifetime: it ends every connection that long "
                                                   "after it opened, busy or idle; this one was %3 old, within %4, "
                                                   "and on expiry %5.")
                                        .arg(knob, value, secondsText(age), window, action);
                consider(link, timer, i, 90, why,
                         QStringLiteral("the connection was %1 old when %2").arg(secondsText(age), endPhrase(e)),
                         std::abs(age - timer.valueMs), std::nullopt);
            }
        }
    }
}

void Diagnosis::matchDroppingTimers(bool requireSend)
{
    const bool hasSend = e.unansweredSendMs.has_value();
    if (requireSend && !hasSend)
        return;
    const qint64 finalSilence = e.silenceMs(ResetRule::PacketsEither);
    const bool prompt = hasSend && e.close && e.close->initiator == CloseRecord::Initiator::Transport &&
                        e.endMs - *e.unansweredSendMs <= promptResetMs;
    for (qsizetype i = 0; i < m_links.size(); ++i) {
        const ChainLink &link = m_links.at(i);
        const IntermediaryModel &model = link.model();
        for (const Timer &timer : m_scale.timersOf(link)) {
            if (timer.action != ExpiryAction::Drop || timer.kind != TimerKind::Idle)
                continue;
            const QString knob = model.knobs.at(timer.knobIndex).name;
            const QString value = m_scale.valueText(timer);
            if (keepaliveHolds(e, timer)) {
                d.ruledOut.append(QStringLiteral("%1 %2 (%3): TCP keepalive every %4 keeps its flow alive.")
                                      .arg(model.name, knob, value, DurationText::format(*e.tcpKeepaliveIdleMs)));
                continue;
            }
            const QString drops = QStringLiteral("%1 (%2) forgets the flow silently after that long without a packet "
                                                 "either way (TCP keepalive probes would count; %3)")
                                      .arg(knob, value,
                                           e.tcpKeepaliveIdleMs ? QStringLiteral("keepalive was on")
                                                                : QStringLiteral("keepalive was off"));
            const qint64 lo = timer.valueMs - earlySlackMs;
            if (hasSend && e.silenceBeforeUnansweredMs >= lo) {
                const qint64 gap = e.silenceBeforeUnansweredMs;
                const QString what = SessionEvidence::kindName(e.unansweredSendKind);
                QString why = QStringLiteral("%1; the connection was silent for %2 before the client's %3 at %4, and "
                                             "nothing came back after it.")
                                  .arg(drops, secondsText(gap), what, secondsText(*e.unansweredSendMs));
                int score = 0;
                if (timer.rstOnNextPacket) {
                    const QString unverified = model.timers.at(timer.timerIndex).rstOnNextPacketUnverified
                                                   ? QStringLiteral(" (unverified)")
                                                   : QString();
                    if (prompt) {
                        score = 70;
                        why += QStringLiteral(" The connection failed %1 later, like the RST %2 answers the next "
                                              "packet of a forgotten flow with%3.")
                                   .arg(secondsText(e.endMs - *e.unansweredSendMs), model.id, unverified);
                    } else {
                        score = 45;
                        why += QStringLiteral(" But %1 answers the next packet of a forgotten flow with an RST%2, "
                                              "and no prompt reset followed.")
                                   .arg(model.id, unverified);
                    }
                } else if (prompt) {
                    score = 40;
                    why += QStringLiteral(" But the connection then ended at once, while %1 stays silent after a "
                                          "drop.")
                               .arg(model.id);
                } else {
                    score = 60;
                    why += QStringLiteral(" A send into a dropped flow fails only after the TCP retransmission "
                                          "timeout or an application heartbeat timeout.");
                }
                consider(link, timer, i, score, why,
                         QStringLiteral("no frame in either direction for %1 before the client's %2 at %3, which "
                                        "nothing answered%4")
                             .arg(secondsText(gap), what, secondsText(*e.unansweredSendMs),
                                  e.close ? QStringLiteral(", then ") + endPhrase(e) : QString()),
                         gap - timer.valueMs, gap);
            } else if (!requireSend && !e.close && finalSilence >= lo) {
                const QString why = QStringLiteral("%1; the connection has been silent for %2 and never closed: it "
                                                   "may be half-open, and the client learns only when something it "
                                                   "sends fails.")
                                        .arg(drops, secondsText(finalSilence));
                consider(link, timer, i, 40, why,
                         QStringLiteral("no frame in either direction for the last %1, and the connection never "
                                        "closed")
                             .arg(secondsText(finalSilence)),
                         finalSilence - timer.valueMs, finalSilence);
            }
        }
    }
}

bool Diagnosis::finishWithCandidates(Cause cause)
{
    if (m_matches.isEmpty())
        return false;
    // By confidence, then by how close the timer is to what was measured (a drop fits any timer shorter than the
    // silence, but one that fits it exactly is the likelier), then by score, then in catalog order.
    std::stable_sort(m_matches.begin(), m_matches.end(), [](const Match &a, const Match &b) {
        if (a.candidate.confidence != b.candidate.confidence)
            return a.candidate.confidence > b.candidate.confidence;
        if (a.candidate.clue.isEmpty() != b.candidate.clue.isEmpty())
            return !a.candidate.clue.isEmpty();
        if (a.distanceMs != b.distanceMs)
            return a.distanceMs < b.distanceMs;
        if (a.candidate.score != b.candidate.score)
            return a.candidate.score > b.candidate.score;
        return a.order < b.order;
    });
    for (const Match &m : std::as_const(m_matches))
        d.candidates.append(m.candidate);
    d.cause = cause;
    summarizeCandidates(cause == Cause::PossiblyHalfOpen ? QStringLiteral("The connection may be half-open: ")
                                                         : QString());
    sayWhatTheFingerprintSays();
    fixFor(d.candidates.constFirst());
    return true;
}

void Diagnosis::sayWhatTheFingerprintSays()
{
    if (m_clues.isEmpty())
        return;
    const DiagnosisCandidate &top = d.candidates.constFirst();
    if (!top.clue.isEmpty()) {
        d.summary += QStringLiteral(" %1 agrees: it names %2.").arg(capitalized(top.clue), top.modelName);
        return;
    }
    // A default matched, but the response names someone else. Both can be on the path: the fields are those of the
    // outermost intermediary that answered (or passed on) the upgrade, and the timer may be one behind it.
    QStringList fields;
    for (const FingerprintClue &clue : std::as_const(m_clues))
        fields.append(clue.fieldText());
    fields.removeDuplicates();
    d.summary += QStringLiteral(" But %1 in the upgrade response names %2, whose timers do not match this end: both "
                                "can be on the path (the fields are those of the outermost intermediary that "
                                "answered), so %3 may sit behind it.")
                     .arg(fields.join(QStringLiteral("; ")), namedByClues(), top.modelName);
}

QStringList Diagnosis::settableTo() const
{
    // Every knob of the catalog that closes an idle connection (FIN or RST, as this one ended) and can be set to
    // the measured silence: a default, a documented range that admits it, or no default at all (HAProxy).
    QStringList knobs;
    for (const ChainLink &link : m_links) {
        const IntermediaryModel &model = link.model();
        for (const IntermediaryTimer &timer : model.timers) {
            if (timer.kind != TimerKind::Idle || timer.action == ExpiryAction::Drop || timer.knobs.isEmpty())
                continue;
            const IntermediaryKnob *knob = model.knob(timer.knobs.constFirst());
            if (!knob || knob->isFlag() || !knob->afterUpgrade || knob->configurable == QLatin1StringView("no"))
                continue;
            const qint64 measured = e.silenceMs(timer.resetBy);
            if ((knob->minMs && measured < *knob->minMs) || (knob->maxMs && measured > *knob->maxMs) ||
                e.longestEarlierSilenceMs(timer.resetBy) > measured + lateSlackMs(measured))
                continue;
            QString text = QStringLiteral("%1 %2 (%3")
                               .arg(model.name, knob->name,
                                    knob->defaultValue
                                        ? QStringLiteral("default %1").arg(DurationText::format(*knob->defaultValue))
                                        : QStringLiteral("no default"));
            if (!knob->configurable.isEmpty() && knob->configurable != QLatin1StringView("yes"))
                text += QStringLiteral(", configurable: %1").arg(knob->configurable);
            knobs.append(text + u')');
        }
    }
    knobs.removeDuplicates();
    return knobs;
}

bool Diagnosis::inferFromFingerprint(qint64 silence)
{
    // No value of the catalog matched, but an intermediary named itself: if it has a knob of the kind that ends a
    // connection this way, the session says what that knob is set to.
    if (m_clues.isEmpty())
        return false;
    for (qsizetype i = 0; i < m_links.size(); ++i) {
        const ChainLink &link = m_links.at(i);
        const IntermediaryModel &model = link.model();
        const QString clue = clueFor(model.id);
        if (clue.isEmpty())
            continue;
        for (qsizetype t = 0; t < model.timers.size(); ++t) {
            const IntermediaryTimer &timer = model.timers.at(t);
            if ((timer.kind != TimerKind::Idle && timer.kind != TimerKind::Lifetime) ||
                timer.action == ExpiryAction::Drop || timer.knobs.isEmpty())
                continue;
            const qsizetype knobIndex = model.knobIndex(timer.knobs.constFirst());
            const IntermediaryKnob &knob = model.knobs.at(knobIndex);
            if (knob.isFlag() || !knob.afterUpgrade)
                continue;
            const bool lifetime = timer.kind == TimerKind::Lifetime;
            // Rounded to what is printed (0.1 s), so that the fix's interval is not given to the millisecond.
            const qint64 measured = ((lifetime ? e.ageMs() : e.silenceMs(timer.resetBy)) + 50) / 100 * 100;
            const QString value = secondsText(measured);
            if (knob.configurable == QLatin1StringView("no")) {
                d.ruledOut.append(
                    QStringLiteral("%1 %2: %3 names it, but its %2 is fixed at %4, so it cannot be set "
                                   "to %5.")
                        .arg(model.name, knob.name, clue,
                             knob.defaultValue ? DurationText::format(*knob.defaultValue) : QStringLiteral("its value"),
                             value));
                continue;
            }
            if ((knob.minMs && measured < *knob.minMs) || (knob.maxMs && measured > *knob.maxMs)) {
                d.ruledOut.append(QStringLiteral("%1 %2: %3 names it, but %4 is outside the documented range.")
                                      .arg(model.name, knob.name, clue, value));
                continue;
            }
            Timer running;
            running.timerIndex = t;
            running.knobIndex = knobIndex;
            running.kind = timer.kind;
            running.resetBy = timer.resetBy;
            running.action = timer.action;
            running.valueMs = measured;
            running.modelledMs = measured;
            if (outlivedBy(running, measured)) {
                d.ruledOut.append(QStringLiteral("%1 %2: %3 names it, but set to %4 it would have cut the "
                                                 "connection earlier: it lived through %5 without %6.")
                                      .arg(model.name, knob.name, clue, value,
                                           secondsText(e.longestEarlierSilenceMs(timer.resetBy)),
                                           trafficWithout(timer.resetBy)));
                continue;
            }
            DiagnosisCandidate c = candidateFor(link, running);
            c.inferred = true;
            c.overridden = false;
            c.defaultUnverified = false;
            c.modelDefaultMs = knob.defaultValue;
            c.clue = clue;
            c.silenceMs = lifetime ? std::nullopt : std::optional<qint64>(measured);
            c.score = lifetime ? 50 : 60;
            c.confidence = confidenceOf(c.score);
            const QString defaultText =
                knob.defaultValue ? QStringLiteral("its default is %1").arg(DurationText::format(*knob.defaultValue))
                                  : QStringLiteral("it has no default");
            c.why = lifetime ? QStringLiteral("%1 names %2, and its %3 is a maximum lifetime: set to about %4 it "
                                              "ends the connection at the age this one reached (%5).")
                                   .arg(clue, model.name, knob.name, value, defaultText)
                             : QStringLiteral("%1 names %2, and its %3 is an idle timer restarted by %4: set to about "
                                              "%5 it closes TCP without a Close frame after %6, which is how this "
                                              "session ended (%7).")
                                   .arg(clue, model.name, knob.name, IntermediaryTimer::resetRuleText(timer.resetBy),
                                        value, silencePhrase(timer.resetBy, measured), defaultText);
            m_matches.append({c, QString(), lifetime ? 1 : 0, i});
        }
    }
    if (m_matches.isEmpty())
        return false;
    std::stable_sort(m_matches.begin(), m_matches.end(), [](const Match &a, const Match &b) {
        if (a.candidate.score != b.candidate.score)
            return a.candidate.score > b.candidate.score;
        return a.order < b.order;
    });
    for (const Match &m : std::as_const(m_matches))
        d.candidates.append(m.candidate);
    d.cause = Cause::IntermediaryTimeout;
    const DiagnosisCandidate &top = d.candidates.constFirst();
    QStringList others;
    for (qsizetype k = 1; k < d.candidates.size(); ++k)
        others.append(d.candidates.at(k).label());
    d.summary =
        capitalized(silencePhrase(ResetRule::PayloadEither, silence)) + QStringLiteral(" before ") + endPhrase(e) +
        QStringLiteral(" %1 after the upgrade; no default in the catalog matches, but %2 names %3: most "
                       "likely %4's %5, set to about %6 here; %7.")
            .arg(secondsText(e.ageMs()), top.clue, namedByClues(), top.modelName, top.knob, secondsText(top.defaultMs),
                 top.modelDefaultMs ? QStringLiteral("its default is %1").arg(DurationText::format(*top.modelDefaultMs))
                                    : QStringLiteral("it has no default"));
    if (!others.isEmpty())
        d.summary += QStringLiteral(" Also possible: %1.").arg(others.join(QStringLiteral(", ")));
    fixFor(top);
    return true;
}

void Diagnosis::summarizeCandidates(const QString &lead)
{
    // One sentence per kind of evidence, in rank order: "no frame in either direction for 60.0 s before the TCP
    // connection closed without a Close frame; this matches nginx proxy_read_timeout (default 60 s), ...".
    QStringList order;
    QHash<QString, QStringList> labels;
    for (const Match &m : std::as_const(m_matches)) {
        if (!labels.contains(m.evidence))
            order.append(m.evidence);
        labels[m.evidence].append(m.candidate.label());
    }
    QStringList sentences;
    for (const QString &evidence : std::as_const(order))
        sentences.append(capitalized(evidence + QStringLiteral("; this matches ") +
                                     labels.value(evidence).join(QStringLiteral(", "))) +
                         u'.');
    QString text = sentences.join(u' ');
    if (!lead.isEmpty())
        text = lead + text.at(0).toLower() + text.mid(1);
    d.summary = text;
}

void Diagnosis::fixFor(const DiagnosisCandidate &top)
{
    // Against idle timers: 80% of the shortest one that matches as well as the top one, so that a late heartbeat
    // or nginx's 300 ms of precision do not cut it.
    qint64 shortest = top.defaultMs;
    qint64 shortestModelled = top.modelledMs;
    for (const DiagnosisCandidate &c : std::as_const(d.candidates)) {
        if (c.kind == top.kind && c.resetBy == top.resetBy && c.confidence == top.confidence &&
            c.defaultMs < shortest) {
            shortest = c.defaultMs;
            shortestModelled = c.modelledMs;
        }
    }
    // At a time scale the fix is for the real path, with what it is in the reproduction beside it.
    QString safe = DurationText::format(OutcomeExplainer::safeIntervalMs(shortestModelled));
    if (m_scale.factor != 1.0)
        safe += QStringLiteral(" (%1 at time scale %2)")
                    .arg(DurationText::format(OutcomeExplainer::safeIntervalMs(shortest)))
                    .arg(m_scale.factor);
    QString heartbeatNote;
    if (e.pingsSent >= 2 && e.longestPingIntervalMs > OutcomeExplainer::safeIntervalMs(shortest))
        heartbeatNote = QStringLiteral("The client's pings came up to %1 apart, too far apart for it. ")
                            .arg(secondsText(e.longestPingIntervalMs));
    const QString silenceTail = QStringLiteral(" above your longest silence");
    if (top.kind == TimerKind::Lifetime) {
        d.fix = QStringLiteral("A heartbeat cannot help against a maximum lifetime: reconnect (before %1, and "
                               "re-subscribe after reconnecting)")
                    .arg(DurationText::format(top.modelledMs)) +
                raiseOrNot(top, QString()) + u'.';
        return;
    }
    switch (top.resetBy) {
    case ResetRule::PayloadEither:
        d.fix = heartbeatNote +
                QStringLiteral("Send a ping (or any message) at most every %1, from either end").arg(safe) +
                raiseOrNot(top, silenceTail) + u'.';
        break;
    case ResetRule::DataEither:
        d.fix = heartbeatNote +
                QStringLiteral("Send an application message at most every %1 from either end: protocol pings "
                               "reportedly do not count here")
                    .arg(safe) +
                raiseOrNot(top, silenceTail) + u'.';
        break;
    case ResetRule::PacketsEither:
        d.fix = heartbeatNote +
                QStringLiteral("Send a heartbeat at most every %1 from either end, or turn on TCP keepalive with idle "
                               "<= %1 on an end (the Linux default first probe after 2 h cannot hold it)")
                    .arg(safe) +
                raiseOrNot(top, silenceTail) + u'.';
        break;
    case ResetRule::ReadsFromClient:
    case ResetRule::ReadsFromServer: {
        const bool client = top.resetBy == ResetRule::ReadsFromClient;
        d.fix = QStringLiteral("Make the %1 itself send a ping or message at most every %2 (the %3's traffic does not "
                               "count here)")
                    .arg(client ? QStringLiteral("client") : QStringLiteral("server"), safe,
                         client ? QStringLiteral("server") : QStringLiteral("client")) +
                raiseOrNot(top, silenceTail) + u'.';
        break;
    }
    }
    if (top.action == ExpiryAction::Drop)
        d.fix += QStringLiteral(" A heartbeat with a reply timeout (a ping with a pong timeout) also detects a "
                                "half-open connection instead of waiting for TCP.");
}

void Diagnosis::addFacts()
{
    if (e.close) {
        const CloseRecord &c = *e.close;
        QString fact = QStringLiteral("ended at %1, %2 after the upgrade: initiated by the %3, code %4 %5")
                           .arg(secondsText(e.endMs), secondsText(e.ageMs()), CloseRecord::initiatorName(c.initiator))
                           .arg(c.code)
                           .arg(CloseCodes::name(c.code));
        if (!c.reason.isEmpty())
            fact += QStringLiteral(" \"%1\"").arg(c.reason);
        fact += QStringLiteral(", %1 (Close sent: %2, received: %3)")
                    .arg(c.clean ? QStringLiteral("clean") : QStringLiteral("not clean"), yesNo(c.closeSent),
                         yesNo(c.closeReceived));
        if (!c.error.isEmpty())
            fact += QStringLiteral("; error: ") + c.error;
        if (c.ownEnd)
            fact += QStringLiteral("; this client ended it: ") + c.ownEnd->describe();
        d.facts.append(fact);
    } else if (e.accepted) {
        d.facts.append(QStringLiteral("no end recorded: the last event is at %1, %2 after the upgrade")
                           .arg(secondsText(e.endMs), secondsText(e.ageMs())));
    }
    if (!e.accepted)
        return;
    using Way = SessionEvidence::Way;
    d.facts.append(
        QStringLiteral("silence before the end: %1 either way (%2 without a data message), %3 from the "
                       "server (%4 without data), %5 from the client (%6 without data); Close frames "
                       "not counted")
            .arg(secondsText(e.silenceMs(Way::Either, false)), secondsText(e.silenceMs(Way::Either, true)),
                 secondsText(e.silenceMs(Way::FromServer, false)), secondsText(e.silenceMs(Way::FromServer, true)),
                 secondsText(e.silenceMs(Way::FromClient, false)), secondsText(e.silenceMs(Way::FromClient, true))));
    d.facts.append(QStringLiteral("longest earlier silence either way: %1 (%2 without a data message); frames: %3 "
                                  "from the client, %4 from the server")
                       .arg(secondsText(e.any[size_t(Way::Either)].longestGapMs),
                            secondsText(e.data[size_t(Way::Either)].longestGapMs))
                       .arg(e.any[size_t(Way::FromClient)].frames)
                       .arg(e.any[size_t(Way::FromServer)].frames));
    if (e.pingsSent == 0 && e.pingsReceived == 0 && e.pongsReceived == 0 && e.pongsSent == 0) {
        d.facts.append(QStringLiteral("heartbeat: no pings or pongs in either direction"));
    } else {
        QString fact = QStringLiteral("heartbeat: the client sent %1 pings and got %2 pongs")
                           .arg(e.pingsSent)
                           .arg(e.pongsReceived);
        if (e.pingsSent >= 2)
            fact += QStringLiteral(" (pings up to %1 apart)").arg(secondsText(e.longestPingIntervalMs));
        if (e.lastPingSentMs && !e.lastPingAnswered)
            fact += QStringLiteral("; the last ping, at %1, got no pong").arg(secondsText(*e.lastPingSentMs));
        fact +=
            QStringLiteral("; the server sent %1 pings and the client %2 pongs").arg(e.pingsReceived).arg(e.pongsSent);
        d.facts.append(fact);
    }
    d.facts.append(e.tcpKeepaliveIdleMs
                       ? QStringLiteral("TCP keepalive: on, first probe after %1 idle")
                             .arg(DurationText::format(*e.tcpKeepaliveIdleMs))
                       : QStringLiteral("TCP keepalive: off (a session cannot see probes; Linux's default first "
                                        "probe after 2 h would not hold a box open anyway)"));
    if (e.unansweredSendMs)
        d.facts.append(QStringLiteral("the client's %1 at %2 followed %3 without a frame either way, and nothing "
                                      "came from the server after it")
                           .arg(SessionEvidence::kindName(e.unansweredSendKind), secondsText(*e.unansweredSendMs),
                                secondsText(e.silenceBeforeUnansweredMs)));
    if (e.framesWithViolations > 0)
        d.facts.append(QStringLiteral("%1 frames with protocol violations").arg(e.framesWithViolations));
    addProtocolFacts();
}

void Diagnosis::addProtocolFacts()
{
    const ProtocolEvidence &p = e.protocol;
    if (!p.recognised())
        return;
    d.protocol = p.protocol;
    QStringList parts;
    if (p.pingIntervalMs && p.pingTimeoutMs)
        parts.append(QStringLiteral("Engine.IO %1, pingInterval %2, pingTimeout %3 (open packet)")
                         .arg(p.engineIoVersion)
                         .arg(DurationText::format(*p.pingIntervalMs), DurationText::format(*p.pingTimeoutMs)));
    if (p.keepAliveMs)
        parts.append(QStringLiteral("Keep Alive %1 (CONNECT)").arg(DurationText::format(*p.keepAliveMs)));
    if (p.serverKeepAliveMs)
        parts.append(QStringLiteral("Server Keep Alive %1 (CONNACK)").arg(DurationText::format(*p.serverKeepAliveMs)));
    if (p.clientHeartBeat || p.serverHeartBeat)
        parts.append(
            QStringLiteral("heart-beat every %1 from the client, %2 from the server (0: off)")
                .arg(DurationText::format(p.stompClientPeriodMs()), DurationText::format(p.stompServerPeriodMs())));
    parts.append(p.initSentMs ? QStringLiteral("the client's opening message at %1")
                                    .arg(secondsText(std::max<qint64>(0, *p.initSentMs - e.openedMs)))
                              : QStringLiteral("no opening message from the client"));
    const auto beats = [](const QString &who, const ProtocolEvidence::Heartbeats &h) {
        return QStringLiteral("%1 sent %2 protocol heartbeats, %3 answered").arg(who).arg(h.sent).arg(h.answered);
    };
    parts.append(beats(QStringLiteral("the server"), p.fromServer));
    parts.append(beats(QStringLiteral("the client"), p.fromClient));
    d.facts.append(QStringLiteral("protocol %1: %2").arg(p.protocol, parts.join(QStringLiteral("; "))));
}

void Diagnosis::handshakeFailed()
{
    d.cause = Cause::HandshakeFailed;
    const QString why =
        e.handshakeExplanation.isEmpty() ? QStringLiteral("the handshake failed") : e.handshakeExplanation;
    d.summary = e.status > 0 && e.status != 101
                    ? QStringLiteral("The connection never opened: the server (or a proxy in front of it) answered "
                                     "the upgrade with HTTP %1: %2. Not a timeout: no WebSocket connection existed to "
                                     "time out.")
                          .arg(e.status)
                          .arg(why)
                    : QStringLiteral("The connection never opened: %1. Not a timeout: no WebSocket connection existed "
                                     "to time out.")
                          .arg(why);
}

void Diagnosis::serverClosed()
{
    const CloseRecord &c = *e.close;
    d.cause = Cause::ServerClosed;
    QString code = c.code == 1005 ? QStringLiteral("no status code (1005)")
                                  : QStringLiteral("%1 %2").arg(c.code).arg(CloseCodes::name(c.code));
    if (!c.reason.isEmpty())
        code += QStringLiteral(", reason \"%1\"").arg(c.reason);
    d.summary = QStringLiteral("The server closed the connection with a Close frame (%1) after %2. That is the "
                               "server's decision (or a proxy that speaks WebSocket), not an intermediary's timeout: "
                               "the proxies, load balancers and NATs in the catalog close TCP or drop the flow "
                               "without a Close frame.")
                    .arg(code, secondsText(e.ageMs()));
    switch (c.code) {
    case 1001:
        d.summary += QStringLiteral(" 1001 Going Away usually means the server is shutting down or restarting.");
        d.fix = QStringLiteral("Reconnect with backoff, and re-subscribe after reconnecting.");
        break;
    case 1012:
    case 1013:
        d.fix = QStringLiteral("Reconnect with backoff, and re-subscribe after reconnecting.");
        break;
    case 1011:
        if (c.reason.contains(QLatin1StringView("ping"), Qt::CaseInsensitive) ||
            c.reason.contains(QLatin1StringView("keepalive"), Qt::CaseInsensitive)) {
            d.summary += QStringLiteral(" The reason points at the server's own heartbeat giving up.");
            d.fix = QStringLiteral("Answer the server's pings (auto-pong on) and keep reading the socket, so its "
                                   "heartbeat sees replies in time.");
        }
        break;
    case 1002:
    case 1007:
    case 1009:
        d.summary += QStringLiteral(" The server says the client broke a rule or a limit.");
        break;
    default:
        break;
    }
    if (!c.clean)
        d.summary += QStringLiteral(" The closing handshake did not complete (%1).")
                         .arg(c.error.isEmpty() ? QStringLiteral("no reply to the Close frames") : c.error);
}

void Diagnosis::clientEnded(const OwnEnd &own)
{
    // An end of our own making is told as ours, whatever the server did or did not answer: its missing reply to a
    // connection we dropped is no fault of its own.
    const CloseRecord &c = *e.close;
    const QString lead = QStringLiteral("This client ended it: %1. ").arg(own.describe());
    const QString age = secondsText(e.ageMs());
    QString how;
    if (!c.closeSent)
        how = QStringLiteral("It dropped the TCP connection %1 after the upgrade, without a Close frame.").arg(age);
    else if (c.closeReceived)
        how = QStringLiteral("It sent a Close frame %1 after the upgrade, and the server answered it.").arg(age);
    else
        how = QStringLiteral("It sent a Close frame %1 after the upgrade; none came back before the connection "
                             "ended.")
                  .arg(age);
    d.cause = Cause::ClientClosed;
    // A heartbeat that gave up, or a Close that nothing answered: a box that forgot the flow would be why.
    if (own.reason == OwnEnd::Reason::HeartbeatDead || (c.closeSent && !c.closeReceived)) {
        matchDroppingTimers(true);
        if (finishWithCandidates(Cause::IntermediaryTimeout)) {
            d.summary = lead + how + QStringLiteral(" Why nothing answered: ") + uncapitalized(d.summary);
            return;
        }
    }
    if (own.reason == OwnEnd::Reason::HeartbeatDead) {
        d.summary = lead + how +
                    QStringLiteral(" Nothing answered its heartbeat in time; no catalog timer matches the silence "
                                   "before it.");
        d.fix = QStringLiteral("If the server is alive but slow to answer (or does not answer pings at all), give the "
                               "heartbeat more time (a longer pong timeout, more misses before dead) or another kind; "
                               "otherwise look in its logs at %1.")
                    .arg(secondsText(e.endMs));
        return;
    }
    d.summary = lead + how + QStringLiteral(" Neither the server nor an intermediary cut it.");
    if (own.reason == OwnEnd::Reason::RecordingFailed)
        d.fix = QStringLiteral("Free space or fix the recording's location, or run with --on-record-error continue "
                               "to keep the connection unrecorded.");
}

void Diagnosis::unexplained()
{
    d.cause = Cause::Unexplained;
    const qint64 silence = e.silenceMs(ResetRule::PayloadEither);
    const qint64 age = e.ageMs();
    // The advice rounds the measured silence to what is printed (0.1 s), not to the millisecond.
    const qint64 roundedSilence = (silence + 50) / 100 * 100;
    if (silence < 1000) {
        // Under a second of silence: "no frame for 0.0 s" would read as a measurement of nothing; say how soon after
        // the last frame it ended, in milliseconds.
        d.summary = capitalized(endPhrase(e)) +
                    QStringLiteral(" %1 after the upgrade and %2 ms after the last frame: the connection ended right "
                                   "after traffic, so this is no idle timeout. The server (or something on the path) "
                                   "ended the TCP connection without a closing handshake: a crash, a restart, or a "
                                   "server that skips the Close frame.")
                        .arg(secondsText(age))
                        .arg(silence);
        return;
    }
    if (inferFromFingerprint(silence))
        return;
    QString text = capitalized(silencePhrase(ResetRule::PayloadEither, silence)) + QStringLiteral(" before ") +
                   endPhrase(e) +
                   QStringLiteral(" %1 after the upgrade; nothing in the catalog matches").arg(secondsText(age));
    // The nearest defaults on either side, so the reader sees how far off they are.
    std::optional<qint64> below;
    std::optional<qint64> above;
    QString belowName;
    QString aboveName;
    for (const ChainLink &link : m_links) {
        const QList<Timer> active = m_scale.timersOf(link);
        for (const Timer &t : active) {
            if (t.kind != TimerKind::Idle || t.action == ExpiryAction::Drop)
                continue;
            const QString name =
                QStringLiteral("%1 %2 (%3)")
                    .arg(link.model().name, link.model().knobs.at(t.knobIndex).name, m_scale.valueText(t));
            const qint64 measured = e.silenceMs(t.resetBy);
            if (t.valueMs < measured && (!below || t.valueMs > *below)) {
                below = t.valueMs;
                belowName = name;
            } else if (t.valueMs > measured && (!above || t.valueMs < *above)) {
                above = t.valueMs;
                aboveName = name;
            }
        }
    }
    QStringList nearest;
    if (below)
        nearest.append(QStringLiteral("%1 is shorter").arg(belowName));
    if (above)
        nearest.append(QStringLiteral("%1 is longer").arg(aboveName));
    if (!nearest.isEmpty())
        text += QStringLiteral(" (nearest defaults: %1)").arg(nearest.join(QStringLiteral("; ")));
    // Who could be set to that: every knob that fits this kind of end, not one picked for the reader. A clue that
    // named an intermediary without such a knob (Fly.io, a fixed Heroku window) is said too.
    text += m_clues.isEmpty() ? QStringLiteral(". No intermediary named itself in the upgrade response")
                              : QStringLiteral(". %1 names %2, which has no knob that could be set to that")
                                    .arg(DisconnectDiagnosis::clueLine(m_clues), namedByClues());
    text +=
        QStringLiteral("; if an intermediary cut it, its idle timeout is set to about %1").arg(secondsText(silence));
    const QStringList settable = settableTo();
    if (!settable.isEmpty())
        text += QStringLiteral(", which any of these can be set to: %1").arg(settable.join(QStringLiteral(", ")));
    text += QStringLiteral("; otherwise the server or the network ended the TCP connection without a Close frame "
                           "(a crash, a restart, a network change).");
    d.summary = text;
    d.fix = QStringLiteral("A heartbeat at most every %1 from either end keeps any idle timeout of %2 or more from "
                           "firing; if the cut stays, look in the server's and the proxies' logs at %3.")
                .arg(DurationText::format(OutcomeExplainer::safeIntervalMs(roundedSilence)), secondsText(silence),
                     secondsText(e.endMs));
}

DisconnectDiagnosis Diagnosis::run()
{
    // An end we were forced into (a failed recording, a dead heartbeat) is worth explaining even when the closing
    // handshake completed.
    d.abnormal = !e.close || !e.close->clean || (e.close->ownEnd && e.close->ownEnd->isFailure());
    m_clues = IntermediaryFingerprints::builtIn().identify(e.responseHeaders);
    d.clues = m_clues;
    addFacts();
    if (!e.accepted) {
        d.abnormal = true;
        handshakeFailed();
        return d;
    }
    if (!e.close) {
        d.abnormal = true;
        matchDroppingTimers(false);
        if (!finishWithCandidates(Cause::PossiblyHalfOpen)) {
            d.cause = Cause::StillOpen;
            d.summary = QStringLiteral("The record ends with the connection still open after %1 (%2 without a "
                                       "frame either way): nothing in the catalog would have cut it yet.")
                            .arg(secondsText(e.ageMs()), secondsText(e.silenceMs(ResetRule::PayloadEither)));
        }
        return d;
    }
    const CloseRecord &c = *e.close;
    // The protocol's own timers first: a Socket.IO server's Close frame after an unanswered ping is its
    // pingTimeout, not a mere decision. An end of this client's own making (asked for, or forced) stays ours: no
    // protocol library of the client's closed it.
    if (!c.ownEnd) {
        if (std::optional<ProtocolTimeout> timeout = ProtocolTimeoutDiagnoser::diagnose(e)) {
            d.cause = Cause::ProtocolTimeout;
            d.abnormal = true; // a timeout, whatever the closing handshake
            d.summary = timeout->summary;
            d.fix = timeout->fix;
            d.protocolTimeout = std::move(timeout);
            return d;
        }
    }
    if (c.initiator == CloseRecord::Initiator::Server) {
        serverClosed();
        return d;
    }
    if (c.initiator == CloseRecord::Initiator::Client) {
        if (c.ownEnd && c.ownEnd->reason != OwnEnd::Reason::Requested &&
            c.ownEnd->reason != OwnEnd::Reason::ProtocolViolation) {
            clientEnded(*c.ownEnd);
            return d;
        }
        if (!c.clean && e.framesWithViolations > 0 && !c.error.isEmpty()) {
            d.cause = Cause::ProtocolFailure;
            d.summary = QStringLiteral("The client failed the connection because the server broke the protocol: %1. "
                                       "Not a timeout.")
                            .arg(c.error);
            d.fix = QStringLiteral("Fix the server's frames (see the violations on the frames); in tolerant mode "
                                   "the session records them and goes on.");
            return d;
        }
        if (!c.clean) {
            // Our Close or ping that nothing answered: the path may have been dead for a while.
            matchDroppingTimers(true);
            if (finishWithCandidates(Cause::IntermediaryTimeout))
                return d;
        }
        d.cause = Cause::ClientClosed;
        d.summary = c.clean ? QStringLiteral("The client closed the connection itself (%1 %2) after %3, and the "
                                             "server answered: nothing cut it.")
                                  .arg(c.code)
                                  .arg(CloseCodes::name(c.code))
                                  .arg(secondsText(e.ageMs()))
                            : QStringLiteral("The client ended the connection itself after %1: %2. No catalog timer "
                                             "matches the silence before it.")
                                  .arg(secondsText(e.ageMs()),
                                       c.error.isEmpty() ? QStringLiteral("without a closing handshake") : c.error);
        return d;
    }
    // The transport ended without any Close frame.
    if (e.secure && (c.error.contains(QLatin1StringView("TLS")) || c.error.contains(QLatin1StringView("SSL")))) {
        d.cause = Cause::TlsFailure;
        d.summary = QStringLiteral("The TLS layer failed during the session after %1: %2. Not an idle timeout.")
                        .arg(secondsText(e.ageMs()), c.error);
        return d;
    }
    matchClosingTimers();
    matchDroppingTimers(true);
    if (!finishWithCandidates(Cause::IntermediaryTimeout))
        unexplained();
    return d;
}

} // namespace

qint64 lateSlackMs(qint64 timerMs)
{
    // The FIN needs up to a round trip to reach the client after the box's timer fires (the last frame it counted
    // may have been ours), plus event-loop latency on both sides.
    return 1000 + timerMs / 100;
}

namespace {

DisconnectDiagnosis diagnoseAt(const SessionEvidence &evidence, const QList<ChainLink> &links, double timeScale)
{
    Diagnosis diagnosis(evidence, links, timeScale);
    DisconnectDiagnosis result = diagnosis.run();
    if (result.cause == Cause::IntermediaryTimeout || result.cause == Cause::Unexplained ||
        result.cause == Cause::PossiblyHalfOpen)
        result.facts.append(QStringLiteral("not considered: stall timers (nginx proxy_send_timeout / send_timeout, "
                                           "HAProxy write timeouts) need a blocked write, which a session cannot "
                                           "see"));
    return result;
}

} // namespace

DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const QList<ChainLink> &links)
{
    return diagnoseAt(evidence, links, 1.0);
}

DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const KnownPath &path)
{
    DisconnectDiagnosis result = diagnoseAt(evidence, path.links, path.timeScale);
    const QString scale = path.isScaled() ? QStringLiteral(" (time scale %1)").arg(path.timeScale) : QString();
    result.facts.append(QStringLiteral("ran behind %1: %2").arg(path.ranBy, path.describe()));
    if (result.cause == Cause::IntermediaryTimeout && !result.candidates.isEmpty()) {
        // The one story both ends of a reproduction tell: which of the path's timers cut it, as modelled and as run.
        const DiagnosisCandidate &top = result.candidates.constFirst();
        result.summary = QStringLiteral("Cut by %1's %2 %3, %4%5: %6")
                             .arg(path.ranBy, top.modelName, top.knob,
                                  path.isScaled() ? QStringLiteral("%1 run as %2")
                                                        .arg(DurationText::format(top.modelledMs),
                                                             DurationText::format(top.defaultMs))
                                                  : DurationText::format(top.defaultMs),
                                  scale, uncapitalized(result.summary));
    } else if (result.cause == Cause::Unexplained || result.cause == Cause::PossiblyHalfOpen ||
               result.cause == Cause::StillOpen) {
        result.summary = QStringLiteral("None of the timers %1 ran (%2) explains this end. %3")
                             .arg(path.ranBy, path.chainAndScale(), result.summary);
    }
    return result;
}

DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const IntermediaryCatalog &catalog)
{
    QList<ChainLink> links;
    for (const IntermediaryModel &model : catalog.models())
        links.append(ChainLink(model));
    return diagnose(evidence, links);
}

DisconnectDiagnosis diagnose(const SessionEvidence &evidence)
{
    return diagnose(evidence, IntermediaryCatalog::builtIn());
}

} // namespace wsi::DisconnectDiagnoser
