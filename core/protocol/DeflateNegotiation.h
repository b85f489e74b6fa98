// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/DeflateParameters.h"
#include "core/protocol/Violation.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

struct ExtensionParameter {
    QByteArray name;
    std::optional<QByteArray> value; // with quoting removed; nullopt when the parameter has no "="

    friend bool operator==(const ExtensionParameter &, const ExtensionParameter &) = default;
};

// One element of a Sec-WebSocket-Extensions list: "permessage-deflate; client_max_window_bits=10".
struct ExtensionElement {
    QByteArray name;
    QList<ExtensionParameter> parameters; // in order, repeats kept so that they can be reported

    friend bool operator==(const ExtensionElement &, const ExtensionElement &) = default;
};

// The server's answer to a client's permessage-deflate offer, as checked by the client.
struct DeflateResponseCheck {
    std::optional<DeflateParameters> parameters; // what was agreed, when the answer is valid for the offer
    std::optional<Violation> violation;          // otherwise why not, with every problem in the detail
    QString problems; // the problems alone, without the element, for sentences ("x is outside 8-15; ...")

    bool isValid() const noexcept { return parameters.has_value(); }
};

// What our own servers (test servers, the timeout proxy) are willing to agree to.
struct DeflateServerPolicy {
    bool serverNoContextTakeover = false;   // reset our compressor after every message even when not asked to
    bool clientNoContextTakeover = false;   // ask the client to reset its compressor after every message
    int serverMaxWindowBits = 15;           // our compressor's largest window, 9-15 (zlib has no raw 8-bit window)
    std::optional<int> clientMaxWindowBits; // cap on the client's window, used when its offer allows one (8-15)
};

struct DeflateAcceptance {
    QByteArray responseHeaderValue; // the Sec-WebSocket-Extensions element to answer with
    DeflateParameters parameters;
};

// permessage-deflate negotiation, both sides (RFC 7692 §5, §7.1).
namespace DeflateNegotiation {

inline constexpr QByteArrayView extensionName{"permessage-deflate"};
inline constexpr int minWindowBits = 8;
inline constexpr int maxWindowBits = 15;

// Parses one element of a Sec-WebSocket-Extensions list (RFC 6455 §9.1): a token name, then parameters
// "; name" or "; name=value" where value is a token or a quoted-string whose content is a token. Spaces and tabs
// around ";" and "=" are allowed. On a syntax error returns nullopt and, if given, sets *error.
std::optional<ExtensionElement> parseExtensionElement(QByteArrayView element, QString *error = nullptr);

// --- client side

// The header value for an offer: "permessage-deflate; client_max_window_bits" for DeflateOffer{}.
QByteArray offerHeaderValue(const DeflateOffer &offer);
// Why this offer cannot be sent (a window size outside 8-15); empty when it can.
QString offerProblem(const DeflateOffer &offer);
// Checks the server's permessage-deflate element against the offer we sent (RFC 7692 §7.1): unknown, repeated
// or malformed parameters, window sizes that are not 8-15 without leading zeros, values on the
// *_no_context_takeover parameters, client_max_window_bits when the offer did not name it or larger than the
// value it announced, server_max_window_bits larger than asked, and the parameters the offer asked for
// (server_no_context_takeover, server_max_window_bits) missing from the answer, since including them is how a
// server accepts them.
DeflateResponseCheck checkResponse(QByteArrayView element, const DeflateOffer &offer);

// --- server side

// Reads one element as a permessage-deflate offer. nullopt (with *error) when it is another extension or when a
// server must decline it (RFC 7692 §5: unknown or repeated parameter, invalid value).
std::optional<DeflateOffer> parseOffer(QByteArrayView element, QString *error = nullptr);
// Every permessage-deflate offer in a Sec-WebSocket-Extensions value that a server may accept, in the client's
// order of preference; other extensions and offers that must be declined are left out.
QList<DeflateOffer> parseOffers(QByteArrayView headerValue);
// Takes the first offer the policy can honour and builds the answer: parameters the offer asks for are confirmed
// (server_no_context_takeover, a server window no larger than asked), the policy may narrow further. An offer
// whose requested server window is below what zlib can produce (8) is declined. nullopt when no offer fits or
// the policy itself is out of range.
std::optional<DeflateAcceptance> accept(const QList<DeflateOffer> &offers, const DeflateServerPolicy &policy = {});

} // namespace DeflateNegotiation
} // namespace wsi
