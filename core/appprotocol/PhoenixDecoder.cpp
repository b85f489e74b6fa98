// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/PhoenixDecoder.h"

#include "core/appprotocol/PayloadJson.h"

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
        return {decodeBinary(message)};
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
    if (!topic.isString() || !event.isString() || event.toString().isEmpty())
        return fail(QString(), QStringLiteral("phoenix-topic-event"),
                    QStringLiteral("a message names a string topic and a non-empty event"), fields);
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

DecodedMessage PhoenixDecoder::decodeBinary(const AppMessage &message) const
{
    // The V2 serializer's binary frames (serializer.js binaryEncode / binaryDecode): a kind byte, one size byte per
    // string, the strings, then the payload bytes. A push from the client carries join_ref, ref, topic and event; a
    // push from the server has no ref; a reply carries join_ref, ref, topic and its status; a broadcast topic and
    // event.
    const QByteArrayView data = message.payload;
    const QString binaryReference = QStringLiteral("Phoenix Channels, serializer.js binaryEncode/binaryDecode");
    auto fail = [&](QString detail) {
        return broken(QString(), {QStringLiteral("phoenix-binary-frame"), binaryReference, std::move(detail)});
    };
    if (data.isEmpty())
        return fail(QStringLiteral("an empty binary message has no kind byte"));
    const int kind = quint8(data.front());
    QStringList names;
    if (kind == 0 && message.sender == Endpoint::Client)
        names = {QStringLiteral("joinRef"), QStringLiteral("ref"), QStringLiteral("topic"), QStringLiteral("event")};
    else if (kind == 0)
        names = {QStringLiteral("joinRef"), QStringLiteral("topic"), QStringLiteral("event")};
    else if (kind == 1)
        names = {QStringLiteral("joinRef"), QStringLiteral("ref"), QStringLiteral("topic"), QStringLiteral("status")};
    else if (kind == 2)
        names = {QStringLiteral("topic"), QStringLiteral("event")};
    else
        return fail(QStringLiteral("kind %1 is not 0 (push), 1 (reply) or 2 (broadcast)").arg(kind));
    if (data.size() < 1 + names.size())
        return fail(QStringLiteral("%1 bytes cannot hold the kind and %2 sizes").arg(data.size()).arg(names.size()));
    QJsonObject fields{{QStringLiteral("serializer"), QStringLiteral("2.0.0")}, {QStringLiteral("binary"), true}};
    qsizetype at = 1 + names.size();
    for (qsizetype i = 0; i < names.size(); ++i) {
        const int size = quint8(data[1 + i]);
        if (size > data.size() - at)
            return fail(QStringLiteral("%1 of %2 bytes runs past the end").arg(names[i]).arg(size));
        const QString value = QString::fromUtf8(data.sliced(at, size));
        at += size;
        if (!value.isEmpty())
            fields.insert(names[i], value);
    }
    fields.insert(QStringLiteral("payload"), PayloadJson::bytesValue(data.sliced(at)));
    const QString event = kind == 1 ? QStringLiteral("phx_reply") : fields.value(QStringLiteral("event")).toString();
    if (event.isEmpty())
        return fail(QStringLiteral("a push or broadcast names its event"));
    fields.insert(QStringLiteral("event"), event);
    DecodedMessage result = decoded(event, fields);
    if (fields.contains(QStringLiteral("ref"))) {
        const QString key = QStringLiteral("ref ") + fields.value(QStringLiteral("ref")).toString();
        result.correlation = kind == 1 ? Correlation::reply(key) : Correlation::request(key);
    }
    return result;
}

} // namespace wsi
