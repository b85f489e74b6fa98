// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// How a client end of ours does TLS (a session to a wss:// server, the timeout proxy to a wss:// upstream); turned
// into a socket's configuration by TlsSetup.
struct TlsOptions {
    QString caFile;                // extra trusted CA certificates (PEM), on top of the system's
    QString clientCertificateFile; // client certificate (PEM) for servers that require mTLS
    QString clientKeyFile;         // its private key (PEM, RSA or EC, unencrypted)
    bool ignoreErrors = false;     // opt-in per session: connect despite certificate errors (they are recorded)

    friend bool operator==(const TlsOptions &, const TlsOptions &) = default;
};

} // namespace wsi
