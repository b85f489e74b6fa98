// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/LeafCertificate.h"
#include "core/proxy/OpenSslHandles.h"

#include <QByteArray>
#include <QHash>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <memory>
#include <mutex>

namespace wsi {

// The capture proxy's local certificate authority: the certificate the user trusts in their browser or app, and
// the leaf certificates it signs for each intercepted host.
//
// It lives in one folder (0700): ca.pem, the CA certificate, and ca-key.pem, its private key (0600, written under
// a temporary name and renamed, so it is never readable by others, not even while it is written). Both are made
// the first time the folder has neither; they are never written anywhere else, never installed into any trust
// store, and never overwritten: files that are corrupt, that do not match, that expired or that are not a CA are an
// error naming the file and the rule, and the user decides what to do with them.
//
// The CA: an EC P-256 key, CN "WS Inspector capture CA (user@host)", basicConstraints critical CA:TRUE pathlen:0,
// keyUsage critical keyCertSign + cRLSign, valid for 5 years from a day before it was made (see
// docs/architecture.md, "Capture TLS"). Leaves: subjectAltName DNS or IP (the CN repeats the host where it fits,
// never alone), extendedKeyUsage serverAuth, keyUsage digitalSignature, 397 days at most and never past the CA, a
// random 128-bit serial, signed with ECDSA SHA-256.
//
// Thread-safe: leafFor() may be called from any thread, and the leaves are cached per host.
class CaptureAuthority final
{
public:
    static constexpr char certificateFileName[] = "ca.pem";
    static constexpr char keyFileName[] = "ca-key.pem";
    // Leaves cached at most (a hostile client can name any number of hosts); the oldest go first.
    static constexpr int leafCacheLimit = 1024;

    // Opens the CA in `folder`, making the folder (0700) and a new CA in it when it holds neither file. Null with
    // *error saying which file is wrong and why.
    static std::shared_ptr<CaptureAuthority> openOrCreate(const QString &folder, QString *error);
    // DataHome::part("capture-ca"): where the window and the command line keep their one CA.
    static QString defaultFolder();

    QString folder() const { return m_folder; }
    QString certificateFile() const;
    QString keyFile() const;
    // The CA certificate, never its key: what the user exports and trusts.
    QSslCertificate certificate() const;
    QByteArray certificatePem() const { return m_certificatePem; }
    // True when openOrCreate() made the files (this is the CA's first use).
    bool isNew() const { return m_new; }

    // A certificate for `host` (a DNS name, "*.example.com", or an IPv4 / IPv6 literal, brackets allowed) signed by
    // the CA; made once per host and cached. Null with *error for a host that cannot be named in a certificate.
    std::shared_ptr<const LeafCertificate> leafFor(const QString &host, QString *error) const;
    // The CA certificate as OpenSSL holds it (for the TLS contexts).
    X509 *x509() const { return m_certificate.get(); }

    CaptureAuthority(const CaptureAuthority &) = delete;
    CaptureAuthority &operator=(const CaptureAuthority &) = delete;

private:
    CaptureAuthority() = default;
    bool create(QString *error);
    bool load(QString *error);
    std::shared_ptr<const LeafCertificate> sign(const QString &host, QString *error) const;

    QString m_folder;
    X509Handle m_certificate;
    PkeyHandle m_key;
    QByteArray m_certificatePem;
    std::shared_ptr<EVP_PKEY> m_leafKey;
    bool m_new = false;

    mutable std::mutex m_mutex;
    mutable QHash<QString, std::shared_ptr<const LeafCertificate>> m_leaves;
    mutable QStringList m_leafOrder; // oldest first, for the cache limit
};

} // namespace wsi
