// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/Correlation.h"
#include "core/appprotocol/DecodeViolation.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace wsi {

// One protocol message decoded from a WebSocket message (a WebSocket message may carry several: MQTT packets,
// SignalR records, JSON-RPC batches). kind is the protocol's own name for the message type, spelled as its
// specification spells it ("EVENT", "MESSAGE", "PINGREQ", "connection_init"); fields are the decoded named fields.
// A message that breaks the protocol has a violation, and holds the fields read before it.
struct DecodedMessage {
    AppProtocol protocol = AppProtocol::SocketIo;
    QString kind;
    QJsonObject fields;
    std::optional<DecodeViolation> violation;
    Correlation correlation;

    bool isValid() const noexcept { return !violation.has_value(); }

    // {"protocol": NAME, "kind": KIND, ...fields, "violation": {...}, "correlation": {...}}: what `connect --json`
    // carries as "decoded".
    QJsonObject toJson() const;
};

using DecodedMessages = QList<DecodedMessage>;

} // namespace wsi
