// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// The application protocols the inspector decodes inside WebSocket messages.
enum class AppProtocol : quint8 {
    SocketIo,           // Engine.IO 3/4 carrying Socket.IO 2/3/4
    Stomp,              // STOMP 1.0-1.2
    Mqtt,               // MQTT 3.1.1 and 5 over binary messages
    GraphqlTransportWs, // graphql-transport-ws (npm graphql-ws)
    GraphqlWs,          // the legacy graphql-ws of subscriptions-transport-ws
    SignalR,            // ASP.NET Core SignalR, JSON hub protocol
    Phoenix,            // Phoenix Channels, serializers v1 (object) and v2 (array)
    ActionCable,        // Rails Action Cable
    SockJs,             // SockJS over its raw WebSocket transport
    Wamp,               // WAMP v2, JSON serialization
    JsonRpc,            // JSON-RPC 2.0
};

namespace AppProtocols {

// The name JSON output and filters use: "socket.io", "stomp", "mqtt", "graphql-transport-ws", "graphql-ws",
// "signalr", "phoenix", "actioncable", "sockjs", "wamp", "jsonrpc".
QString name(AppProtocol protocol);
std::optional<AppProtocol> fromName(QStringView name);
// The subprotocols its official client offers in the opening handshake (v12.stomp ..., mqtt, graphql-transport-ws);
// none for protocols that negotiate nothing there (Socket.IO, SignalR, Phoenix, SockJS, JSON-RPC).
QStringList offeredSubprotocols(AppProtocol protocol);
// Every protocol, in declaration order.
const QList<AppProtocol> &all();

} // namespace AppProtocols
} // namespace wsi
