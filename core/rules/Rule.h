// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/DecodedMessage.h"
#include "core/protocol/Endpoint.h"
#include "core/rules/JsonPath.h"

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace wsi {

// One rule of a RuleSet: which messages it matches (the sender, the opcode, a regular expression over the text) and
// what the relay does with them instead of passing them on. A value, read from a rule file (RuleFile) and never
// changed; whether it is switched on lives in its RuleSet.
//
// A timed rule (inject, stall or throttle with "after_ms" or "every_ms") matches no message: it acts on its own
// time, counted from the upgrade.
struct Rule {
    enum class Action : quint8 {
        Pass,      // forward the message as it came (and stop looking: first match wins)
        Drop,      // forward nothing
        Replace,   // forward the text with `match` replaced by `with` (capture groups as \1), as one frame
        Delay,     // forward it `ms` later, keeping the order of that direction's messages
        Duplicate, // forward it twice
        Close,     // forward nothing; send a Close (`code`, `reason`) to `to` and end that side cleanly
        Abort,     // forward nothing; reset `to` (an RST)
        Blackhole, // forward nothing more either way, and close nothing: both ends are left half-open
        NoPong,    // drop the sender's pongs (and its protocol's heartbeat answers), so the other end's pings go
                   // unanswered
        DelayPong, // forward the sender's pongs (and its protocol's heartbeat answers) `ms` later
        Inject,    // send a message of the relay's own (`payload`) to `to`: after the matched message, or timed
        Stall,     // stop forwarding toward `to` and reading the other end, for `ms` (-1: until the end), then go on
        Throttle,  // forward toward `to` at most `bytesPerSecond`, reading the other end no faster
        Pause,     // hold the message (HeldMessages) until someone forwards, edits, drops or answers it, or
                   // `timeoutMs` passes; later messages from its sender wait behind it
    };
    // Which ends a Close or an RST goes to.
    enum class Target : quint8 { Client, Server, Both };

    QString name;                 // as the file names it; "rules[N]" when it has none
    std::optional<Endpoint> from; // any sender when unset
    std::optional<quint8> opcode; // text, binary, ping, pong or close; unset: text and binary messages
    QRegularExpression match;     // over the message's text; every message when its pattern is empty
    // The application protocol message it carries (any of them, when it carries several), as core/appprotocol
    // decodes it: its protocol, kind ("EVENT", case aside) and subject (DecodedHeadline's: the Socket.IO event, the
    // STOMP destination, the MQTT topic, the GraphQL operation ...). Unset or empty: any.
    std::optional<AppProtocol> protocol;
    QString kind;
    QString subject;
    Action action = Action::Pass;
    QString with;                 // Replace with a regular expression
    std::optional<JsonPath> path; // Replace at a JSON path instead: set it to `value`, or remove it
    QByteArray value;             // the JSON text to set; empty: remove the member or element
    int ms = 0;                   // Delay, DelayPong; Stall (-1: until the connection ends)
    Target to = Target::Both;     // Close, Abort, Inject, Stall, Throttle
    bool towardsReceiver = false; // Stall, Throttle without "to": toward the end the matched message goes to
    quint8 payloadOpcode = 1;     // Inject: text (1) or binary (2)
    QByteArray payload;           // Inject
    int afterMs = -1;             // Inject, Stall, Throttle: timed, this long after the upgrade (-1: on a match)
    int everyMs = 0;              // Inject: again every this long (0: once)
    qint64 bytesPerSecond = 0;    // Throttle
    quint16 code = 1000;          // Close
    QString reason;               // Close
    int timeoutMs = -1;           // Pause: forwarded as it came when nobody decided within it (-1: wait for ever)
    bool enabledAtStart = true;   // the file's "enabled"; RuleSet switches it at run time

    // Whether a message (or a control frame) from `sender` with `opcode` and `text` is one this rule acts on. The text
    // of a text message is its UTF-8, of a binary one its bytes as Latin-1 (so \x00 matches a zero byte), of a Close
    // its reason.
    // `decoded`: the message's application protocol messages, when the relay decodes (RuleSet::needsDecoding()).
    bool matches(Endpoint sender, quint8 messageOpcode, const QString &text,
                 const DecodedMessages *decoded = nullptr) const;
    // The text a rule's regular expression sees of a message or control frame with `opcode` and `payload` (see
    // matches()).
    static QString textOf(quint8 opcode, QByteArrayView payload);
    // Whether it matches on the decoded application protocol.
    bool needsDecoding() const noexcept { return protocol || !kind.isEmpty() || !subject.isEmpty(); }
    // Whether the action is one on pongs (NoPong, DelayPong): WebSocket pongs, and the application protocol's
    // heartbeat answers and beats (HeartbeatRoles::allKeepAlive()) when the relay decodes, which it then does.
    bool actsOnPongs() const noexcept { return action == Action::NoPong || action == Action::DelayPong; }
    // Whether it acts on its own time from the upgrade rather than on the messages it matches.
    bool isTimed() const noexcept { return afterMs >= 0 || everyMs > 0; }

    // "pass", "drop", "replace", ... as rule files write them; actionNamed() is nullopt for an unknown name.
    static QString actionName(Action action);
    static std::optional<Action> actionNamed(const QString &name);
    static QString targetName(Target target);
    // Whether `side` is one of the ends `target` names.
    static bool targets(Target target, Endpoint side) noexcept
    {
        return target == Target::Both || (target == Target::Client) == (side == Endpoint::Client);
    }
};

} // namespace wsi
