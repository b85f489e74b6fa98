// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/DecodedHeadline.h"

#include <QJsonArray>

namespace wsi {

namespace {

QString cut(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (text.size() > DecodedHeadline::maxSubjectChars)
        return text.first(DecodedHeadline::maxSubjectChars - 1) + QChar(0x2026);
    return text;
}

QString plural(qsizetype count, const char *one, const char *many)
{
    return QStringLiteral("(%1 %2)").arg(count).arg(QLatin1StringView(count == 1 ? one : many));
}

// The first topic of an MQTT SUBSCRIBE or UNSUBSCRIBE: a string, or an object with its filter.
QString firstTopic(const QJsonArray &topics)
{
    if (topics.isEmpty())
        return {};
    const QJsonValue first = topics.first();
    if (first.isString())
        return first.toString();
    const QJsonObject object = first.toObject();
    for (const char *name : {"topic", "filter", "topicFilter"}) {
        if (const QJsonValue value = object.value(QLatin1StringView(name)); value.isString())
            return value.toString();
    }
    return {};
}

// What a message is about, in the field its protocol names it with.
QString subjectOf(const DecodedMessage &message)
{
    const QJsonObject &fields = message.fields;
    const auto text = [&fields](const char *name) { return fields.value(QLatin1StringView(name)).toString(); };
    switch (message.protocol) {
    case AppProtocol::SocketIo:
        return text("event");
    case AppProtocol::Stomp:
        return fields.value(QLatin1StringView("headers")).toObject().value(QLatin1StringView("destination")).toString();
    case AppProtocol::Mqtt:
        if (const QString topic = text("topic"); !topic.isEmpty())
            return topic;
        if (const QString topic = firstTopic(fields.value(QLatin1StringView("subscriptions")).toArray());
            !topic.isEmpty())
            return topic;
        return firstTopic(fields.value(QLatin1StringView("topics")).toArray());
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        if (const QString name = text("operationName"); !name.isEmpty())
            return name;
        return fields.value(QLatin1StringView("payload"))
            .toObject()
            .value(QLatin1StringView("operationName"))
            .toString();
    case AppProtocol::SignalR:
        return text("target");
    case AppProtocol::Phoenix:
        return text("topic");
    case AppProtocol::ActionCable:
        return text("channel");
    case AppProtocol::SockJs:
        return {};
    case AppProtocol::Wamp:
        if (const QString topic = text("topic"); !topic.isEmpty())
            return topic;
        return text("procedure");
    case AppProtocol::JsonRpc:
        return text("method");
    }
    return {};
}

// What follows the subject: how many arguments an event has, a QoS, an id that pairs the message.
QString detailOf(const DecodedMessage &message)
{
    const QJsonObject &fields = message.fields;
    switch (message.protocol) {
    case AppProtocol::SocketIo:
        if (const QJsonValue args = fields.value(QLatin1StringView("args")); args.isArray()) {
            const qsizetype count = args.toArray().size();
            const QJsonValue ack = fields.value(QLatin1StringView("ackId"));
            if (ack.isUndefined() || ack.isNull())
                return plural(count, "arg", "args");
            const QString id = ack.toVariant().toString();
            // An ACK is its id's answer: "ACK 12 (1 arg)"; an event that asks for one: "(2 args, ack 12)".
            if (message.kind.contains(QLatin1StringView("ACK")))
                return id + QLatin1Char(' ') + plural(count, "arg", "args");
            return plural(count, "arg", "args").chopped(1) + QStringLiteral(", ack ") + id + QLatin1Char(')');
        }
        return {};
    case AppProtocol::Mqtt:
        if (message.kind == QLatin1StringView("PUBLISH"))
            return QStringLiteral("(QoS %1)").arg(fields.value(QLatin1StringView("qos")).toInt());
        return {};
    case AppProtocol::SockJs:
        if (const QJsonValue messages = fields.value(QLatin1StringView("messages")); messages.isArray())
            return plural(messages.toArray().size(), "message", "messages");
        return {};
    case AppProtocol::JsonRpc:
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        if (const QJsonValue id = fields.value(QLatin1StringView("id")); id.isString() || id.isDouble())
            return QStringLiteral("id ") + id.toVariant().toString();
        return {};
    default:
        return {};
    }
}

} // namespace

QString DecodedHeadline::protocolTitle(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::SocketIo:
        return QStringLiteral("socket.io");
    case AppProtocol::Stomp:
        return QStringLiteral("STOMP");
    case AppProtocol::Mqtt:
        return QStringLiteral("MQTT");
    case AppProtocol::GraphqlTransportWs:
        return QStringLiteral("graphql-transport-ws");
    case AppProtocol::GraphqlWs:
        return QStringLiteral("graphql-ws");
    case AppProtocol::SignalR:
        return QStringLiteral("SignalR");
    case AppProtocol::Phoenix:
        return QStringLiteral("Phoenix");
    case AppProtocol::ActionCable:
        return QStringLiteral("Action Cable");
    case AppProtocol::SockJs:
        return QStringLiteral("SockJS");
    case AppProtocol::Wamp:
        return QStringLiteral("WAMP");
    case AppProtocol::JsonRpc:
        return QStringLiteral("JSON-RPC");
    }
    return {};
}

DecodedHeadline DecodedHeadline::of(const DecodedMessage &message)
{
    DecodedHeadline headline;
    headline.subject = cut(subjectOf(message));
    QString text = protocolTitle(message.protocol);
    if (!message.kind.isEmpty())
        text += QLatin1Char(' ') + message.kind;
    // A Socket.IO namespace other than the main one says which part of the application speaks.
    if (const QString space = message.fields.value(QLatin1StringView("namespace")).toString();
        message.protocol == AppProtocol::SocketIo && !space.isEmpty() && space != QLatin1StringView("/"))
        text += QLatin1Char(' ') + space;
    if (!headline.subject.isEmpty()) {
        // Socket.IO events are names in quotes, as the code that emits them writes them; topics are paths.
        text += message.protocol == AppProtocol::SocketIo ? QStringLiteral(" \"%1\"").arg(headline.subject)
                                                          : QLatin1Char(' ') + headline.subject;
    }
    if (const QString detail = detailOf(message); !detail.isEmpty())
        text += QLatin1Char(' ') + detail;
    if (message.violation)
        text += QStringLiteral(": ") + message.violation->rule;
    headline.text = std::move(text);
    return headline;
}

} // namespace wsi
