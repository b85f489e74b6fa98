// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"

namespace wsi::test {

QByteArray hex(QByteArrayView text)
{
    QByteArray digits;
    digits.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            ++i;
            continue;
        }
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            digits.append(c);
    }
    return QByteArray::fromHex(digits);
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    out.reserve(qsizetype(values.size()));
    for (int v : values)
        out.append(char(v & 0xff));
    return out;
}

QByteArray toHex(QByteArrayView data)
{
    return data.toByteArray().toHex(' ');
}

QByteArray crlf(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + text.count('\n'));
    for (char c : text) {
        if (c == '\n')
            out.append('\r');
        out.append(c);
    }
    return out;
}

QByteArray pattern(qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(i & 0xff);
    return out;
}

QByteArray masked(QByteArrayView payload, MaskingKey key)
{
    QByteArray out = payload.toByteArray();
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = char(quint8(out[i]) ^ key[size_t(i % 4)]);
    return out;
}

} // namespace wsi::test
