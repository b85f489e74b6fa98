// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/ClosePayload.h"
#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameEvent.h"
#include "core/protocol/MessageInflater.h"
#include "core/protocol/ProtocolLimits.h"
#include "core/protocol/Utf8Validator.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace wsi {

enum class MessageType : quint8 { Text, Binary };

// A whole data message after reassembly (RFC 6455 §5.4) and inflation (RFC 7692).
struct AssembledMessage {
    MessageType type = MessageType::Text;
    QByteArray payload;     // reassembled; inflated when it was compressed
    quint64 wireLength = 0; // payload bytes on the wire, over all its frames
    int frameCount = 0;
    bool compressed = false;
    // The payload above was left empty because the message is exactly its one uncompressed frame's payload, which
    // the caller already has (see MessageAssembler::setCopySingleFramePayloads).
    bool payloadInFrame = false;
};

// Turns one endpoint's frames, in arrival order, into messages, and checks the rules that span frames:
// fragmentation (§5.4), UTF-8 of text messages validated incrementally across fragments and failing at the first
// impossible byte (§8.1), Close payloads (§5.5.1, §7.4), data after a Close, the message size limit, and
// permessage-deflate (RFC 7692) when enabled, with the limit applied to the inflated size.
//
// Like the parser, it records violations and carries on in the most useful way: a message that breaks a size
// limit or cannot be inflated is dropped (and said so), a text message with invalid UTF-8 is still delivered.
class MessageAssembler final
{
public:
    struct Output {
        ViolationList violations;                // message-level violations found at this frame
        std::optional<AssembledMessage> message; // the data message this frame completed
        std::optional<ClosePayload> close;       // this frame was a Close frame: its payload, read
        bool messageDropped = false;             // this frame ended a message that was given up (see violations)
    };

    explicit MessageAssembler(Endpoint sender, const ProtocolLimits &limits = {});
    ~MessageAssembler();
    Q_DISABLE_COPY_MOVE(MessageAssembler)

    // Turns on inflation of the sender's compressed messages: the window the sender compresses with and whether it
    // resets its compressor after each message (server_/client_max_window_bits, _no_context_takeover).
    void enableDeflate(int senderWindowBits, bool senderNoContextTakeover);
    bool deflateEnabled() const noexcept { return m_inflater != nullptr; }

    // By default every message carries its own copy of the payload. A caller that keeps each frame's payload
    // anyway (a session recording everything) turns this off: a message of one uncompressed frame then comes out
    // with an empty payload and payloadInFrame set, saving a copy of every such message.
    void setCopySingleFramePayloads(bool copy) noexcept { m_copySingleFramePayloads = copy; }

    // Takes the next frame; `out` is cleared first. Reusing one Output avoids allocations on the hot path.
    void push(const FrameEvent &frame, Output &out);

    bool inMessage() const noexcept { return m_inMessage; }
    bool closeReceived() const noexcept { return m_closeReceived; }

private:
    void startMessage(const FrameEvent &frame, Output &out);
    void appendPayload(const FrameEvent &frame, Output &out);
    void finishMessage(Output &out);
    void dropMessage(Output &out, ViolationRule rule, QString detail);
    void checkNewText(QByteArrayView bytes, Output &out);
    void handleClose(const FrameEvent &frame, Output &out);
    void resetMessage();

    Endpoint m_sender;
    ProtocolLimits m_limits;
    std::unique_ptr<MessageInflater> m_inflater;

    bool m_inMessage = false;
    bool m_failed = false; // the current message broke a limit or could not be inflated
    bool m_utf8Reported = false;
    bool m_closeReceived = false;
    bool m_copySingleFramePayloads = true;
    quint64 m_length = 0; // bytes of the current message so far (inflated when compressed)
    AssembledMessage m_current;
    Utf8Validator m_utf8;
};

} // namespace wsi
