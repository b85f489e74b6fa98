// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/CloseCode.h"

namespace wsi::CloseCodes {

QString name(quint16 code)
{
    switch (code) {
    case 1000:
        return QStringLiteral("Normal Closure");
    case 1001:
        return QStringLiteral("Going Away");
    case 1002:
        return QStringLiteral("Protocol Error");
    case 1003:
        return QStringLiteral("Unsupported Data");
    case 1004:
        return QStringLiteral("Reserved");
    case 1005:
        return QStringLiteral("No Status Received");
    case 1006:
        return QStringLiteral("Abnormal Closure");
    case 1007:
        return QStringLiteral("Invalid Frame Payload Data");
    case 1008:
        return QStringLiteral("Policy Violation");
    case 1009:
        return QStringLiteral("Message Too Big");
    case 1010:
        return QStringLiteral("Mandatory Extension");
    case 1011:
        return QStringLiteral("Internal Error");
    case 1012:
        return QStringLiteral("Service Restart");
    case 1013:
        return QStringLiteral("Try Again Later");
    case 1014:
        return QStringLiteral("Bad Gateway");
    case 1015:
        return QStringLiteral("TLS Handshake");
    default:
        break;
    }
    if (code < 1000)
        return QStringLiteral("Not used (0-999)");
    if (code < 3000)
        return QStringLiteral("Reserved for the protocol (1016-2999)");
    if (code < 4000)
        return QStringLiteral("Registered for libraries and frameworks (3000-3999)");
    if (code < 5000)
        return QStringLiteral("Private use (4000-4999)");
    return QStringLiteral("Out of range (5000 and above)");
}

QString whyInvalidOnWire(quint16 code)
{
    if (isValidOnWire(code))
        return {};
    switch (code) {
    case 1004:
        return QStringLiteral("1004 is reserved and must not be sent");
    case 1005:
        return QStringLiteral("1005 is reserved for \"no status code present\" and must not be sent in a Close frame");
    case 1006:
        return QStringLiteral("1006 is reserved for \"closed abnormally, without a Close frame\" and must not be sent");
    case 1015:
        return QStringLiteral("1015 is reserved for \"TLS handshake failed\" and must not be sent");
    default:
        break;
    }
    if (code < 1000)
        return QStringLiteral("%1 is below 1000; codes 0-999 are not used").arg(code);
    if (code < 3000)
        return QStringLiteral("%1 is in 1016-2999, reserved for future revisions of the protocol").arg(code);
    return QStringLiteral("%1 is 5000 or above, outside every defined range").arg(code);
}

} // namespace wsi::CloseCodes
