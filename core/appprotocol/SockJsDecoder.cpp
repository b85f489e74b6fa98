// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/SockJsDecoder.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString reference = QStringLiteral("SockJS protocol 0.3.3, Protocol and framing");

bool allStrings(const QJsonArray &array)
{
    return std::all_of(array.begin(), array.end(), [](const QJsonValue &value) { return value.isString(); });
}

} // namespace

DecodedMessages SockJsDecoder::decode(const AppMessage &message)
{
    auto fail = [&](QString kind, QString rule, QString detail, QJsonObject fields = {}) {
        return DecodedMessages{
            broken(std::move(kind), {std::move(rule), reference, std::move(detail)}, std::move(fields))};
    };
    const QByteArrayView data = message.payload;
    if (message.binary)
        return fail(QString(), QStringLiteral("sockjs-binary-message"), QStringLiteral("SockJS frames are text"));

    if (message.sender == Endpoint::Client) {
        // The client sends its messages as a JSON array of strings (or one string), with no frame letter.
        QString error;
        const std::optional<QJsonValue> value = PayloadJson::parseValue(data, &error);
        if (!value)
            return fail(QStringLiteral("send"), QStringLiteral("sockjs-send-not-json"), error);
        const QJsonArray messages = value->isString() ? QJsonArray{*value} : value->toArray();
        if ((!value->isArray() && !value->isString()) || !allStrings(messages))
            return fail(QStringLiteral("send"), QStringLiteral("sockjs-send-shape"),
                        QStringLiteral("a client sends a JSON array of strings"));
        return {decoded(QStringLiteral("send"), {{QStringLiteral("messages"), messages}})};
    }

    if (data.isEmpty())
        return fail(QString(), QStringLiteral("sockjs-empty-frame"),
                    QStringLiteral("a frame starts with o, h, a, m or c"));
    const char letter = data.front();
    const QByteArrayView rest = data.sliced(1);
    QString error;
    switch (letter) {
    case 'o':
    case 'h': {
        const QString kind = letter == 'o' ? QStringLiteral("open") : QStringLiteral("heartbeat");
        if (!rest.isEmpty())
            return fail(kind, QStringLiteral("sockjs-frame-trailing"),
                        QStringLiteral("the %1 frame is one letter").arg(kind));
        return {decoded(kind)};
    }
    case 'a': {
        const std::optional<QJsonDocument> json = PayloadJson::parse(rest, &error);
        if (!json || !json->isArray() || !allStrings(json->array()))
            return fail(QStringLiteral("array"), QStringLiteral("sockjs-array-frame"),
                        json ? QStringLiteral("an a frame holds a JSON array of strings") : error);
        return {decoded(QStringLiteral("array"), {{QStringLiteral("messages"), json->array()}})};
    }
    case 'm': {
        const std::optional<QJsonValue> value = PayloadJson::parseValue(rest, &error);
        if (!value || !value->isString())
            return fail(QStringLiteral("message"), QStringLiteral("sockjs-message-frame"),
                        value ? QStringLiteral("an m frame holds one JSON string") : error);
        return {decoded(QStringLiteral("message"), {{QStringLiteral("messages"), QJsonArray{*value}}})};
    }
    case 'c': {
        const std::optional<QJsonDocument> json = PayloadJson::parse(rest, &error);
        const QJsonArray close = json ? json->array() : QJsonArray();
        if (!json || close.size() != 2 || !close[0].isDouble() || !close[1].isString())
            return fail(QStringLiteral("close"), QStringLiteral("sockjs-close-frame"),
                        json ? QStringLiteral("a c frame holds [code, \"reason\"]") : error);
        return {decoded(QStringLiteral("close"),
                        {{QStringLiteral("code"), close[0]}, {QStringLiteral("reason"), close[1]}})};
    }
    default:
        // sockjs-node's raw endpoint <prefix>/websocket carries the application's messages without SockJS
        // framing (sockjs 0.3.24 lib/trans-websocket.js RawWebsocketSessionReceiver), which lands here.
        return fail(QString(), QStringLiteral("sockjs-frame-type"),
                    QStringLiteral("frame letter '%1' is not o, h, a, m or c (a SockJS server's raw endpoint "
                                   "<prefix>/websocket sends messages unframed; the framed one is "
                                   "<prefix>/<server>/<session>/websocket)")
                        .arg(PayloadJson::excerpt(data.first(1))));
    }
}

} // namespace wsi
