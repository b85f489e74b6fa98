// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/JsonRpcDecoder.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString reference = QStringLiteral("JSON-RPC 2.0 Specification");

QString idText(const QJsonValue &id)
{
    if (id.isString())
        return QLatin1Char('"') + id.toString() + QLatin1Char('"');
    if (id.isDouble())
        return QString::number(id.toDouble(), 'g', 17);
    return QStringLiteral("null");
}

} // namespace

DecodedMessages JsonRpcDecoder::decode(const AppMessage &message)
{
    QString error;
    const std::optional<QJsonDocument> json = PayloadJson::parse(message.payload, &error);
    if (!json)
        return {broken(QString(),
                       {QStringLiteral("jsonrpc-parse-error"), reference + QStringLiteral(" §5.1 (-32700)"), error})};
    if (json->isObject())
        return {decodeOne(json->object())};
    const QJsonArray batch = json->array();
    if (batch.isEmpty())
        return {broken(QString(), {QStringLiteral("jsonrpc-empty-batch"), reference + QStringLiteral(" §6"),
                                   QStringLiteral("a batch holds at least one request or response")})};
    DecodedMessages messages;
    messages.reserve(batch.size());
    for (const QJsonValue &item : batch) {
        DecodedMessage decodedItem = decodeOne(item);
        decodedItem.fields.insert(QStringLiteral("batch"), double(batch.size()));
        messages.append(std::move(decodedItem));
    }
    return messages;
}

DecodedMessage JsonRpcDecoder::decodeOne(const QJsonValue &value)
{
    auto fail = [&](QString kind, QString rule, QString section, QString detail, QJsonObject fields = {}) {
        return broken(std::move(kind), {std::move(rule), reference + section, std::move(detail)}, std::move(fields));
    };
    if (!value.isObject())
        return fail(QString(), QStringLiteral("jsonrpc-not-object"), QStringLiteral(" §4"),
                    QStringLiteral("a request or response is a JSON object"));
    const QJsonObject object = value.toObject();
    QJsonObject fields = object;
    fields.remove(QStringLiteral("jsonrpc"));
    const QJsonValue id = object.value(QStringLiteral("id"));
    const bool hasId = object.contains(QStringLiteral("id"));
    const bool isRequest = object.contains(QStringLiteral("method"));
    const bool hasResult = object.contains(QStringLiteral("result"));
    const bool hasError = object.contains(QStringLiteral("error"));
    const QString kind = isRequest  ? (hasId ? QStringLiteral("request") : QStringLiteral("notification"))
                         : hasError ? QStringLiteral("error")
                                    : QStringLiteral("result");
    if (object.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0"))
        return fail(kind, QStringLiteral("jsonrpc-version"), QStringLiteral(" §4"),
                    QStringLiteral("\"jsonrpc\" must be exactly \"2.0\""), fields);
    if (hasId && !id.isString() && !id.isDouble() && !id.isNull())
        return fail(kind, QStringLiteral("jsonrpc-id-type"), QStringLiteral(" §4"),
                    QStringLiteral("an id is a string, a number or null"), fields);
    if (isRequest) {
        if (!object.value(QStringLiteral("method")).isString())
            return fail(kind, QStringLiteral("jsonrpc-method"), QStringLiteral(" §4"),
                        QStringLiteral("\"method\" is a string"), fields);
        const QJsonValue params = object.value(QStringLiteral("params"));
        if (!params.isUndefined() && !params.isArray() && !params.isObject())
            return fail(kind, QStringLiteral("jsonrpc-params"), QStringLiteral(" §4.2"),
                        QStringLiteral("\"params\" is an array or an object"), fields);
    } else {
        if (hasResult == hasError)
            return fail(
                kind, QStringLiteral("jsonrpc-result-or-error"), QStringLiteral(" §5"),
                hasResult
                    ? QStringLiteral("a response has a result or an error, not both")
                    : QStringLiteral("an object without \"method\" is a response, which needs \"result\" or \"error\""),
                fields);
        if (!hasId)
            return fail(kind, QStringLiteral("jsonrpc-response-id"), QStringLiteral(" §5"),
                        QStringLiteral("a response carries the id it answers"), fields);
        if (hasError) {
            const QJsonObject error = object.value(QStringLiteral("error")).toObject();
            if (!error.value(QStringLiteral("code")).isDouble() || !error.value(QStringLiteral("message")).isString())
                return fail(kind, QStringLiteral("jsonrpc-error-object"), QStringLiteral(" §5.1"),
                            QStringLiteral("an error is an object with an integer \"code\" and a string \"message\""),
                            fields);
        }
    }
    DecodedMessage result = decoded(kind, fields);
    // An error with a null id answers a request that could not be read: nothing to pair it with.
    if (hasId && !id.isNull()) {
        const QString key = QStringLiteral("id ") + idText(id);
        result.correlation = isRequest ? Correlation::request(key) : Correlation::reply(key);
    }
    return result;
}

} // namespace wsi
