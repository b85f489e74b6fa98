// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameLog.h"

#include <QLatin1StringView>

namespace wsi {

// The recording file: an SQLite database (WAL mode) that RecordingWriter fills while a session runs and
// RecordingReader opens afterwards. It is a plain SQLite file on purpose: `sqlite3 session.wsirec` shows every frame.
//
// Tables (one recording = one connection):
//   info(key, value)            "url", "started_at" (ISO 8601 with ms, UTC), "app_version", "options" (the
//                               session's settings as a profile JSON, secrets left out; its "protocol" says which
//                               application protocol the session was told to speak), "protocol_heartbeat" (the
//                               application protocol's heartbeat as negotiated, ProtocolHeartbeat as JSON; written
//                               once the protocol's handshake told it, absent when there was none)
//   handshake                   one row: raw request and response bytes and what was read from them
//   frames                      one row per frame, idx = its index in the session (0, 1, ...); payload is the
//                               whole unmasked payload, NULL when it was never read (over the frame limit) or
//                               could not be recorded
//   frame_violations            (frame, rule, detail) for frames that broke a rule
//   messages                    one row per data message that is more than one plain frame (fragmented or
//                               compressed); payload NULL when it is its single frame's payload. A message of one
//                               plain frame has no row: its frame carries the flag endsSingleFrameMessage, and the
//                               message is that frame (same time, direction, length and payload), which halves the
//                               rows of a typical session
//   round_trips                 pings we sent and the pongs that answered them
//   heartbeat_events            what the heartbeat engine and the application protocol's heartbeat did and saw;
//                               source (HeartbeatEvent::Source: 0 WebSocket, 1 the application protocol's) and
//                               interval_ns since schema 2 (a schema 1 file kept the WebSocket heartbeat's events
//                               only: readers take its rows as source 0, interval_ns -1)
//   close                       one row: how the connection ended; ended_by (OwnEnd::reasonName) and
//                               ended_by_detail when this client ended it for a reason of its own, NULL otherwise
//                               (recordings made before these columns lack them: readers take them as NULL)
//   diagnosis                   one row: the disconnect diagnosis (JSON), written after an abnormal end
//   rules                       since schema 3, for a connection relayed with rules: each rule of the relay's set by
//                               its index (idx), with its name and action ("redact", "replace")
//   rule_frames                 since schema 3: the frames each rule acted on (the frames of a message it matched,
//                               the frames the relay wrote as it said), as runs first_frame..last_frame of one rule
//                               (FrameRuleMarks); a frame no run covers was relayed as it came
// The handshake's relay_declined_deflate (schema 3) says that a relay with rules took the client's
// permessage-deflate offer out of the request it forwarded.
//   holds                       since schema 3: one row per message a relay's pause rule held (HoldRecord): its id,
//                               the frame that completed it, its sender, the rule, when it was held and decided
//                               (decided_ns -1: never), and the outcome by name ("edited", "timed out" ...); written
//                               with the end
namespace RecordingFormat {

// PRAGMA application_id: "WSIR". Tells a recording from any other SQLite file.
inline constexpr int applicationId = 0x57534952;
// PRAGMA user_version: the schema. A reader refuses newer ones with a message naming both versions, and reads every
// older one. 2: heartbeat_events.source and interval_ns, info "protocol_heartbeat". 3: the tables rules,
// rule_frames and holds, handshake.relay_declined_deflate.
inline constexpr int schemaVersion = 3;
// The first schema whose heartbeat_events has the columns source and interval_ns.
inline constexpr int heartbeatSourceSchema = 2;
// The first schema with the tables rules and rule_frames.
inline constexpr int ruleMarksSchema = 3;
// The first schema with the holds table.
inline constexpr int holdsSchema = 3;
inline constexpr QLatin1StringView fileSuffix{"wsirec"};

// In the frames table's flags (a bit FrameRecord leaves free): this frame is a whole message by itself.
inline constexpr quint16 endsSingleFrameMessage = 1 << 15;
static_assert(endsSingleFrameMessage > FrameRecord::Injected, "a bit of its own");

// Whether `message` is exactly its one frame, so that the frame's row can stand for it.
inline bool isSingleFrameMessage(const MessageRecord &message, const FrameRecord &frame)
{
    const MessageType type = frame.opcode == 0x2 ? MessageType::Binary : MessageType::Text;
    return message.frameCount == 1 && message.firstFrame == message.lastFrame && message.sharesFramePayload &&
           !message.compressed && (frame.opcode == 0x1 || frame.opcode == 0x2) && message.type == type &&
           message.direction == frame.direction() && message.timeNs == frame.timeNs &&
           message.length == frame.payloadLength && message.wireLength == frame.payloadLength;
}

// The message a frame flagged endsSingleFrameMessage stands for.
inline MessageRecord singleFrameMessage(const FrameRecord &frame, qsizetype frameIndex)
{
    MessageRecord message;
    message.timeNs = frame.timeNs;
    message.firstFrame = message.lastFrame = quint64(frameIndex);
    message.wireLength = message.length = frame.payloadLength;
    message.frameCount = 1;
    message.type = frame.opcode == 0x2 ? MessageType::Binary : MessageType::Text;
    message.direction = frame.direction();
    message.sharesFramePayload = true;
    return message;
}

inline constexpr const char *schema[] = {
    "CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE handshake ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), request BLOB, request_headers TEXT, response_received INTEGER,"
    " response BLOB, http_version TEXT, status INTEGER, reason BLOB, response_headers TEXT, body BLOB,"
    " body_truncated INTEGER, accepted INTEGER, subprotocol TEXT, extensions TEXT, deflate TEXT, violations TEXT,"
    " explanation TEXT, dns_ns INTEGER, connect_ns INTEGER, tls_ns INTEGER, upgrade_ns INTEGER, peer TEXT,"
    " certificates TEXT, tls_errors TEXT, tls_protocol TEXT, tls_cipher TEXT, relay_declined_deflate INTEGER)",
    "CREATE TABLE frames ("
    " idx INTEGER PRIMARY KEY, t_ns INTEGER NOT NULL, flags INTEGER NOT NULL, opcode INTEGER NOT NULL,"
    " header_length INTEGER NOT NULL, length INTEGER NOT NULL, masking_key INTEGER NOT NULL,"
    " violation_mask INTEGER NOT NULL, payload BLOB)",
    "CREATE TABLE frame_violations (frame INTEGER NOT NULL, rule INTEGER NOT NULL, detail TEXT NOT NULL)",
    "CREATE TABLE messages ("
    " idx INTEGER PRIMARY KEY, t_ns INTEGER NOT NULL, first_frame INTEGER NOT NULL, last_frame INTEGER NOT NULL,"
    " wire_length INTEGER NOT NULL, length INTEGER NOT NULL, frame_count INTEGER NOT NULL, type INTEGER NOT NULL,"
    " direction INTEGER NOT NULL, compressed INTEGER NOT NULL, shares_frame_payload INTEGER NOT NULL, payload BLOB)",
    "CREATE TABLE round_trips (ping_frame INTEGER NOT NULL, pong_frame INTEGER NOT NULL, rtt_ns INTEGER NOT NULL)",
    "CREATE TABLE heartbeat_events ("
    " idx INTEGER PRIMARY KEY, t_ns INTEGER NOT NULL, kind INTEGER NOT NULL, health INTEGER NOT NULL,"
    " health_changed INTEGER NOT NULL, rtt_ns INTEGER NOT NULL, frame INTEGER NOT NULL, sequence INTEGER NOT NULL,"
    " missed INTEGER NOT NULL, source INTEGER NOT NULL DEFAULT 0, interval_ns INTEGER NOT NULL DEFAULT -1)",
    "CREATE TABLE close ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), initiator INTEGER NOT NULL, code INTEGER NOT NULL, reason TEXT,"
    " clean INTEGER NOT NULL, close_sent INTEGER NOT NULL, close_received INTEGER NOT NULL, at_ns INTEGER NOT NULL,"
    " idle_in_ns INTEGER NOT NULL, idle_out_ns INTEGER NOT NULL, error TEXT, ended_by TEXT, ended_by_detail TEXT)",
    "CREATE TABLE diagnosis (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)",
    "CREATE TABLE rules (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, action TEXT NOT NULL)",
    "CREATE TABLE rule_frames (first_frame INTEGER PRIMARY KEY, last_frame INTEGER NOT NULL, rule INTEGER NOT NULL)",
    "CREATE TABLE holds ("
    " idx INTEGER PRIMARY KEY, id INTEGER NOT NULL, frame INTEGER NOT NULL, from_client INTEGER NOT NULL,"
    " rule TEXT NOT NULL, held_ns INTEGER NOT NULL, decided_ns INTEGER NOT NULL, outcome TEXT NOT NULL)",
};

} // namespace RecordingFormat
} // namespace wsi
