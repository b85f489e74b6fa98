// SPDX-License-Identifier: GPL-3.0-or-later
// The capture proxy's local CA (core/proxy/CaptureAuthority): made once and reopened, its files' permissions, files
// that are wrong refused with the file and the rule named and left as they were, and its leaves checked by the
// openssl command line (verify, x509 -text).
#include "OpensslCommand.h"
#include "core/home/DataHome.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/SystemTrustStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <set>
#include <sys/stat.h>
#include <thread>

using namespace wsi;
using wsi::test::OpensslCommand;

namespace {

constexpr QFileDevice::Permissions ownerOnlyFolder =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

QFileDevice::Permissions permissionsOf(const QString &path)
{
    // QFileInfo adds the "User" flags, which are the owner's when the test runs as the owner; compare those only.
    return QFileInfo(path).permissions() & (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                            QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                            QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// An openssl ca configuration that signs a CA certificate with any validity dates (openssl req cannot back-date).
constexpr char expiredCaConfig[] = R"([ca]
default_ca = expired
[expired]
database = index.txt
new_certs_dir = .
serial = serial.txt
default_md = sha256
policy = anything
x509_extensions = ca_extensions
[anything]
commonName = supplied
[ca_extensions]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
)";

} // namespace

class tst_CaptureAuthority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void madeOnceAndReopened();
    void keyIsOwnerOnlyWhateverTheUmask();
    void wrongFilesAreRefusedAndKept_data();
    void wrongFilesAreRefusedAndKept();
    void opensslVerifiesLeaves_data();
    void opensslVerifiesLeaves();
    void certificatesCarryTheClaimedExtensions();
    void leavesAreCachedPerHost();
    void hostsThatCannotBeNamedAreRefused_data();
    void hostsThatCannotBeNamedAreRefused();
    void leavesFromManyThreads();
    void trustStoreTakesQtCertificates();

private:
    std::shared_ptr<CaptureAuthority> openFresh(QTemporaryDir &dir);
};

std::shared_ptr<CaptureAuthority> tst_CaptureAuthority::openFresh(QTemporaryDir &dir)
{
    QString error;
    auto authority = CaptureAuthority::openOrCreate(dir.filePath(QStringLiteral("ca")), &error);
    if (!authority)
        qWarning("%s", qPrintable(error));
    return authority;
}

void tst_CaptureAuthority::madeOnceAndReopened()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("nested/capture-ca"));
    QString error;
    const auto made = CaptureAuthority::openOrCreate(folder, &error);
    QVERIFY2(made, qPrintable(error));
    QVERIFY(made->isNew());
    QCOMPARE(QFileInfo(made->certificateFile()).fileName(), QStringLiteral("ca.pem"));
    QCOMPARE(QFileInfo(made->keyFile()).fileName(), QStringLiteral("ca-key.pem"));
    QCOMPARE(permissionsOf(folder), ownerOnlyFolder);
    QCOMPARE(permissionsOf(made->keyFile()), DataHome::privateFile);
    // Only the two files: no temporary file left behind.
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden).size(), 2);
    QVERIFY(!made->certificate().isNull());
    QVERIFY(made->certificate()
                .subjectInfo(QSslCertificate::CommonName)
                .value(0)
                .startsWith(QStringLiteral("WS Inspector capture CA (")));
    QVERIFY(!made->certificatePem().contains("PRIVATE KEY"));
    QCOMPARE(readFile(made->certificateFile()), made->certificatePem());

    const QByteArray key = readFile(made->keyFile());
    const auto reopened = CaptureAuthority::openOrCreate(folder, &error);
    QVERIFY2(reopened, qPrintable(error));
    QVERIFY(!reopened->isNew());
    QCOMPARE(reopened->certificatePem(), made->certificatePem());
    QCOMPARE(readFile(reopened->keyFile()), key);
    // A leaf of the reopened CA is signed by the same key: it verifies against the first one's certificate.
    const auto leaf = reopened->leafFor(QStringLiteral("example.test"), &error);
    QVERIFY2(leaf, qPrintable(error));
    QVERIFY(X509_verify(leaf->certificate.get(), X509_get0_pubkey(made->x509())) == 1);

    QVERIFY(CaptureAuthority::defaultFolder().endsWith(QStringLiteral("/wsinspector/capture-ca")));
}

void tst_CaptureAuthority::keyIsOwnerOnlyWhateverTheUmask()
{
    QTemporaryDir dir;
    const mode_t previous = umask(0);
    const auto authority = openFresh(dir);
    umask(previous);
    QVERIFY(authority);
    QCOMPARE(permissionsOf(authority->keyFile()), DataHome::privateFile);
    QCOMPARE(permissionsOf(authority->folder()), ownerOnlyFolder);
}

void tst_CaptureAuthority::wrongFilesAreRefusedAndKept_data()
{
    QTest::addColumn<QString>("wrong");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("rule");
    QTest::newRow("certificate is garbage") << "garbage certificate"
                                            << "ca.pem"
                                            << "is not a PEM certificate";
    QTest::newRow("key is garbage") << "garbage key"
                                    << "ca-key.pem"
                                    << "is not an unencrypted PEM private key";
    QTest::newRow("key of another CA") << "other key"
                                       << "ca-key.pem"
                                       << "does not match the certificate in";
    QTest::newRow("certificate is no CA") << "not a CA"
                                          << "ca.pem"
                                          << "is not a CA certificate";
    QTest::newRow("certificate expired") << "expired"
                                         << "ca.pem"
                                         << "expired on 2021-01-01 00:00 UTC";
    QTest::newRow("key missing") << "no key"
                                 << "ca.pem"
                                 << "exists but";
    QTest::newRow("certificate missing") << "no certificate"
                                         << "ca-key.pem"
                                         << "exists but";
    QTest::newRow("key readable by others") << "open key"
                                            << "ca-key.pem"
                                            << "chmod 600";
}

void tst_CaptureAuthority::wrongFilesAreRefusedAndKept()
{
    QFETCH(QString, wrong);
    QFETCH(QString, file);
    QFETCH(QString, rule);
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    const QString certificate = authority->certificateFile();
    const QString key = authority->keyFile();
    OpensslCommand openssl(dir.path());
    QVERIFY2(openssl.isAvailable(), qPrintable(openssl.errorString()));

    if (wrong == QStringLiteral("garbage certificate")) {
        QVERIFY(writeFile(certificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"));
    } else if (wrong == QStringLiteral("garbage key")) {
        QVERIFY(writeFile(key, QByteArray(300, 'x')));
    } else if (wrong == QStringLiteral("other key")) {
        QVERIFY2(openssl.makeCa(QStringLiteral("other"), QStringLiteral("/CN=other")),
                 qPrintable(openssl.errorString()));
        QVERIFY(QFile::remove(key) && QFile::copy(dir.filePath(QStringLiteral("other.key")), key));
    } else if (wrong == QStringLiteral("not a CA")) {
        QVERIFY2(openssl.run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                              QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                              QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                              QStringLiteral("-keyout"), key, QStringLiteral("-out"), certificate,
                              QStringLiteral("-subj"), QStringLiteral("/CN=leaf"), QStringLiteral("-addext"),
                              QStringLiteral("basicConstraints=critical,CA:FALSE")}),
                 qPrintable(openssl.errorString()));
    } else if (wrong == QStringLiteral("expired")) {
        QVERIFY(writeFile(dir.filePath(QStringLiteral("ca.cnf")), expiredCaConfig));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("index.txt")), {}));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("serial.txt")), "01\n"));
        QVERIFY2(openssl.run({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), key,
                              QStringLiteral("-subj"), QStringLiteral("/CN=old"), QStringLiteral("-out"),
                              QStringLiteral("old.csr")}) &&
                     openssl.run({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
                                  QStringLiteral("ca.cnf"), QStringLiteral("-selfsign"), QStringLiteral("-keyfile"),
                                  key, QStringLiteral("-in"), QStringLiteral("old.csr"), QStringLiteral("-out"),
                                  certificate, QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
                                  QStringLiteral("-enddate"), QStringLiteral("20210101000000Z")}),
                 qPrintable(openssl.errorString()));
    } else if (wrong == QStringLiteral("no key")) {
        QVERIFY(QFile::remove(key));
    } else if (wrong == QStringLiteral("no certificate")) {
        QVERIFY(QFile::remove(certificate));
    } else if (wrong == QStringLiteral("open key")) {
        QVERIFY(QFile::setPermissions(key, DataHome::privateFile | QFileDevice::ReadOther));
    }
    const QByteArray certificateBefore = readFile(certificate);
    const QByteArray keyBefore = readFile(key);

    QString error;
    QVERIFY(!CaptureAuthority::openOrCreate(authority->folder(), &error));
    QVERIFY2(error.contains(QDir(authority->folder()).filePath(file)), qPrintable(error));
    QVERIFY2(error.contains(rule), qPrintable(error));
    // Never overwritten: the files are as the user left them.
    QCOMPARE(readFile(certificate), certificateBefore);
    QCOMPARE(readFile(key), keyBefore);
    QCOMPARE(QFileInfo::exists(certificate), !certificateBefore.isEmpty());
}

void tst_CaptureAuthority::opensslVerifiesLeaves_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("check");
    QTest::addColumn<QString>("subjectAltName");
    QTest::newRow("DNS name") << "example.test"
                              << "-verify_hostname"
                              << "DNS:example.test";
    QTest::newRow("upper-case DNS name") << "WWW.Example.TEST"
                                         << "-verify_hostname"
                                         << "DNS:www.example.test";
    QTest::newRow("wildcard") << "*.example.test"
                              << "-verify_hostname"
                              << "DNS:*.example.test";
    QTest::newRow("IPv4") << "127.0.0.1"
                          << "-verify_ip"
                          << "IP Address:127.0.0.1";
    QTest::newRow("IPv6 in brackets") << "[::1]"
                                      << "-verify_ip"
                                      << "IP Address:0:0:0:0:0:0:0:1";
}

void tst_CaptureAuthority::opensslVerifiesLeaves()
{
    QFETCH(QString, host);
    QFETCH(QString, check);
    QFETCH(QString, subjectAltName);
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    QString error;
    const auto leaf = authority->leafFor(host, &error);
    QVERIFY2(leaf, qPrintable(error));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("leaf.pem")), leaf->pem));
    OpensslCommand openssl(dir.path());
    QString name = leaf->host == QStringLiteral("*.example.test") ? QStringLiteral("any.example.test") : leaf->host;
    QVERIFY2(openssl.run({QStringLiteral("verify"), QStringLiteral("-CAfile"), authority->certificateFile(),
                          QStringLiteral("-purpose"), QStringLiteral("sslserver"), QStringLiteral("-x509_strict"),
                          check, name, QStringLiteral("leaf.pem")}),
             qPrintable(openssl.errorString()));
    QCOMPARE(openssl.output().trimmed(), QByteArray("leaf.pem: OK"));
    QVERIFY(openssl.run({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                         QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("subjectAltName")}));
    QVERIFY2(openssl.output().contains(subjectAltName.toLatin1()), openssl.output().constData());
    // Another host's name does not pass.
    QVERIFY(
        !openssl.run({QStringLiteral("verify"), QStringLiteral("-CAfile"), authority->certificateFile(),
                      QStringLiteral("-verify_hostname"), QStringLiteral("other.test"), QStringLiteral("leaf.pem")}));
}

void tst_CaptureAuthority::certificatesCarryTheClaimedExtensions()
{
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    QString error;
    const auto leaf = authority->leafFor(QStringLiteral("example.test"), &error);
    QVERIFY2(leaf, qPrintable(error));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("leaf.pem")), leaf->pem));
    OpensslCommand openssl(dir.path());

    QVERIFY2(openssl.run({QStringLiteral("x509"), QStringLiteral("-in"), authority->certificateFile(),
                          QStringLiteral("-noout"), QStringLiteral("-text")}),
             qPrintable(openssl.errorString()));
    const QString ca = QString::fromLatin1(openssl.output());
    for (const char *expected :
         {"X509v3 Basic Constraints: critical", "CA:TRUE, pathlen:0", "X509v3 Key Usage: critical",
          "Certificate Sign, CRL Sign", "ASN1 OID: prime256v1", "Signature Algorithm: ecdsa-with-SHA256",
          "O = WS Inspector", "X509v3 Subject Key Identifier"})
        QVERIFY2(ca.contains(QLatin1StringView(expected)), expected);

    QVERIFY2(openssl.run({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("leaf.pem"),
                          QStringLiteral("-noout"), QStringLiteral("-text")}),
             qPrintable(openssl.errorString()));
    const QString text = QString::fromLatin1(openssl.output());
    for (const char *expected :
         {"X509v3 Basic Constraints: critical", "CA:FALSE", "X509v3 Key Usage: critical", "Digital Signature",
          "X509v3 Extended Key Usage", "TLS Web Server Authentication", "X509v3 Subject Alternative Name",
          "DNS:example.test", "Signature Algorithm: ecdsa-with-SHA256", "X509v3 Authority Key Identifier",
          "Subject: CN = example.test"})
        QVERIFY2(text.contains(QLatin1StringView(expected)), expected);
    QVERIFY(!text.contains(QStringLiteral("Certificate Sign")));

    const QSslCertificate certificate(leaf->pem, QSsl::Pem);
    const qint64 validDays = certificate.effectiveDate().daysTo(certificate.expiryDate());
    QVERIFY2(validDays <= 397, qPrintable(QString::number(validDays)));
    QVERIFY(certificate.effectiveDate() < QDateTime::currentDateTimeUtc());
    QVERIFY(certificate.expiryDate() <= authority->certificate().expiryDate());
    // A serial of at least 64 random bits.
    QVERIFY(certificate.serialNumber().count(':') >= 7);
    const qint64 caYears = authority->certificate().effectiveDate().daysTo(authority->certificate().expiryDate()) / 365;
    QCOMPARE(caYears, 5);
}

void tst_CaptureAuthority::leavesAreCachedPerHost()
{
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    QString error;
    const auto first = authority->leafFor(QStringLiteral("a.example"), &error);
    const auto again = authority->leafFor(QStringLiteral("A.EXAMPLE."), &error);
    const auto other = authority->leafFor(QStringLiteral("b.example"), &error);
    QVERIFY(first && again && other);
    QCOMPARE(again.get(), first.get());
    QVERIFY(other.get() != first.get());
    QVERIFY(QSslCertificate(other->pem).serialNumber() != QSslCertificate(first->pem).serialNumber());
    // One key for every leaf, never the CA's.
    QCOMPARE(other->key.get(), first->key.get());
    QVERIFY(QSslCertificate(first->pem).publicKey() != authority->certificate().publicKey());
}

void tst_CaptureAuthority::hostsThatCannotBeNamedAreRefused_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("empty") << "";
    QTest::newRow("space") << "exa mple.test";
    QTest::newRow("comma, as in a config string") << "a.test,DNS:b.test";
    QTest::newRow("leading hyphen") << "-bad.test";
    QTest::newRow("empty label") << "a..test";
    QTest::newRow("label of 64") << QString(64, u'a') + QStringLiteral(".test");
    QTest::newRow("name of 300") << QString(300, u'a');
    QTest::newRow("wildcard in the middle") << "a.*.test";
    QTest::newRow("NUL") << QStringLiteral("a.test") + QChar(0) + QStringLiteral("b");
}

void tst_CaptureAuthority::hostsThatCannotBeNamedAreRefused()
{
    QFETCH(QString, host);
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    QString error;
    QVERIFY(!authority->leafFor(host, &error));
    QVERIFY2(error.contains(QStringLiteral("not a DNS name or an IP address")), qPrintable(error));
}

void tst_CaptureAuthority::leavesFromManyThreads()
{
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    constexpr int threads = 8;
    constexpr int hosts = 40;
    std::vector<std::vector<const LeafCertificate *>> seen(threads);
    std::vector<std::shared_ptr<const LeafCertificate>> keep;
    std::mutex keepMutex;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int h = 0; h < hosts; ++h) {
                QString error;
                auto leaf = authority->leafFor(QStringLiteral("host%1.example").arg(h), &error);
                seen[t].push_back(leaf.get());
                const std::lock_guard lock(keepMutex);
                keep.push_back(std::move(leaf));
            }
        });
    }
    for (std::thread &worker : workers)
        worker.join();
    std::set<QString> names;
    for (const auto &leaf : keep) {
        QVERIFY(leaf);
        names.insert(leaf->host);
        QVERIFY(X509_verify(leaf->certificate.get(), X509_get0_pubkey(authority->x509())) == 1);
    }
    QCOMPARE(int(names.size()), hosts);
    // Once cached, every thread gets the same leaf.
    for (int h = 0; h < hosts; ++h) {
        QString error;
        const auto cached = authority->leafFor(QStringLiteral("host%1.example").arg(h), &error);
        QCOMPARE(authority->leafFor(QStringLiteral("host%1.example").arg(h), &error).get(), cached.get());
    }
}

void tst_CaptureAuthority::trustStoreTakesQtCertificates()
{
    // What Windows and macOS hand over through Qt (QSslCertificate) lands in OpenSSL's store and verifies leaves.
    QTemporaryDir dir;
    const auto authority = openFresh(dir);
    QVERIFY(authority);
    QString error;
    const auto leaf = authority->leafFor(QStringLiteral("example.test"), &error);
    QVERIFY2(leaf, qPrintable(error));
    BIO *pem = BIO_new_mem_buf(leaf->pem.constData(), int(leaf->pem.size()));
    X509 *leafX509 = PEM_read_bio_X509(pem, nullptr, nullptr, nullptr);
    BIO_free(pem);
    QVERIFY(leafX509);
    X509_STORE *store = X509_STORE_new();
    const auto verifies = [&] {
        X509_STORE_CTX *context = X509_STORE_CTX_new();
        X509_STORE_CTX_init(context, store, leafX509, nullptr);
        const bool ok = X509_verify_cert(context) == 1;
        X509_STORE_CTX_free(context);
        return ok;
    };
    QVERIFY(!verifies());
    QCOMPARE(SystemTrustStore::addTo(store, {authority->certificate(), QSslCertificate()}), 1); // the null one skipped
    QVERIFY(verifies());
    QCOMPARE(SystemTrustStore::addTo(store, {authority->certificate()}), 1); // already there: still trusted, no error
    QVERIFY(verifies());
    X509_STORE_free(store);
    X509_free(leafX509);
#if defined(Q_OS_LINUX)
    // Here OpenSSL's default paths are the system store: nothing is read twice.
    QVERIFY(SystemTrustStore::certificatesOpenSslMisses().isEmpty());
#endif
}

QTEST_GUILESS_MAIN(tst_CaptureAuthority)
#include "tst_captureauthority.moc"
