// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/DeflateParameters.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/HandshakeResponse.h"
#include "core/protocol/Violation.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// What the client offered, which is what a server's answer is checked against. HandshakeRequest carries all of
// it; this form serves a proxy or a recording that only has the request's fields.
struct HandshakeExpectation {
    QByteArray key;            // Sec-WebSocket-Key as sent, named in messages
    QByteArray expectedAccept; // computed from key when empty
    QStringList subprotocols;
    std::optional<DeflateOffer> deflate; // the permessage-deflate offer, if one was sent
    QList<QByteArray> offeredExtensions; // every extension name offered; permessage-deflate is implied by deflate

    static HandshakeExpectation fromRequest(const HandshakeRequest &request);
};

struct HandshakeOutcome {
    bool accepted = false; // a browser would open the connection: status 101 and no violation
    ViolationList violations;
    QString negotiatedSubprotocol;            // empty when the server selected none
    QList<QByteArray> negotiatedExtensions;   // the server's Sec-WebSocket-Extensions elements as sent
    std::optional<DeflateParameters> deflate; // when permessage-deflate was accepted with valid parameters
    // One or two plain sentences for the user: what happened and what it means, e.g. "The server answered 403
    // Forbidden instead of 101 Switching Protocols: it refused the upgrade." With several violations it explains
    // the first and counts the others.
    QString explanation;
};

// The client's checks of the server's handshake response (RFC 6455 §4.1, the steps after "the client MUST
// validate the server's response"; RFC 7692 §7.1): status 101, Upgrade containing "websocket" and Connection
// containing "upgrade" (both case-insensitive), exactly one Sec-WebSocket-Accept equal to the expected value, only
// offered extensions (each once) with valid permessage-deflate parameters, at most one subprotocol and only an
// offered one. Every problem is reported, not only the first. Run it on a response the parser completed; the
// parser's own violations are not repeated here.
namespace HandshakeValidator {

HandshakeOutcome validate(const HandshakeResponse &response, const HandshakeRequest &request);
HandshakeOutcome validate(const HandshakeResponse &response, const HandshakeExpectation &expectation);

} // namespace HandshakeValidator
} // namespace wsi
