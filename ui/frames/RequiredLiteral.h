// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QRegularExpression>

namespace wsi {

// An ASCII string that every match of a regular expression contains, read from the pattern, so that a payload
// without it can be passed over without decoding it or running the regex (most binary payloads, under a pattern
// such as "sym":"(ETH|SOL)-USD"). Conservative: it may find nothing, never a string a match could lack.
namespace RequiredLiteral {

// The longest run of literal ASCII characters at the pattern's top level that no quantifier makes optional;
// empty when there is none of at least two characters, the pattern has an alternative at its top level, or uses
// extended syntax. In a case-insensitive pattern, k and s end a run (Unicode case folding matches the Kelvin sign
// and the long s with them).
QByteArray of(const QRegularExpression &regex);

} // namespace RequiredLiteral
} // namespace wsi
