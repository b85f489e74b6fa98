// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/LeafCertificate.h"
#include "core/proxy/OpenSslHandles.h"
#include "core/proxy/TlsContext.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>

namespace wsi {

// One TLS connection of the capture proxy, over memory: the caller moves bytes between it and a socket, so it works
// with any QTcpSocket on any thread, and the proxy sees what QSslSocket hides (the client's SNI and ALPN offer,
// the key log). Not a QObject and not thread-safe: one thread drives it.
//
//   socket readyRead  -> receiveEncrypted(bytes); then send takeEncrypted() and read takePlain()
//   plaintext to send -> writePlain(bytes); then send takeEncrypted()
//   socket closed     -> receiveEndOfStream()
//
// Nothing here grows without the caller's say: receiveEncrypted() decrypts at most plainReadAhead bytes ahead of
// takePlain() and keeps the rest encrypted, so incomingPending() tells the caller when to stop reading its socket;
// encryptedPending() tells it when to stop feeding plaintext until the socket has written. Every failure (a
// handshake refused, garbage instead of TLS, a certificate that does not verify, the peer gone mid-handshake) ends
// in state Failed with errorString() in words; the caller bounds the handshake's time.
class TlsStream final
{
public:
    enum class State : quint8 { Handshaking, Established, Closed, Failed };
    static constexpr qsizetype plainReadAhead = 64 * 1024;

    // The server side toward an intercepted client: the certificate names the host of its SNI, or `connectHost`
    // (the CONNECT request's) when it sends none. ALPN: http/1.1 when offered; a client that offers only others
    // (h2 alone) gets no ALPN at all and the handshake goes on, so it speaks HTTP/1.1 or gives up by itself
    // (offeredAlpn() says what it wanted). `context` must be TlsContext::intercepting(), or TlsContext::serving()
    // (its one certificate, whatever the SNI).
    static std::unique_ptr<TlsStream> accepting(std::shared_ptr<const TlsContext> context, const QString &connectHost);
    // The client side toward the real server `host` (a DNS name, sent as SNI, or an IP literal, which is not).
    // `context` must be TlsContext::upstream().
    static std::unique_ptr<TlsStream> connecting(std::shared_ptr<const TlsContext> context, const QString &host);
    ~TlsStream();

    // TLS bytes the peer sent.
    void receiveEncrypted(QByteArrayView bytes);
    // The peer's TCP connection ended: a failure during the handshake; afterwards peerClosed() (and
    // closedCleanly() says whether a close_notify came first).
    void receiveEndOfStream();
    // TLS bytes to send to the peer (handshake, records, alerts), emptied.
    QByteArray takeEncrypted();
    qsizetype encryptedPending() const;

    // Plaintext to send; kept until the handshake is done.
    void writePlain(QByteArrayView bytes);
    // Plaintext the peer sent, up to `max` bytes (all with -1); reading makes room to decrypt more.
    QByteArray takePlain(qsizetype max = -1);
    qsizetype plainPending() const { return m_plainIn.size(); }
    // Everything received and not yet taken: decrypted plus still encrypted.
    qsizetype incomingPending() const;
    // Sends close_notify (see takeEncrypted()) and ends the stream.
    void close();

    State state() const { return m_state; }
    bool isEstablished() const { return m_state == State::Established; }
    bool hasFailed() const { return m_state == State::Failed; }
    QString errorString() const { return m_error; }
    bool peerClosed() const { return m_peerClosed; }
    bool closedCleanly() const { return m_closeNotifyReceived; }

    bool isServer() const { return m_server; }
    // The SNI the client sent (server side; empty without one) or the one sent (client side).
    QString serverName() const { return m_serverName; }
    // Server side: the certificate handed to the client, from its SNI or the CONNECT host.
    std::shared_ptr<const LeafCertificate> leaf() const { return m_leaf; }
    // Server side: the ALPN protocols the client offered, in its order.
    QList<QByteArray> offeredAlpn() const { return m_offeredAlpn; }
    // Once established: "http/1.1", or empty when none was agreed.
    QByteArray alpn() const { return m_alpn; }
    QString protocolVersion() const { return m_version; } // "TLSv1.3"
    QString cipher() const { return m_cipher; }           // "TLS_AES_256_GCM_SHA384"
    // Client side: why the server's certificate is not trusted ("certificate for a.example does not match host
    // b.example", "unable to get local issuer certificate: ..."), also when the insecure option let it through;
    // empty when it verified.
    QString verificationProblem() const { return m_verificationProblem; }

    TlsStream(const TlsStream &) = delete;
    TlsStream &operator=(const TlsStream &) = delete;

private:
    friend class TlsContext;
    TlsStream() = default;
    bool start(std::shared_ptr<const TlsContext> context, bool server);
    void pump();
    void handshake();
    void flushPlainOut();
    // Plaintext into TLS records (in takeEncrypted()); how much went.
    qsizetype writeRecords(QByteArrayView bytes);
    void readPlain();
    void fail(const QString &reason);
    QString handshakeError(int sslError);

    static TlsStream *of(const SSL *ssl);
    static int chooseCertificate(SSL *ssl, void *);
    static int verifyCertificate(int ok, X509_STORE_CTX *store);
    static int selectAlpn(SSL *ssl, const unsigned char **out, unsigned char *outSize, const unsigned char *in,
                          unsigned int inSize, void *);

    std::shared_ptr<const TlsContext> m_context;
    SslHandle m_ssl;
    BIO *m_in = nullptr;  // owned by m_ssl
    BIO *m_out = nullptr; // owned by m_ssl
    bool m_server = false;
    State m_state = State::Handshaking;
    QString m_host;
    QString m_serverName;
    QString m_error;
    QString m_certificateError;
    QString m_verificationProblem;
    std::shared_ptr<const LeafCertificate> m_leaf;
    QList<QByteArray> m_offeredAlpn;
    QByteArray m_alpn;
    QString m_version;
    QString m_cipher;
    QByteArray m_plainIn;
    QByteArray m_plainOut;
    bool m_peerClosed = false;
    bool m_closeNotifyReceived = false;
};

} // namespace wsi
