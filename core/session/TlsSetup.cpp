// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/TlsSetup.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace wsi::TlsSetup {
namespace {

// The whole file, or nullopt with *error saying which file could not be read and why.
std::optional<QByteArray> readFile(const QString &what, const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the %1 %2 cannot be read: %3").arg(what, path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

std::optional<QList<QSslCertificate>> readCertificates(const QString &what, const QString &path, QString *error)
{
    const std::optional<QByteArray> pem = readFile(what, path, error);
    if (!pem)
        return std::nullopt;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (certificates.isEmpty()) {
        *error =
            QStringLiteral("the %1 %2 holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)").arg(what, path);
        return std::nullopt;
    }
    return certificates;
}

} // namespace

std::optional<QSslConfiguration> configuration(const TlsOptions &options, QString *error)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!options.caFile.isEmpty()) {
        const auto cas = readCertificates(QStringLiteral("CA file"), options.caFile, error);
        if (!cas)
            return std::nullopt;
        tls.addCaCertificates(*cas);
    }
    if (options.clientCertificateFile.isEmpty() != options.clientKeyFile.isEmpty()) {
        *error = options.clientKeyFile.isEmpty()
                     ? QStringLiteral("the client certificate %1 needs its private key file too")
                           .arg(options.clientCertificateFile)
                     : QStringLiteral("the client key %1 needs its certificate file too").arg(options.clientKeyFile);
        return std::nullopt;
    }
    if (!options.clientCertificateFile.isEmpty()) {
        const auto certificates =
            readCertificates(QStringLiteral("client certificate file"), options.clientCertificateFile, error);
        if (!certificates)
            return std::nullopt;
        const std::optional<QByteArray> pem = readFile(QStringLiteral("client key file"), options.clientKeyFile, error);
        if (!pem)
            return std::nullopt;
        QSslKey key(*pem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(*pem, QSsl::Ec);
        if (key.isNull()) {
            *error = QStringLiteral("the client key file %1 holds no unencrypted RSA or EC key in PEM form")
                         .arg(options.clientKeyFile);
            return std::nullopt;
        }
        tls.setLocalCertificate(certificates->constFirst());
        tls.setPrivateKey(key);
    }
    return tls;
}

QString problem(const TlsOptions &options)
{
    QString error;
    return configuration(options, &error) ? QString() : error;
}

} // namespace wsi::TlsSetup
