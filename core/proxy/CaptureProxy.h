// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/CaptureOptions.h"
#include "core/proxy/KeyLogFile.h"
#include "core/proxy/UpstreamTlsOptions.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <atomic>

class QTcpServer;

namespace wsi {

class CaptureConnection;
class ProxyConnection;

// The capture proxy: an explicit HTTP proxy (applications, browsers or the system point at it with HTTP_PROXY,
// HTTPS_PROXY, --proxy-server ...) that hands every WebSocket connection through it to the same relay as the
// reverse TimeoutProxy (ProxyConnection: parsed and recorded both ways, the models' timers enforced) and passes
// everything else through untouched. Each client connection is a CaptureConnection until it is known to be a
// WebSocket (then a ProxyConnection) or passed through.
//
// Listens on loopback unless CaptureOptions::allowRemote: on another interface it is an open proxy for that
// network. A QObject for a network thread of its own or the main thread of a command-line program: create it,
// listen() and delete it on one thread.
class CaptureProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureProxy)

public:
    explicit CaptureProxy(CaptureOptions options, QObject *parent = nullptr);
    ~CaptureProxy() override; // aborts every connection

    const CaptureOptions &options() const noexcept { return m_options; }
    quint16 port() const noexcept { return m_port.load(std::memory_order_acquire); }
    // What clients are pointed at: http://127.0.0.1:PORT.
    QUrl url() const;
    // Why options cannot run (a non-loopback address without allowRemote, a time scale <= 0, a host pattern that
    // cannot match), empty when they can. listen() checks it.
    static QString optionsProblem(const CaptureOptions &options);
    // Turns TLS interception on in `options`: the CA in `caFolder` (made there on first use) for the leaves, the
    // real servers verified as `upstream` says, and every TLS secret of both sides appended to `keyLog` (none when
    // null). Empty when it worked, else why, naming the folder or file.
    static QString enableInterception(CaptureOptions &options, const QString &caFolder,
                                      const UpstreamTlsOptions &upstream, std::shared_ptr<KeyLogFile> keyLog);

    bool listen();
    QString errorString() const { return m_error; }
    bool isListening() const;
    // The address the socket is bound to (listen() succeeded).
    QHostAddress listeningAddress() const;
    // Stops accepting and aborts every connection that still runs.
    void close();
    // Relays that are still open (every relay, closed ones too, while removeClosedConnections is off).
    QList<ProxyConnection *> webSockets() const;
    // The rules of WebSocket connections whose upgrade comes from now on (null: none); those already relayed keep
    // the set they started with. The proxy's thread.
    void setRules(std::shared_ptr<RuleSet> rules) { m_options.relay.rules = std::move(rules); }
    // A command-line capture forgets relays once they closed (and their closed() was delivered); the window keeps
    // them while the proxy runs, since its views read them from another thread.
    void setRemoveClosedConnections(bool remove) { m_removeClosed = remove; }

Q_SIGNALS:
    // A WebSocket connection went to the relay, not started yet: connect to its signals (and record it) right away;
    // the proxy starts it when this returns. `url` is the ws:// URL the client asked for.
    void webSocketAccepted(wsi::ProxyConnection *connection, const QUrl &url);
    // Events of connections that are not WebSockets; `id` counts every client connection, as the relay's ids do.
    void tunnelOpened(int id, const QString &host, quint16 port, const QString &why);
    void httpPassed(int id, const QString &method, const QString &url);
    void requestRefused(int id, int status, const QString &reason);
    // An intercepted tunnel's TLS failed (see CaptureConnection::tlsFailed()).
    void tlsFailed(int id, const QString &host, quint16 port, const QString &side, const QString &reason);

private:
    void onNewConnection();
    void onWebSocketRequested(ProxyConnection *relay, const QUrl &url);

    CaptureOptions m_options;
    QTcpServer *m_server = nullptr;
    std::atomic<quint16> m_port{0};
    QString m_error;
    int m_nextId = 1;
    bool m_removeClosed = true;
    QList<QPointer<CaptureConnection>> m_pending;
    QList<QPointer<ProxyConnection>> m_relays;
};

} // namespace wsi
