// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/DecodedMessage.h"

#include <QJsonDocument>

#include <memory>
#include <optional>

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
    MessageDecoder &operator=(const MessageDecoder &) = delete;

    AppProtocol protocol() const noexcept { return m_protocol; }
    virtual DecodedMessages decode(const AppMessage &message) = 0;
    // A decoder in the same state: it decodes the next messages exactly as this one would. Readers that show one
    // message of a long connection keep copies every so many messages and replay from the nearest one.
    virtual std::unique_ptr<MessageDecoder> clone() const = 0;

protected:
    // Only clone() copies a decoder, so no copy ever slices one.
    MessageDecoder(const MessageDecoder &) = default;

    DecodedMessage decoded(QString kind, QJsonObject fields = {}) const
    {
        return DecodedMessage{m_protocol, std::move(kind), std::move(fields), std::nullopt, {}};
    }
    DecodedMessage broken(QString kind, DecodeViolation violation, QJsonObject fields = {}) const
    {
        return DecodedMessage{m_protocol, std::move(kind), std::move(fields), std::move(violation), {}};
    }

    // The payload as JSON; else nullopt, and *failure is a DecodedMessage with the violation "<prefix>-not-json".
    std::optional<QJsonDocument> parseJson(QByteArrayView payload, const QString &rulePrefix, const QString &reference,
                                           DecodedMessage *failure) const;
    // The same for a payload that must be one JSON object ("<prefix>-not-object" when it is another value).
    std::optional<QJsonObject> parseJsonObject(QByteArrayView payload, const QString &rulePrefix,
                                               const QString &reference, DecodedMessage *failure) const;

private:
    AppProtocol m_protocol;
};

} // namespace wsi
