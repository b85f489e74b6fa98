// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace wsi {

// Every protocol rule the inspector checks. Each rule knows its RFC section, a stable identifier (used in JSON
// output and tests) and the close code with which a strict endpoint fails the connection (RFC 6455 §7.1.7).
// The numeric values index a 64-bit mask in frame records: append new rules at the end, never reorder.
enum class ViolationRule : quint8 {
    // Frame header (FrameParser)
    UnknownOpcode,                        // RFC 6455 §5.2
    ReservedBitWithoutExtension,          // RFC 6455 §5.2
    CompressedBitOnControlOrContinuation, // RFC 7692 §6.1
    ControlFrameTooLong,                  // RFC 6455 §5.5
    FragmentedControlFrame,               // RFC 6455 §5.5
    NonMinimalLength,                     // RFC 6455 §5.2
    LengthHighBitSet,                     // RFC 6455 §5.2
    MaskedFrameFromServer,                // RFC 6455 §5.1
    UnmaskedFrameFromClient,              // RFC 6455 §5.1
    FrameTooLarge,                        // RFC 6455 §10.4 (our limit)

    // Messages (MessageAssembler)
    ContinuationWithoutStart,         // RFC 6455 §5.4
    DataFrameInsideFragmentedMessage, // RFC 6455 §5.4
    InvalidUtf8,                      // RFC 6455 §8.1
    CloseOneBytePayload,              // RFC 6455 §5.5.1
    CloseCodeInvalid,                 // RFC 6455 §7.4
    CloseReasonInvalidUtf8,           // RFC 6455 §5.5.1
    DataAfterClose,                   // RFC 6455 §5.5.1
    MessageTooLarge,                  // RFC 6455 §10.4 (our limit)
    BadCompressedData,                // RFC 7692 §7.2.2
    InflatedMessageTooLarge,          // RFC 7692 §8.1 / RFC 6455 §10.4 (our limit)

    // Opening handshake (HandshakeResponseParser, HandshakeValidator)
    HandshakeTooLarge,                // RFC 6455 §10.4 (our limit)
    HandshakeMalformedStatusLine,     // RFC 6455 §4.1, RFC 9112 §4
    HandshakeMalformedHeader,         // RFC 6455 §4.1, RFC 9112 §5
    HandshakeStatusNot101,            // RFC 6455 §4.1
    HandshakeUpgradeHeaderInvalid,    // RFC 6455 §4.1
    HandshakeConnectionHeaderInvalid, // RFC 6455 §4.1
    HandshakeAcceptMismatch,          // RFC 6455 §4.1
    HandshakeUnofferedExtension,      // RFC 6455 §4.1, §9.1
    HandshakeUnofferedSubprotocol,    // RFC 6455 §4.1
    HandshakeBadExtensionParameters,  // RFC 7692 §7.1

    // Session level
    PongPayloadMismatch, // RFC 6455 §5.5.3

    Count
};

static_assert(static_cast<int>(ViolationRule::Count) <= 64, "frame records keep violations in a 64-bit mask");

struct Violation {
    ViolationRule rule = ViolationRule::UnknownOpcode;
    QString detail; // what exactly was wrong, with the offending values: "opcode 0x3 is reserved"

    friend bool operator==(const Violation &, const Violation &) = default;
};

using ViolationList = QList<Violation>;

namespace Violations {

// Stable kebab-case identifier, e.g. "unknown-opcode".
QString id(ViolationRule rule);
// The section that states the rule, e.g. "RFC 6455 §5.2".
QString rfcSection(ViolationRule rule);
// The close code a strict endpoint sends when it fails the connection for this rule (1002, 1007 or 1009).
quint16 closeCode(ViolationRule rule);
// One line for people: "RFC 6455 §5.2 unknown-opcode: opcode 0x3 is reserved".
QString describe(const Violation &violation);

constexpr quint64 bit(ViolationRule rule) noexcept
{
    return quint64{1} << static_cast<unsigned>(rule);
}
quint64 mask(const ViolationList &violations) noexcept;

} // namespace Violations
} // namespace wsi
