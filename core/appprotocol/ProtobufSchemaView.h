// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/PayloadView.h"

#include <QByteArrayView>

#include <memory>

namespace wsi {

class ProtobufSchema;

// A payload read as one message type of a .proto the user gave (ProtobufSchema), with libprotobuf: a JSON object
// of the fields by name (the proto field names), enums by their value's name, nested messages as objects, repeated
// fields as arrays, maps as objects keyed by the key's text, and fields the schema does not know by their number
// with what the wire format says of them (ProtobufWireView). A payload libprotobuf cannot parse is a violation with
// libprotobuf's own error (or, when it gives none, where the wire format breaks), the tree holding what was read.
// Immutable; any thread may read with it.
class ProtobufSchemaView final
{
public:
    // The type must be one of the schema's (ProtobufSchema::hasMessageType).
    ProtobufSchemaView(std::shared_ptr<const ProtobufSchema> schema, QString messageType);

    const QString &messageType() const noexcept { return m_messageType; }
    const std::shared_ptr<const ProtobufSchema> &schema() const noexcept { return m_schema; }

    // format "protobuf:" + the type's full name.
    PayloadView read(QByteArrayView payload) const;

    // Messages nested in messages that libprotobuf follows before it stops (its own default is 100).
    static constexpr int maxDepth = 64;
    // Values put in one tree, nested ones included: the tree stays proportionate to what can be looked at.
    static constexpr int maxFields = 10000;
    static constexpr QLatin1StringView formatPrefix{"protobuf:"};

private:
    std::shared_ptr<const ProtobufSchema> m_schema;
    QString m_messageType;
};

} // namespace wsi
