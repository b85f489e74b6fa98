// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/ClosePayload.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/Utf8Validator.h"

#include <QtEndian>

namespace wsi {

ClosePayload ClosePayload::decode(QByteArrayView payload)
{
    ClosePayload close;
    if (payload.size() == 1) {
        close.violations.append({ViolationRule::CloseOneBytePayload,
                                 QStringLiteral("Close frame with a 1-byte payload (0x%1); a Close payload is empty or "
                                                "starts with a 2-byte status code")
                                     .arg(quint8(payload[0]), 2, 16, QLatin1Char('0'))});
        return close;
    }
    if (payload.size() < 2)
        return close;
    const quint16 code = qFromBigEndian<quint16>(payload.data());
    close.code = code;
    if (!CloseCodes::isValidOnWire(code))
        close.violations.append({ViolationRule::CloseCodeInvalid, CloseCodes::whyInvalidOnWire(code)});
    const QByteArrayView reason = payload.sliced(2);
    close.reasonBytes = reason.toByteArray();
    Utf8Validator validator;
    if (validator.feed(reason) == Utf8Validator::Result::Valid) {
        close.reason = QString::fromUtf8(reason);
        return close;
    }
    const qint64 at = validator.invalidOffset();
    close.violations.append({ViolationRule::CloseReasonInvalidUtf8,
                             at >= 0 ? QStringLiteral("the close reason is not valid UTF-8: byte 0x%1 at offset %2")
                                           .arg(quint8(reason[qsizetype(at)]), 2, 16, QLatin1Char('0'))
                                           .arg(at)
                                     : QStringLiteral("the close reason ends in the middle of a UTF-8 sequence")});
    close.reasonIsUtf8 = false;
    close.reason = QString::fromLatin1(close.reasonBytes.toHex(' '));
    return close;
}

} // namespace wsi
