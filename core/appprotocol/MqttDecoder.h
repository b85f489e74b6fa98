// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

#include <array>

namespace wsi {

// MQTT 3.1, 3.1.1 and 5 control packets in binary messages: fixed header (type, flags, remaining length) and the
// variable header and payload of every packet type, v5 properties included. A message may hold several packets,
// and a packet may continue in the sender's next messages (MQTT over WebSocket, §6): the part that does not finish
// decodes with "partial": true and the message that completes it decodes the whole packet.
// The version comes from the client's CONNECT (protocol level 3, 4 or 5); before one is seen, 3.1.1 is assumed.
class MqttDecoder final : public MessageDecoder
{
public:
    MqttDecoder()
        : MessageDecoder(AppProtocol::Mqtt)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<MqttDecoder>(*this); }
    int protocolLevel() const noexcept { return m_protocolLevel; }

    // A packet held across messages is dropped (with a violation) once its declared size passes this, so a peer
    // declaring 256 MB cannot make the decoder hold it. Real packets over WebSocket are far smaller.
    static constexpr qsizetype maxHeldPacket = 16 * 1024 * 1024;

private:
    DecodedMessage decodePacket(quint8 first, QByteArrayView body, Endpoint sender);
    QByteArray &heldFor(Endpoint sender) { return m_held[sender == Endpoint::Client ? 0 : 1]; }

    int m_protocolLevel = 4;
    std::array<QByteArray, 2> m_held; // the start of a packet that continues in the next message, per sender
};

} // namespace wsi
