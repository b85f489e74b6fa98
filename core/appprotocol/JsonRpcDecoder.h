// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// JSON-RPC 2.0 (jsonrpc.org/specification): a request (method and id), a notification (method, no id), a result or
// an error (with the id they answer), or a batch of those in an array, which decodes as one message each.
class JsonRpcDecoder final : public MessageDecoder
{
public:
    JsonRpcDecoder()
        : MessageDecoder(AppProtocol::JsonRpc)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<JsonRpcDecoder>(*this); }

private:
    DecodedMessage decodeOne(const QJsonValue &value);
};

} // namespace wsi
