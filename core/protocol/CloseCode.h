// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// Close status codes (RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry").
enum class CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    UnsupportedData = 1003,
    Reserved1004 = 1004,
    NoStatusReceived = 1005, // never on the wire: "no code in the Close frame"
    Abnormal = 1006,         // never on the wire: "closed without a Close frame"
    InvalidPayload = 1007,
    PolicyViolation = 1008,
    MessageTooBig = 1009,
    MandatoryExtension = 1010,
    InternalError = 1011,
    ServiceRestart = 1012,
    TryAgainLater = 1013,
    BadGateway = 1014,
    TlsHandshake = 1015, // never on the wire
};

namespace CloseCodes {

constexpr quint16 value(CloseCode code) noexcept
{
    return static_cast<quint16>(code);
}

// Whether an endpoint may put this code in a Close frame (RFC 6455 §7.4.1, §7.4.2): 1000-1003 and 1007-1014
// (registered), 3000-4999 (libraries, frameworks, applications). 0-999, 1004-1006, 1015, 1016-2999 and 5000 and
// above may not appear on the wire.
constexpr bool isValidOnWire(quint16 code) noexcept
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

// "Normal Closure", "Going Away", ... as registered; ranges are named ("Private use (4000-4999)").
QString name(quint16 code);

// Why a code may not be sent, for a violation's detail: "1005 is reserved for 'no status code present' and must
// not be sent". Empty when the code is valid on the wire.
QString whyInvalidOnWire(quint16 code);

} // namespace CloseCodes
} // namespace wsi
