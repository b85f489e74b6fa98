// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/AppProtocol.h"

#include <QList>

namespace wsi::AppProtocols {

QString name(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::SocketIo:
        return QStringLiteral("socket.io");
    case AppProtocol::Stomp:
        return QStringLiteral("stomp");
    case AppProtocol::Mqtt:
        return QStringLiteral("mqtt");
    case AppProtocol::GraphqlTransportWs:
        return QStringLiteral("graphql-transport-ws");
    case AppProtocol::GraphqlWs:
        return QStringLiteral("graphql-ws");
    case AppProtocol::SignalR:
        return QStringLiteral("signalr");
    case AppProtocol::Phoenix:
        return QStringLiteral("phoenix");
    case AppProtocol::ActionCable:
        return QStringLiteral("actioncable");
    case AppProtocol::SockJs:
        return QStringLiteral("sockjs");
    case AppProtocol::Wamp:
        return QStringLiteral("wamp");
    case AppProtocol::JsonRpc:
        return QStringLiteral("jsonrpc");
    }
    return {};
}

QStringList offeredSubprotocols(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::Stomp: // @stomp/stompjs
        return {QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp")};
    case AppProtocol::Mqtt: // mqtt.js, protocol level 4
        return {QStringLiteral("mqtt")};
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        return {name(protocol)};
    case AppProtocol::ActionCable: // @rails/actioncable
        return {QStringLiteral("actioncable-v1-json"), QStringLiteral("actioncable-unsupported")};
    case AppProtocol::Wamp:
        return {QStringLiteral("wamp.2.json")};
    default:
        return {};
    }
}

const QList<AppProtocol> &all()
{
    static const QList<AppProtocol> protocols{
        AppProtocol::SocketIo,  AppProtocol::Stomp,   AppProtocol::Mqtt,    AppProtocol::GraphqlTransportWs,
        AppProtocol::GraphqlWs, AppProtocol::SignalR, AppProtocol::Phoenix, AppProtocol::ActionCable,
        AppProtocol::SockJs,    AppProtocol::Wamp,    AppProtocol::JsonRpc};
    return protocols;
}

std::optional<AppProtocol> fromName(QStringView name)
{
    for (AppProtocol protocol : all()) {
        if (AppProtocols::name(protocol) == name)
            return protocol;
    }
    return std::nullopt;
}

} // namespace wsi::AppProtocols
