// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameEvent.h"
#include "core/protocol/ProtocolLimits.h"

#include <QByteArray>

namespace wsi {

// Incremental RFC 6455 frame parser for the bytes one endpoint sends. Bytes may arrive in any chunking, one at a
// time included; each call returns at most one frame and advances the caller's view past what it consumed.
//
// The parser never stops on a rule violation: it records it on the frame (with its RFC section) and goes on, so
// the inspector can show a broken peer's traffic as it really is. Whether a violation fails the connection is the
// session's decision. A frame whose declared length exceeds the frame limit is reported as soon as its header is
// complete, with payloadDiscarded set, and its payload is skipped as it arrives: nothing is allocated for it.
class FrameParser final
{
public:
    explicit FrameParser(Endpoint sender, const ProtocolLimits &limits = {});

    // Which RSV bits a negotiated extension defines (bit 0x4 = RSV1 for permessage-deflate, 0x2 = RSV2,
    // 0x1 = RSV3). A set bit outside this mask is a violation (RFC 6455 §5.2).
    void setAllowedReservedBits(quint8 mask) noexcept { m_allowedReservedBits = mask; }
    quint8 allowedReservedBits() const noexcept { return m_allowedReservedBits; }

    // Consumes bytes from `input` until one frame is complete (returns true and fills `event`) or the input is used
    // up (returns false; the partial frame is kept for the next call). With setStopBeforePayloadsFrom(), it also
    // returns false, with `input` not used up, where a payload of that size begins that `input` holds only the
    // start of: the caller may redirectPayload() it, then call next() again with the rest of the input.
    bool next(QByteArrayView &input, FrameEvent &event);
    // 0 (the default) never stops.
    void setStopBeforePayloadsFrom(quint64 length) noexcept { m_stopBeforePayloadsFrom = length; }

    // While a payload is being assembled (insidePayload(), not a skipped one), the caller may read the next bytes
    // straight into the parser's buffer instead of passing them through next(), which saves a copy for frames
    // larger than one read: payloadSpace() says where and how many (at most what the payload still lacks, and
    // nullptr when no payload is being assembled); payloadWritten() takes the bytes actually written and, when they
    // complete the frame, fills `event` and returns true.
    char *payloadSpace(qsizetype wanted, qsizetype *granted);
    bool payloadWritten(qsizetype count, FrameEvent &event);

    // While a payload is being assembled, the caller may hand over memory of its own (at least
    // payloadInProgressLength() bytes, kept valid until the frame is complete) for the rest of it: the bytes received
    // so far are copied there and the frame's payload becomes a view of that memory. A recorder uses this to
    // assemble large frames where it will keep them, instead of copying them there afterwards.
    bool redirectPayload(char *destination);
    // The declared length of the payload being assembled, 0 when none is.
    quint64 payloadInProgressLength() const noexcept { return m_state == State::Payload ? m_current.payloadLength : 0; }
    bool payloadRedirected() const noexcept { return m_external != nullptr; }

    Endpoint sender() const noexcept { return m_sender; }
    // Total bytes consumed so far.
    quint64 bytesConsumed() const noexcept { return m_consumed; }
    // True between frames: no partial header or payload is pending.
    bool atFrameBoundary() const noexcept { return m_state == State::Header && m_headerFill == 0; }
    // True while the next bytes continue a payload the parser assembles in its own buffer (or skips): such bytes are
    // never handed out as a view into the input.
    bool insidePayload() const noexcept { return m_state != State::Header; }

private:
    enum class State : quint8 { Header, Payload, Skip };

    // Decodes m_headerBytes / a complete header at `bytes` into m_current and checks it.
    void decodeHeader(const unsigned char *bytes);
    void checkHeader();
    void fillEvent(FrameEvent &event, QByteArrayView payload, bool discarded);
    char *payloadDestination(qsizetype count);
    void receivedPayloadBytes(char *at, qsizetype count);
    QByteArrayView assembledPayload() const noexcept;
    static quint8 headerLengthFor(quint8 secondByte) noexcept;

    Endpoint m_sender;
    ProtocolLimits m_limits;
    quint8 m_allowedReservedBits = 0;
    State m_state = State::Header;
    quint64 m_stopBeforePayloadsFrom = 0;

    unsigned char m_headerBytes[14]{};
    quint8 m_headerFill = 0;
    quint8 m_headerNeeded = 2;

    FrameHeader m_current;
    ViolationList m_currentViolations;
    quint64 m_frameStart = 0;
    quint64 m_payloadReceived = 0;
    QByteArray m_payload; // reused between frames: masked or split payloads are assembled here
    quint64 m_consumed = 0;
    qsizetype m_spaceGranted = 0; // bytes handed out by payloadSpace() and not yet written
    char *m_external = nullptr;   // the caller's memory the current payload is assembled in (redirectPayload)
};

} // namespace wsi
