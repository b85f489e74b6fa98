// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// A JSON text as people wrote it, for showing and re-indenting: object members stay in the order they were
// written (QJsonDocument sorts them by name, so {"op":..., "data":...} would come back with "op" last), and numbers
// keep their exact text (12345678901234567890, 1.50). Read with JsonStreamScanner, which checks the grammar and
// says where it fails.
class OrderedJson final
{
public:
    struct Node {
        enum class Type : quint8 { Object, Array, String, Number, Bool, Null };
        Type type = Type::Null;
        QString name;         // the member's name in its object; empty for array elements and the top
        QString value;        // a string's content, a number's text, "true", "false", "null"; empty for containers
        qsizetype size = 0;   // members or elements in the text (children may hold fewer: see maxNodes)
        QList<Node> children; // members or elements, in order
    };

    struct Result {
        std::optional<Node> root; // none when the text is not one JSON value
        QString error;            // "line 1, column 9: expected ..." when it is not
        bool cut = false;         // more than maxNodes values: the tree stops there (the text was still checked)
    };

    // Reads one JSON value from `text` (whitespace around it allowed). At most `maxNodes` values are kept in the
    // tree; the rest of the text is still read and checked.
    static Result parse(QByteArrayView text, qsizetype maxNodes = -1);
    // The value indented by `indent` spaces per level, "name": value, members in their order; what
    // QJsonDocument::Indented writes but for that order and the numbers' own text.
    static QString pretty(const Node &node, int indent = 4);
    // The value without any whitespace, members in their order: one element of an array as a message carries it.
    static QString compact(const Node &node);
    // `text` as a JSON string literal, quotes included, escaped as RFC 8259 requires.
    static QString quoted(const QString &text);
};

} // namespace wsi
