// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/CaptureOptions.h"
#include "core/proxy/ProxyRequestHead.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace wsi {

class ProxyConnection;
class RelayEnd;
class TlsRelayEnd;

// One client connection to the CaptureProxy, from its first byte until it is either handed to the WebSocket relay
// (a ProxyConnection) or passed through. It reads the request head (at most ProxyRequestHead::maxBytes) and:
// - `CONNECT host:port`: dials the target, answers 200 (or 502 with the reason), then looks at the client's first
//   bytes inside the tunnel (onTunnelBytes()):
//   - a TLS ClientHello (0x16) for a host CaptureOptions::patterns intercepts is intercepted: the client's TLS is
//     terminated with a leaf of the capture CA for its SNI (or the CONNECT host), TLS is dialled on to the server
//     over the connection already made (verified as CaptureOptions::upstreamTls says), and the plaintext request
//     inside is then handled as a plain tunnel's, with wss:// and https:// as the schemes. A server that fails
//     verification is a tlsFailed() and the client gets a 502 with the reason inside its TLS; a client that
//     refuses our leaf (it does not trust the CA) is a tlsFailed() too. Both handshakes together end within
//     CaptureOptions::tlsHandshakeTimeoutMs. Hosts not intercepted, or without TLS contexts, are tunnelled blindly;
//   - plain HTTP whose request is a WebSocket upgrade goes to the relay over the connection already dialled;
//   - anything else (other HTTP, other protocols, a server that speaks first) passes through (inside TLS:
//     decrypted and re-encrypted, byte for byte);
// - an absolute-form request (`GET http://host:port/path HTTP/1.1`): a WebSocket upgrade goes to the relay, which
//   dials the server; any other request is forwarded in origin form with Proxy-Connection and
//   Proxy-Authorization removed (ProxyRequestHead::forwarded()), then everything passes through byte for byte;
// - anything else: 400 with the reason (431 for a head that does not end within the limit, 408 for one that does
//   not come in time), and the connection is closed.
// What passes through is not parsed any further: later requests on a kept-alive connection go to the same server
// unchanged and are not listed.
//
// Lives on the CaptureProxy's thread and deletes itself when done (handed over, or both ends closed).
class CaptureConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureConnection)

public:
    // Takes ownership of `client` (connected).
    CaptureConnection(int id, QTcpSocket *client, const CaptureOptions &options, QObject *parent = nullptr);
    ~CaptureConnection() override;

    int id() const noexcept { return m_id; }
    void start();
    void abort();

Q_SIGNALS:
    // A WebSocket upgrade for the relay: `relay` owns the client's socket (and the tunnel's, if any, inside TLS when
    // intercepted) and is not started yet; the receiver takes ownership, connects to its signals and starts it.
    // `url` is the ws:// or wss:// URL the client asked for.
    void webSocketRequested(wsi::ProxyConnection *relay, const QUrl &url);
    // Passed through blindly: a CONNECT tunnel not intercepted (`why`: TLS, not HTTP, --no-intercept ...).
    void tunnelOpened(const QString &host, quint16 port, const QString &why);
    // A request that is not a WebSocket upgrade, passed through (one per connection: see the class comment).
    void httpPassed(const QString &method, const QString &url);
    // The proxy answered in its own name and closed the connection.
    void refused(int status, const QString &reason);
    // An intercepted tunnel's TLS failed: `side` "client" (it refused our leaf, or its handshake broke or did not
    // end in time) or "server" (its certificate did not verify, or its handshake failed); the tunnel is closed.
    void tlsFailed(const QString &host, quint16 port, const QString &side, const QString &reason);
    // Both ends are closed or the connection went to the relay; the object deletes itself after this.
    void finished();

private:
    enum class Stage : quint8 {
        ReadingHead,
        Dialling,
        TunnelStart,
        TunnelHead,
        TlsHandshake, // intercepting: the client's TLS handshake
        TlsHead,      // intercepting: the server's TLS handshake and the client's request inside TLS
        PassingThrough,
        Done
    };

    void onClientReadyRead();
    void onHead(const ProxyRequestHead &head, QByteArray rest);
    void dial(const QString &host, quint16 port);
    void onDialled();
    void onDialFailed(const QString &reason);
    void onTunnelBytes();
    void onTunnelHead();
    void intercept();
    void onClientTlsEstablished();
    void onInterceptedBytes();
    void onTlsFailed(const QString &side, const QString &reason);
    void decideIntercepted();
    void toRelay(const QUrl &url, QByteArray clientBytes, bool adoptUpstream);
    // The sockets as RelayEnds from here on (those not wrapped yet), their signals ours.
    void useEnds();
    void watchEnd(RelayEnd *end);
    void passThrough(const QByteArray &toUpstream);
    void pump(RelayEnd *from, RelayEnd *to);
    void onEndClosed(QTcpSocket *socket);
    void onEndGone(RelayEnd *end);
    void dropUpstream();
    void refuse(int status, const QString &reason, bool announce = true);
    // Closes the client's end after `lastWords` (and whatever it still has to send), then finishes.
    void endClient(const QByteArray &lastWords);
    void finish();

    const int m_id;
    const CaptureOptions &m_options;
    Stage m_stage = Stage::ReadingHead;
    // The sockets until the tunnel's first bytes are acted on; then the ends over them.
    QTcpSocket *m_client = nullptr;
    QTcpSocket *m_upstream = nullptr;
    RelayEnd *m_clientEnd = nullptr;
    RelayEnd *m_upstreamEnd = nullptr;
    TlsRelayEnd *m_clientTls = nullptr;   // m_clientEnd when intercepting
    TlsRelayEnd *m_upstreamTls = nullptr; // m_upstreamEnd when intercepting, once the client's TLS is up
    bool m_upstreamTlsReady = false;
    bool m_interceptedHeadDone = false;
    QByteArray m_buffer; // the client's bytes not yet acted on
    // How much of m_buffer has been searched for a request head's end in vain (ProxyRequestHead::endOf()).
    qsizetype m_headSearched = 0;
    std::optional<ProxyRequestHead> m_head;
    QTimer m_timeout;
    bool m_finished = false;
};

} // namespace wsi
