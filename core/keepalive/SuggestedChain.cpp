// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/SuggestedChain.h"

#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/text/DurationText.h"

#include <QJsonArray>

#include <algorithm>

namespace wsi {
namespace {

// One intermediary the response names, with every field that names it.
struct Named {
    const IntermediaryModel *model = nullptr;
    QStringList fields;            // "Server: nginx/1.22.1"
    bool wroteTheResponse = false; // named by a Server field
};

// The diagnosis's best candidate for any of these models, or null.
const DiagnosisCandidate *bestCandidate(const DisconnectDiagnosis &diagnosis, const QStringList &modelIds)
{
    for (const DiagnosisCandidate &c : diagnosis.candidates) {
        if (modelIds.contains(c.modelId, Qt::CaseInsensitive))
            return &c;
    }
    return nullptr;
}

// "wss://example.com", or how the session was reached when the host is not known.
QString endpointText(const SessionEvidence &evidence)
{
    const QString scheme = evidence.secure ? QStringLiteral("wss://") : QStringLiteral("ws://");
    return evidence.host.isEmpty() ? QStringLiteral("the server (%1)").arg(scheme) : scheme + evidence.host;
}

// What the cut measured for this candidate's knob: "the 5.0 s silence before the cut", or the age for a lifetime.
QString measuredText(const DiagnosisCandidate &c)
{
    if (c.kind == TimerKind::Lifetime || !c.silenceMs)
        return QStringLiteral("the connection's age at the cut (%1)").arg(DurationText::tenths(c.ageMs));
    return QStringLiteral("the %1 silence before the cut").arg(DurationText::tenths(*c.silenceMs));
}

// "from Server: nginx/1.22.1 in the upgrade response"
QString fromClues(const Named &named)
{
    return QStringLiteral("from %1 in the upgrade response").arg(named.fields.join(QStringLiteral("; ")));
}

QString reasonFor(const Named &named, const DiagnosisCandidate *candidate, const DisconnectDiagnosis &diagnosis,
                  const SessionEvidence &evidence)
{
    const QString from = fromClues(named);
    if (candidate && candidate->inferred)
        return QStringLiteral("%1; %2 set to %3 from %4")
            .arg(from, candidate->knob, DurationText::tenths(candidate->defaultMs), measuredText(*candidate));
    if (candidate)
        return QStringLiteral("%1; at its defaults: %2's %3 matches %4")
            .arg(from, candidate->knob, DurationText::format(candidate->defaultMs), measuredText(*candidate));
    if (!evidence.ended() || !diagnosis.abnormal)
        return from + QStringLiteral("; at its defaults: no cut to measure its settings by");
    return from + QStringLiteral("; at its defaults: none of its timers fits how this session ended");
}

} // namespace

QList<ChainLink> SuggestedChain::chainLinks() const
{
    QList<ChainLink> chain;
    for (const Link &l : links)
        chain.append(l.link);
    return chain;
}

QStringList SuggestedChain::cliLinks() const
{
    QStringList texts;
    for (const Link &l : links)
        texts.append(l.link.describe());
    return texts;
}

QStringList SuggestedChain::toLines() const
{
    QStringList lines{summary};
    for (const Link &l : links)
        lines.append(QStringLiteral("  %1: %2").arg(l.link.describe(), l.reason));
    if (!orderNote.isEmpty())
        lines.append(orderNote);
    return lines;
}

QJsonObject SuggestedChain::toJson() const
{
    QJsonArray linkArray;
    for (const Link &l : links) {
        linkArray.append(QJsonObject{
            {QStringLiteral("model"), l.link.model().id},
            {QStringLiteral("link"), l.link.describe()},
            {QStringLiteral("reason"), l.reason},
        });
    }
    return QJsonObject{
        {QStringLiteral("chain"), QJsonArray::fromStringList(cliLinks())},
        {QStringLiteral("links"), linkArray},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("order"), orderNote.isEmpty() ? QJsonValue() : QJsonValue(orderNote)},
    };
}

SuggestedChain SuggestedChain::fromEvidence(const SessionEvidence &evidence, const DisconnectDiagnosis &diagnosis,
                                            const IntermediaryCatalog &catalog)
{
    SuggestedChain suggestion;
    const QString endpoint = endpointText(evidence);

    // Every model the response names, once, with the fields that name it, in the fingerprint table's order.
    QList<Named> named;
    for (const FingerprintClue &clue : diagnosis.clues) {
        if (clue.intermediaries.isEmpty())
            continue;
        const DiagnosisCandidate *candidate = bestCandidate(diagnosis, clue.intermediaries);
        const IntermediaryModel *model = catalog.find(candidate ? candidate->modelId : clue.intermediaries.first());
        if (!model)
            continue;
        auto it = std::find_if(named.begin(), named.end(), [model](const Named &n) { return n.model == model; });
        if (it == named.end()) {
            named.append({model, {}, false});
            it = std::prev(named.end());
        }
        it->fields.append(clue.fieldText());
        it->fields.removeDuplicates();
        it->wroteTheResponse = it->wroteTheResponse || clue.header.compare(u"Server", Qt::CaseInsensitive) == 0;
    }

    if (named.isEmpty()) {
        if (evidence.status == 0) {
            suggestion.summary = QStringLiteral("No chain suggested: no upgrade response from %1 to read the path "
                                                "from.")
                                     .arg(endpoint);
            return suggestion;
        }
        suggestion.summary =
            QStringLiteral("No chain suggested: no intermediary named itself in the upgrade response of %1")
                .arg(endpoint);
        if (!diagnosis.candidates.isEmpty())
            suggestion.summary += QStringLiteral(", and a timer that matches the timing (%1) is not evidence that the "
                                                 "box is on the path")
                                      .arg(diagnosis.candidates.constFirst().label());
        suggestion.summary += QStringLiteral(". Add the intermediaries you know are there.");
        return suggestion;
    }

    // Boxes that pass the response on (named by a field they add) in front of the one that wrote it (Server).
    std::stable_sort(named.begin(), named.end(),
                     [](const Named &a, const Named &b) { return !a.wroteTheResponse && b.wroteTheResponse; });
    qsizetype passing = 0;
    for (const Named &n : std::as_const(named))
        passing += n.wroteTheResponse ? 0 : 1;

    // Only the diagnosis's best candidate is set to what the session measured: when two named boxes could each
    // have cut it, setting both would invent a value for one of them.
    const DiagnosisCandidate *top = diagnosis.candidates.isEmpty() ? nullptr : &diagnosis.candidates.constFirst();
    for (const Named &n : std::as_const(named)) {
        ChainLink link(*n.model);
        const DiagnosisCandidate *candidate = bestCandidate(diagnosis, {n.model->id});
        QString reason;
        if (candidate && candidate->inferred && candidate != top) {
            reason = QStringLiteral("%1; at its defaults: the cut is put on %2's %3, though its %4 set to %5 would fit "
                                    "too")
                         .arg(fromClues(n), top->modelName, top->knob, candidate->knob,
                              DurationText::tenths(candidate->defaultMs));
        } else {
            if (candidate && candidate->inferred)
                link.setValue(candidate->knob, candidate->defaultMs);
            reason = reasonFor(n, candidate, diagnosis, evidence);
        }
        suggestion.links.append({link, reason});
    }
    suggestion.summary = QStringLiteral("Suggested from the upgrade response of %1.").arg(endpoint);
    if (named.size() > 1) {
        const QStringList texts = suggestion.cliLinks();
        if (passing == 1)
            suggestion.orderNote = QStringLiteral("Order: %1 adds a field of its own to the response it passes on, so "
                                                  "it stands in front of %2, which wrote it (Server).")
                                       .arg(named.constFirst().model->id, named.constLast().model->id);
        else
            suggestion.orderNote =
                QStringLiteral("Order: the response does not tell the order of %1 (the fingerprint table's here); "
                               "reorder them if you know better.")
                    .arg(texts.first(passing > 1 ? passing : texts.size()).join(QStringLiteral(", ")));
    }
    return suggestion;
}

SuggestedChain SuggestedChain::fromEvidence(const SessionEvidence &evidence)
{
    return fromEvidence(evidence, DisconnectDiagnoser::diagnose(evidence), IntermediaryCatalog::builtIn());
}

} // namespace wsi
