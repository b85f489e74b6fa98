// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MessageDecoder.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

std::optional<QJsonDocument> MessageDecoder::parseJson(QByteArrayView payload, const QString &rulePrefix,
                                                       const QString &reference, DecodedMessage *failure) const
{
    QString error;
    std::optional<QJsonDocument> json = PayloadJson::parse(payload, &error);
    if (!json)
        *failure = broken(QString(), {rulePrefix + QStringLiteral("-not-json"), reference, error});
    return json;
}

std::optional<QJsonObject> MessageDecoder::parseJsonObject(QByteArrayView payload, const QString &rulePrefix,
                                                           const QString &reference, DecodedMessage *failure) const
{
    const std::optional<QJsonDocument> json = parseJson(payload, rulePrefix, reference, failure);
    if (!json)
        return std::nullopt;
    if (!json->isObject()) {
        *failure = broken(QString(), {rulePrefix + QStringLiteral("-not-object"), reference,
                                      QStringLiteral("a message is a JSON object, not an array")});
        return std::nullopt;
    }
    return json->object();
}

} // namespace wsi
