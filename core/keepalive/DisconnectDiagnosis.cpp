// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/DisconnectDiagnosis.h"

#include "core/text/DurationText.h"

#include <QJsonArray>

namespace wsi {
namespace {

QJsonValue secondsOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(DurationText::seconds(*ms)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QString DisconnectDiagnosis::causeName(Cause cause)
{
    switch (cause) {
    case Cause::IntermediaryTimeout:
        return QStringLiteral("intermediary_timeout");
    case Cause::PossiblyHalfOpen:
        return QStringLiteral("possibly_half_open");
    case Cause::Unexplained:
        return QStringLiteral("unexplained");
    case Cause::ServerClosed:
        return QStringLiteral("server_closed");
    case Cause::ClientClosed:
        return QStringLiteral("client_closed");
    case Cause::ProtocolFailure:
        return QStringLiteral("protocol_failure");
    case Cause::TlsFailure:
        return QStringLiteral("tls_failure");
    case Cause::HandshakeFailed:
        return QStringLiteral("handshake_failed");
    case Cause::StillOpen:
        return QStringLiteral("still_open");
    case Cause::ProtocolTimeout:
        return QStringLiteral("protocol_timeout");
    }
    return {};
}

QJsonObject DisconnectDiagnosis::toJson() const
{
    QJsonArray list;
    for (const DiagnosisCandidate &c : candidates) {
        const QString direction = c.direction();
        list.append(QJsonObject{
            {QStringLiteral("model"), c.modelId},
            {QStringLiteral("name"), c.modelName},
            {QStringLiteral("knob"), c.knob},
            {QStringLiteral("timer"), IntermediaryTimer::kindName(c.kind)},
            {QStringLiteral("default_s"),
             c.inferred ? secondsOrNull(c.modelDefaultMs) : QJsonValue(DurationText::seconds(c.defaultMs))},
            {QStringLiteral("overridden"), c.overridden},
            {QStringLiteral("silence_s"), secondsOrNull(c.silenceMs)},
            {QStringLiteral("age_s"), DurationText::seconds(c.ageMs)},
            {QStringLiteral("direction"), direction.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(direction)},
            {QStringLiteral("action"), IntermediaryTimer::actionName(c.action)},
            {QStringLiteral("confidence"), DiagnosisCandidate::confidenceName(c.confidence)},
            {QStringLiteral("why"), c.why},
            {QStringLiteral("set_to_about_s"),
             c.inferred ? QJsonValue(DurationText::seconds(c.defaultMs)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("clue"), c.clue.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.clue)},
        });
    }
    QJsonArray clueList;
    for (const FingerprintClue &clue : clues)
        clueList.append(QJsonObject{
            {QStringLiteral("header"), clue.header},
            {QStringLiteral("value"), clue.value},
            {QStringLiteral("intermediaries"), QJsonArray::fromStringList(clue.intermediaries)},
            {QStringLiteral("source"), clue.source},
        });
    return QJsonObject{
        {QStringLiteral("cause"), causeName(cause)},
        {QStringLiteral("abnormal"), abnormal},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("candidates"), list},
        {QStringLiteral("fix"), fix.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(fix)},
        {QStringLiteral("facts"), QJsonArray::fromStringList(facts)},
        {QStringLiteral("ruled_out"), QJsonArray::fromStringList(ruledOut)},
        {QStringLiteral("clues"), clueList},
        {QStringLiteral("protocol"), protocol.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(protocol)},
        {QStringLiteral("protocol_timeout"),
         protocolTimeout ? QJsonValue(protocolTimeout->toJson()) : QJsonValue(QJsonValue::Null)},
    };
}

QString DisconnectDiagnosis::clueLine(const QList<FingerprintClue> &clues)
{
    if (clues.isEmpty())
        return QStringLiteral("No intermediary named itself in the upgrade response");
    QStringList fields;
    for (const FingerprintClue &clue : clues)
        fields.append(clue.fieldText());
    fields.removeDuplicates();
    return fields.join(QStringLiteral("; ")) + QStringLiteral(" in the upgrade response");
}

QStringList DisconnectDiagnosis::toLines() const
{
    QStringList lines{QStringLiteral("diagnosis: ") + summary};
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const DiagnosisCandidate &c = candidates.at(i);
        lines.append(QStringLiteral("  %1. %2, %3 confidence: %4")
                         .arg(i + 1)
                         .arg(c.label(), DiagnosisCandidate::confidenceName(c.confidence), c.why));
    }
    for (const QString &line : ruledOut)
        lines.append(QStringLiteral("  ruled out: ") + line);
    for (const FingerprintClue &clue : clues)
        lines.append(QStringLiteral("  clue: %1 (names %2; %3)")
                         .arg(clue.text(), clue.intermediaries.join(QStringLiteral(", ")), clue.source));
    if (!fix.isEmpty())
        lines.append(QStringLiteral("fix: ") + fix);
    for (const QString &fact : facts)
        lines.append(QStringLiteral("  fact: ") + fact);
    return lines;
}

} // namespace wsi
