// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/HexDump.h"

#include <algorithm>

namespace wsi::HexDump {

namespace {

constexpr char16_t hexDigits[] = u"0123456789abcdef";
constexpr qsizetype bytesPerLine = 16;

void appendHexByte(QString &out, quint8 byte)
{
    out += QChar(hexDigits[byte >> 4]);
    out += QChar(hexDigits[byte & 0x0f]);
}

} // namespace

QString format(QByteArrayView data, qsizetype maxBytes)
{
    const qsizetype shown = maxBytes < 0 ? data.size() : std::min(data.size(), maxBytes);
    QString out;
    // 78 characters for a full line plus the newline.
    out.reserve((shown / bytesPerLine + 2) * 79);
    for (qsizetype offset = 0; offset < shown; offset += bytesPerLine) {
        const qsizetype count = std::min(bytesPerLine, shown - offset);
        out += QStringLiteral("%1").arg(qulonglong(offset), 8, 16, QLatin1Char('0'));
        out += QLatin1String("  ");
        for (qsizetype j = 0; j < bytesPerLine; ++j) {
            if (j == 8)
                out += QLatin1Char(' ');
            if (j < count) {
                appendHexByte(out, quint8(data[offset + j]));
                out += QLatin1Char(' ');
            } else {
                out += QLatin1String("   ");
            }
        }
        out += QLatin1String(" |");
        for (qsizetype j = 0; j < count; ++j) {
            const auto c = quint8(data[offset + j]);
            out += (c >= 0x20 && c <= 0x7e) ? QLatin1Char(char(c)) : QLatin1Char('.');
        }
        out += QLatin1String("|\n");
    }
    if (shown < data.size()) {
        out += QStringLiteral("... %1 more bytes not shown (display limited to the first %2 bytes)\n")
                   .arg(data.size() - shown)
                   .arg(shown);
    }
    return out;
}

QString spaced(QByteArrayView data)
{
    QString out;
    out.reserve(data.size() * 3);
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(' ');
        appendHexByte(out, quint8(data[i]));
    }
    return out;
}

} // namespace wsi::HexDump
