// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// How the capture proxy checks the real server's certificate: as a browser would, against the system's CAs
// (OpenSSL's default paths) plus `extraCaFile`, with the host name or IP address checked; `insecure` accepts any
// certificate (TlsStream::verificationProblem() still says what was wrong with it).
struct UpstreamTlsOptions {
    QString extraCaFile; // PEM, one or more CA certificates; empty: the system's only
    bool insecure = false;
};

} // namespace wsi
