// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/DecodedMessage.h"

namespace wsi {

// What a decoded message is to its protocol's heartbeat: a request the other end answers (Engine.IO "2", PINGREQ, a
// graphql-transport-ws ping, a Phoenix heartbeat), its answer (Engine.IO "3", PINGRESP, pong, the Phoenix reply), a
// beat nobody answers (a STOMP EOL, graphql-ws "ka", a SignalR Ping, an Action Cable ping, a SockJS "h"), or nothing
// of the sort. One reading for the diagnosis (ProtocolEvidence) and the relay's pong rules.
enum class HeartbeatRole : quint8 { None, Request, Reply, OneWay };

namespace HeartbeatRoles {

HeartbeatRole of(const DecodedMessage &message);
// Whether every one of `messages` (at least one) tells the other end that its sender is alive: answers and one-way
// beats. What a no-pong rule drops besides WebSocket pongs.
bool allKeepAlive(const DecodedMessages &messages);

} // namespace HeartbeatRoles
} // namespace wsi
