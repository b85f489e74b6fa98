// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wsi {

// The messages a GraphQL over WebSocket client sends, in graphql-transport-ws (npm graphql-ws) and the legacy
// graphql-ws (subscriptions-transport-ws), with members in the order those clients write them
// (tests/data/appprotocol/graphql-transport-ws.jsonl, graphql-ws-legacy.jsonl).
class GraphqlWsMessages final
{
public:
    GraphqlWsMessages() = delete;

    // connection_init with the payload (a JSON object; empty: none, or {} in the legacy protocol, as its client
    // always sends one).
    static QByteArray connectionInit(const QByteArray &payload, bool legacy);
    static QByteArray ping() { return QByteArrayLiteral("{\"type\":\"ping\"}"); }
    static QByteArray pong() { return QByteArrayLiteral("{\"type\":\"pong\"}"); }
    // subscribe (legacy: start) of operation `id` with the query and its variables (a JSON object; empty: none).
    static QByteArray subscribe(const QString &id, const QString &query, bool legacy, const QByteArray &variables = {});
};

} // namespace wsi
