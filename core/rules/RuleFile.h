// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/rules/RuleSet.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace wsi {

// The JSON form of a RuleSet, as `proxy --rules FILE` and `capture --rules FILE` read it:
//
//   {"rules": [{"name": "redact", "from": "client", "opcode": "text", "match": "secret", "action": "replace",
//               "with": "public"},
//              {"from": "server", "match": "^bye$", "action": "close", "to": "client", "code": 4000,
//               "reason": "injected"},
//              {"from": "server", "match": "^slow-", "action": "delay", "ms": 600}]}
//
// Every rule has "action"; "name", "from" ("client" | "server"), "opcode" ("text" | "binary" | "ping" | "pong" |
// "close"), "match" (a PCRE2 regular expression, QRegularExpression's dialect), "enabled" (true) and the decoded
// application protocol's "protocol" ("socket.io", "stomp", "mqtt", ...: AppProtocols names), "kind" ("EVENT") and
// "subject" (the event, destination, topic, operation or method: DecodedHeadline's subject; also spelled "event",
// "topic", "destination" or "operation", one of them per rule) are optional;
// each action takes its own fields and no others:
// - replace: "with" (what replaces each "match", \1 for a capture group), or "path" (a JsonPath: "$.user.name") with
//   "value" (any JSON value, set there) or "delete": true (remove it), on text messages that are JSON;
// - delay, delay-pong: "ms"; close: "to", "code", "reason"; abort: "to";
// - inject: "to" (required), "text" or "hex" (a binary message), and when: after each matched message, or timed from
//   the upgrade by "after_ms" (once) and "every_ms" (again and again);
// - stall: "to", "ms" (without it: until the connection ends), "after_ms"; throttle: "to", "bytes_per_second",
//   "after_ms". Without "to" they act toward the end the matched message goes to (timed: both ends);
// - pause: "timeout_ms" (without it: held until someone decides), on messages only.
// A rule timed by "after_ms" or "every_ms" takes no "from", "opcode" or "match". A file is taken whole or refused with
// the first thing wrong in it, named by the rule's index, the field and the value ('rules[0].action: unknown action
// "explode"'), so that nothing starts with rules the user did not mean.
class RuleFile final
{
public:
    RuleFile() = delete;

    static constexpr int maxDelayMs = 3600 * 1000;
    static constexpr qint64 maxBytesPerSecond = qint64(1) << 40;

    // The rules in `json`, or null with *error saying what is wrong.
    static std::shared_ptr<RuleSet> parse(const QByteArray &json, QString *error);
    // The rules in the file at `path`; a file that cannot be read is an error naming it. `document`, when given,
    // receives the file's text, also when it is refused (empty when it could not be read): what an editor shows.
    static std::shared_ptr<RuleSet> read(const QString &path, QString *error, QByteArray *document = nullptr);
};

} // namespace wsi
