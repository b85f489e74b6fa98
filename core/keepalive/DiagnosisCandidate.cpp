// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/DiagnosisCandidate.h"

#include "core/text/DurationText.h"

namespace wsi {

QString DiagnosisCandidate::direction() const
{
    if (kind == TimerKind::Lifetime)
        return {};
    switch (resetBy) {
    case ResetRule::ReadsFromClient:
        return QStringLiteral("out");
    case ResetRule::ReadsFromServer:
        return QStringLiteral("in");
    case ResetRule::PayloadEither:
    case ResetRule::DataEither:
    case ResetRule::PacketsEither:
        break;
    }
    return QStringLiteral("both");
}

QString DiagnosisCandidate::confidenceName(Confidence confidence)
{
    switch (confidence) {
    case Confidence::High:
        return QStringLiteral("high");
    case Confidence::Medium:
        return QStringLiteral("medium");
    case Confidence::Low:
        break;
    }
    return QStringLiteral("low");
}

QString DiagnosisCandidate::valueText() const
{
    if (timeScale == 1.0)
        return DurationText::format(defaultMs);
    return QStringLiteral("%1, run as %2").arg(DurationText::format(modelledMs), DurationText::format(defaultMs));
}

QString DiagnosisCandidate::label() const
{
    if (inferred)
        return QStringLiteral("%1 %2 (set to about %3 here; %4)")
            .arg(modelName, knob, DurationText::tenths(defaultMs),
                 modelDefaultMs ? QStringLiteral("default %1").arg(DurationText::format(*modelDefaultMs))
                                : QStringLiteral("no default"));
    if (overridden)
        return QStringLiteral("%1 %2 (%3 as given)").arg(modelName, knob, valueText());
    return QStringLiteral("%1 %2 (default %3%4)")
        .arg(modelName, knob, valueText(), defaultUnverified ? QStringLiteral(", unverified") : QString());
}

} // namespace wsi
