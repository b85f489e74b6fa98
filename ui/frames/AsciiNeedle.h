// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>

namespace wsi {

// An ASCII string searched for in raw payload bytes, ignoring ASCII case, without decoding them (Horspool's
// algorithm over the case-folded bytes). Bytes of 0x80 and above never match an ASCII needle byte, so a needle is
// found in UTF-8 text exactly where it is found in the decoded text, ignoring case, except for the two non-ASCII
// letters whose case folding is ASCII (KELVIN SIGN and LATIN SMALL LETTER LONG S): a price worth a scan without
// decoding for the payload filter's text; RequiredLiteral keeps k and s out of what it hands over.
class AsciiNeedle final
{
public:
    AsciiNeedle() = default;
    // `ascii` must hold ASCII only.
    explicit AsciiNeedle(QByteArrayView ascii);

    bool isEmpty() const noexcept { return m_folded.isEmpty(); }
    qsizetype size() const noexcept { return m_folded.size(); }
    bool foundIn(QByteArrayView bytes) const noexcept;

private:
    QByteArray m_folded;                  // lower-case
    std::array<quint32, 256> m_skip = {}; // shift by the byte under the window's last position
};

} // namespace wsi
