// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryTimer.h"

#include <QJsonObject>
#include <QString>

namespace wsi {

// A timer of a model that expired on one proxied connection, and what the proxy did about it.
struct ProxyCut {
    QString by;       // model id ("nginx")
    QString timer;    // the real knob name ("proxy_read_timeout", "timeout tunnel")
    QString timerCli; // its command-line name
    TimerKind kind = TimerKind::Idle;
    ResetRule resetBy = ResetRule::PayloadEither;
    ExpiryAction action = ExpiryAction::Fin;
    qint64 modelValueMs = 0;  // the value the model gives the timer
    qint64 scaledValueMs = 0; // what ran: the value divided by the time scale
    // Real time, on the connection's clock: since the traffic that last restarted the timer (idle), since the
    // upgrade (lifetime), since the write toward the stalled end blocked (stall).
    qint64 idleNs = 0;
    qint64 atNs = 0; // when it fired, since the connection was accepted

    // {"by", "timer", "timer_cli", "kind", "reset_by", "action", "value_s", "scaled_s", "idle_s", "t"}: the fields
    // of `proxy --json`'s "cut" event (the caller adds "event" and "conn").
    QJsonObject toJson() const;
    // "nginx proxy_read_timeout (60 s, run as 3 s) cut it after 3.0 s of silence: FIN both ways", for people.
    QString describe() const;
};

} // namespace wsi
