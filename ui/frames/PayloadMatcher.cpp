// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/PayloadMatcher.h"

#include <QStringDecoder>

#include <algorithm>

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

bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

// UTF-16 of `utf8` in a buffer this thread keeps (payloads up to the frame limit: it grows to the largest seen).
QStringView decodeIntoThreadBuffer(QByteArrayView utf8)
{
    thread_local QString buffer;
    if (buffer.size() < utf8.size())
        buffer.resize(utf8.size()); // UTF-8 never needs more UTF-16 units than it has bytes
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QChar *const begin = buffer.data();
    const QChar *const end = decoder.appendToBuffer(begin, utf8);
    return QStringView(begin, end - begin);
}

} // namespace

PayloadMatcher::PayloadMatcher(const QString &text, const QRegularExpression &regex)
    : m_text(text)
    // A new QRegularExpression compiles its own pattern: copies would share one compiled pattern across threads.
    , m_regex(regex.pattern(), regex.patternOptions())
    , m_hasRegex(!regex.pattern().isEmpty())
    , m_textIsAscii(isAscii(text))
{
    if (m_hasRegex && m_regex.isValid())
        m_utf8Regex = std::make_unique<const Utf8Regex>(m_regex);
    if (!m_textIsAscii || text.isEmpty())
        return;
    m_foldedText = text.toLatin1();
    for (char &c : m_foldedText)
        c = char(asciiFold[uchar(c)]);
    const auto length = quint32(m_foldedText.size());
    m_skip.fill(length);
    for (quint32 i = 0; i + 1 < length; ++i) {
        const auto folded = uchar(m_foldedText[i]);
        m_skip[folded] = length - 1 - i;
        if (folded >= 'a' && folded <= 'z')
            m_skip[folded - ('a' - 'A')] = length - 1 - i;
    }
}

bool PayloadMatcher::isBuiltFor(const QString &text, const QRegularExpression &regex) const
{
    return m_text == text && m_regex.pattern() == regex.pattern() && m_regex.patternOptions() == regex.patternOptions();
}

bool PayloadMatcher::matches(QByteArrayView utf8) const
{
    const bool textNeedsDecoding = !m_text.isEmpty() && !m_textIsAscii;
    if (m_textIsAscii && !m_text.isEmpty() && !containsAsciiText(utf8))
        return false;
    if (!textNeedsDecoding && !m_hasRegex)
        return true;
    if (!textNeedsDecoding && m_utf8Regex && m_utf8Regex->isValid()) {
        const Utf8Regex::Result result = m_utf8Regex->match(utf8);
        if (result != Utf8Regex::Result::Unknown)
            return result == Utf8Regex::Result::Match;
    }
    const QStringView decoded = decodeIntoThreadBuffer(utf8);
    if (textNeedsDecoding && !decoded.contains(m_text, Qt::CaseInsensitive))
        return false;
    return !m_hasRegex || m_regex.match(decoded).hasMatch();
}

// Horspool over ASCII-folded bytes. Bytes of multi-byte UTF-8 sequences are >= 0x80 and never equal an ASCII byte of
// the text, so this finds what a case-insensitive search of the decoded text finds, except the two non-ASCII letters
// whose case folding is ASCII (KELVIN SIGN and LATIN SMALL LETTER LONG S): a price worth a scan without decoding.
bool PayloadMatcher::containsAsciiText(QByteArrayView bytes) const noexcept
{
    const qsizetype length = m_foldedText.size();
    const qsizetype size = bytes.size();
    if (size < length)
        return false;
    const auto *haystack = reinterpret_cast<const uchar *>(bytes.data());
    const auto *needle = reinterpret_cast<const uchar *>(m_foldedText.constData());
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
