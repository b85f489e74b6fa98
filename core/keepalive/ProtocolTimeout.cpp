// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ProtocolTimeout.h"

#include "core/text/DurationText.h"

namespace wsi {

QJsonObject ProtocolTimeout::toJson() const
{
    const auto seconds = [](const std::optional<qint64> &ms) {
        return ms ? QJsonValue(DurationText::seconds(*ms)) : QJsonValue(QJsonValue::Null);
    };
    return QJsonObject{
        {QStringLiteral("protocol"), protocol},
        {QStringLiteral("enforced_by"), enforcedBy},
        {QStringLiteral("knob"), knob},
        {QStringLiteral("value_s"), seconds(valueMs)},
        {QStringLiteral("value_from"), valueFrom},
        {QStringLiteral("default_s"), seconds(defaultMs)},
        {QStringLiteral("default_source"), defaultSource},
    };
}

} // namespace wsi
