// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/HostPatterns.h"
#include "core/proxy/ProxyOptions.h"

#include <QHostAddress>

#include <memory>

namespace wsi {

class TlsContext;

// Everything a CaptureProxy needs: where it listens, which hosts it intercepts, and how its WebSocket relay runs
// (the models' timers, the time scale, limits and budget: the same ProxyOptions a reverse relay takes, whose
// upstream each connection fills in with the URL its client asked for).
struct CaptureOptions {
    // Loopback unless allowRemote: anyone who can reach the port can use the proxy to reach anything it can.
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 0; // 0: a free port (see CaptureProxy::port())
    bool allowRemote = false;
    HostPatterns patterns;
    ProxyOptions relay;
    // A client has this long to send its request head, and a server this long to accept the TCP connection.
    int headTimeoutMs = 30000;
    int connectTimeoutMs = 15000;
    // TLS interception (CaptureProxy::enableInterception()): the server side toward intercepted clients (our CA's
    // leaves) and the client side toward real servers (verified). Without both, TLS inside a tunnel passes through
    // blindly.
    std::shared_ptr<const TlsContext> interceptTls;
    std::shared_ptr<const TlsContext> upstreamTls;
    // Both TLS handshakes of an intercepted tunnel (the client's, then the server's) end within this.
    int tlsHandshakeTimeoutMs = 15000;
    // Read buffer of each socket of a tunnel passed through: a slow end slows the other through TCP's own flow
    // control instead of filling the proxy's memory.
    qint64 tunnelReadBuffer = 256 * 1024;
};

} // namespace wsi
