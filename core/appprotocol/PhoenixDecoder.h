// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// Phoenix Channels messages in either JSON serializer: v1, an object {topic, event, payload, ref, join_ref}, and
// v2 (vsn=2.0.0), an array [join_ref, ref, topic, event, payload] (phoenix assets/js/phoenix/serializer.js). Kind is
// the event: phx_join, phx_reply, phx_leave, phx_close, phx_error, heartbeat or the application's own. Binary
// messages are the 2.0.0 serializer's binary push, reply and broadcast frames.
class PhoenixDecoder final : public MessageDecoder
{
public:
    PhoenixDecoder()
        : MessageDecoder(AppProtocol::Phoenix)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<PhoenixDecoder>(*this); }

private:
    DecodedMessage decodeBinary(const AppMessage &message) const;
};

} // namespace wsi
