// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Violation.h"

#include <array>

namespace wsi::Violations {
namespace {

struct RuleInfo {
    const char *id;
    const char *section;
    quint16 closeCode;
};

// Indexed by ViolationRule. Handshake rules carry 1002 for completeness: a failed handshake sends no Close frame.
constexpr std::array<RuleInfo, static_cast<size_t>(ViolationRule::Count)> rules{{
    {"unknown-opcode", "RFC 6455 §5.2", 1002},
    {"reserved-bit-without-extension", "RFC 6455 §5.2", 1002},
    {"compressed-bit-on-control-or-continuation", "RFC 7692 §6.1", 1002},
    {"control-frame-too-long", "RFC 6455 §5.5", 1002},
    {"fragmented-control-frame", "RFC 6455 §5.5", 1002},
    {"non-minimal-length", "RFC 6455 §5.2", 1002},
    {"length-high-bit-set", "RFC 6455 §5.2", 1002},
    {"masked-frame-from-server", "RFC 6455 §5.1", 1002},
    {"unmasked-frame-from-client", "RFC 6455 §5.1", 1002},
    {"frame-too-large", "RFC 6455 §10.4", 1009},
    {"continuation-without-start", "RFC 6455 §5.4", 1002},
    {"data-frame-inside-fragmented-message", "RFC 6455 §5.4", 1002},
    {"invalid-utf8", "RFC 6455 §8.1", 1007},
    {"close-one-byte-payload", "RFC 6455 §5.5.1", 1002},
    {"close-code-invalid", "RFC 6455 §7.4", 1002},
    {"close-reason-invalid-utf8", "RFC 6455 §5.5.1", 1007},
    {"data-after-close", "RFC 6455 §5.5.1", 1002},
    {"message-too-large", "RFC 6455 §10.4", 1009},
    {"bad-compressed-data", "RFC 7692 §7.2.2", 1002},
    {"inflated-message-too-large", "RFC 7692 §8.1", 1009},
    {"handshake-too-large", "RFC 6455 §10.4", 1002},
    {"handshake-malformed-status-line", "RFC 6455 §4.1", 1002},
    {"handshake-malformed-header", "RFC 6455 §4.1", 1002},
    {"handshake-status-not-101", "RFC 6455 §4.1", 1002},
    {"handshake-upgrade-header-invalid", "RFC 6455 §4.1", 1002},
    {"handshake-connection-header-invalid", "RFC 6455 §4.1", 1002},
    {"handshake-accept-mismatch", "RFC 6455 §4.1", 1002},
    {"handshake-unoffered-extension", "RFC 6455 §4.1", 1002},
    {"handshake-unoffered-subprotocol", "RFC 6455 §4.1", 1002},
    {"handshake-bad-extension-parameters", "RFC 7692 §7.1", 1002},
    {"pong-payload-mismatch", "RFC 6455 §5.5.3", 1002},
}};

const RuleInfo &info(ViolationRule rule)
{
    return rules[static_cast<size_t>(rule)];
}

} // namespace

QString id(ViolationRule rule)
{
    return QString::fromLatin1(info(rule).id);
}

QString rfcSection(ViolationRule rule)
{
    return QString::fromUtf8(info(rule).section);
}

quint16 closeCode(ViolationRule rule)
{
    return info(rule).closeCode;
}

QString describe(const Violation &violation)
{
    return rfcSection(violation.rule) + u' ' + id(violation.rule) + u": " + violation.detail;
}

quint64 mask(const ViolationList &violations) noexcept
{
    quint64 result = 0;
    for (const Violation &v : violations)
        result |= bit(v.rule);
    return result;
}

} // namespace wsi::Violations
