// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/JsonInput.h"

#include "core/exchange/OrderedJson.h"

namespace wsi {

QString JsonInput::objectProblem(const QString &field, const QString &text)
{
    if (text.trimmed().isEmpty())
        return {};
    const OrderedJson::Result parsed = OrderedJson::parse(text.toUtf8());
    if (!parsed.root)
        return QStringLiteral("%1: %2").arg(field, parsed.error);
    if (parsed.root->type != OrderedJson::Node::Type::Object)
        return QStringLiteral("%1: expected a JSON object ({...})").arg(field);
    return {};
}

QString JsonInput::valueProblem(const QString &field, const QString &text)
{
    const OrderedJson::Result parsed = OrderedJson::parse(text.toUtf8());
    return parsed.root ? QString() : QStringLiteral("%1: %2").arg(field, parsed.error);
}

std::optional<QList<QByteArray>> JsonInput::arrayElements(const QString &field, const QString &text, QString *error)
{
    if (text.trimmed().isEmpty())
        return QList<QByteArray>{};
    const OrderedJson::Result parsed = OrderedJson::parse(text.toUtf8());
    QString why;
    if (!parsed.root)
        why = QStringLiteral("%1: %2").arg(field, parsed.error);
    else if (parsed.root->type != OrderedJson::Node::Type::Array)
        why = QStringLiteral("%1: expected a JSON array, one element per argument ([\"a\", 2])").arg(field);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    QList<QByteArray> elements;
    for (const OrderedJson::Node &element : parsed.root->children)
        elements.append(OrderedJson::compact(element).toUtf8());
    return elements;
}

} // namespace wsi
