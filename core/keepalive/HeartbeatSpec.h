// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"
#include "core/records/HeartbeatSettings.h"

#include <QString>
#include <QStringView>

#include <optional>

namespace wsi {

class HeartbeatPresets;

// What one end does to keep its connection alive and to notice when it is dead: the shape shared by the command
// line (`ping:30,timeout=10`), the presets of resources/heartbeats.json and the session's heartbeat engine
// (toSettings()).
struct HeartbeatSpec {
    using Kind = HeartbeatKind;
    // Where the reply timeout counts from: each heartbeat sent (Python websockets, Node ws pattern) or the last
    // reply received (gorilla's read deadline, extended by each pong).
    enum class TimeoutFrom : quint8 { Heartbeat, LastReply };

    Kind kind = Kind::None;
    qint64 intervalMs = 0;
    // Ping/App: give up when no reply arrives in time. For App the peer's application is assumed to answer (it
    // runs the same stack).
    std::optional<qint64> timeoutMs;
    TimeoutFrom timeoutFrom = TimeoutFrom::Heartbeat;
    // Give up when nothing at all has been received for this long (Socket.IO client 45 s, SignalR 30 s ...).
    std::optional<qint64> receiveTimeoutMs;
    bool answersPings = true;
    QString preset; // the preset it came from, if any

    // "ping every 30 s, timeout 30 s" / "none"; names the preset when there is one.
    QString describe() const;
    static QString kindName(Kind kind);
    // The heartbeat engine's settings for what this spec describes. A preset copies its library: one miss is dead.
    HeartbeatSettings toSettings() const;

    // none | ping:S[,timeout=S] | pong:S | app:S[,timeout=S] | a preset name (in the role of `side`).
    static std::optional<HeartbeatSpec> parse(QStringView text, Endpoint side, const HeartbeatPresets &presets,
                                              QString *error);
};

} // namespace wsi
