// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// Rails Action Cable (actioncable-v1-json): the server's {"type": welcome | ping | confirm_subscription |
// reject_subscription | disconnect} and its broadcasts {"identifier", "message"}; the client's {"command":
// subscribe | unsubscribe | message, "identifier", "data"}. The identifier is itself JSON (the channel and its
// parameters) and decodes as "channel".
class ActionCableDecoder final : public MessageDecoder
{
public:
    ActionCableDecoder()
        : MessageDecoder(AppProtocol::ActionCable)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<ActionCableDecoder>(*this); }
};

} // namespace wsi
