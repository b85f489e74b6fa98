// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/DecodedMessage.h"

#include <QString>

namespace wsi {

// A decoded message in one line, as the frame table's Protocol column shows it, and the event, topic or method it
// is about, as the filters match it: `socket.io EVENT "chat" (2 args)` about chat, `STOMP MESSAGE /topic/prices`
// about /topic/prices, `MQTT PINGREQ` about nothing.
struct DecodedHeadline {
    QString text;
    QString subject; // the event name, topic, destination, procedure, method or operation; empty when none

    static DecodedHeadline of(const DecodedMessage &message);
    // "socket.io", "STOMP", "MQTT", "graphql-transport-ws", "SignalR", "Phoenix", "Action Cable", "SockJS", "WAMP",
    // "JSON-RPC": the name each protocol goes by in its own documentation.
    static QString protocolTitle(AppProtocol protocol);
    // Subjects longer than this are cut (with "…"): the column shows a line, and the filter needs no more.
    static constexpr qsizetype maxSubjectChars = 160;
};

} // namespace wsi
