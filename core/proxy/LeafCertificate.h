// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/OpenSslHandles.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <memory>

namespace wsi {

// A server certificate the capture CA signed for one host, with the key that goes with it. The key is shared by
// every leaf of one CaptureAuthority (made in memory when the CA is opened, never written), so a new host costs
// one signature and no key generation.
struct LeafCertificate {
    QString host; // as the certificate names it: a lower-case DNS name or an IP address
    X509Handle certificate;
    std::shared_ptr<EVP_PKEY> key;
    QByteArray pem; // the certificate (never the key), for tests and for showing it
    QDateTime notAfter;
};

} // namespace wsi
