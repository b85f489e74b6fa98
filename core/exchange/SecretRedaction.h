// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/protocol/HttpHeaders.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/SessionRecords.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrl>

#include <optional>

namespace wsi {

// What an export leaves out so that a file a user shares does not carry their credentials: the values of secret
// request and response headers, of token-like URL query parameters and of a password in the URL, each replaced by
// the visible `placeholder` so a reader sees that something was there. Both exports (HarWriter, JsonLinesWriter)
// pass every session through one of these before writing; by default they redact, as Chrome DevTools' default HAR
// export does, and include secrets only when the user asked (keepingSecrets()).
//
// Secret headers: Authorization and Proxy-Authorization (the scheme stays: "Bearer [redacted]"), Cookie and
// Set-Cookie (cookie names and Set-Cookie attributes stay: "sid=[redacted]; Path=/"), any header one of whose
// words (see isSecretName) is a secret word (X-Api-Key, X-Auth-Token, X-CSRF-Token), and the names a profile marks
// secret (given to the constructor, and carried by each session's records: SessionRecords::secretHeaders, which
// session() and forSession() add). Sec-WebSocket-Key and Sec-WebSocket-Accept are the handshake's nonce and its
// proof, and CORS fields (Access-Control-Allow-Credentials ...) name what may be sent: not credentials, they stay.
// Sec-WebSocket-Protocol is a known carrier of bearer tokens for browser clients, which cannot set Authorization: an
// element that is a JWT, the token after a Kubernetes "base64url.bearer.authorization.k8s.io." prefix, and the element
// after a secret word ("access_token, eyJ...") are redacted, the other subprotocol names stay.
//
// The handshake's raw bytes (request line, header lines) get the same treatment as its parsed fields, so no copy of
// a secret survives anywhere in the exported handshake.
//
// Payloads are the application's data and are left as they are, but for the credentials an application protocol's
// client sends when it connects (protocolPayload(), decoded()): a STOMP CONNECT or STOMP frame's passcode header and
// any of its headers with a secret name (the value replaced, the frame otherwise as sent); an MQTT CONNECT packet's
// password (replaced by the placeholder's bytes and the packet's Remaining Length written anew, so that the packet
// still decodes; its user name stays: it says who connected, as STOMP's login does, and is no credential by itself);
// the members of a Socket.IO CONNECT packet's auth object with a secret name, at any depth (the object written again
// compactly, members in their order) and a token-like parameter of a Socket.IO 2 namespace's query. An exported
// message so changed is marked (see the writers), since its length no longer matches its payload.
class SecretRedaction final
{
public:
    static constexpr QLatin1StringView placeholder{"[redacted]"};

    // Redacts with the built-in rules and, also, the values of headers with these names (a profile's secret
    // headers; ASCII case-insensitive).
    explicit SecretRedaction(QStringList secretHeaders = {});
    // Changes nothing: the export the user explicitly asked to carry its secrets.
    static SecretRedaction keepingSecrets();

    bool redacts() const noexcept { return m_enabled; }

    // A name (header or query parameter) is secret when, split into words at every character that is not a letter
    // or a digit and where a lower-case letter meets an upper-case one ("apiKey": "api", "key"), one of its words
    // is one of the secret words, compared case-insensitively (see the list in SecretRedaction.cpp). Whole words
    // only: "monkey", "author" and "keyboard" are not secret.
    static bool isSecretName(QStringView name);
    // Whether this header's value is left out (built-in rules and the profile's names).
    bool isSecretHeader(QByteArrayView name) const;

    // The value as it is exported.
    QByteArray headerValue(QByteArrayView name, const QByteArray &value) const;
    HttpHeaders headers(const HttpHeaders &headers) const;
    // A query ("a=1&token=xyz"), encoded as on the wire, with the values of secret parameters replaced.
    QString query(const QString &encodedQuery) const;
    // The URL with secret query values and a password replaced.
    QUrl url(const QUrl &url) const;
    // The raw head of a request or a response (start line, header lines, then anything after the blank line, which
    // is kept): the request target's query and secret header values replaced.
    QByteArray rawHead(const QByteArray &raw) const;
    HandshakeRecord handshake(const HandshakeRecord &record) const;
    // A client's message of an application protocol with its credentials replaced (see above); nullopt when there
    // are none to replace, or the message is the server's. `protocol`: the connection's, when known; unknown, a
    // message is taken for a protocol's connect message by its shape (a STOMP CONNECT frame, an MQTT CONNECT packet,
    // a Socket.IO CONNECT packet). One message's whole payload, or a frame that is a whole message by itself.
    std::optional<QByteArray> protocolPayload(QByteArrayView payload, bool binary, bool fromClient,
                                              std::optional<AppProtocol> protocol) const;
    // The "decoded" array of a client's message (MessageDecoding) with the same credentials replaced.
    QJsonArray decoded(const QJsonArray &decoded, bool fromClient) const;

    // This redaction plus the header names the session's own profile marks secret (a recording made with a profile
    // carries them): what every export of that session applies.
    SecretRedaction forSession(const SessionRecords &session) const;
    // A copy with its URL and handshake redacted (forSession()'s rules); the log and everything else are shared.
    SessionRecords session(const SessionRecords &session) const;

private:
    QByteArray subprotocols(const QByteArray &value) const;
    std::optional<QByteArray> socketIoCredentials(QByteArrayView data) const;

    QStringList m_secretHeaders;
    bool m_enabled = true;
};

} // namespace wsi
