// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/PayloadView.h"

#include <QByteArrayView>

namespace wsi {

// A payload as the protobuf wire format without its .proto (protobuf.dev, Encoding): each field's number, wire type
// (VARINT, I64, LEN, SGROUP/EGROUP, I32) and value. A LEN field is shown as a nested message when its bytes parse as
// one, else as text when they are UTF-8, else as base64: the wire format alone cannot tell them apart.
class ProtobufWireView final
{
public:
    ProtobufWireView() = delete;

    static PayloadView read(QByteArrayView payload);

    // Nesting followed into LEN fields and groups; deeper bytes stay bytes.
    static constexpr int maxDepth = 16;
    // Fields read in one payload, nested ones included: the tree stays proportionate to the input.
    static constexpr int maxFields = 10000;
};

} // namespace wsi
