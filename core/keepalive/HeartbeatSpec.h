// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"
#include "core/records/HeartbeatSettings.h"

#include <QList>
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

    // A protocol heartbeat (Engine.IO, MQTT, STOMP, SignalR, Phoenix, Action Cable, graphql-ws): its beats are that
    // protocol's messages, answered only by an end whose own spec speaks the same protocol and answers it (a plain
    // WebSocket client does not answer Engine.IO's "2"). Empty: a WebSocket-level heartbeat, or a generic
    // application one the peer is assumed to answer.
    QString protocol;
    bool answersProtocol = true;   // answers the peer's protocol heartbeats (Engine.IO "3", PINGRESP, phx_reply)
    bool beatsExpectAnswer = true; // false for one-way beats (a STOMP EOL, a SignalR Ping, an Action Cable ping)
    QString beatName;              // "ping (\"2\")"
    QString replyName;             // "pong (\"3\")"
    QString timeoutKnob;           // the protocol's name for timeoutMs: "pingTimeout"
    QString receiveTimeoutKnob;    // and for receiveTimeoutMs: "Keep Alive x 1.5", "ClientTimeoutInterval"
    // How long this end waits for the peer's opening message (graphql-ws connectionInitWaitTimeout), and whether
    // it sends its own opening message right after the upgrade (connection_init, CONNECT).
    std::optional<qint64> initTimeoutMs;
    QString initTimeoutKnob;
    bool sendsInit = false;
    // The Close code this end sends when one of its protocol timers fires (Engine.IO: none, so 1005; graphql-ws
    // 4408); nullopt: it closes TCP without a Close frame. A WebSocket ping's pong timeout sends only
    // pongTimeoutCloseCode: the ws pattern terminates the TCP connection, sockjs-node closes with 1000.
    std::optional<int> closeCode;
    std::optional<int> pongTimeoutCloseCode;
    QString source; // where the preset's defaults are written
    // The protocol's own knob names a preset accepts as parameters (socketio:pingInterval=400ms,pingTimeout=300ms),
    // each setting one field of this spec, times a factor (MQTT's broker: keepalive x 1.5 is its receive timeout).
    struct Knob {
        QString name;
        QString field; // interval, timeout, receive_timeout, init_timeout
        double factor = 1.0;
    };
    QList<Knob> knobs;

    bool isProtocol() const { return !protocol.isEmpty(); }

    // "ping every 30 s, timeout 30 s" / "none"; names the preset when there is one.
    QString describe() const;
    static QString kindName(Kind kind);
    // The heartbeat engine's settings for what this spec describes. A preset copies its library: one miss is dead.
    HeartbeatSettings toSettings() const;

    // none | ping:S[,timeout=S] | pong:S | app:S[,timeout=S] | a preset name (in the role of `side`), with its
    // protocol's knobs when it has some: PRESET:KNOB=S[,KNOB=S].
    static std::optional<HeartbeatSpec> parse(QStringView text, Endpoint side, const HeartbeatPresets &presets,
                                              QString *error);
};

} // namespace wsi
