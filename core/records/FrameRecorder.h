// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameEvent.h"
#include "core/protocol/MessageAssembler.h"
#include "core/protocol/ProtocolLimits.h"
#include "core/records/FrameLog.h"

namespace wsi {

// The one way frames become records: one endpoint's frames, as the parser read them or as we wrote them, into a
// FrameLog, each with its header bits, the time it crossed the socket, its flags and every violation found in it,
// and each data message those frames complete, reassembled and inflated (MessageAssembler).
//
// A Session records the server's frames through one and its own through another; the timeout proxy records each
// direction of a relayed connection through one. What a frame is (direction, compressed or not, which message it
// belongs to) is decided here and nowhere else, so every source of a session produces the same records.
//
// Writer side only: the thread that owns the log's writing.
class FrameRecorder final
{
public:
    // `sender` is the end whose frames this records: the client's are Outgoing, the server's Incoming (as seen
    // from the client, which is what a Session is and what a relayed connection is shown as).
    FrameRecorder(FrameLog &log, Endpoint sender, const ProtocolLimits &limits = {});
    Q_DISABLE_COPY_MOVE(FrameRecorder)

    Direction direction() const noexcept { return m_direction; }
    // The sender compresses its messages (permessage-deflate was negotiated): its window and whether it resets its
    // compressor after each message.
    void enableDeflate(int senderWindowBits, bool senderNoContextTakeover);
    bool deflateEnabled() const noexcept { return m_assembler.deflateEnabled(); }

    // A frame the parser read at `timeNs`. `extraViolations`, when given, are what the caller found beyond the
    // parser and the assembler (a pong that answers no ping): a pointer, so that the hot path builds no list. A payload
    // lying inside `storage` (bytes read straight into the log, or a large payload assembled there) is referenced where
    // it is, not copied. Returns the frame's index; output() says what the frame completed (a message, a Close) until
    // the next call.
    qsizetype recordParsed(const FrameEvent &event, qint64 timeNs, const ViolationList *extraViolations = nullptr,
                           const PayloadStore::ReadRegion &storage = {});
    const MessageAssembler::Output &output() const noexcept { return m_output; }

    // A frame we wrote ourselves, with `payload` unmasked. `deliberate`: it breaks the rules on purpose (the raw
    // frame sender); `compressed`: the first frame of a message we compressed; `injected`: a relay wrote it in the
    // name of this recorder's sender (FrameRecord::Injected).
    qsizetype recordWritten(const FrameHeader &header, QByteArrayView payload, qint64 timeNs, bool deliberate,
                            bool compressed, bool injected = false);
    // A whole message made of the frames firstFrame..lastFrame: one we sent (frames from recordWritten()); the
    // messages of parsed frames are recorded by recordParsed().
    void recordMessage(const AssembledMessage &message, qsizetype firstFrame, qsizetype lastFrame, qint64 timeNs);

private:
    FrameLog &m_log;
    const Direction m_direction;
    MessageAssembler m_assembler;
    MessageAssembler::Output m_output;
    ViolationList m_violations;         // reused for each frame
    qsizetype m_messageFirstFrame = -1; // the first frame of the message being received
};

} // namespace wsi
