// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppMessage.h"
#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/ConnectionFacts.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/MessageDecoder.h"
#include "core/appprotocol/Recognition.h"

#include <memory>
#include <optional>

namespace wsi {

class FrameLog;

// Decodes one connection's messages, in the order they crossed, as the protocol becomes known: at once when the
// handshake settles it (a negotiated subprotocol, a URL shape sure enough), else from the first messages. The one
// place every reader of a session (the JSON output, the exports, the frame table, the heartbeat and the diagnosis)
// goes through, so they all agree on what a message is.
class ConnectionDecoder final
{
public:
    // How many first messages may pass before a connection is taken to speak no protocol we know.
    static constexpr qsizetype recognitionWindow = AppProtocolRegistry::firstMessagesRead;
    // A handshake clue at least this sure decodes from the first message; a weaker one waits for the messages.
    static constexpr int handshakeConfidence = 60;

    // `forced`: the protocol the user said the connection speaks (`connect --protocol`); no recognition then.
    explicit ConnectionDecoder(ConnectionFacts facts, std::optional<AppProtocol> forced = std::nullopt);
    ~ConnectionDecoder();
    ConnectionDecoder(ConnectionDecoder &&) noexcept;
    ConnectionDecoder &operator=(ConnectionDecoder &&) noexcept;

    // The decoded messages of the next message; empty while (or when) no protocol is recognised. A message that
    // tips the recognition decodes itself, and the messages before it are fed to the decoder first so that its
    // state (a STOMP version, a Socket.IO attachment count) is what it would have been.
    DecodedMessages decode(const AppMessage &message);

    // The protocol, once recognised (or forced).
    const std::optional<Recognition> &recognition() const noexcept { return m_recognition; }
    // True once recognition has given up (the window passed without a clue): decode() returns nothing after that.
    bool gaveUp() const noexcept { return m_gaveUp; }

    // Every message of a finished (or running) log, one entry per message index, recognised from the handshake
    // and the log's first messages whichever comes first, and so decoded from the first message on.
    static QList<DecodedMessages> decodeLog(const ConnectionFacts &facts, const FrameLog &log,
                                            std::optional<AppProtocol> forced = std::nullopt);
    // The recognition of a protocol the user named: sure, with the Engine.IO version still read from the URL.
    static Recognition forcedRecognition(AppProtocol protocol, const ConnectionFacts &facts);
    // One message of a log as a decoder takes it.
    static AppMessage messageOf(const FrameLog &log, qsizetype index);

private:
    void startDecoding(Recognition recognition);

    ConnectionFacts m_facts;
    std::optional<Recognition> m_recognition;
    std::unique_ptr<MessageDecoder> m_decoder;
    QList<AppMessage> m_firstMessages; // held until the protocol is known or the window passes
    bool m_gaveUp = false;
};

} // namespace wsi
