// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/Utf8Regex.h"

#include "core/protocol/Utf8Validator.h"

#include <array>

#if WSI_HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <memory>
#include <pcre2.h>
#endif

namespace wsi {

#if WSI_HAVE_PCRE2

namespace {

// The compile options QRegularExpression passes PCRE2 for its pattern options (it always adds PCRE2_UTF).
uint32_t compileOptions(QRegularExpression::PatternOptions options)
{
    uint32_t flags = PCRE2_UTF;
    if (options & QRegularExpression::CaseInsensitiveOption)
        flags |= PCRE2_CASELESS;
    if (options & QRegularExpression::DotMatchesEverythingOption)
        flags |= PCRE2_DOTALL;
    if (options & QRegularExpression::MultilineOption)
        flags |= PCRE2_MULTILINE;
    if (options & QRegularExpression::ExtendedPatternSyntaxOption)
        flags |= PCRE2_EXTENDED;
    if (options & QRegularExpression::InvertedGreedinessOption)
        flags |= PCRE2_UNGREEDY;
    if (options & QRegularExpression::DontCaptureOption)
        flags |= PCRE2_NO_AUTO_CAPTURE;
    if (options & QRegularExpression::UseUnicodePropertiesOption)
        flags |= PCRE2_UCP;
    return flags;
}

// A filter only asks whether there is a match: one ovector pair is enough for any pattern, and one per thread serves
// every pattern.
pcre2_match_data *threadMatchData()
{
    thread_local const std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
    return data.get();
}

} // namespace

Utf8Regex::Utf8Regex(const QRegularExpression &regex)
{
    const QByteArray pattern = regex.pattern().toUtf8();
    int error = 0;
    PCRE2_SIZE errorOffset = 0;
    pcre2_code *code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.constData()), PCRE2_SIZE(pattern.size()),
                                     compileOptions(regex.patternOptions()), &error, &errorOffset, nullptr);
    if (!code)
        return;
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // without JIT (unsupported CPU) it still matches, interpreted
    m_code = code;
}

Utf8Regex::~Utf8Regex()
{
    pcre2_code_free(static_cast<pcre2_code *>(m_code));
}

Utf8Regex::Result Utf8Regex::match(QByteArrayView utf8, bool validUtf8) const
{
    if (!validUtf8 && !Utf8Validator::isValid(utf8)) {
        thread_local QByteArray replaced;
        replaceInvalidSequences(utf8, replaced);
        utf8 = replaced;
    }
    const int rc = pcre2_match(static_cast<const pcre2_code *>(m_code), reinterpret_cast<PCRE2_SPTR>(utf8.data()),
                               PCRE2_SIZE(utf8.size()), 0, PCRE2_NO_UTF_CHECK, threadMatchData(), nullptr);
    if (rc >= 0)
        return Result::Match;
    return rc == PCRE2_ERROR_NOMATCH ? Result::NoMatch : Result::Unknown;
}

#else

Utf8Regex::Utf8Regex(const QRegularExpression &) {}
Utf8Regex::~Utf8Regex() = default;
Utf8Regex::Result Utf8Regex::match(QByteArrayView, bool) const
{
    return Result::Unknown;
}

#endif

namespace {

// The length of the valid UTF-8 sequence at `p` (RFC 3629 §4: no overlong forms, no surrogates, nothing above
// U+10FFFF), or 0.
int validSequenceLength(const uchar *p, qsizetype left) noexcept
{
    const uchar lead = p[0];
    if (lead < 0x80)
        return 1;
    int length = 0;
    uchar low = 0x80; // the second byte's range, narrower after some leads
    uchar high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead == 0xe0) {
        length = 3;
        low = 0xa0;
    } else if (lead == 0xed) {
        length = 3;
        high = 0x9f;
    } else if (lead >= 0xe1 && lead <= 0xef) {
        length = 3;
    } else if (lead == 0xf0) {
        length = 4;
        low = 0x90;
    } else if (lead == 0xf4) {
        length = 4;
        high = 0x8f;
    } else if (lead >= 0xf1 && lead <= 0xf3) {
        length = 4;
    } else {
        return 0;
    }
    if (left < length || p[1] < low || p[1] > high)
        return 0;
    for (int i = 2; i < length; ++i) {
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    }
    return length;
}

} // namespace

void Utf8Regex::replaceInvalidSequences(QByteArrayView bytes, QByteArray &out)
{
    // Binary payloads are mostly random bytes, where "is this byte ASCII" is a coin toss the branch predictor loses:
    // ASCII and bytes that can never start a sequence (0x80-0xC1, 0xF5-0xFF) are written without a branch between
    // them (the byte itself, or U+FFFD); only the possible lead bytes C2-F4 take the checking path.
    static constexpr auto byteClass = [] {
        std::array<uchar, 256> table{};
        for (int b = 0; b < 256; ++b)
            table[size_t(b)] = b < 0x80 ? 0 : (b < 0xc2 || b > 0xf4) ? 1 : 2;
        return table;
    }();
    out.resize(bytes.size() * 3 + 3); // each byte becomes at most the three bytes of U+FFFD; +3: see below
    const auto *in = reinterpret_cast<const uchar *>(bytes.data());
    auto *write = reinterpret_cast<uchar *>(out.data());
    for (qsizetype at = 0; at < bytes.size();) {
        const uchar byte = in[at];
        const uchar kind = byteClass[byte];
        if (kind < 2) {
            // Three bytes are always written (room was made for them); the pointer moves by 1 or 3.
            write[0] = kind ? uchar(0xef) : byte;
            write[1] = 0xbf;
            write[2] = 0xbd;
            write += 1 + 2 * kind;
            ++at;
            continue;
        }
        const int length = validSequenceLength(in + at, bytes.size() - at);
        if (length > 0) {
            for (int i = 0; i < length; ++i)
                *write++ = in[at + i];
            at += length;
        } else {
            *write++ = 0xef;
            *write++ = 0xbf;
            *write++ = 0xbd;
            ++at;
        }
    }
    out.truncate(reinterpret_cast<char *>(write) - out.data());
}

} // namespace wsi
