// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/GraphqlWsMessages.h"

#include "core/appprotocol/PayloadJson.h"

namespace wsi {

QByteArray GraphqlWsMessages::connectionInit(const QByteArray &payload, bool legacy)
{
    const QByteArray trimmed = payload.trimmed();
    if (trimmed.isEmpty())
        return legacy ? QByteArrayLiteral("{\"type\":\"connection_init\",\"payload\":{}}")
                      : QByteArrayLiteral("{\"type\":\"connection_init\"}");
    return "{\"type\":\"connection_init\",\"payload\":" + trimmed + '}';
}

QByteArray GraphqlWsMessages::subscribe(const QString &id, const QString &query, bool legacy,
                                        const QByteArray &variables)
{
    const QByteArray trimmed = variables.trimmed();
    return "{\"id\":" + PayloadJson::quoted(id) + ",\"type\":" + (legacy ? "\"start\"" : "\"subscribe\"") +
           ",\"payload\":{\"query\":" + PayloadJson::quoted(query) +
           (trimmed.isEmpty() ? QByteArray() : ",\"variables\":" + trimmed) + "}}";
}

} // namespace wsi
