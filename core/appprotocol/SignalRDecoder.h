// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

#include <array>

namespace wsi {

// ASP.NET Core SignalR's JSON hub protocol (aspnetcore src/SignalR/docs/specs/HubProtocol.md): records ended by the
// record separator 0x1E, several per message; each sender's first record is its half of the handshake
// ({"protocol":"json","version":1} from the client, {} or {"error"} from the server), then messages of types 1-9.
class SignalRDecoder final : public MessageDecoder
{
public:
    SignalRDecoder()
        : MessageDecoder(AppProtocol::SignalR)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<SignalRDecoder>(*this); }

private:
    DecodedMessage decodeRecord(QByteArrayView record, Endpoint sender);
    bool &handshakeDoneFor(Endpoint sender) { return m_handshakeDone[sender == Endpoint::Client ? 0 : 1]; }

    std::array<bool, 2> m_handshakeDone{false, false};
};

} // namespace wsi
