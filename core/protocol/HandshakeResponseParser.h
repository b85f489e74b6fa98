// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/HandshakeResponse.h"
#include "core/protocol/ProtocolLimits.h"
#include "core/protocol/Violation.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace wsi {

// Reads the server's answer to the opening handshake from bytes in whatever pieces they arrive (a single byte at a
// time included) and gives the same result for every split.
//
// - The status line and fields together may not exceed ProtocolLimits::maxHandshakeSize; the parser refuses with
//   HandshakeTooLarge as soon as that many bytes came without the blank line, and never holds more.
// - A peer that does not answer with HTTP (its first 12 bytes do not start with "HTTP/": a TLS record, a frame, a
//   banner) fails the parse at once rather than after a line end that may never come.
// - A bad status line or field line fails the parse (HandshakeMalformedStatusLine / HandshakeMalformedHeader,
//   detail "line N: ..."). Lines ended by a bare LF are accepted, as RFC 9112 §2.2 allows, and flagged in the
//   response (bareLineFeeds); so is obsolete line folding (obsoleteLineFolding, RFC 9112 §5.2).
// - Interim 1xx responses other than 101 are skipped (RFC 9110 §15.2) and listed in the response.
// - 101: complete right after the blank line. Whatever follows belongs to the WebSocket connection (servers often
//   send a first frame in the same packet) and is kept in leftover(), as is anything fed after completion.
// - Any other status: the body is read by Content-Length, chunked Transfer-Encoding (decoded) or until
//   finishAtEndOfStream(), and kept up to ProtocolLimits::maxRefusalBodySize: at that size the parse completes
//   with bodyTruncated set, without waiting for the rest (for a body read until the end of the stream this means
//   "at least that much"). Chunk framing is limited to maxHandshakeSize bytes. A broken Content-Length or chunk
//   framing is recorded as HandshakeMalformedHeader but the parse still completes with the body read so far, since
//   a refusal's status and fields are what the user needs to see.
//
// Not a QObject, no I/O: the session feeds it what the socket delivers.
class HandshakeResponseParser
{
public:
    enum class State : quint8 {
        NeedMore, // feed more bytes, or call finishAtEndOfStream() when the peer closed
        Complete, // response() is final
        Failed,   // violations() says why; response() holds what was read before the failure
    };

    explicit HandshakeResponseParser(const ProtocolLimits &limits = {});

    // Consumes bytes; returns the new state. Bytes fed after Complete go to leftover(); after Failed they are
    // ignored.
    State feed(QByteArrayView bytes);
    // The peer closed the connection: a body read until the end completes, a cut-off body completes truncated, a
    // cut-off status line or header block fails.
    State finishAtEndOfStream();
    void reset();

    State state() const noexcept { return m_state; }
    const HandshakeResponse &response() const noexcept { return m_response; }
    const ViolationList &violations() const noexcept { return m_violations; }
    // Bytes after the response: for a 101, the first bytes of the WebSocket stream.
    const QByteArray &leftover() const noexcept { return m_leftover; }
    QByteArray takeLeftover();
    // Everything the parser holds (the raw response and leftover), to check that limits are kept.
    qsizetype bufferedBytes() const noexcept { return m_response.raw.size() + m_leftover.size(); }
    const ProtocolLimits &limits() const noexcept { return m_limits; }

private:
    enum class Phase : quint8 {
        StatusLine,
        Fields,
        BodyByLength,
        BodyUntilEnd,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
    };

    // One step of the state machine; false when it cannot continue without more input.
    bool step(QByteArrayView input, qsizetype &pos);
    bool stepHeaderLine(QByteArrayView input, qsizetype &pos);
    bool stepBody(QByteArrayView input, qsizetype &pos);
    bool stepChunkLine(QByteArrayView input, qsizetype &pos);

    // Moves input up to and including the next LF into raw, at most room bytes; true when a whole line is there.
    bool takeLine(QByteArrayView input, qsizetype &pos, qsizetype room);
    // The line that takeLine() completed, without its line ending; notes a bare LF.
    QByteArrayView completedLine();
    void appendBody(QByteArrayView input, qsizetype &pos, qsizetype maxBytes);

    void parseStatusLine(QByteArrayView line);
    void parseFieldLine(QByteArrayView line);
    void flushPendingField();
    void endOfFields();
    void chooseBodyFraming();
    void parseChunkSize(QByteArrayView line);

    void fail(ViolationRule rule, const QString &detail);
    void failTooLarge();
    void complete(bool truncated = false);
    QString lineLabel() const;
    qsizetype bodyRoom() const noexcept;

    ProtocolLimits m_limits;
    State m_state = State::NeedMore;
    Phase m_phase = Phase::StatusLine;
    HandshakeResponse m_response;
    ViolationList m_violations;
    QByteArray m_leftover;
    std::optional<HttpHeader> m_pendingField; // kept back until the next line shows it is not folded
    qsizetype m_lineStart = 0;                // offset in raw of the line being read
    qsizetype m_lineNumber = 0;               // of the line being read, 1-based over the whole response
    qsizetype m_framingBytes = 0;             // chunk-size lines, chunk CRLFs and trailers so far
    quint64 m_remaining = 0;                  // body bytes still expected (by length or in the current chunk)
    qsizetype m_chunkIndex = 0;               // 1-based, for messages about chunk framing
    QByteArray m_statusLine;
};

} // namespace wsi
