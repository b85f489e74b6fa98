// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/appprotocol/MessageDecoder.h"
#include "core/appprotocol/Recognition.h"

#include <memory>
#include <optional>

namespace wsi {

// Recognises the application protocol of a connection and makes its decoder. Evidence, strongest first: a
// negotiated (or offered) Sec-WebSocket-Protocol, the URL's shape (/socket.io/?EIO=4, /cable, /websocket?vsn=2.0.0,
// SockJS's /<server>/<session>/websocket, SignalR's ?id=), and the first messages (an Engine.IO open packet, a STOMP
// CONNECT, an MQTT CONNECT, {"type":"connection_init"}, the SignalR handshake, {"jsonrpc":"2.0"}...).
class AppProtocolRegistry final
{
public:
    AppProtocolRegistry() = delete;

    // How many of a connection's first messages are read for clues: protocols that have an opening exchange show it
    // by then.
    static constexpr qsizetype firstMessagesRead = 4;

    // Every protocol the evidence points to, most confident first, one entry per protocol.
    static QList<Recognition> candidates(const ConnectionFacts &facts, const QList<AppMessage> &firstMessages = {});
    // The most confident candidate, or nullopt when nothing points to a protocol.
    static std::optional<Recognition> recognize(const ConnectionFacts &facts,
                                                const QList<AppMessage> &firstMessages = {});
    static std::unique_ptr<MessageDecoder> createDecoder(const Recognition &recognition);
    static std::unique_ptr<MessageDecoder> createDecoder(AppProtocol protocol);
};

} // namespace wsi
