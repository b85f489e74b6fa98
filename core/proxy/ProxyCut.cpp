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

} // namespace wsi
