// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/HeartbeatRole.h"

namespace wsi::HeartbeatRoles {

HeartbeatRole of(const DecodedMessage &m)
{
    const QString &kind = m.kind;
    switch (m.protocol) {
    case AppProtocol::SocketIo:
        // "2probe" / "3probe" belong to a transport upgrade, not to the heartbeat.
        if (m.fields.contains(QStringLiteral("data")))
            return HeartbeatRole::None;
        return kind == QLatin1StringView("ping")   ? HeartbeatRole::Request
               : kind == QLatin1StringView("pong") ? HeartbeatRole::Reply
                                                   : HeartbeatRole::None;
    case AppProtocol::Mqtt:
        return kind == QLatin1StringView("PINGREQ")    ? HeartbeatRole::Request
               : kind == QLatin1StringView("PINGRESP") ? HeartbeatRole::Reply
                                                       : HeartbeatRole::None;
    case AppProtocol::GraphqlTransportWs:
        return kind == QLatin1StringView("ping")   ? HeartbeatRole::Request
               : kind == QLatin1StringView("pong") ? HeartbeatRole::Reply
                                                   : HeartbeatRole::None;
    case AppProtocol::GraphqlWs:
        return kind == QLatin1StringView("ka") ? HeartbeatRole::OneWay : HeartbeatRole::None;
    case AppProtocol::Stomp:
        return kind == QLatin1StringView("heart-beat") ? HeartbeatRole::OneWay : HeartbeatRole::None;
    case AppProtocol::SignalR:
        return kind == QLatin1StringView("Ping") ? HeartbeatRole::OneWay : HeartbeatRole::None;
    case AppProtocol::Phoenix:
        if (kind == QLatin1StringView("heartbeat"))
            return HeartbeatRole::Request;
        return kind == QLatin1StringView("phx_reply") &&
                       m.fields.value(QStringLiteral("topic")).toString() == QLatin1StringView("phoenix")
                   ? HeartbeatRole::Reply
                   : HeartbeatRole::None;
    case AppProtocol::ActionCable:
        return kind == QLatin1StringView("ping") ? HeartbeatRole::OneWay : HeartbeatRole::None;
    case AppProtocol::SockJs:
        return kind == QLatin1StringView("heartbeat") ? HeartbeatRole::OneWay : HeartbeatRole::None;
    case AppProtocol::Wamp:
    case AppProtocol::JsonRpc:
        break;
    }
    return HeartbeatRole::None;
}

bool allKeepAlive(const DecodedMessages &messages)
{
    if (messages.isEmpty())
        return false;
    for (const DecodedMessage &message : messages) {
        const HeartbeatRole role = of(message);
        if (role != HeartbeatRole::Reply && role != HeartbeatRole::OneWay)
            return false;
    }
    return true;
}

} // namespace wsi::HeartbeatRoles
