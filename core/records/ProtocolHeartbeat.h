// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <algorithm>

namespace wsi {

// The application protocol's own heartbeat on a session, as negotiated: who beats, how often, and how long a
// silence counts as dead. Known once the protocol's handshake tells it (Engine.IO's open packet, STOMP's
// CONNECTED, MQTT's CONNECT Keep Alive); kept in the session's HeartbeatHistory next to the WebSocket heartbeat.
struct ProtocolHeartbeat {
    QString protocol;          // "socket.io", "stomp", "mqtt", "graphql-transport-ws" ...
    QString description;       // in words, with the numbers and where they came from
    qint64 sendIntervalMs = 0; // our heartbeats every (EIO 3 ping, STOMP beat, PINGREQ); 0: we send none
    qint64 replyTimeoutMs = 0; // a reply to ours later than this is a miss; 0: none is expected
    qint64 peerIntervalMs = 0; // the peer's heartbeats every (EIO 4 ping, STOMP beat); 0: none promised
    qint64 peerTimeoutMs = 0;  // without one for this long the peer counts as dead (a miss before: late)

    bool isKnown() const noexcept { return !protocol.isEmpty(); }

    // As a recording keeps it (RecordingFormat's info "protocol_heartbeat").
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("protocol"), protocol},
                           {QStringLiteral("description"), description},
                           {QStringLiteral("sendIntervalMs"), double(sendIntervalMs)},
                           {QStringLiteral("replyTimeoutMs"), double(replyTimeoutMs)},
                           {QStringLiteral("peerIntervalMs"), double(peerIntervalMs)},
                           {QStringLiteral("peerTimeoutMs"), double(peerTimeoutMs)}};
    }
    // Missing or negative numbers read as 0 (none): a damaged file gives a heartbeat without periods, never a
    // negative one.
    static ProtocolHeartbeat fromJson(const QJsonObject &json)
    {
        const auto milliseconds = [&json](const char *name) {
            return std::max<qint64>(0, json.value(QLatin1StringView(name)).toInteger());
        };
        return ProtocolHeartbeat{json.value(QLatin1StringView("protocol")).toString(),
                                 json.value(QLatin1StringView("description")).toString(),
                                 milliseconds("sendIntervalMs"),
                                 milliseconds("replyTimeoutMs"),
                                 milliseconds("peerIntervalMs"),
                                 milliseconds("peerTimeoutMs")};
    }

    friend bool operator==(const ProtocolHeartbeat &, const ProtocolHeartbeat &) = default;
};

} // namespace wsi
