// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace wsi {

// Size limits that protect the inspector from hostile or broken peers (RFC 6455 §10.4). Every limit is checked
// against a declared or produced size before memory is allocated for it.
struct ProtocolLimits {
    static constexpr quint64 defaultMaxFramePayload = 64ull * 1024 * 1024;
    static constexpr quint64 defaultMaxMessageSize = 64ull * 1024 * 1024;
    static constexpr qsizetype defaultMaxHandshakeSize = 64 * 1024;
    static constexpr qsizetype defaultMaxRefusalBodySize = 64 * 1024;

    quint64 maxFramePayload = defaultMaxFramePayload;         // one frame's payload, as declared in its header
    quint64 maxMessageSize = defaultMaxMessageSize;           // a reassembled message, after inflation
    qsizetype maxHandshakeSize = defaultMaxHandshakeSize;     // status line + headers of the server's response
    qsizetype maxRefusalBodySize = defaultMaxRefusalBodySize; // body kept from a non-101 response
};

} // namespace wsi
