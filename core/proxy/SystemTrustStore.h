// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSslCertificate>

#include <openssl/x509_vfy.h>

namespace wsi {

// The CAs the operating system trusts, for the upstream side of TLS interception. On Linux and the BSDs OpenSSL's
// default paths are the system store (SSL_CTX_set_default_verify_paths), so nothing more is needed. Windows and
// macOS keep theirs in the OS (the ROOT store, the keychains), where OpenSSL does not look: there Qt reads them,
// and they are added to OpenSSL's store, so a server a browser trusts passes here too.
class SystemTrustStore final
{
public:
    SystemTrustStore() = delete;

    // The OS store's CAs where OpenSSL's default paths miss them; empty where those paths are the store.
    static QList<QSslCertificate> certificatesOpenSslMisses();
    // Adds each certificate to `store`; how many it holds afterwards of them (a duplicate counts, a broken one not).
    static int addTo(X509_STORE *store, const QList<QSslCertificate> &certificates);
};

} // namespace wsi
