// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/PhoenixDecoder.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString reference = QStringLiteral("Phoenix Channels, serializer.js (JSON v1 and v2)");

bool isRef(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined() || value.isString() || value.isDouble();
}

QString refText(const QJsonValue &value)
{
    return value.isDouble() ? QString::number(value.toDouble()) : value.toString();
}

} // namespace

DecodedMessages PhoenixDecoder::decode(const AppMessage &message)
{
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return DecodedMessages{
            broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields))};
    };
    if (message.binary)
        return fail(QString(), QStringLiteral("phoenix-binary-message"),
                    QStringLiteral("binary pushes of the v2 serializer are not decoded"));
    DecodedMessage failure;
    const std::optional<QJsonDocument> json =
        parseJson(message.payload, QStringLiteral("phoenix"), reference, &failure);
    if (!json)
        return {failure};

    QJsonValue joinRef;
    QJsonValue ref;
    QJsonValue topic;
    QJsonValue event;
    QJsonValue payload;
    QJsonObject fields;
    if (json->isArray()) {
        const QJsonArray array = json->array();
        if (array.size() != 5)
            return fail(
                QString(), QStringLiteral("phoenix-v2-shape"),
                QStringLiteral("a v2 message is [join_ref, ref, topic, event, payload]; this array has %1 elements")
                    .arg(array.size()));
        joinRef = array[0];
        ref = array[1];
        topic = array[2];
        event = array[3];
        payload = array[4];
        fields.insert(QStringLiteral("serializer"), QStringLiteral("2.0.0"));
    } else {
        const QJsonObject object = json->object();
        joinRef = object.value(QStringLiteral("join_ref"));
        ref = object.value(QStringLiteral("ref"));
        topic = object.value(QStringLiteral("topic"));
        event = object.value(QStringLiteral("event"));
        payload = object.value(QStringLiteral("payload"));
        fields.insert(QStringLiteral("serializer"), QStringLiteral("1.0.0"));
    }
    if (!topic.isString() || !event.isString())
        return fail(QString(), QStringLiteral("phoenix-topic-event"),
                    QStringLiteral("a message names a string topic and event"), fields);
    const QString kind = event.toString();
    fields.insert(QStringLiteral("topic"), topic);
    fields.insert(QStringLiteral("event"), event);
    if (!isRef(ref) || !isRef(joinRef))
        return fail(kind, QStringLiteral("phoenix-ref"),
                    QStringLiteral("ref and join_ref are strings, numbers or null"), fields);
    if (!ref.isNull() && !ref.isUndefined())
        fields.insert(QStringLiteral("ref"), refText(ref));
    if (!joinRef.isNull() && !joinRef.isUndefined())
        fields.insert(QStringLiteral("joinRef"), refText(joinRef));
    fields.insert(QStringLiteral("payload"), payload.isUndefined() ? QJsonValue(QJsonValue::Null) : payload);
    if (kind == QLatin1String("phx_reply")) {
        const QJsonObject reply = payload.toObject();
        if (!reply.value(QStringLiteral("status")).isString())
            return fail(kind, QStringLiteral("phoenix-reply-status"),
                        QStringLiteral("a phx_reply payload is {status, response}"), fields);
        fields.insert(QStringLiteral("status"), reply.value(QStringLiteral("status")));
    }

    DecodedMessage result = decoded(kind, fields);
    // The client's pushes carry a ref, and the server's phx_reply carries the same one back; server broadcasts
    // have none.
    if (fields.contains(QStringLiteral("ref"))) {
        const QString key = QStringLiteral("ref ") + fields.value(QStringLiteral("ref")).toString();
        if (kind == QLatin1String("phx_reply"))
            result.correlation = Correlation::reply(key);
        else if (message.sender == Endpoint::Client)
            result.correlation = Correlation::request(key);
    }
    return {result};
}

} // namespace wsi
