// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace wsi {

// When and how often a Reconnector opens a new connection after one ended without the user closing it.
// Delays grow exponentially and are capped: attempt n waits base(n) = min(maxDelayMs, initialDelayMs * factor^(n-1)),
// less a random part of up to jitter * base(n) (see ReconnectBackoff). jitter 0.5 is "equal jitter", 1.0 "full
// jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter").
struct ReconnectPolicy {
    bool enabled = false;
    int maxAttempts = 0; // reconnect attempts in a row before giving up; 0: unlimited
    qint64 initialDelayMs = 1000;
    qint64 maxDelayMs = 30000;
    double factor = 2.0;
    double jitter = 0.5; // 0..1
    // A connection that stayed open this long was a success: the attempt count and the delays start over
    // (reconnecting-websocket's minUptime, 5 s), so a server that accepts and drops at once is not hammered.
    qint64 stableAfterMs = 5000;
};

} // namespace wsi
