// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/TlsStream.h"

#include "core/proxy/OpenSslErrors.h"

#include <QHostAddress>
#include <QStringList>

#include <openssl/err.h>

namespace wsi {

namespace {

constexpr unsigned char http11Alpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
constexpr int sslChunk = 16 * 1024; // one TLS record's plaintext

QString nameText(const X509_NAME *name)
{
    BioHandle bio(BIO_new(BIO_s_mem()));
    if (!bio || !name || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0)
        return QStringLiteral("(no name)");
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, static_cast<qsizetype>(size));
}

// The names a certificate is for: its subjectAltName DNS and IP entries, or its subject when it has none.
QString certificateNames(X509 *certificate)
{
    QStringList names;
    GeneralNamesHandle altNames(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; altNames && i < sk_GENERAL_NAME_num(altNames.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(altNames.get(), i);
        const auto *value = name->type == GEN_DNS     ? name->d.dNSName
                            : name->type == GEN_IPADD ? name->d.iPAddress
                                                      : nullptr;
        if (!value)
            continue;
        const auto *bytes = ASN1_STRING_get0_data(value);
        const int size = ASN1_STRING_length(value);
        if (name->type == GEN_DNS) {
            names.append(QString::fromLatin1(reinterpret_cast<const char *>(bytes), size));
        } else if (size == 4) {
            names.append(QHostAddress(quint32(bytes[0]) << 24 | quint32(bytes[1]) << 16 | quint32(bytes[2]) << 8 |
                                      quint32(bytes[3]))
                             .toString());
        } else if (size == 16) {
            names.append(QHostAddress(bytes).toString());
        }
    }
    if (names.isEmpty())
        return nameText(X509_get_subject_name(certificate));
    return names.join(QStringLiteral(", "));
}

// Why a certificate did not verify, as the error and the certificate it is about.
QString verificationText(int error, X509 *certificate, const QString &host)
{
    if (!certificate)
        return QString::fromUtf8(X509_verify_cert_error_string(error));
    switch (error) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return QStringLiteral("certificate for %1 does not match host %2").arg(certificateNames(certificate), host);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return QStringLiteral("%1: %2, issued by %3, is not signed by a trusted CA")
            .arg(QString::fromUtf8(X509_verify_cert_error_string(error)), nameText(X509_get_subject_name(certificate)),
                 nameText(X509_get_issuer_name(certificate)));
    default:
        return QStringLiteral("%1: %2").arg(QString::fromUtf8(X509_verify_cert_error_string(error)),
                                            nameText(X509_get_subject_name(certificate)));
    }
}

QString closedDuringHandshake()
{
    return QStringLiteral("the peer closed the connection during the TLS handshake");
}

// OpenSSL's handshake reasons that say more in other words.
QString readableReason(const QString &reason)
{
    if (reason.startsWith(QStringLiteral("http request")))
        return QStringLiteral("the peer sent a plain HTTP request, not TLS");
    if (reason.startsWith(QStringLiteral("wrong version number")) ||
        reason.startsWith(QStringLiteral("packet length too long")) ||
        reason.startsWith(QStringLiteral("record layer failure")))
        return QStringLiteral("the peer does not speak TLS (%1)").arg(reason);
    if (reason.startsWith(QStringLiteral("unsupported protocol")))
        return QStringLiteral("the peer offers no TLS version this proxy accepts (1.2 or 1.3)");
    if (reason.startsWith(QStringLiteral("unexpected eof while reading")))
        return closedDuringHandshake();
    return reason;
}

} // namespace

TlsStream *TlsStream::of(const SSL *ssl)
{
    return static_cast<TlsStream *>(SSL_get_app_data(ssl));
}

std::unique_ptr<TlsStream> TlsStream::accepting(std::shared_ptr<const TlsContext> context, const QString &connectHost)
{
    std::unique_ptr<TlsStream> stream(new TlsStream);
    stream->m_host = connectHost;
    const bool intercepting = context && context->role() == TlsContext::Role::Intercepting;
    if (!context || (!intercepting && context->role() != TlsContext::Role::Serving))
        stream->fail(QStringLiteral("not a context for a TLS server"));
    else if (stream->start(std::move(context), true) && intercepting)
        SSL_set_cert_cb(stream->m_ssl.get(), chooseCertificate, nullptr);
    return stream;
}

std::unique_ptr<TlsStream> TlsStream::connecting(std::shared_ptr<const TlsContext> context, const QString &host)
{
    std::unique_ptr<TlsStream> stream(new TlsStream);
    QString bare = host;
    if (bare.startsWith(u'[') && bare.endsWith(u']'))
        bare = bare.mid(1, bare.size() - 2);
    stream->m_host = bare;
    if (!context || context->role() != TlsContext::Role::Upstream) {
        stream->fail(QStringLiteral("not a context for TLS toward servers"));
        return stream;
    }
    if (!stream->start(std::move(context), false))
        return stream;
    SSL *ssl = stream->m_ssl.get();
    const QByteArray name = bare.toUtf8();
    const bool isIp = !QHostAddress(bare).isNull();
    bool named = SSL_set_alpn_protos(ssl, http11Alpn, sizeof http11Alpn) == 0;
    if (isIp) {
        named = named && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.constData()) == 1;
    } else {
        stream->m_serverName = bare;
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        // SSL_set_tlsext_host_name() without its C cast.
        named = named &&
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         const_cast<char *>(name.constData())) == 1 &&
                SSL_set1_host(ssl, name.constData()) == 1;
    }
    if (!named) {
        stream->fail(QStringLiteral("cannot use %1 as a TLS server name: %2").arg(bare, OpenSslErrors::take()));
        return stream;
    }
    // Verified always, so verificationProblem() is known even when the insecure option accepts the certificate.
    SSL_set_verify(ssl, SSL_VERIFY_PEER, verifyCertificate);
    stream->handshake(); // the ClientHello, ready in takeEncrypted()
    return stream;
}

bool TlsStream::start(std::shared_ptr<const TlsContext> context, bool server)
{
    OpenSslErrors::clear();
    m_context = std::move(context);
    m_server = server;
    m_ssl.reset(SSL_new(m_context->handle()));
    m_in = BIO_new(BIO_s_mem());
    m_out = BIO_new(BIO_s_mem());
    if (!m_ssl || !m_in || !m_out) {
        BIO_free(m_in);
        BIO_free(m_out);
        m_in = m_out = nullptr;
        fail(QStringLiteral("cannot start TLS: %1").arg(OpenSslErrors::take()));
        return false;
    }
    // An empty input is "wait for more", not the end of the connection (see receiveEndOfStream()).
    BIO_set_mem_eof_return(m_in, -1);
    SSL_set_bio(m_ssl.get(), m_in, m_out);
    SSL_set_app_data(m_ssl.get(), this);
    if (server)
        SSL_set_accept_state(m_ssl.get());
    else
        SSL_set_connect_state(m_ssl.get());
    return true;
}

TlsStream::~TlsStream() = default;

void TlsStream::receiveEncrypted(QByteArrayView bytes)
{
    if (!m_ssl || m_state == State::Failed || m_state == State::Closed || bytes.isEmpty())
        return;
    BIO_write(m_in, bytes.data(), static_cast<int>(bytes.size()));
    pump();
}

void TlsStream::receiveEndOfStream()
{
    m_peerClosed = true;
    if (!m_ssl || m_state == State::Failed || m_state == State::Closed)
        return;
    BIO_set_mem_eof_return(m_in, 0);
    if (m_state == State::Handshaking) {
        handshake();
        if (m_state == State::Handshaking)
            fail(closedDuringHandshake());
        return;
    }
    readPlain();
}

QByteArray TlsStream::takeEncrypted()
{
    QByteArray bytes;
    if (!m_out)
        return bytes;
    const qsizetype pending = encryptedPending();
    if (pending > 0) {
        bytes.resize(pending);
        const int read = BIO_read(m_out, bytes.data(), static_cast<int>(pending));
        bytes.resize(qMax(read, 0));
    }
    return bytes;
}

qsizetype TlsStream::encryptedPending() const
{
    return m_out ? static_cast<qsizetype>(BIO_ctrl_pending(m_out)) : 0;
}

void TlsStream::writePlain(QByteArrayView bytes)
{
    if (m_state == State::Failed || m_state == State::Closed || bytes.isEmpty())
        return;
    // Straight into TLS records when nothing waits before it: a copy less for the relay's every write.
    if (m_state == State::Established && m_plainOut.isEmpty()) {
        const qsizetype written = writeRecords(bytes);
        if (m_state == State::Established && written < bytes.size())
            m_plainOut.append(bytes.sliced(written));
        return;
    }
    m_plainOut.append(bytes);
    if (m_state == State::Established)
        flushPlainOut();
}

QByteArray TlsStream::takePlain(qsizetype max)
{
    QByteArray bytes;
    if (max < 0 || max >= m_plainIn.size()) {
        bytes.swap(m_plainIn);
    } else {
        bytes = m_plainIn.left(max);
        m_plainIn.remove(0, max);
    }
    if (m_state == State::Established)
        readPlain();
    return bytes;
}

qsizetype TlsStream::incomingPending() const
{
    return m_plainIn.size() + (m_in ? static_cast<qsizetype>(BIO_ctrl_pending(m_in)) : 0);
}

void TlsStream::close()
{
    if (m_state == State::Established) {
        flushPlainOut();
        OpenSslErrors::clear();
        SSL_shutdown(m_ssl.get());
        OpenSslErrors::clear();
    }
    if (m_state != State::Failed)
        m_state = State::Closed;
}

void TlsStream::pump()
{
    if (m_state == State::Handshaking)
        handshake();
    if (m_state == State::Established) {
        flushPlainOut();
        readPlain();
    }
}

void TlsStream::handshake()
{
    OpenSslErrors::clear();
    const int result = SSL_do_handshake(m_ssl.get());
    if (result == 1) {
        m_state = State::Established;
        const unsigned char *alpn = nullptr;
        unsigned int alpnSize = 0;
        SSL_get0_alpn_selected(m_ssl.get(), &alpn, &alpnSize);
        m_alpn = QByteArray(reinterpret_cast<const char *>(alpn), alpnSize);
        m_version = QString::fromLatin1(SSL_get_version(m_ssl.get()));
        m_cipher = QString::fromLatin1(SSL_get_cipher_name(m_ssl.get()));
        if (m_server) {
            const char *sni = SSL_get_servername(m_ssl.get(), TLSEXT_NAMETYPE_host_name);
            m_serverName = sni ? QString::fromUtf8(sni) : QString();
        }
        return;
    }
    const int error = SSL_get_error(m_ssl.get(), result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
        return;
    fail(handshakeError(error));
}

QString TlsStream::handshakeError(int sslError)
{
    if (!m_server && SSL_get_verify_result(m_ssl.get()) != X509_V_OK && !m_verificationProblem.isEmpty()) {
        OpenSslErrors::clear();
        return m_verificationProblem;
    }
    if (m_server && !m_certificateError.isEmpty()) {
        OpenSslErrors::clear();
        return m_certificateError;
    }
    if (sslError == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
        return closedDuringHandshake();
    const QString reason = readableReason(OpenSslErrors::take(QStringLiteral("the TLS handshake failed")));
    if (reason == closedDuringHandshake())
        return reason;
    return QStringLiteral("TLS handshake failed: %1").arg(reason);
}

void TlsStream::flushPlainOut()
{
    m_plainOut.remove(0, writeRecords(m_plainOut));
}

qsizetype TlsStream::writeRecords(QByteArrayView bytes)
{
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        OpenSslErrors::clear();
        size_t written = 0;
        const int result =
            SSL_write_ex(m_ssl.get(), bytes.data() + offset,
                         static_cast<size_t>(qMin<qsizetype>(bytes.size() - offset, sslChunk)), &written);
        if (result != 1) {
            const int error = SSL_get_error(m_ssl.get(), result);
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
                fail(QStringLiteral("TLS write failed: %1").arg(OpenSslErrors::take()));
            break;
        }
        offset += static_cast<qsizetype>(written);
    }
    return offset;
}

void TlsStream::readPlain()
{
    while (m_state == State::Established && m_plainIn.size() < plainReadAhead) {
        OpenSslErrors::clear();
        // Decrypted in place, at the end of what is pending.
        const qsizetype before = m_plainIn.size();
        if (m_plainIn.capacity() < plainReadAhead + sslChunk)
            m_plainIn.reserve(plainReadAhead + sslChunk);
        m_plainIn.resize(before + sslChunk);
        size_t read = 0;
        const int result = SSL_read_ex(m_ssl.get(), m_plainIn.data() + before, sslChunk, &read);
        m_plainIn.resize(before + (result == 1 ? static_cast<qsizetype>(read) : 0));
        if (result == 1)
            continue;
        const int error = SSL_get_error(m_ssl.get(), result);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
            break;
        if (error == SSL_ERROR_ZERO_RETURN) {
            m_peerClosed = true;
            m_closeNotifyReceived = true;
            break;
        }
        if (m_peerClosed &&
            (error == SSL_ERROR_SYSCALL || ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
            // The TCP connection ended without a close_notify: what was received is all there is.
            OpenSslErrors::clear();
            break;
        }
        fail(QStringLiteral("TLS read failed: %1").arg(readableReason(OpenSslErrors::take())));
    }
}

void TlsStream::fail(const QString &reason)
{
    m_state = State::Failed;
    if (m_error.isEmpty())
        m_error = reason;
    m_plainOut.clear();
}

int TlsStream::chooseCertificate(SSL *ssl, void *)
{
    TlsStream *stream = of(ssl);
    if (!stream)
        return 0;
    const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    const QString host = sni && *sni ? QString::fromUtf8(sni) : stream->m_host;
    if (host.isEmpty()) {
        stream->m_certificateError = QStringLiteral("the client sent no server name and no CONNECT host is known");
        return 0;
    }
    QString error;
    std::shared_ptr<const LeafCertificate> leaf = stream->m_context->authority()->leafFor(host, &error);
    if (!leaf) {
        stream->m_certificateError = error;
        return 0;
    }
    if (SSL_use_certificate(ssl, leaf->certificate.get()) != 1 || SSL_use_PrivateKey(ssl, leaf->key.get()) != 1) {
        stream->m_certificateError =
            QStringLiteral("cannot use the certificate for %1: %2").arg(leaf->host, OpenSslErrors::take());
        return 0;
    }
    stream->m_leaf = std::move(leaf);
    return 1;
}

int TlsStream::verifyCertificate(int ok, X509_STORE_CTX *store)
{
    const auto *ssl = static_cast<const SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    TlsStream *stream = ssl ? of(ssl) : nullptr;
    if (!stream)
        return ok;
    if (!ok && stream->m_verificationProblem.isEmpty())
        stream->m_verificationProblem =
            verificationText(X509_STORE_CTX_get_error(store), X509_STORE_CTX_get_current_cert(store), stream->m_host);
    return stream->m_context->insecure() ? 1 : ok;
}

int TlsStream::selectAlpn(SSL *ssl, const unsigned char **out, unsigned char *outSize, const unsigned char *in,
                          unsigned int inSize, void *)
{
    if (TlsStream *stream = of(ssl)) {
        stream->m_offeredAlpn.clear();
        for (unsigned int i = 0; i < inSize;) {
            const unsigned int size = in[i];
            if (i + 1 + size > inSize)
                break;
            stream->m_offeredAlpn.append(QByteArray(reinterpret_cast<const char *>(in + i + 1), size));
            i += 1 + size;
        }
    }
    unsigned char *selected = nullptr;
    if (SSL_select_next_proto(&selected, outSize, http11Alpn, sizeof http11Alpn, in, inSize) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace wsi
