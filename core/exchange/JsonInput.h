// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// JSON the user gave for a field (the window's connection options and composer, connect's flags), checked before
// anything is sent: errors name the field and say where ("Auth: line 1, column 9: expected ..."), as the JSON
// reader finds them, the same from every front end.
class JsonInput final
{
public:
    JsonInput() = delete;

    // Empty when text is empty (the field is optional) or one JSON object, else why not, with the field's name.
    static QString objectProblem(const QString &field, const QString &text);
    // Empty when text is one JSON value (empty text is not), else why not.
    static QString valueProblem(const QString &field, const QString &text);
    // The elements of a JSON array, each as compact JSON in the order written (empty text: none); nullopt with
    // *error when text is not an array.
    static std::optional<QList<QByteArray>> arrayElements(const QString &field, const QString &text, QString *error);
};

} // namespace wsi
