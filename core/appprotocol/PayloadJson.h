// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonDocument>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace wsi::PayloadJson {

// The payload as JSON, or nullopt with *error saying where and why it is not JSON ("illegal value at offset 3").
std::optional<QJsonDocument> parse(QByteArrayView payload, QString *error);
// The first JSON value of text: parse() for a value that is not an object or array ("42", "\"x\"", "null") as
// well, which QJsonDocument alone refuses.
std::optional<QJsonValue> parseValue(QByteArrayView text, QString *error);
// Bytes as a decoded field: the text when they are UTF-8, else {"base64": ..., "size": N}.
QJsonValue bytesValue(QByteArrayView bytes);
// text as a JSON string literal, quotes included: for messages whose members must keep the order their official
// clients write them in, which a QJsonObject would sort.
QByteArray quoted(const QString &text);
// A JSON value in a line of a violation's detail, cut to a readable length.
QString excerpt(QByteArrayView bytes);

} // namespace wsi::PayloadJson
