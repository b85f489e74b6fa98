// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// WAMP v2 over WebSocket with the JSON serialization (wamp.2.json): each message is an array [code, ...] whose
// code picks its type (HELLO 1 ... YIELD 70) and the names of the elements that follow (The WAMP Protocol, §Message
// Codes and Direction). Requests carry a request id that the answer (SUBSCRIBED, RESULT, ERROR...) repeats.
class WampDecoder final : public MessageDecoder
{
public:
    WampDecoder()
        : MessageDecoder(AppProtocol::Wamp)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<WampDecoder>(*this); }
};

} // namespace wsi
