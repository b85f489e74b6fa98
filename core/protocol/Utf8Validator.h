// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>

namespace wsi {

// Incremental UTF-8 validation (RFC 3629 §4) for text messages that arrive in fragments (RFC 6455 §8.1). It
// rejects at the first byte that no valid continuation could follow: an overlong lead (C0, C1, E0 80..9F,
// F0 80..8F), a surrogate (ED A0..BF), a code point above U+10FFFF (F4 90.., F5..FF), a stray continuation byte.
// A sequence cut at a fragment boundary stays pending until the next fragment or the end of the message.
class Utf8Validator final
{
public:
    enum class Result : quint8 {
        Valid,      // everything so far is valid and ends on a character boundary
        Incomplete, // valid so far, but the last character is not finished yet
        Invalid,    // a byte broke the rules; see invalidOffset()
    };

    // Validates the next bytes. Once Invalid, stays Invalid until reset().
    Result feed(QByteArrayView bytes) noexcept;
    // The state after everything fed so far.
    Result result() const noexcept;
    // Offset, counted over every byte fed since reset(), of the byte that made the text invalid; -1 if valid.
    qint64 invalidOffset() const noexcept { return m_invalidOffset; }
    void reset() noexcept;

    static bool isValid(QByteArrayView bytes) noexcept;

private:
    quint8 m_state = 0;
    qint64 m_consumed = 0;
    qint64 m_invalidOffset = -1;
};

} // namespace wsi
