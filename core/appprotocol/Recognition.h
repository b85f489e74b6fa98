// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"

namespace wsi {

// Which application protocol a connection speaks, how sure the recognition is, and the evidence in words.
struct Recognition {
    AppProtocol protocol = AppProtocol::SocketIo;
    int confidence = 0;      // 0-100: 95 for a negotiated subprotocol, less for a URL shape or a first message
    QString reason;          // "the server accepted subprotocol v12.stomp"
    int engineIoVersion = 4; // Socket.IO only: the EIO= of the URL, 3 or 4

    friend bool operator==(const Recognition &, const Recognition &) = default;
};

} // namespace wsi
