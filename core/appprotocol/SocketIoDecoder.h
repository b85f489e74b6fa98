// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

#include <array>

namespace wsi {

// Engine.IO 4 and 3 packets over WebSocket, and the Socket.IO packets (protocol 5 of Socket.IO 3/4, protocol 4 of
// Socket.IO 2) inside their "message" packets: namespace, event, arguments, ack id. A BINARY_EVENT or BINARY_ACK
// announces N attachments that arrive as the next N binary messages of the same sender; each of those decodes as
// an "attachment" naming its placeholder and its packet.
// Kind: the Socket.IO packet type (CONNECT, EVENT, ACK...) for an Engine.IO message that carries one, else the
// Engine.IO packet type (open, close, ping, pong, message, upgrade, noop).
class SocketIoDecoder final : public MessageDecoder
{
public:
    // engineIoVersion is the EIO= query parameter of the URL: 3 or 4 (Socket.IO 2 uses 3).
    explicit SocketIoDecoder(int engineIoVersion = 4);

    int engineIoVersion() const noexcept { return m_engineIoVersion; }
    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<SocketIoDecoder>(*this); }

    // Most attachments one packet may announce; more is taken as a broken packet, not as a reason to hold state.
    static constexpr int maxAttachments = 1000;

private:
    struct PendingAttachments {
        int expected = 0;
        int received = 0;
        QJsonObject packet; // kind, namespace, event, ack id of the packet that announced them
    };

    DecodedMessage decodeText(const AppMessage &message);
    DecodedMessage decodeBinary(const AppMessage &message);
    DecodedMessage decodeSocketIoPacket(QByteArrayView packet, Endpoint sender, QJsonObject fields);
    PendingAttachments &pendingFor(Endpoint sender) { return m_pending[sender == Endpoint::Client ? 0 : 1]; }

    int m_engineIoVersion;
    std::array<PendingAttachments, 2> m_pending;
};

} // namespace wsi
