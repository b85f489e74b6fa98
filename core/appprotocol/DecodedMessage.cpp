// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/DecodedMessage.h"

namespace wsi {

QJsonObject DecodedMessage::toJson() const
{
    QJsonObject json = fields;
    json.insert(QStringLiteral("protocol"), AppProtocols::name(protocol));
    json.insert(QStringLiteral("kind"), kind);
    if (violation)
        json.insert(QStringLiteral("violation"), violation->toJson());
    if (correlation.role != Correlation::Role::None) {
        json.insert(QStringLiteral("correlation"),
                    QJsonObject{{QStringLiteral("role"),
                                 correlation.isRequest() ? QStringLiteral("request") : QStringLiteral("reply")},
                                {QStringLiteral("key"), correlation.key}});
    }
    return json;
}

} // namespace wsi
