// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace wsi {

// An application protocol's own timeout that ended a session (Engine.IO's pingTimeout, graphql-ws's
// connectionInitWaitTimeout, MQTT's 1.5 x Keep Alive ...): which end enforced it, the knob by its real name, the
// value this session shows and the library's default, in words and as data. Made by ProtocolTimeoutDiagnoser.
struct ProtocolTimeout {
    QString protocol;   // AppProtocols::name: "socket.io", "mqtt" ...
    QString enforcedBy; // "server" or "client": the end whose timer fired
    QString knob;       // "pingTimeout", "connectionInitWaitTimeout", "keepalive x 1.5" ...
    std::optional<qint64> valueMs;
    // Where valueMs comes from: "announced" (the protocol's messages said it: the open packet, CONNECT) or
    // "measured" (the session's timing shows it).
    QString valueFrom;
    std::optional<qint64> defaultMs;
    QString defaultSource; // where the default is written: "engine.io 6.6 build/server.js"
    QString summary;
    QString fix;

    // {"protocol", "enforced_by", "knob", "value_s", "value_from", "default_s", "default_source"}: the
    // diagnosis event's "protocol_timeout".
    QJsonObject toJson() const;
};

} // namespace wsi
