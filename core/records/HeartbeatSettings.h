// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsi {

// What a heartbeat sends every interval.
enum class HeartbeatKind : quint8 {
    None, // sends nothing of its own
    Ping, // protocol Ping every interval; the peer answers with a Pong if it answers pings
    Pong, // unsolicited Pong every interval: a one-way heartbeat, no answer expected (RFC 6455 §5.5.3)
    App,  // an application message every interval (Socket.IO "2", STOMP heart-beat ...): a data frame
};

// What a session's heartbeat engine (HeartbeatEngine) does: the kind of heartbeat and its timing, when the peer
// counts as late or dead and what happens then, and how long the session keeps answering the server's pings.
struct HeartbeatSettings {
    using Kind = HeartbeatKind;

    // What happens when the heartbeat is dead (missesUntilDead replies missed in a row).
    enum class WhenDead : quint8 {
        Close,    // Python websockets: Close 1011 "keepalive ping timeout", then the TCP connection is closed at once
        Abort,    // Node ws's documented pattern (terminate()): drop the TCP connection without a Close frame
        KeepOpen, // only report it, so the connection can be watched on
    };

    Kind kind = Kind::None;
    qint64 intervalMs = 0;
    // Ping (and App, whose reply is any message from the peer): a reply later than this after its heartbeat is a
    // miss. Unset: the interval, as Python websockets (20 s / 20 s) and Node ws's pattern (one interval) do.
    std::optional<qint64> replyTimeoutMs;
    // Misses in a row before the heartbeat is dead; fewer are "late". 1 is what the libraries do (websockets,
    // ws: the first timeout ends the connection); 2 leaves a "late" state to watch before giving up.
    int missesUntilDead = 2;
    WhenDead whenDead = WhenDead::Close;
    // App heartbeats: the message, sent as text. "{{seq}}" becomes the heartbeat's sequence number (1, 2, ...) and
    // "{{now_ms}}" the wall clock in ms since the epoch, for protocols that want a fresh ref each time (Phoenix).
    QByteArray appMessage;
    // Answer this many of the server's pings, then none: a client that hangs while its TCP connection stays up.
    // -1: never stop. Only matters while auto-pong is on.
    int stopAnsweringPingsAfter = -1;
    // Give up when nothing at all arrives for this long (the Socket.IO client's 45 s, SignalR's 30 s): the
    // connection is dead in the same way as after missed replies. Unset: no such timer.
    std::optional<qint64> receiveTimeoutMs;
    QString preset; // the heartbeats.json preset it came from, if any

    bool expectsReplies() const noexcept { return kind == Kind::Ping || (kind == Kind::App && replyTimeoutMs); }
    qint64 effectiveReplyTimeoutMs() const noexcept { return replyTimeoutMs.value_or(intervalMs); }
};

} // namespace wsi
