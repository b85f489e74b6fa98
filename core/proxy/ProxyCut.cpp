// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyCut.h"

#include "core/text/DurationText.h"

namespace wsi {

QJsonObject ProxyCut::toJson() const
{
    return QJsonObject{
        {QStringLiteral("t"), double(atNs) / 1e9},
        {QStringLiteral("by"), by},
        {QStringLiteral("timer"), timer},
        {QStringLiteral("timer_cli"), timerCli},
        {QStringLiteral("kind"), IntermediaryTimer::kindName(kind)},
        {QStringLiteral("reset_by"), IntermediaryTimer::resetRuleName(resetBy)},
        {QStringLiteral("action"), IntermediaryTimer::actionName(action)},
        {QStringLiteral("value_s"), DurationText::seconds(modelValueMs)},
        {QStringLiteral("scaled_s"), DurationText::seconds(scaledValueMs)},
        {QStringLiteral("idle_s"), double(idleNs / 1000000) / 1000.0},
    };
}

QString ProxyCut::describe() const
{
    const QString value = scaledValueMs == modelValueMs
                              ? DurationText::format(modelValueMs)
                              : QStringLiteral("%1, run as %2")
                                    .arg(DurationText::format(modelValueMs), DurationText::format(scaledValueMs));
    const QString measured = kind == TimerKind::Idle       ? QStringLiteral("of silence")
                             : kind == TimerKind::Lifetime ? QStringLiteral("since the upgrade")
                                                           : QStringLiteral("of a blocked write");
    const QString what = action == ExpiryAction::Fin   ? QStringLiteral("it closed TCP (FIN) both ways")
                         : action == ExpiryAction::Rst ? QStringLiteral("it reset TCP (RST) both ways")
                                                       : QStringLiteral("it silently dropped the connection");
    return QStringLiteral("%1 %2 (%3) cut the connection after %4 s %5: %6")
        .arg(by, timer, value)
        .arg(double(idleNs) / 1e9, 0, 'f', 1)
        .arg(measured, what);
}

} // namespace wsi
