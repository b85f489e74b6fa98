// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ActionCableDecoder.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

namespace {

const QString reference = QStringLiteral("Action Cable, action_cable/internal.rb and connection/subscriptions.rb");

} // namespace

DecodedMessages ActionCableDecoder::decode(const AppMessage &message)
{
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return DecodedMessages{
            broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields))};
    };
    DecodedMessage failure;
    const std::optional<QJsonObject> object =
        parseJsonObject(message.payload, QStringLiteral("actioncable"), reference, &failure);
    if (!object)
        return {failure};
    QJsonObject fields = *object;
    const QJsonValue identifier = fields.value(QStringLiteral("identifier"));
    if (identifier.isString()) {
        // The identifier is the JSON of {"channel": ..., params}; a string that is not JSON is kept as it is.
        const std::optional<QJsonDocument> channel = PayloadJson::parse(identifier.toString().toUtf8(), nullptr);
        if (channel && channel->isObject())
            fields.insert(QStringLiteral("channel"), channel->object().value(QStringLiteral("channel")));
    }

    const bool fromClient = message.sender == Endpoint::Client;
    const QString key = QStringLiteral("subscription ") + identifier.toString();
    if (fromClient) {
        const QString command = fields.value(QStringLiteral("command")).toString();
        if (command != QLatin1String("subscribe") && command != QLatin1String("unsubscribe") &&
            command != QLatin1String("message"))
            return fail(command, QStringLiteral("actioncable-unknown-command"),
                        QStringLiteral("a client message's \"command\" is subscribe, unsubscribe or message"), fields);
        if (!identifier.isString())
            return fail(command, QStringLiteral("actioncable-identifier"),
                        QStringLiteral("%1 needs a string \"identifier\"").arg(command), fields);
        if (command == QLatin1String("message") && !fields.value(QStringLiteral("data")).isString())
            return fail(command, QStringLiteral("actioncable-message-data"),
                        QStringLiteral("message needs its \"data\" as a JSON string"), fields);
        DecodedMessage result = decoded(command, fields);
        if (command == QLatin1String("subscribe"))
            result.correlation = Correlation::request(key);
        return {result};
    }

    const QJsonValue type = fields.value(QStringLiteral("type"));
    if (type.isUndefined()) {
        if (!identifier.isString() || !fields.contains(QStringLiteral("message")))
            return fail(QString(), QStringLiteral("actioncable-server-message"),
                        QStringLiteral("a server message has a \"type\", or an \"identifier\" and a \"message\""),
                        fields);
        return {decoded(QStringLiteral("message"), fields)};
    }
    const QString kind = type.toString();
    static const char *const known[] = {"welcome", "disconnect", "ping", "confirm_subscription", "reject_subscription"};
    if (std::none_of(std::begin(known), std::end(known), [&](const char *name) { return kind == QLatin1String(name); }))
        return fail(
            kind, QStringLiteral("actioncable-unknown-type"),
            QStringLiteral("\"%1\" is not an Action Cable message type").arg(PayloadJson::excerpt(kind.toUtf8())),
            fields);
    if (kind == QLatin1String("ping") && !fields.value(QStringLiteral("message")).isDouble())
        return fail(kind, QStringLiteral("actioncable-ping-time"),
                    QStringLiteral("a ping's \"message\" is the server's time in seconds"), fields);
    DecodedMessage result = decoded(kind, fields);
    if (kind.endsWith(QLatin1String("_subscription")))
        result.correlation = Correlation::reply(key);
    return {result};
}

} // namespace wsi
