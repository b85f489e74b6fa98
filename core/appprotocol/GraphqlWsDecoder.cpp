// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/GraphqlWsDecoder.h"

#include <QJsonArray>

namespace wsi {

namespace {

enum class Sender : quint8 { Client, Server, Either };
enum class Pairing : quint8 { None, Request, Reply };
enum class Payload : quint8 { Optional, Object, Array, ObjectOrArray };

struct MessageType {
    const char *type;
    Sender sender;
    bool needsId;
    Payload payload;
    Pairing pairing; // operation messages: the one that starts an operation, and those that answer it
};

// graphql-ws PROTOCOL.md, "Message types".
constexpr MessageType transportTypes[] = {
    {"connection_init", Sender::Client, false, Payload::Optional, Pairing::None},
    {"connection_ack", Sender::Server, false, Payload::Optional, Pairing::None},
    {"ping", Sender::Either, false, Payload::Optional, Pairing::None},
    {"pong", Sender::Either, false, Payload::Optional, Pairing::None},
    {"subscribe", Sender::Client, true, Payload::Object, Pairing::Request},
    {"next", Sender::Server, true, Payload::Object, Pairing::Reply},
    {"error", Sender::Server, true, Payload::Array, Pairing::Reply},
    {"complete", Sender::Either, true, Payload::Optional, Pairing::None},
};

// subscriptions-transport-ws PROTOCOL.md.
constexpr MessageType legacyTypes[] = {
    {"connection_init", Sender::Client, false, Payload::Optional, Pairing::None},
    {"connection_ack", Sender::Server, false, Payload::Optional, Pairing::None},
    {"connection_error", Sender::Server, false, Payload::Optional, Pairing::None},
    {"ka", Sender::Server, false, Payload::Optional, Pairing::None},
    {"connection_terminate", Sender::Client, false, Payload::Optional, Pairing::None},
    {"start", Sender::Client, true, Payload::Object, Pairing::Request},
    {"data", Sender::Server, true, Payload::Object, Pairing::Reply},
    {"error", Sender::Server, true, Payload::ObjectOrArray, Pairing::Reply},
    {"complete", Sender::Server, true, Payload::Optional, Pairing::Reply},
    {"stop", Sender::Client, true, Payload::Optional, Pairing::None},
};

} // namespace

GraphqlWsDecoder::GraphqlWsDecoder(AppProtocol protocol)
    : MessageDecoder(protocol)
{}

DecodedMessages GraphqlWsDecoder::decode(const AppMessage &message)
{
    const bool transport = protocol() == AppProtocol::GraphqlTransportWs;
    const QString reference = transport ? QStringLiteral("graphql-ws PROTOCOL.md, Message types")
                                        : QStringLiteral("subscriptions-transport-ws PROTOCOL.md");
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return DecodedMessages{
            broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields))};
    };
    DecodedMessage failure;
    const std::optional<QJsonObject> parsed =
        parseJsonObject(message.payload, QStringLiteral("graphql"), reference, &failure);
    if (!parsed)
        return {failure};
    const QJsonObject &object = *parsed;
    const QString type = object.value(QStringLiteral("type")).toString();
    QJsonObject fields{{QStringLiteral("type"), type}};
    if (type.isEmpty())
        return fail(QString(), QStringLiteral("graphql-type-missing"),
                    QStringLiteral("the message has no string \"type\""));

    const MessageType *found = nullptr;
    const auto types = transport ? QList<MessageType>(std::begin(transportTypes), std::end(transportTypes))
                                 : QList<MessageType>(std::begin(legacyTypes), std::end(legacyTypes));
    for (const MessageType &candidate : types) {
        if (type == QLatin1String(candidate.type))
            found = &candidate;
    }
    if (!found)
        return fail(type, QStringLiteral("graphql-unknown-type"),
                    QStringLiteral("\"%1\" is not a message type of %2").arg(type, AppProtocols::name(protocol())),
                    fields);
    const QJsonValue id = object.value(QStringLiteral("id"));
    if (id.isString())
        fields.insert(QStringLiteral("id"), id);
    const QJsonValue payload = object.value(QStringLiteral("payload"));
    if (!payload.isUndefined())
        fields.insert(QStringLiteral("payload"), payload);

    const bool fromClient = message.sender == Endpoint::Client;
    if ((found->sender == Sender::Client && !fromClient) || (found->sender == Sender::Server && fromClient))
        return fail(type, QStringLiteral("graphql-message-direction"),
                    QStringLiteral("%1 is sent by the %2")
                        .arg(type, fromClient ? QStringLiteral("server") : QStringLiteral("client")),
                    fields);
    if (found->needsId && (!id.isString() || id.toString().isEmpty()))
        return fail(type, QStringLiteral("graphql-id-missing"),
                    QStringLiteral("%1 needs a non-empty string \"id\"").arg(type), fields);
    const bool payloadOk = found->payload == Payload::Optional ||
                           (found->payload == Payload::Object && payload.isObject()) ||
                           (found->payload == Payload::Array && payload.isArray()) ||
                           (found->payload == Payload::ObjectOrArray && (payload.isObject() || payload.isArray()));
    if (!payloadOk)
        return fail(
            type, QStringLiteral("graphql-payload"),
            QStringLiteral("%1 needs an %2 \"payload\"")
                .arg(type, found->payload == Payload::Array ? QStringLiteral("array") : QStringLiteral("object")),
            fields);
    if (type == QLatin1String("subscribe") || type == QLatin1String("start")) {
        if (!payload.toObject().value(QStringLiteral("query")).isString())
            return fail(type, QStringLiteral("graphql-query-missing"),
                        QStringLiteral("%1's payload needs a string \"query\"").arg(type), fields);
        const QJsonValue operationName = payload.toObject().value(QStringLiteral("operationName"));
        if (operationName.isString())
            fields.insert(QStringLiteral("operationName"), operationName);
    }

    DecodedMessage result = decoded(type, fields);
    const QString key = QStringLiteral("operation ") + id.toString();
    if (found->pairing == Pairing::Request)
        result.correlation = Correlation::request(key);
    else if (found->pairing == Pairing::Reply || (type == QLatin1String("complete") && !fromClient))
        result.correlation = Correlation::reply(key);
    return {result};
}

} // namespace wsi
