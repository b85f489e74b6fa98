// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/TlsContext.h"

#include "core/proxy/OpenSslErrors.h"
#include "core/proxy/SystemTrustStore.h"
#include "core/proxy/TlsStream.h"

#include <QDir>
#include <QFileInfo>

namespace wsi {

namespace {

void writeKeyLogLine(const SSL *ssl, const char *line)
{
    const auto *context = static_cast<const TlsContext *>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    if (context && context->keyLog())
        context->keyLog()->append(line);
}

} // namespace

bool TlsContext::setUp(const SSL_METHOD *method, QString *error)
{
    OpenSslErrors::clear();
    m_context.reset(SSL_CTX_new(method));
    SSL_CTX *context = m_context.get();
    if (!context || SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) != 1) {
        *error = QStringLiteral("cannot set up TLS: %1").arg(OpenSslErrors::take());
        return false;
    }
    SSL_CTX_set_app_data(context, this);
    // Renegotiation is how a peer makes us do handshakes at will; no browser needs it with TLS 1.2+.
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION);
    // Memory BIOs take whatever is written at once; buffers go back while a connection is idle.
    SSL_CTX_set_mode(context,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    if (m_keyLog)
        SSL_CTX_set_keylog_callback(context, writeKeyLogLine);
    return true;
}

std::shared_ptr<TlsContext> TlsContext::intercepting(std::shared_ptr<const CaptureAuthority> authority,
                                                     std::shared_ptr<KeyLogFile> keyLog, QString *error)
{
    std::shared_ptr<TlsContext> context(new TlsContext);
    context->m_role = Role::Intercepting;
    context->m_authority = std::move(authority);
    context->m_keyLog = std::move(keyLog);
    if (!context->m_authority) {
        *error = QStringLiteral("TLS interception needs the capture CA");
        return nullptr;
    }
    if (!context->setUp(TLS_server_method(), error))
        return nullptr;
    SSL_CTX_set_alpn_select_cb(context->handle(), TlsStream::selectAlpn, nullptr);
    return context;
}

std::shared_ptr<TlsContext> TlsContext::interceptingWithCaIn(const QString &caFolder,
                                                             std::shared_ptr<KeyLogFile> keyLog, QString *error)
{
    std::shared_ptr<CaptureAuthority> authority = CaptureAuthority::openOrCreate(caFolder, error);
    return authority ? intercepting(std::move(authority), std::move(keyLog), error) : nullptr;
}

std::shared_ptr<TlsContext> TlsContext::serving(const QString &certificateFile, const QString &keyFile,
                                                std::shared_ptr<KeyLogFile> keyLog, QString *error)
{
    std::shared_ptr<TlsContext> context(new TlsContext);
    context->m_role = Role::Serving;
    context->m_keyLog = std::move(keyLog);
    if (!context->setUp(TLS_server_method(), error))
        return nullptr;
    SSL_CTX *handle = context->handle();
    OpenSslErrors::clear();
    if (SSL_CTX_use_certificate_chain_file(handle, QFile::encodeName(certificateFile).constData()) != 1) {
        *error = QStringLiteral("cannot use %1 as a certificate: %2")
                     .arg(QDir::toNativeSeparators(certificateFile), OpenSslErrors::take());
        return nullptr;
    }
    if (SSL_CTX_use_PrivateKey_file(handle, QFile::encodeName(keyFile).constData(), SSL_FILETYPE_PEM) != 1) {
        *error = QStringLiteral("cannot use %1 as a private key (PEM, not encrypted): %2")
                     .arg(QDir::toNativeSeparators(keyFile), OpenSslErrors::take());
        return nullptr;
    }
    if (SSL_CTX_check_private_key(handle) != 1) {
        *error = QStringLiteral("the key in %1 is not the certificate's in %2")
                     .arg(QDir::toNativeSeparators(keyFile), QDir::toNativeSeparators(certificateFile));
        OpenSslErrors::clear();
        return nullptr;
    }
    SSL_CTX_set_alpn_select_cb(handle, TlsStream::selectAlpn, nullptr);
    return context;
}

std::shared_ptr<TlsContext> TlsContext::upstream(const UpstreamTlsOptions &options, std::shared_ptr<KeyLogFile> keyLog,
                                                 QString *error)
{
    std::shared_ptr<TlsContext> context(new TlsContext);
    context->m_role = Role::Upstream;
    context->m_options = options;
    context->m_keyLog = std::move(keyLog);
    if (!context->setUp(TLS_client_method(), error))
        return nullptr;
    SSL_CTX *handle = context->handle();
    // A missing default path is not an error: a system may keep its CAs elsewhere, and the extra file may be all.
    SSL_CTX_set_default_verify_paths(handle);
    SystemTrustStore::addTo(SSL_CTX_get_cert_store(handle), SystemTrustStore::certificatesOpenSslMisses());
    OpenSslErrors::clear();
    if (!options.extraCaFile.isEmpty()) {
        const QString path = QDir::toNativeSeparators(options.extraCaFile);
        if (!QFileInfo(options.extraCaFile).isFile()) {
            *error = QStringLiteral("the CA file %1 does not exist").arg(path);
            return nullptr;
        }
        if (SSL_CTX_load_verify_locations(handle, QFile::encodeName(options.extraCaFile).constData(), nullptr) != 1) {
            *error = QStringLiteral("cannot use %1 as a CA file: %2").arg(path, OpenSslErrors::take());
            return nullptr;
        }
    }
    return context;
}

} // namespace wsi
