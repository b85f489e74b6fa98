// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Violation.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wsi {

// A Close frame's payload, read (RFC 6455 §5.5.1): empty, or a 2-byte status code in network order followed by a
// UTF-8 reason. The one decoder of Close payloads: the assembler, the file readers, the exports and every view read
// them through it, and present the result as they need.
struct ClosePayload {
    // Absent for an empty payload (the receiver reports 1005) and for a one-byte payload (no code can be read).
    std::optional<quint16> code;
    QByteArray reasonBytes; // the reason as on the wire
    // The reason for people: the UTF-8 text, or, when the bytes are not valid UTF-8, the bytes in hex ("c3 28").
    QString reason;
    bool reasonIsUtf8 = true;
    // What breaks the rules: a one-byte payload (§5.5.1), a code that may not be sent (§7.4), a reason that is not
    // UTF-8 (§5.5.1, §8.1).
    ViolationList violations;

    bool isEmpty() const noexcept { return !code && reasonBytes.isEmpty() && violations.isEmpty(); }
    bool isOneByte() const noexcept { return !code && !violations.isEmpty(); }
    // The code a receiver reports: the one in the payload, else 1005 (no status code).
    quint16 reportedCode() const noexcept { return code.value_or(quint16(1005)); }

    static ClosePayload decode(QByteArrayView payload);
};

} // namespace wsi
