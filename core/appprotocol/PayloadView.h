// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/DecodeViolation.h"

#include <QJsonValue>

#include <optional>

namespace wsi {

// A binary payload read as a self-describing encoding without knowing the application protocol (CBOR, the protobuf
// wire format): the value as a JSON tree for display and filtering, or a violation saying where it stops being that
// encoding. The tree holds what was read before the violation.
struct PayloadView {
    QString format; // "cbor", "protobuf"
    QJsonValue value;
    std::optional<DecodeViolation> violation;

    bool isValid() const noexcept { return !violation.has_value(); }
};

} // namespace wsi
