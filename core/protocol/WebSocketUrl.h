// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace wsi {

// A ws:// or wss:// URL as a person types it (the connection bar, the command line), read with a plain sentence for
// whatever is wrong with it: "port 99999 is out of range 1-65535", "it has no host", "the scheme is http: a
// WebSocket URL starts with ws:// or wss://". Never QUrl's own error text, which is written for programmers
// (`scheme = "ws", host = "", path = "/"`).
namespace WebSocketUrl {

// The URL, or nullopt and *problem. "{{name}}" placeholders should be percent-encoded first
// (ProfileVariables::encodeUrlPlaceholders): braces are not URL characters.
std::optional<QUrl> parse(const QString &text, QString *problem);
// What is wrong with `text` as a WebSocket URL; empty when nothing is.
QString problem(const QString &text);

} // namespace WebSocketUrl
} // namespace wsi
