// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/HeartbeatSpec.h"
#include "core/keepalive/SessionEvidence.h"

#include <QString>

#include <optional>

namespace wsi {

class HeartbeatPresets;

// The heartbeat each end of a recorded session ran at the protocol level, as simulator specs: the protocol's preset
// (resources/heartbeats.json) with the parameters the session's messages announced (Engine.IO's pingInterval and
// pingTimeout, MQTT's Keep Alive, STOMP's negotiated heart-beat, graphql-ws's connectionInitWaitTimeout as the 4408
// showed it). An end is given its protocol's behaviour only where the recording shows it speaking it (it answered
// or sent that protocol's heartbeats); otherwise it keeps what it had (a plain client that never answered "2").
struct ProtocolHeartbeats {
    std::optional<HeartbeatSpec> client;
    std::optional<HeartbeatSpec> server;
    QString summary; // "socket.io from the recording: pingInterval 400 ms, pingTimeout 300 ms (open packet); ..."

    static std::optional<ProtocolHeartbeats> fromEvidence(const SessionEvidence &evidence,
                                                          const HeartbeatPresets &presets);
};

} // namespace wsi
