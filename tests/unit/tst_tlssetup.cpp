// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/TlsSetup.h"

#include <QFile>
#include <QProcess>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

// TlsSetup is the one TLS setup for sessions and the timeout proxy: a file that cannot be read or holds nothing
// usable is refused with its path and the reason. Certificates and keys are made at run time by the openssl
// command (Debian package openssl).
class tst_TlsSetup : public QObject
{
    Q_OBJECT

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }
    void write(const QString &name, const QByteArray &bytes)
    {
        QFile out(file(name));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
    }
    bool openssl(const QStringList &arguments)
    {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(m_openssl, arguments);
        if (process.waitForStarted(10000) && process.waitForFinished(60000) &&
            process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
            return true;
        qWarning("openssl %s: %s", qPrintable(arguments.join(u' ')), process.readAll().constData());
        process.kill();
        process.waitForFinished(1000);
        return false;
    }
    // name.pem and name.key, self-signed, with an RSA or an EC key.
    bool selfSigned(const QString &name, const QStringList &newKey)
    {
        return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + newKey +
                       QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), file(name + u".key"),
                                   QStringLiteral("-out"), file(name + u".pem"), QStringLiteral("-days"),
                                   QStringLiteral("2"), QStringLiteral("-subj"), u"/CN=" + name});
    }

    QTemporaryDir m_dir;
    QString m_openssl;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        QVERIFY2(!m_openssl.isEmpty(), "the openssl command is missing: install the Debian package openssl");
        QVERIFY(selfSigned(QStringLiteral("rsa"), {QStringLiteral("-newkey"), QStringLiteral("rsa:2048")}));
        QVERIFY(selfSigned(QStringLiteral("ec"),
                           {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1")}));
        // The same RSA key, encrypted with a pass phrase: a key we cannot use without asking.
        QVERIFY(openssl({QStringLiteral("pkey"), QStringLiteral("-in"), file(QStringLiteral("rsa.key")),
                         QStringLiteral("-aes256"), QStringLiteral("-passout"), QStringLiteral("pass:secret"),
                         QStringLiteral("-out"), file(QStringLiteral("encrypted.key"))}));
        write(QStringLiteral("not-pem.txt"), "this is not a certificate\n");
    }

    void noFilesGiveTheSystemConfiguration()
    {
        QString error;
        const auto tls = TlsSetup::configuration({}, &error);
        QVERIFY2(tls, qPrintable(error));
        QCOMPARE(tls->caCertificates(), QSslConfiguration::defaultConfiguration().caCertificates());
        QVERIFY(tls->localCertificate().isNull());
        QVERIFY(TlsSetup::problem({}).isEmpty());
    }

    void caFileIsAddedToTheSystemCas()
    {
        TlsOptions options;
        options.caFile = file(QStringLiteral("rsa.pem"));
        QString error;
        const auto tls = TlsSetup::configuration(options, &error);
        QVERIFY2(tls, qPrintable(error));
        const QList<QSslCertificate> cas = tls->caCertificates();
        QCOMPARE(cas.size(), QSslConfiguration::defaultConfiguration().caCertificates().size() + 1);
        QVERIFY(cas.contains(QSslCertificate::fromPath(options.caFile).constFirst()));
    }

    void clientCertificateAndKey_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");
        QTest::newRow("RSA") << QStringLiteral("rsa") << QSsl::Rsa;
        QTest::newRow("EC") << QStringLiteral("ec") << QSsl::Ec;
    }
    void clientCertificateAndKey()
    {
        QFETCH(QString, name);
        QFETCH(QSsl::KeyAlgorithm, algorithm);
        TlsOptions options;
        options.clientCertificateFile = file(name + u".pem");
        options.clientKeyFile = file(name + u".key");
        QString error;
        const auto tls = TlsSetup::configuration(options, &error);
        QVERIFY2(tls, qPrintable(error));
        QCOMPARE(tls->localCertificate(), QSslCertificate::fromPath(options.clientCertificateFile).constFirst());
        QCOMPARE(tls->privateKey().algorithm(), algorithm);
    }

    void refusedFiles_data()
    {
        QTest::addColumn<QString>("ca");
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected"); // %1 is the temporary directory
        QTest::newRow("CA file missing") << "missing.pem"
                                         << ""
                                         << ""
                                         << "the CA file %1/missing.pem cannot be read: No such file or directory";
        QTest::newRow("CA file a directory") << "."
                                             << ""
                                             << ""
                                             << "the CA file %1/. cannot be read: ";
        QTest::newRow("CA file not PEM")
            << "not-pem.txt"
            << ""
            << ""
            << "the CA file %1/not-pem.txt holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)";
        QTest::newRow("a key is not a certificate") << "rsa.key"
                                                    << ""
                                                    << ""
                                                    << "the CA file %1/rsa.key holds no certificate in PEM form";
        QTest::newRow("certificate without key") << ""
                                                 << "rsa.pem"
                                                 << ""
                                                 << "the client certificate %1/rsa.pem needs its private key file too";
        QTest::newRow("key without certificate") << ""
                                                 << ""
                                                 << "rsa.key"
                                                 << "the client key %1/rsa.key needs its certificate file too";
        QTest::newRow("client certificate missing")
            << ""
            << "gone.pem"
            << "rsa.key"
            << "the client certificate file %1/gone.pem cannot be read: No such file or directory";
        QTest::newRow("client key missing")
            << ""
            << "rsa.pem"
            << "gone.key"
            << "the client key file %1/gone.key cannot be read: No such file or directory";
        QTest::newRow("client key not a key") << ""
                                              << "rsa.pem"
                                              << "not-pem.txt"
                                              << "the client key file %1/not-pem.txt holds no unencrypted RSA or EC "
                                                 "key in PEM form";
        QTest::newRow("client key encrypted") << ""
                                              << "rsa.pem"
                                              << "encrypted.key"
                                              << "the client key file %1/encrypted.key holds no unencrypted RSA or "
                                                 "EC key in PEM form";
    }
    void refusedFiles()
    {
        QFETCH(QString, ca);
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        TlsOptions options;
        const auto path = [this](const QString &name) { return name.isEmpty() ? QString() : file(name); };
        options.caFile = path(ca);
        options.clientCertificateFile = path(certificate);
        options.clientKeyFile = path(key);
        QString error;
        QVERIFY(!TlsSetup::configuration(options, &error));
        QVERIFY2(error.startsWith(expected.arg(m_dir.path())), qPrintable(error));
        QCOMPARE(TlsSetup::problem(options), error);
    }
};

QTEST_GUILESS_MAIN(tst_TlsSetup)
#include "tst_tlssetup.moc"
