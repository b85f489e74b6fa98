// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// SockJS over its WebSocket transport (sockjs-protocol 0.3.3): the server's frames o (open), h (heartbeat),
// a[...] (array of messages), m"..." (one message, old servers) and c[code,"reason"] (close); the client sends a
// JSON array of strings, or one JSON string. The messages inside stay strings (often STOMP frames).
class SockJsDecoder final : public MessageDecoder
{
public:
    SockJsDecoder()
        : MessageDecoder(AppProtocol::SockJs)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<SockJsDecoder>(*this); }
};

} // namespace wsi
