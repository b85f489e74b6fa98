// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/frames/AsciiNeedle.h"
#include "ui/frames/Utf8Regex.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <array>
#include <memory>

namespace wsi {

// The text part of a frame filter, matched against payload bytes as if they were decoded from UTF-8 (invalid bytes
// replaced). Built once per filter and then used for every frame, so a scan over a million payloads does not
// decode each one: an ASCII search text is found in the raw bytes (ASCII case folding, a Horspool skip table);
// a regular expression runs on the raw bytes too (Utf8Regex: PCRE2's 8-bit library); only a non-ASCII text, or a
// regular expression where PCRE2 is not built in, needs UTF-16, decoded into a buffer reused per thread.
//
// Immutable once built; its regular expression is its own compiled copy, so a matcher is used by one thread.
class PayloadMatcher final
{
public:
    PayloadMatcher(const QString &text, const QRegularExpression &regex);

    // `validUtf8`: the caller knows the bytes are valid UTF-8 (a text message checked when it was received).
    bool matches(QByteArrayView utf8, bool validUtf8 = false) const;

private:
    QString m_text;
    QRegularExpression m_regex;
    std::unique_ptr<const Utf8Regex> m_utf8Regex; // valid when the bytes can be matched without decoding
    bool m_hasRegex = false;
    bool m_textIsAscii = false;
    AsciiNeedle m_textNeedle;  // the text, when it is ASCII
    AsciiNeedle m_regexNeedle; // what every match of the regex contains (RequiredLiteral), empty when unknown
};

} // namespace wsi
