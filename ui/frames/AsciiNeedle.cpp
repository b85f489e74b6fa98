// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/AsciiNeedle.h"

namespace wsi {
namespace {

constexpr std::array<uchar, 256> asciiFoldTable()
{
    std::array<uchar, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[size_t(c)] = uchar(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return table;
}
constexpr std::array<uchar, 256> asciiFold = asciiFoldTable();

} // namespace

AsciiNeedle::AsciiNeedle(QByteArrayView ascii)
    : m_folded(ascii.toByteArray())
{
    for (char &c : m_folded)
        c = char(asciiFold[uchar(c)]);
    const auto length = quint32(m_folded.size());
    m_skip.fill(length);
    for (quint32 i = 0; i + 1 < length; ++i) {
        const auto folded = uchar(m_folded[i]);
        m_skip[folded] = length - 1 - i;
        if (folded >= 'a' && folded <= 'z')
            m_skip[folded - ('a' - 'A')] = length - 1 - i;
    }
}

bool AsciiNeedle::foundIn(QByteArrayView bytes) const noexcept
{
    const qsizetype length = m_folded.size();
    const qsizetype size = bytes.size();
    if (length == 0)
        return true;
    if (size < length)
        return false;
    const auto *haystack = reinterpret_cast<const uchar *>(bytes.data());
    const auto *needle = reinterpret_cast<const uchar *>(m_folded.constData());
    const uchar last = needle[length - 1];
    for (qsizetype at = 0; at <= size - length;) {
        const uchar under = haystack[at + length - 1];
        if (asciiFold[under] == last) {
            qsizetype i = 0;
            while (i < length - 1 && asciiFold[haystack[at + i]] == needle[i])
                ++i;
            if (i == length - 1)
                return true;
        }
        at += m_skip[under];
    }
    return false;
}

} // namespace wsi
