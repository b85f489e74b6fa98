// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/SimulationOutcome.h"

#include "core/text/DurationText.h"

namespace wsi {

QJsonObject SimulationOutcome::toJson() const
{
    const QJsonValue null(QJsonValue::Null);
    return QJsonObject{
        {QStringLiteral("event"), QStringLiteral("outcome")},
        {QStringLiteral("result"), cut ? QStringLiteral("cut") : QStringLiteral("alive")},
        {QStringLiteral("at_s"), cut ? QJsonValue(DurationText::seconds(atMs)) : null},
        {QStringLiteral("by"), cut ? QJsonValue(by) : null},
        {QStringLiteral("timer"), cut ? QJsonValue(timer) : null},
        {QStringLiteral("action"), cut ? QJsonValue(IntermediaryTimer::actionName(action)) : null},
        {QStringLiteral("client_sees"), client.toJson()},
        {QStringLiteral("server_sees"), server.toJson()},
        {QStringLiteral("explanation"), explanation},
        {QStringLiteral("fix"), fix.isEmpty() ? null : QJsonValue(fix)},
        {QStringLiteral("protocol"), cut && !protocol.isEmpty() ? QJsonValue(protocol) : null},
    };
}

} // namespace wsi
