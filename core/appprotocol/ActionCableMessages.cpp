// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/ActionCableMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray ActionCableMessages::subscribe(const QByteArray &identifier)
{
    return "{\"command\":\"subscribe\",\"identifier\":" + PayloadJson::quoted(QString::fromUtf8(identifier.trimmed())) +
           '}';
}

QByteArray ActionCableMessages::perform(const QByteArray &identifier, const QString &action, const QByteArray &data)
{
    // The object's members without its braces; the caller has checked it is an object.
    QByteArray members = data.trimmed();
    if (members.startsWith('{') && members.endsWith('}'))
        members = members.sliced(1, members.size() - 2).trimmed();
    const QByteArray inner = '{' + members + (members.isEmpty() ? QByteArray() : QByteArrayLiteral(",")) +
                             "\"action\":" + PayloadJson::quoted(action) + '}';
    return "{\"command\":\"message\",\"identifier\":" + PayloadJson::quoted(QString::fromUtf8(identifier.trimmed())) +
           ",\"data\":" + PayloadJson::quoted(QString::fromUtf8(inner)) + '}';
}

} // namespace wsi
