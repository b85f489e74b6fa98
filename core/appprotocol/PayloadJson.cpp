// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/PayloadJson.h"

#include "core/protocol/Utf8Validator.h"

#include <QJsonArray>
#include <QJsonObject>

namespace wsi::PayloadJson {

std::optional<QJsonDocument> parse(QByteArrayView payload, QString *error)
{
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    return document;
}

std::optional<QJsonValue> parseValue(QByteArrayView text, QString *error)
{
    // Wrapping the value in an array lets QJsonDocument read scalars too; an input that closes the array early
    // ("1],[2") leaves a two-element array, which is refused below.
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    const std::optional<QJsonDocument> document = parse(wrapped, error);
    if (!document)
        return std::nullopt;
    const QJsonArray array = document->array();
    if (array.size() != 1) {
        if (error)
            *error = QStringLiteral("not one JSON value: %1").arg(excerpt(text));
        return std::nullopt;
    }
    return array.first();
}

QJsonValue bytesValue(QByteArrayView bytes)
{
    if (Utf8Validator::isValid(bytes))
        return QString::fromUtf8(bytes);
    return QJsonObject{{QStringLiteral("base64"), QString::fromLatin1(bytes.toByteArray().toBase64())},
                       {QStringLiteral("size"), double(bytes.size())}};
}

QString excerpt(QByteArrayView bytes)
{
    constexpr qsizetype limit = 60;
    const QString text = QString::fromUtf8(bytes.first(std::min(bytes.size(), limit)));
    return bytes.size() > limit ? text + QStringLiteral("...") : text;
}

QByteArray quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2); // inside ["..."]
}

} // namespace wsi::PayloadJson
