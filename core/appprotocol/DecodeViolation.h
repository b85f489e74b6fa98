// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

namespace wsi {

// Why a message does not decode as its protocol: the rule it breaks, where that rule is written, and what exactly
// was wrong in this message.
struct DecodeViolation {
    QString rule;      // stable kebab-case identifier: "stomp-frame-not-terminated"
    QString reference; // the text stating the rule: "STOMP 1.2, Frames and Headers"
    QString detail;    // the offending values: "no NULL octet after the body (412 bytes)"

    friend bool operator==(const DecodeViolation &, const DecodeViolation &) = default;

    // One line for people: "STOMP 1.2, Frames and Headers stomp-frame-not-terminated: no NULL octet ...".
    QString describe() const { return reference + QLatin1Char(' ') + rule + QStringLiteral(": ") + detail; }
    // {"rule", "reference", "detail"}: the "violation" of the JSON output.
    QJsonObject toJson() const
    {
        return {{QStringLiteral("rule"), rule},
                {QStringLiteral("reference"), reference},
                {QStringLiteral("detail"), detail}};
    }
};

} // namespace wsi
