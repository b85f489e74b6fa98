// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRuleMarks.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatEvent.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace wsi {

// The JSON form of a capture, shared by `wsinspector-cli connect --json` and the JSONL export (JsonLinesWriter),
// so both write the same field names and encodings. Each function returns the fields of one event; the caller adds
// "event" (and, for the handshake, which has no time of its own in the record, "t").
//
// Encodings:
// - times in seconds since the session's clock started ("t", "idle_in_s") or in milliseconds ("timing_ms"),
//   as JSON numbers; a phase that did not happen is null;
// - bytes (payloads, raw handshake bytes, bodies) as a UTF-8 string when they are valid UTF-8 and not binary
//   data, otherwise base64 with a sibling "<field>_encoding": "base64";
// - header names and values as strings: UTF-8 when valid, else Latin-1 (one character per byte, so nothing is
//   lost and a header line never has to switch to base64);
// - payloads cut at payloadLimit bytes (at a character boundary for text) with "truncated": true, which is also
//   set when the capture did not keep the whole payload (memory budget, over the frame limit).
namespace CaptureJson {

inline constexpr qsizetype defaultPayloadLimit = 4096;

// {"rule", "rfc", "detail"} per violation.
QJsonArray violations(const ViolationList &violations);
// [[name, value], ...] in wire order, repeats kept.
QJsonArray headers(const HttpHeaders &headers);
// Sets object[field] to the bytes (see the encodings above); base64 when forceBase64 or not valid UTF-8.
void putBytes(QJsonObject &object, const QString &field, QByteArrayView bytes, bool forceBase64 = false);

// "t", "dir", "opcode" (name, or the number for reserved opcodes), "fin", "rsv1", "rsv2", "rsv3", "masked",
// "length", "payload" (+ "payload_encoding", "truncated"), "violations"; "compressed" and "deliberate" when set;
// for a Close frame with a code, also "close_code" and "close_reason".
// binaryPayload: the frame carries binary or compressed data (continuation frames cannot tell from their
// opcode), so its payload is always base64.
QJsonObject frame(const FrameRecord &record, QByteArrayView storedPayload, const ViolationList &violations,
                  bool binaryPayload, qsizetype payloadLimit = defaultPayloadLimit);
// The same for a frame of a log: finds out what a continuation frame carries from its message.
QJsonObject frame(const FrameLog &log, qsizetype index, qsizetype payloadLimit = defaultPayloadLimit);
// The same with the payload given instead of the log's: the whole one, read back from a recording when the log cut
// it (a payload shorter than the frame's length is still marked "truncated").
QJsonObject frame(const FrameLog &log, qsizetype index, QByteArrayView payload, qsizetype payloadLimit);

// "t", "dir", "type" ("text", "binary"), "length" (after inflation), "wire_length", "frames", "compressed",
// "payload" (+ "payload_encoding", "truncated").
QJsonObject message(const MessageRecord &record, QByteArrayView storedPayload,
                    qsizetype payloadLimit = defaultPayloadLimit);
QJsonObject message(const FrameLog &log, qsizetype index, qsizetype payloadLimit = defaultPayloadLimit);

// "rule" {"name", "action"}: the relay rule that acted on a frame (a message: on its last frame); nothing when none.
void putRule(QJsonObject &object, const std::optional<FrameRuleMarks::RuleName> &rule);

// "accepted", "request" {"raw", "headers"}, "response" (null when none arrived) {"status", "reason", "headers",
// "raw", "body" when not 101}, "subprotocol" (null when none), "extensions", "timing_ms" {"dns", "connect",
// "tls", "upgrade"}, "violations", "explanation" when it failed, "peer", "tls" for wss://, and "deflate_declined": true
// when a relay with rules took the client's permessage-deflate offer out of the request it forwarded.
QJsonObject handshake(const HandshakeRecord &record);

// "t", "initiator" ("client", "server", "transport"), "code", "reason", "clean", "close_sent",
// "close_received", "idle_in_s", "idle_out_s", "error" when there was one, "ended_by" {"reason" (OwnEnd::reasonName),
// "detail", "text" (in words)} when this client ended it for a reason of its own.
QJsonObject close(const CloseRecord &record);

// "t", "what" ("sent", "reply", "missed" ...), "rtt_ms" (null unless a reply), "missed" (in a row), "state"
// ("healthy", "late", "dead"), "seq"; "state_changed" when this event changed the state.
QJsonObject heartbeat(const HeartbeatEvent &event);

// One line of JSON lines: `object` with "event" set, compact, ending in a newline.
QByteArray eventLine(const QString &event, QJsonObject object);

} // namespace CaptureJson
} // namespace wsi
