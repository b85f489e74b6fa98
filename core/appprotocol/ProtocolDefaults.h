// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// The application protocols' libraries' default timings, in milliseconds, for every layer that needs them (the
// session that speaks a protocol, the diagnosis that explains its timeouts). Where each is written, and which were
// checked here against the installed package, is in docs/app-protocols.md.
namespace wsi::ProtocolDefaults {

inline constexpr qint64 engineIoPingIntervalMs = 25000;    // engine.io server pingInterval
inline constexpr qint64 engineIoPingTimeoutMs = 20000;     // engine.io server pingTimeout
inline constexpr qint64 socketIoConnectTimeoutMs = 45000;  // socket.io server connectTimeout
inline constexpr qint64 graphqlInitWaitMs = 3000;          // graphql-ws connectionInitWaitTimeout
inline constexpr qint64 mqttJsKeepAliveMs = 60000;         // mqtt.js keepalive
inline constexpr qint64 stompJsHeartBeatMs = 10000;        // @stomp/stompjs heartbeatIncoming/Outgoing
inline constexpr qint64 signalRKeepAliveMs = 15000;        // SignalR client keepAliveIntervalInMilliseconds
inline constexpr qint64 signalRServerTimeoutMs = 30000;    // SignalR client serverTimeoutInMilliseconds
inline constexpr qint64 signalRClientTimeoutMs = 30000;    // ASP.NET Core hub ClientTimeoutInterval
inline constexpr qint64 signalRHandshakeTimeoutMs = 15000; // ASP.NET Core hub HandshakeTimeout
inline constexpr qint64 phoenixHeartbeatMs = 30000;        // phoenix client heartbeatIntervalMs
inline constexpr qint64 phoenixServerTimeoutMs = 60000;    // Phoenix socket transport timeout
inline constexpr qint64 actionCablePingMs = 3000;          // Action Cable server ping
inline constexpr qint64 actionCableStaleMs = 6000;         // Action Cable client staleThreshold
inline constexpr qint64 sockJsHeartbeatDelayMs = 25000;    // sockjs-node heartbeat_delay
inline constexpr qint64 sockJsPongWaitMs = 10000;          // sockjs-node's wait for a pong, fixed in its code

} // namespace wsi::ProtocolDefaults
