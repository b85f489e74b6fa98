// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// A message saved with a profile so it can be sent again by name: the composer's body and how it is sent.
struct MessageTemplate {
    QString name;
    QString format = QStringLiteral("text"); // "text", "json" (sent as text) or "hex" (binary, body in hex digits)
    QString body;
    int fragments = 1; // data frames the message is split into (1: not fragmented)

    friend bool operator==(const MessageTemplate &, const MessageTemplate &) = default;
};

} // namespace wsi
