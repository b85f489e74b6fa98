// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/EndpointView.h"
#include "core/keepalive/IntermediaryTimer.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace wsi {

// The answer of a simulation: whether the connection was cut, first by what and when, what each end observes, a
// plain explanation naming the real knob and its default, and the fix.
struct SimulationOutcome {
    bool cut = false;
    qint64 atMs = 0;
    int hop = -1;              // chain index of the intermediary that cut first; -1 when an end gave up itself
    qsizetype timerIndex = -1; // into that intermediary's model().timers
    QString by;                // model id, or "client" / "server" when an end's own heartbeat gave up
    QString timer;             // the real knob name, or pong_timeout / reply_timeout / receive_timeout for an end
    QString timerCli;          // the knob's command-line name
    QString protocol;          // when an end's application protocol cut it: its name ("socket.io"); else empty
    qint64 timerValueMs = 0;
    bool timerIsDefault = true;
    ExpiryAction action = ExpiryAction::Fin;
    EndpointView client;
    EndpointView server;
    QString explanation;
    QString fix;
    QStringList assumptions;

    // The last line of `simulate --json`: {"event":"outcome","result":"cut"|"alive","at_s","by","timer","action",
    // "client_sees","server_sees","explanation","fix","protocol"}; the cut fields are null when alive,
    // "protocol" null unless an end's application protocol cut it (its timer is then the protocol's knob:
    // pingTimeout, Keep Alive x 1.5, connectionInitWaitTimeout ...).
    QJsonObject toJson() const;
};

} // namespace wsi
