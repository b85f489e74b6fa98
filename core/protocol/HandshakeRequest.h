// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/DeflateParameters.h"
#include "core/protocol/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace wsi {

// What the user asks for; buildHandshakeRequest() turns it into the client's opening handshake (RFC 6455 §4.1).
struct HandshakeRequestOptions {
    QUrl url; // ws:// or wss://, with a host; the fragment is not sent (RFC 6455 §3)
    // Sent after the generated fields, in this order. A field the handshake generates itself is never sent twice:
    // the user's value takes the generated field's place instead (see buildHandshakeRequest()).
    HttpHeaders extraHeaders;
    QStringList subprotocols; // each a token; sent as one comma-separated Sec-WebSocket-Protocol field
    QString origin;           // empty: no Origin field
    QList<QPair<QByteArray, QByteArray>> cookies;         // sent as one "Cookie: a=1; b=2" field
    std::optional<DeflateOffer> deflate = DeflateOffer{}; // nullopt: no compression offered
    // Empty: 16 random bytes, base64 encoded, as RFC 6455 §4.1 requires. Set it to replay a recorded handshake or
    // in tests; it is sent as given, so a deliberately malformed key can be used to probe a server.
    QByteArray key;
};

// The request as it goes on the wire plus what the response will be checked against.
struct HandshakeRequest {
    QByteArray key;            // Sec-WebSocket-Key as sent
    QByteArray bytes;          // request line, fields and the blank line, CRLF line endings
    QByteArray requestTarget;  // "/path?query"
    HttpHeaders headers;       // the fields of bytes, in order
    QByteArray expectedAccept; // the only Sec-WebSocket-Accept a correct server can answer with

    // What was offered, as actually sent (a user's Sec-WebSocket-Protocol or Sec-WebSocket-Extensions field
    // replaces the generated one, and then it is what the server answers to).
    QStringList offeredSubprotocols;
    std::optional<DeflateOffer> deflateOffer; // the first valid permessage-deflate offer sent, if any
    QList<QByteArray> offeredExtensions;      // names of every extension offered, permessage-deflate included

    // base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) (RFC 6455 §4.2.2 step 5).
    static QByteArray computeAccept(QByteArrayView key);
    // A fresh Sec-WebSocket-Key: 16 bytes from the system's secure random source, base64 encoded (24 characters).
    static QByteArray generateKey();
};

// Builds the opening handshake. Returns nullopt and sets *error (if given) to a sentence naming the problem when
// the options cannot make a valid request: the URL is not ws:// or wss:// or has no host, a subprotocol is not a
// token or repeats, a header name is not a token, a value holds CR, LF or NUL (which would inject fields), the
// deflate offer has a window outside 8-15, or a field that may appear once is given twice in extraHeaders.
//
// Generated fields, in order: Host, Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version, then when
// wanted Origin, Sec-WebSocket-Protocol, Sec-WebSocket-Extensions and Cookie. When extraHeaders holds one of
// these names, the user's value is sent in that generated field's position and the generated value is dropped,
// so a request can copy a browser's exactly (another Host for a virtual host, "Connection: keep-alive, Upgrade",
// a different version to see a server's 426). Specifically:
// - Origin, Host, Sec-WebSocket-Version: the user's value replaces ours (options.origin is ignored);
// - Sec-WebSocket-Protocol, Sec-WebSocket-Extensions, Upgrade, Connection: list fields; repeated user lines are
//   joined with ", " into one field that replaces ours (options.subprotocols / options.deflate are ignored), and
//   the response is then checked against what the user's field offers;
// - Sec-WebSocket-Key: becomes the key (options.key is ignored) and expectedAccept is computed from it;
// - Cookie: the user's value comes first and options.cookies are appended to it, still as one field
//   (RFC 6265 §5.4).
std::optional<HandshakeRequest> buildHandshakeRequest(const HandshakeRequestOptions &options, QString *error = nullptr);

} // namespace wsi
