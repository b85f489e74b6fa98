// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/PayloadMatcher.h"

#include "ui/frames/RequiredLiteral.h"

#include <QStringDecoder>

#include <algorithm>

namespace wsi {
namespace {

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
    if (m_textIsAscii && !text.isEmpty())
        m_textNeedle = AsciiNeedle(text.toLatin1());
    if (m_hasRegex && m_regex.isValid())
        m_regexNeedle = AsciiNeedle(RequiredLiteral::of(m_regex));
}

bool PayloadMatcher::matches(QByteArrayView utf8, bool validUtf8) const
{
    const bool textNeedsDecoding = !m_text.isEmpty() && !m_textIsAscii;
    if (m_textIsAscii && !m_text.isEmpty() && !m_textNeedle.foundIn(utf8))
        return false;
    // Every match contains this string: without it, nothing to decode and no regex to run (most binary payloads).
    if (m_hasRegex && !m_regexNeedle.foundIn(utf8))
        return false;
    if (!textNeedsDecoding && !m_hasRegex)
        return true;
    if (!textNeedsDecoding && m_utf8Regex && m_utf8Regex->isValid()) {
        const Utf8Regex::Result result = m_utf8Regex->match(utf8, validUtf8);
        if (result != Utf8Regex::Result::Unknown)
            return result == Utf8Regex::Result::Match;
    }
    const QStringView decoded = decodeIntoThreadBuffer(utf8);
    if (textNeedsDecoding && !decoded.contains(m_text, Qt::CaseInsensitive))
        return false;
    return !m_hasRegex || m_regex.match(decoded).hasMatch();
}

} // namespace wsi
