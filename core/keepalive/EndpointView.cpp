// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/EndpointView.h"

#include "core/text/DurationText.h"

namespace wsi {

QString EndpointView::stateName(State state)
{
    switch (state) {
    case State::Open:
        return QStringLiteral("open");
    case State::Closed:
        return QStringLiteral("closed");
    case State::HalfOpen:
        return QStringLiteral("half-open");
    }
    return {};
}

QJsonObject EndpointView::toJson() const
{
    const auto seconds = [](const std::optional<qint64> &ms) {
        return ms ? QJsonValue(DurationText::seconds(*ms)) : QJsonValue(QJsonValue::Null);
    };
    // Unless the peer's protocol closed with a Close frame, none arrived: the application sees 1006 (RFC 6455
    // §7.4.1).
    return QJsonObject{
        {QStringLiteral("state"), stateName(state)},
        {QStringLiteral("close_code"),
         state == State::Closed ? QJsonValue(closeCode.value_or(1006)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("at_s"), seconds(atMs)},
        {QStringLiteral("how"), how.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(how)},
        {QStringLiteral("half_open_since_s"), seconds(halfOpenSinceMs)},
        {QStringLiteral("detail"), detail},
    };
}

} // namespace wsi
