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
// "close"), "match" (a PCRE2 regular expression, QRegularExpression's dialect) and "enabled" (true) are optional;
// each action takes its own fields ("with" for replace; "ms" for delay and delay-pong; "to", "code", "reason" for
// close; "to" for abort) and no others. A file is taken whole or refused with the first thing wrong in it, named by
// the rule's index, the field and the value ('rules[0].action: unknown action "explode"'), so that nothing starts
// with rules the user did not mean.
class RuleFile final
{
public:
    RuleFile() = delete;

    static constexpr int maxDelayMs = 3600 * 1000;

    // The rules in `json`, or null with *error saying what is wrong.
    static std::shared_ptr<RuleSet> parse(const QByteArray &json, QString *error);
    // The rules in the file at `path`; a file that cannot be read is an error naming it.
    static std::shared_ptr<RuleSet> read(const QString &path, QString *error);
};

} // namespace wsi
