// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryTimer.h"
#include "core/protocol/Endpoint.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace wsi {

// One entry of a simulation's timeline, in virtual time (ms since the upgrade).
struct SimulationEvent {
    enum class Type : quint8 {
        Frame,          // an end sent a frame; delivered or lost at a hop
        KeepaliveProbe, // an end's TCP keepalive probe; answered or not
        TimerFired,     // an intermediary's timer expired and it acted (FIN, RST, silent drop)
        ProxyGaveUp,    // an L7 proxy's own TCP gave up on a dead segment (retransmission timeout) and closed
        EndSees,        // an end learned that the connection is gone, and how
        EndGivesUp,     // an end's own heartbeat (reply or receive timeout) ended the connection
        StallBegins,    // writes toward an end that stopped reading block in a proxy: stall timers armed
    };
    // What kind of frame: data (traffic), an application heartbeat or its reply, or a control frame.
    enum class FrameKind : quint8 { Data, AppHeartbeat, AppReply, Ping, Pong };

    Type type = Type::Frame;
    qint64 atMs = 0;
    Endpoint end = Endpoint::Client; // the sender (Frame, KeepaliveProbe) or the end concerned
    FrameKind frameKind = FrameKind::Data;
    bool ok = true; // Frame: delivered; KeepaliveProbe: answered
    int hop = -1;   // chain index: where a frame was lost, or which intermediary acted
    QString model;  // the intermediary's id, for TimerFired / ProxyGaveUp / StallBegins / a lost frame
    QString knob;   // TimerFired: the real knob name
    ExpiryAction action = ExpiryAction::Fin;
    QString how;    // EndSees / EndGivesUp: fin, rst, retransmission_timeout, keepalive_probes, pong_timeout ...
    QString detail; // one readable sentence
    // EndSees: the Close frame's code when the peer's protocol closed with one; nullopt: none came (1006).
    std::optional<int> closeCode;

    static QString frameKindName(FrameKind kind);
    static QString endName(Endpoint end);
    // "event" and "t" plus the fields of its type.
    QJsonObject toJson() const;
    // One line of the human timeline, without the time.
    QString describe() const;
};

} // namespace wsi
