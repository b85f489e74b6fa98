// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QUrl>

namespace wsi {

struct HandshakeRecord;

// What the opening handshake tells about the application protocol: the URL asked for and the subprotocols.
struct ConnectionFacts {
    QUrl url;                        // ws://host/socket.io/?EIO=4&transport=websocket
    QStringList offeredSubprotocols; // the client's Sec-WebSocket-Protocol list
    QString subprotocol;             // the server's choice; empty when none was negotiated

    // From a recorded handshake: the request line's target, the Host header and both Sec-WebSocket-Protocol headers
    // (the server's choice read from its 101 when the record does not name it, as a relay's does not).
    static ConnectionFacts fromHandshake(const HandshakeRecord &handshake);
};

} // namespace wsi
