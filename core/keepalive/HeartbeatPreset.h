// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/HeartbeatSpec.h"
#include "core/protocol/Endpoint.h"

#include <QString>

#include <optional>

namespace wsi {

// How one WebSocket stack keeps connections alive (resources/heartbeats.json, from reference/heartbeats.md):
// what an end running it does as a client and as a server. A stack documents only the roles it plays.
struct HeartbeatPreset {
    QString id; // "socketio", "node-ws" ...
    QString name;
    QString mechanism;     // the reference's words
    QString timeoutText;   // the reference's words
    QString approximation; // how the simulator approximates it, when it does
    std::optional<HeartbeatSpec> client;
    std::optional<HeartbeatSpec> server;

    const std::optional<HeartbeatSpec> &role(Endpoint side) const { return side == Endpoint::Client ? client : server; }
};

} // namespace wsi
