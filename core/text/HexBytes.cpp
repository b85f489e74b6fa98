// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text/HexBytes.h"

namespace wsi {

std::optional<QByteArray> parseHexBytes(QStringView text, QString *why)
{
    const auto fail = [why](const QString &reason) -> std::optional<QByteArray> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    QByteArray digits;
    digits.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        // Separators people paste from hex dumps.
        if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u':')
            continue;
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F')))
            return fail(QStringLiteral("'%1' is not a hexadecimal digit (position %2)").arg(c).arg(i + 1));
        digits.append(char(u));
    }
    if (digits.size() % 2 != 0)
        return fail(QStringLiteral("odd number of hexadecimal digits (%1); each byte needs two").arg(digits.size()));
    return QByteArray::fromHex(digits);
}

} // namespace wsi
