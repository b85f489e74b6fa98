// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

namespace wsi::test {

class PeerProcess;

// The real nginx (Debian nginx-light) as a WebSocket reverse proxy on 127.0.0.1, in front of `upstreamPort`, with
// proxy_read_timeout set to `proxyReadTimeoutMs`. One process (no master, no workers to outlive a kill), every path
// inside `directory`, so no root and no /var/lib/nginx are needed. It answers the upgrade with its own Server field
// (server_tokens on: "nginx/1.22.1"). False with process.errorString() when it does not start.
namespace RealNginx {

bool start(PeerProcess &process, const QString &directory, quint16 upstreamPort, qint64 proxyReadTimeoutMs);

} // namespace RealNginx
} // namespace wsi::test
