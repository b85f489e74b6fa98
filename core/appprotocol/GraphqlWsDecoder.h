// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// GraphQL over WebSocket: {"type", "id", "payload"} messages of graphql-transport-ws (npm graphql-ws, PROTOCOL.md)
// or of the legacy graphql-ws subprotocol (subscriptions-transport-ws, PROTOCOL.md). The two share the envelope
// and differ in their types, so one class reads both from a table per protocol.
class GraphqlWsDecoder final : public MessageDecoder
{
public:
    // protocol: AppProtocol::GraphqlTransportWs or AppProtocol::GraphqlWs.
    explicit GraphqlWsDecoder(AppProtocol protocol);

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<GraphqlWsDecoder>(*this); }
};

} // namespace wsi
