// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ProtocolTimeout.h"
#include "core/keepalive/SessionEvidence.h"

#include <optional>

namespace wsi {

// Recognises, in a session's evidence, the end an application protocol's own timer makes, and only where the
// evidence shows it: the end came from the end that enforces the timer, after the silence or the unanswered
// heartbeat that timer counts, within the same window as intermediary timers (T - 0.1 s to T + 1 s + 1%):
// - Engine.IO 4 server: its ping "2" got no pong "3" within pingTimeout (from the open packet); Engine.IO 3: no
//   client ping within pingInterval + pingTimeout; Socket.IO's connectTimeout (no namespace joined);
// - graphql-transport-ws: Close 4408, no connection_init within connectionInitWaitTimeout;
// - MQTT broker: nothing from the client for 1.5 x Keep Alive (CONNECT, or MQTT 5's Server Keep Alive);
// - STOMP: nothing from the client over the negotiated heart-beat, within the tolerance brokers apply; the
//   client giving up after 2 x the server's period (@stomp/stompjs);
// - SignalR: the server's ClientTimeoutInterval, the client's serverTimeoutInMilliseconds, HandshakeTimeout;
// - Phoenix: the client's "heartbeat timeout", the server's 60 s timeout;
// - Action Cable: the client's stale connection (6 s without a ping);
// - SockJS: the server's c[3000, "No response from heartbeat"] and other closes it announces.
// Anything else: nullopt, and the rest of the diagnosis stands.
namespace ProtocolTimeoutDiagnoser {

std::optional<ProtocolTimeout> diagnose(const SessionEvidence &evidence);

} // namespace ProtocolTimeoutDiagnoser
} // namespace wsi
