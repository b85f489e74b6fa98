// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

struct Rule;

// A rule in words for its row in the Rules panel, from the Rule itself rather than its JSON: what the relay will do,
// whatever way the file spelled it.
class RuleDescription final
{
public:
    RuleDescription() = delete;

    // Which messages: "from client · text · /secret/", "socket.io EVENT chat", "every message"; a timed rule's time:
    // "2 s after the upgrade", "every 5 s".
    static QString when(const Rule &rule);
    // What it does, with its main argument: "delay 600 ms", "close → client 4000 “injected”", "replace /secret/ →
    // “public”", "inject → client “ping”".
    static QString action(const Rule &rule);
};

} // namespace wsi
