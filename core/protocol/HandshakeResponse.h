// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/HttpHeaders.h"

#include <QByteArray>
#include <QList>

namespace wsi {

// The server's answer to the opening handshake, as far as HandshakeResponseParser read it.
struct HandshakeResponse {
    // The bytes the response was read from: status line and fields, plus the body as it came (chunk framing
    // included) when the status is not 101. Never the frame bytes that follow a 101.
    QByteArray raw;
    QByteArray httpVersion;  // "HTTP/1.1"
    int statusCode = 0;      // 0 until a status line has been read
    QByteArray reasonPhrase; // may be empty
    HttpHeaders headers;
    // Non-101 only: the body, de-chunked, at most ProtocolLimits::maxRefusalBodySize bytes.
    QByteArray body;
    // The body above is not all of it: it reached the cap, or the stream ended before the declared length, or
    // its chunked framing was broken or too long.
    bool bodyTruncated = false;
    // Interim 1xx responses (e.g. "HTTP/1.1 103 Early Hints") that came before the final one, as their status
    // lines; their fields are in raw only. RFC 9110 §15.2 makes clients skip them.
    QList<QByteArray> interimStatusLines;
    // Lines ended with a bare LF instead of CRLF. Accepted (RFC 9112 §2.2 allows it) but worth showing.
    bool bareLineFeeds = false;
    // Fields continued on the next line with leading whitespace (obsolete line folding, RFC 9112 §5.2); the
    // continuation was joined to the value with a space.
    bool obsoleteLineFolding = false;

    bool isSwitchingProtocols() const noexcept { return statusCode == 101; }
};

} // namespace wsi
