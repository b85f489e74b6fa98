// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QRegularExpression>

namespace wsi {

// A regular expression matched on UTF-8 bytes with PCRE2's 8-bit library and its JIT: the engine and syntax of
// QRegularExpression (PCRE2 over UTF-16), without decoding each payload to UTF-16 first, which is most of the cost
// of a regex filter over a million payloads. A payload that is not valid UTF-8 (binary frames) is matched as its
// decoded text would be: each byte that starts no valid sequence becomes U+FFFD, exactly as QString::fromUtf8
// replaces them, written as UTF-8 into a buffer of the thread's; that costs a tenth of Qt's decoding of such bytes.
// (PCRE2_MATCH_INVALID_UTF would skip that, but it answers differently for U+FFFD, and PCRE2 10.42's JIT misses
// matches with it: `\s\S+\s` on "a ÉAÉ b".)
//
// Built without PCRE2 (WSI_HAVE_PCRE2 0: Windows and macOS builds against Qt's own binaries) it is never valid, and
// callers use QRegularExpression. Thread-safe after construction: match data is per thread.
class Utf8Regex final
{
public:
    enum class Result : quint8 {
        Match,
        NoMatch,
        Unknown, // PCRE2 gave up (JIT stack or match limit on a pathological pattern): ask QRegularExpression
    };

    explicit Utf8Regex(const QRegularExpression &regex);
    ~Utf8Regex();
    Q_DISABLE_COPY_MOVE(Utf8Regex)

    // False when PCRE2 is not built in, or its 8-bit library refused the pattern (QRegularExpression is used then).
    bool isValid() const noexcept { return m_code != nullptr; }
    // `validUtf8`: the caller knows the bytes are valid UTF-8, so they are not checked again.
    Result match(QByteArrayView utf8, bool validUtf8 = false) const;

    // `bytes` with every byte that starts no valid UTF-8 sequence (RFC 3629) replaced by U+FFFD, as UTF-8: the text
    // QString::fromUtf8 decodes, re-encoded. Public for its test.
    static void replaceInvalidSequences(QByteArrayView bytes, QByteArray &out);

private:
    void *m_code = nullptr; // pcre2_code_8
};

} // namespace wsi
