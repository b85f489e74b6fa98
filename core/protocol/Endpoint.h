// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace wsi {

// The two ends of a WebSocket connection. Frames sent by a client must be masked, frames sent by a server must
// not be (RFC 6455 §5.1), so every parser and writer is told which end produced or produces the bytes.
enum class Endpoint : quint8 { Client, Server };

constexpr Endpoint peerOf(Endpoint endpoint) noexcept
{
    return endpoint == Endpoint::Client ? Endpoint::Server : Endpoint::Client;
}

} // namespace wsi
