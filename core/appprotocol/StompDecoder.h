// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/MessageDecoder.h"

namespace wsi {

// STOMP 1.0, 1.1 and 1.2 frames: command, headers (with 1.1/1.2 escaping), body (by content-length when given,
// else up to the NULL octet) and heart-beats (a message of end-of-lines only). A message may hold several frames.
// The version comes from the CONNECTED frame's "version" header; before one is seen, 1.2 rules apply.
class StompDecoder final : public MessageDecoder
{
public:
    StompDecoder()
        : MessageDecoder(AppProtocol::Stomp)
    {}

    DecodedMessages decode(const AppMessage &message) override;
    std::unique_ptr<MessageDecoder> clone() const override { return std::make_unique<StompDecoder>(*this); }
    QString version() const { return m_version; }

private:
    // Decodes the frame at data[*at], advancing *at past it and its trailing end-of-lines.
    DecodedMessage decodeFrame(QByteArrayView data, qsizetype *at, Endpoint sender);

    QString m_version = QStringLiteral("1.2");
};

} // namespace wsi
