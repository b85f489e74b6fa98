// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/SystemTrustStore.h"

#include "core/proxy/OpenSslErrors.h"

#include <QSslConfiguration>

#include <openssl/x509.h>

namespace wsi {

QList<QSslCertificate> SystemTrustStore::certificatesOpenSslMisses()
{
#if (defined(Q_OS_WIN) || defined(Q_OS_MACOS)) && QT_CONFIG(ssl)
    return QSslConfiguration::systemCaCertificates();
#else
    return {};
#endif
}

int SystemTrustStore::addTo(X509_STORE *store, const QList<QSslCertificate> &certificates)
{
    int added = 0;
    for (const QSslCertificate &certificate : certificates) {
        const QByteArray der = certificate.toDer();
        const auto *bytes = reinterpret_cast<const unsigned char *>(der.constData());
        X509 *x509 = d2i_X509(nullptr, &bytes, long(der.size()));
        if (!x509)
            continue;
        // OpenSSL 1.1.1 and later take a certificate the store already holds as success.
        added += X509_STORE_add_cert(store, x509) == 1 ? 1 : 0;
        X509_free(x509);
    }
    OpenSslErrors::clear();
    return added;
}

} // namespace wsi
