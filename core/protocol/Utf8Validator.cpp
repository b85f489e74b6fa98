// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Utf8Validator.h"

#include <cstdint>
#include <cstring>

namespace wsi {
namespace {

// States of the validator. Each "need" state names the range the next byte must fall in.
enum State : quint8 {
    Accept = 0, // at a character boundary
    Need1,      // one more continuation byte 80..BF
    Need2,      // two more, the next 80..BF
    Need3,      // three more, the next 80..BF
    AfterE0,    // next A0..BF (no overlong 3-byte forms), then Need1
    AfterED,    // next 80..9F (no surrogates U+D800..DFFF), then Need1
    AfterF0,    // next 90..BF (no overlong 4-byte forms), then Need2
    AfterF4,    // next 80..8F (nothing above U+10FFFF), then Need2
    Reject,
};

State leadTransition(unsigned char byte) noexcept
{
    if (byte < 0x80)
        return Accept;
    if (byte < 0xC2) // stray continuation byte, or overlong C0/C1 lead
        return Reject;
    if (byte < 0xE0)
        return Need1;
    if (byte == 0xE0)
        return AfterE0;
    if (byte == 0xED)
        return AfterED;
    if (byte < 0xF0)
        return Need2;
    if (byte == 0xF0)
        return AfterF0;
    if (byte < 0xF4)
        return Need3;
    if (byte == 0xF4)
        return AfterF4;
    return Reject; // F5..FF would encode beyond U+10FFFF
}

State step(State state, unsigned char byte) noexcept
{
    switch (state) {
    case Accept:
        return leadTransition(byte);
    case Need1:
        return (byte & 0xC0) == 0x80 ? Accept : Reject;
    case Need2:
        return (byte & 0xC0) == 0x80 ? Need1 : Reject;
    case Need3:
        return (byte & 0xC0) == 0x80 ? Need2 : Reject;
    case AfterE0:
        return byte >= 0xA0 && byte <= 0xBF ? Need1 : Reject;
    case AfterED:
        return byte >= 0x80 && byte <= 0x9F ? Need1 : Reject;
    case AfterF0:
        return byte >= 0x90 && byte <= 0xBF ? Need2 : Reject;
    case AfterF4:
        return byte >= 0x80 && byte <= 0x8F ? Need2 : Reject;
    case Reject:
        break;
    }
    return Reject;
}

// Length of the run of ASCII bytes at the start of `data`, measured 32 bytes at a time: text protocols (JSON,
// chat) are mostly ASCII, and this is what makes validation run at memory speed.
qsizetype asciiPrefix(const unsigned char *data, qsizetype length) noexcept
{
    constexpr std::uint64_t highBits = 0x8080808080808080ull;
    qsizetype i = 0;
    for (; i + 32 <= length; i += 32) {
        std::uint64_t w[4];
        std::memcpy(w, data + i, 32);
        if (((w[0] | w[1] | w[2] | w[3]) & highBits) != 0)
            break;
    }
    for (; i + 8 <= length; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, 8);
        if ((w & highBits) != 0)
            break;
    }
    while (i < length && data[i] < 0x80)
        ++i;
    return i;
}

} // namespace

Utf8Validator::Result Utf8Validator::feed(QByteArrayView bytes) noexcept
{
    if (m_state == Reject)
        return Result::Invalid;
    const auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype length = bytes.size();
    auto state = State(m_state);
    qsizetype i = 0;
    while (i < length) {
        if (state == Accept) {
            i += asciiPrefix(data + i, length - i);
            if (i == length)
                break;
        }
        state = step(state, data[i]);
        if (state == Reject) {
            m_invalidOffset = m_consumed + i;
            m_state = Reject;
            m_consumed += length;
            return Result::Invalid;
        }
        ++i;
    }
    m_state = state;
    m_consumed += length;
    return result();
}

Utf8Validator::Result Utf8Validator::result() const noexcept
{
    if (m_state == Reject)
        return Result::Invalid;
    return m_state == Accept ? Result::Valid : Result::Incomplete;
}

void Utf8Validator::reset() noexcept
{
    m_state = Accept;
    m_consumed = 0;
    m_invalidOffset = -1;
}

bool Utf8Validator::isValid(QByteArrayView bytes) noexcept
{
    Utf8Validator validator;
    return validator.feed(bytes) == Result::Valid;
}

} // namespace wsi
