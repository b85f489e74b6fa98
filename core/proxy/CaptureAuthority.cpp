// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CaptureAuthority.h"

#include "core/home/DataHome.h"
#include "core/proxy/OpenSslErrors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSysInfo>
#include <QTemporaryFile>
#include <QUrl>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

namespace wsi {

namespace {

constexpr long day = 24 * 60 * 60;
// Five years: long enough that people do not re-import the CA into every trust store often, short enough that a
// forgotten trust ends by itself. Browsers put no limit on roots the user added.
constexpr int caValidityDays = 5 * 365;
// 397 days in all, counted from notBefore (a day back, for clocks that lag): inside the 398 days Chrome and Apple
// allow a TLS server certificate.
constexpr int leafValidityDays = 396;
constexpr int maxCommonName = 64; // ub-common-name (RFC 5280)

QDateTime toDateTime(const ASN1_TIME *time)
{
    tm parts{};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1)
        return {};
    return QDateTime(QDate(parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday),
                     QTime(parts.tm_hour, parts.tm_min, parts.tm_sec), Qt::UTC);
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

PkeyHandle newP256Key()
{
    return PkeyHandle(EVP_EC_gen("P-256"));
}

// A positive random 128-bit serial (RFC 5280 allows 20 octets; browsers want at least 64 bits of randomness).
bool setRandomSerial(X509 *certificate)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01; // never zero or shortened
    std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>> number(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate));
}

bool addNameEntry(X509_NAME *name, const char *field, const QString &value)
{
    const QByteArray utf8 = value.left(maxCommonName).toUtf8();
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(utf8.data()),
                                      static_cast<int>(utf8.size()), -1, 0) == 1;
}

// An extension in OpenSSL's configuration syntax; only constant values go through here, never a host name.
bool addExtension(X509 *certificate, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509ExtensionHandle extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

QString userAtHost()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    const QString host = QSysInfo::machineHostName();
    if (user.isEmpty())
        return host;
    return host.isEmpty() ? user : user + u'@' + host;
}

// Writes `bytes` to `path`, which must not exist yet, through a temporary file in the same folder: QTemporaryFile
// creates it 0600, so a key is never readable by others, and a crash leaves no half-written file under `path`.
bool writeNewFile(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions, QString *error)
{
    QTemporaryFile file(QFileInfo(path).dir().filePath(QStringLiteral(".ca-XXXXXX")));
    if (!file.open() || file.write(bytes) != bytes.size() || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    if (permissions != DataHome::privateFile)
        file.setPermissions(permissions);
    if (!file.rename(path)) {
        *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    file.setAutoRemove(false);
    return true;
}

// Never prompts on the terminal for an encrypted key: the CA key is stored unencrypted, anything else is an error.
int noPassword(char *, int, int, void *)
{
    return -1;
}

// The host as a certificate names it: an IP address, or a lower-case DNS name in its ASCII (A-label) form with an
// optional leading "*." wildcard. Empty with *error for anything else.
QString certificateHost(const QString &requested, bool *isIp, QString *error)
{
    QString host = requested.trimmed();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (!address.isNull() && address.scopeId().isEmpty()) {
        *isIp = true;
        return address.toString();
    }
    *isIp = false;
    if (host.endsWith(u'.'))
        host.chop(1);
    // QUrl::toAce() refuses the wildcard label: it converts the rest.
    const bool wildcard = host.startsWith(QStringLiteral("*."));
    const QString ascii = (wildcard ? QStringLiteral("*.") : QString()) +
                          QString::fromLatin1(QUrl::toAce(wildcard ? host.mid(2) : host)).toLower();
    bool valid = !ascii.isEmpty() && ascii.size() <= 253;
    const QStringList labels = ascii.split(u'.');
    for (qsizetype i = 0; valid && i < labels.size(); ++i) {
        const QString &label = labels.at(i);
        if (label == QStringLiteral("*") && i == 0 && labels.size() > 2)
            continue;
        valid = !label.isEmpty() && label.size() <= 63 && !label.startsWith(u'-') && !label.endsWith(u'-');
        for (const QChar c : label)
            valid = valid && ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_');
    }
    if (!valid) {
        *error = QStringLiteral("cannot make a certificate for \"%1\": not a DNS name or an IP address")
                     .arg(requested.left(100));
        return {};
    }
    return ascii;
}

bool addSubjectAltName(X509 *certificate, const QString &host, bool isIp)
{
    GeneralNamesHandle names(sk_GENERAL_NAME_new_null());
    GENERAL_NAME *name = GENERAL_NAME_new();
    if (!names || !name)
        return false;
    sk_GENERAL_NAME_push(names.get(), name);
    if (isIp) {
        const QHostAddress address(host);
        QByteArray raw;
        if (address.protocol() == QAbstractSocket::IPv4Protocol) {
            const quint32 ip = address.toIPv4Address();
            const char bytes[] = {char(ip >> 24), char(ip >> 16), char(ip >> 8), char(ip)};
            raw = QByteArray(bytes, sizeof bytes);
        } else {
            const Q_IPV6ADDR ip = address.toIPv6Address();
            raw = QByteArray(reinterpret_cast<const char *>(ip.c), 16);
        }
        ASN1_OCTET_STRING *octets = ASN1_OCTET_STRING_new();
        if (!octets || ASN1_OCTET_STRING_set(octets, reinterpret_cast<const unsigned char *>(raw.constData()),
                                             static_cast<int>(raw.size())) != 1) {
            ASN1_OCTET_STRING_free(octets);
            return false;
        }
        GENERAL_NAME_set0_value(name, GEN_IPADD, octets);
    } else {
        const QByteArray ascii = host.toLatin1();
        ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
        if (!dns || ASN1_STRING_set(dns, ascii.constData(), static_cast<int>(ascii.size())) != 1) {
            ASN1_IA5STRING_free(dns);
            return false;
        }
        GENERAL_NAME_set0_value(name, GEN_DNS, dns);
    }
    return X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

QString CaptureAuthority::defaultFolder()
{
    return DataHome::part(QStringLiteral("capture-ca"));
}

QString CaptureAuthority::certificateFile() const
{
    return QDir(m_folder).filePath(QLatin1StringView(certificateFileName));
}

QString CaptureAuthority::keyFile() const
{
    return QDir(m_folder).filePath(QLatin1StringView(keyFileName));
}

QSslCertificate CaptureAuthority::certificate() const
{
    return QSslCertificate(m_certificatePem, QSsl::Pem);
}

std::shared_ptr<CaptureAuthority> CaptureAuthority::openOrCreate(const QString &folder, QString *error)
{
    std::shared_ptr<CaptureAuthority> authority(new CaptureAuthority);
    authority->m_folder = QDir(folder).absolutePath();
    const bool hasCertificate = QFileInfo::exists(authority->certificateFile());
    const bool hasKey = QFileInfo::exists(authority->keyFile());
    if (hasCertificate != hasKey) {
        *error = QStringLiteral("%1 exists but %2 does not: the capture CA needs both files (move the other away to "
                                "make a new CA)")
                     .arg(nativePath(hasCertificate ? authority->certificateFile() : authority->keyFile()),
                          nativePath(hasCertificate ? authority->keyFile() : authority->certificateFile()));
        return nullptr;
    }
    if (!hasCertificate) {
        if (!DataHome::makePrivateFolder(authority->m_folder)) {
            *error = QStringLiteral("cannot make the folder %1 for the capture CA").arg(nativePath(folder));
            return nullptr;
        }
        // The window and the command line started at once may both make one: the first to rename its files in
        // wins (a rename never replaces), and the other opens that CA.
        if (!authority->create(error)) {
            QString loadError;
            if (!QFileInfo::exists(authority->certificateFile()) || !authority->load(&loadError))
                return nullptr;
            error->clear();
        }
    } else if (!authority->load(error)) {
        return nullptr;
    }
    authority->m_leafKey = std::shared_ptr<EVP_PKEY>(newP256Key().release(), EVP_PKEY_free);
    if (!authority->m_leafKey) {
        *error = QStringLiteral("cannot make the key for leaf certificates: %1").arg(OpenSslErrors::take());
        return nullptr;
    }
    return authority;
}

bool CaptureAuthority::create(QString *error)
{
    OpenSslErrors::clear();
    const auto fail = [error](const QString &what) {
        *error = QStringLiteral("cannot make the capture CA (%1): %2").arg(what, OpenSslErrors::take());
        return false;
    };
    m_key = newP256Key();
    if (!m_key)
        return fail(QStringLiteral("key"));
    m_certificate.reset(X509_new());
    X509 *ca = m_certificate.get();
    X509NameHandle name(X509_NAME_new());
    const QString made = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    if (!ca || !name || X509_set_version(ca, X509_VERSION_3) != 1 || !setRandomSerial(ca) ||
        !addNameEntry(name.get(), "O", QStringLiteral("WS Inspector")) ||
        !addNameEntry(name.get(), "OU", QStringLiteral("Local capture CA, made %1").arg(made)) ||
        !addNameEntry(name.get(), "CN", QStringLiteral("WS Inspector capture CA (%1)").arg(userAtHost())) ||
        X509_set_subject_name(ca, name.get()) != 1 || X509_set_issuer_name(ca, name.get()) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(ca), -day) ||
        !X509_time_adj_ex(X509_getm_notAfter(ca), caValidityDays, 0, nullptr) || X509_set_pubkey(ca, m_key.get()) != 1)
        return fail(QStringLiteral("certificate"));
    if (!addExtension(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
        !addExtension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !addExtension(ca, ca, NID_subject_key_identifier, "hash") ||
        !addExtension(ca, ca, NID_authority_key_identifier, "keyid:always") ||
        X509_sign(ca, m_key.get(), EVP_sha256()) <= 0)
        return fail(QStringLiteral("signature"));

    BioHandle keyPem(BIO_new(BIO_s_mem()));
    BioHandle certificatePem(BIO_new(BIO_s_mem()));
    if (!keyPem || !certificatePem ||
        PEM_write_bio_PrivateKey(keyPem.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_X509(certificatePem.get(), ca) != 1)
        return fail(QStringLiteral("PEM"));
    m_certificatePem = bioBytes(certificatePem.get());
    // The key first: a certificate without its key would be refused on the next start, a key alone too, but the
    // certificate is the file people copy.
    if (!writeNewFile(keyFile(), bioBytes(keyPem.get()), DataHome::privateFile, error))
        return false;
    if (!writeNewFile(certificateFile(), m_certificatePem,
                      DataHome::privateFile | QFileDevice::ReadGroup | QFileDevice::ReadOther, error)) {
        QFile::remove(keyFile());
        return false;
    }
    m_new = true;
    return true;
}

bool CaptureAuthority::load(QString *error)
{
    OpenSslErrors::clear();
    const QString certificatePath = nativePath(certificateFile());
    const QString keyPath = nativePath(keyFile());
    QFile certificateIn(certificateFile());
    QFile keyIn(keyFile());
    if (!certificateIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(certificatePath, certificateIn.errorString());
        return false;
    }
    if (!keyIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(keyPath, keyIn.errorString());
        return false;
    }
#ifdef Q_OS_UNIX
    const QFileDevice::Permissions others =
        QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
    if (keyIn.permissions() & others) {
        *error = QStringLiteral("%1 can be read or written by other users: the capture CA key must be owner-only "
                                "(chmod 600 %1)")
                     .arg(keyPath);
        return false;
    }
#endif
    m_certificatePem = certificateIn.read(1024 * 1024);
    const QByteArray keyBytes = keyIn.read(1024 * 1024);
    BioHandle certificateBio(BIO_new_mem_buf(m_certificatePem.constData(), static_cast<int>(m_certificatePem.size())));
    m_certificate.reset(PEM_read_bio_X509(certificateBio.get(), nullptr, noPassword, nullptr));
    if (!m_certificate) {
        *error = QStringLiteral("%1 is not a PEM certificate (%2)").arg(certificatePath, OpenSslErrors::take());
        return false;
    }
    BioHandle keyBio(BIO_new_mem_buf(keyBytes.constData(), static_cast<int>(keyBytes.size())));
    m_key.reset(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassword, nullptr));
    if (!m_key) {
        *error = QStringLiteral("%1 is not an unencrypted PEM private key (%2)").arg(keyPath, OpenSslErrors::take());
        return false;
    }
    X509 *ca = m_certificate.get();
    if (X509_check_ca(ca) != 1) {
        *error = QStringLiteral("%1 is not a CA certificate (it lacks basicConstraints CA:TRUE)").arg(certificatePath);
        return false;
    }
    if ((X509_get_extension_flags(ca) & EXFLAG_KUSAGE) && !(X509_get_key_usage(ca) & KU_KEY_CERT_SIGN)) {
        *error = QStringLiteral("%1 cannot sign certificates (its keyUsage lacks keyCertSign)").arg(certificatePath);
        return false;
    }
    const QString dateFormat = QStringLiteral("yyyy-MM-dd HH:mm 'UTC'");
    if (X509_cmp_current_time(X509_get0_notAfter(ca)) <= 0) {
        *error = QStringLiteral("%1 expired on %2: move %1 and %3 away to make a new capture CA, and trust the new "
                                "one")
                     .arg(certificatePath, toDateTime(X509_get0_notAfter(ca)).toString(dateFormat), keyPath);
        return false;
    }
    if (X509_cmp_current_time(X509_get0_notBefore(ca)) >= 0) {
        *error = QStringLiteral("%1 is not valid before %2 (is the clock right?)")
                     .arg(certificatePath, toDateTime(X509_get0_notBefore(ca)).toString(dateFormat));
        return false;
    }
    if (X509_check_private_key(ca, m_key.get()) != 1) {
        OpenSslErrors::clear();
        *error = QStringLiteral("%1 does not match the certificate in %2 (the key is not the certificate's)")
                     .arg(keyPath, certificatePath);
        return false;
    }
    return true;
}

std::shared_ptr<const LeafCertificate> CaptureAuthority::leafFor(const QString &host, QString *error) const
{
    bool isIp = false;
    const QString name = certificateHost(host, &isIp, error);
    if (name.isEmpty())
        return nullptr;
    {
        const std::lock_guard lock(m_mutex);
        const auto cached = m_leaves.constFind(name);
        // A day's margin so a certificate handed out now does not expire during the connection.
        if (cached != m_leaves.constEnd() && (*cached)->notAfter > QDateTime::currentDateTimeUtc().addDays(1))
            return *cached;
    }
    std::shared_ptr<const LeafCertificate> leaf = sign(name, error);
    if (!leaf)
        return nullptr;
    const std::lock_guard lock(m_mutex);
    if (!m_leaves.contains(name)) {
        m_leafOrder.append(name);
        while (m_leafOrder.size() > leafCacheLimit)
            m_leaves.remove(m_leafOrder.takeFirst());
    }
    m_leaves.insert(name, leaf);
    return leaf;
}

std::shared_ptr<const LeafCertificate> CaptureAuthority::sign(const QString &host, QString *error) const
{
    OpenSslErrors::clear();
    bool isIp = false;
    QString ignored;
    certificateHost(host, &isIp, &ignored);
    auto leaf = std::make_shared<LeafCertificate>();
    leaf->host = host;
    leaf->key = m_leafKey;
    leaf->certificate.reset(X509_new());
    X509 *certificate = leaf->certificate.get();
    X509NameHandle name(X509_NAME_new());
    const bool named = host.size() <= maxCommonName ? addNameEntry(name.get(), "CN", host)
                                                    : addNameEntry(name.get(), "O", QStringLiteral("WS Inspector"));
    if (!certificate || !name || !named || X509_set_version(certificate, X509_VERSION_3) != 1 ||
        !setRandomSerial(certificate) || X509_set_subject_name(certificate, name.get()) != 1 ||
        X509_set_issuer_name(certificate, X509_get_subject_name(m_certificate.get())) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(certificate), -day) ||
        !X509_time_adj_ex(X509_getm_notAfter(certificate), leafValidityDays, 0, nullptr) ||
        X509_set_pubkey(certificate, m_leafKey.get()) != 1) {
        *error = QStringLiteral("cannot make a certificate for %1: %2").arg(host, OpenSslErrors::take());
        return nullptr;
    }
    // Never past the CA: a chain is only as valid as its root.
    if (ASN1_TIME_compare(X509_get0_notAfter(certificate), X509_get0_notAfter(m_certificate.get())) > 0)
        X509_set1_notAfter(certificate, X509_get0_notAfter(m_certificate.get()));
    X509 *ca = m_certificate.get();
    if (!addExtension(certificate, ca, NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(certificate, ca, NID_key_usage, "critical,digitalSignature") ||
        !addExtension(certificate, ca, NID_ext_key_usage, "serverAuth") ||
        !addExtension(certificate, ca, NID_subject_key_identifier, "hash") ||
        !addExtension(certificate, ca, NID_authority_key_identifier, "keyid:always") ||
        !addSubjectAltName(certificate, host, isIp) || X509_sign(certificate, m_key.get(), EVP_sha256()) <= 0) {
        *error = QStringLiteral("cannot sign a certificate for %1: %2").arg(host, OpenSslErrors::take());
        return nullptr;
    }
    BioHandle pem(BIO_new(BIO_s_mem()));
    if (pem && PEM_write_bio_X509(pem.get(), certificate) == 1)
        leaf->pem = bioBytes(pem.get());
    leaf->notAfter = toDateTime(X509_get0_notAfter(certificate));
    return leaf;
}

} // namespace wsi
