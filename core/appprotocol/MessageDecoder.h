// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/DecodedMessage.h"

namespace wsi {

// Turns the messages of one connection, both directions, in the order they crossed, into decoded protocol
// messages. One instance per connection: some protocols carry state from one message to the next (Socket.IO binary
// attachments, an MQTT packet split across messages, the SignalR handshake, the STOMP version).
// decode() never throws and never crashes on any input; it returns at least one DecodedMessage per message, with a
// violation when the message breaks the protocol.
class MessageDecoder
{
public:
    explicit MessageDecoder(AppProtocol protocol)
        : m_protocol(protocol)
    {}
    virtual ~MessageDecoder() = default;
    MessageDecoder(const MessageDecoder &) = delete;
    MessageDecoder &operator=(const MessageDecoder &) = delete;

    AppProtocol protocol() const noexcept { return m_protocol; }
    virtual DecodedMessages decode(const AppMessage &message) = 0;

protected:
    DecodedMessage decoded(QString kind, QJsonObject fields = {}) const
    {
        return DecodedMessage{m_protocol, std::move(kind), std::move(fields), std::nullopt, {}};
    }
    DecodedMessage broken(QString kind, DecodeViolation violation, QJsonObject fields = {}) const
    {
        return DecodedMessage{m_protocol, std::move(kind), std::move(fields), std::move(violation), {}};
    }

private:
    AppProtocol m_protocol;
};

} // namespace wsi
