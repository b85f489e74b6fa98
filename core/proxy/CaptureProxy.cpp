// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CaptureProxy.h"

#include "core/proxy/CaptureConnection.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/TlsContext.h"

#include <QDir>
#include <QTcpServer>
#include <QTcpSocket>

namespace wsi {

CaptureProxy::CaptureProxy(CaptureOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_options.relay.forwarding = ProxyOptions::Forwarding::AsRequested;
}

CaptureProxy::~CaptureProxy()
{
    close();
}

QString CaptureProxy::optionsProblem(const CaptureOptions &options)
{
    if (!options.allowRemote && !options.listenAddress.isLoopback())
        return QStringLiteral("%1 is not a loopback address: anyone who can reach it could use the proxy to reach "
                              "anything this machine can (--allow-remote to accept that)")
            .arg(options.listenAddress.toString());
    if (!(options.relay.timeScale > 0))
        return QStringLiteral("the time scale must be greater than 0");
    for (const QStringList *patterns : {&options.patterns.intercept(), &options.patterns.noIntercept()}) {
        for (const QString &pattern : *patterns) {
            if (const QString problem = HostPatterns::problem(pattern); !problem.isEmpty())
                return problem;
        }
    }
    return {};
}

QString CaptureProxy::enableInterception(CaptureOptions &options, const QString &caFolder,
                                         const UpstreamTlsOptions &upstream, std::shared_ptr<KeyLogFile> keyLog)
{
    QString error;
    std::shared_ptr<TlsContext> intercepting = TlsContext::interceptingWithCaIn(caFolder, keyLog, &error);
    if (!intercepting)
        return QStringLiteral("the capture CA in %1: %2").arg(QDir::toNativeSeparators(caFolder), error);
    std::shared_ptr<TlsContext> toServers = TlsContext::upstream(upstream, std::move(keyLog), &error);
    if (!toServers)
        return QStringLiteral("TLS toward servers: %1").arg(error);
    options.interceptTls = std::move(intercepting);
    options.upstreamTls = std::move(toServers);
    return {};
}

QUrl CaptureProxy::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    const QHostAddress &address = m_options.listenAddress;
    url.setHost(address == QHostAddress::Any || address == QHostAddress::AnyIPv4
                    ? QStringLiteral("127.0.0.1")
                    : (address == QHostAddress::AnyIPv6 ? QStringLiteral("::1") : address.toString()));
    url.setPort(port());
    return url;
}

bool CaptureProxy::listen()
{
    m_error = optionsProblem(m_options);
    if (!m_error.isEmpty())
        return false;
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &CaptureProxy::onNewConnection);
    }
    if (!m_server->listen(m_options.listenAddress, m_options.listenPort)) {
        m_error = m_server->errorString();
        return false;
    }
    m_port.store(m_server->serverPort(), std::memory_order_release);
    return true;
}

bool CaptureProxy::isListening() const
{
    return m_server && m_server->isListening();
}

QHostAddress CaptureProxy::listeningAddress() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

void CaptureProxy::close()
{
    if (m_server)
        m_server->close();
    for (const QPointer<CaptureConnection> &connection : std::as_const(m_pending)) {
        if (connection)
            connection->abort();
    }
    for (const QPointer<ProxyConnection> &relay : std::as_const(m_relays)) {
        if (relay)
            relay->abort();
    }
}

QList<ProxyConnection *> CaptureProxy::webSockets() const
{
    QList<ProxyConnection *> list;
    for (const QPointer<ProxyConnection> &relay : m_relays) {
        if (relay)
            list.append(relay.data());
    }
    return list;
}

void CaptureProxy::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        const int id = m_nextId++;
        auto *connection = new CaptureConnection(id, socket, m_options, this);
        m_pending.append(connection);
        connect(connection, &CaptureConnection::webSocketRequested, this, &CaptureProxy::onWebSocketRequested);
        connect(connection, &CaptureConnection::tunnelOpened, this,
                [this, id](const QString &host, quint16 port, const QString &why) {
                    Q_EMIT tunnelOpened(id, host, port, why);
                });
        connect(connection, &CaptureConnection::httpPassed, this,
                [this, id](const QString &method, const QString &url) { Q_EMIT httpPassed(id, method, url); });
        connect(connection, &CaptureConnection::refused, this,
                [this, id](int status, const QString &reason) { Q_EMIT requestRefused(id, status, reason); });
        connect(connection, &CaptureConnection::tlsFailed, this,
                [this, id](const QString &host, quint16 port, const QString &side, const QString &reason) {
                    Q_EMIT tlsFailed(id, host, port, side, reason);
                });
        connect(connection, &CaptureConnection::finished, this,
                [this, connection] { m_pending.removeAll(connection); });
        connection->start();
    }
}

void CaptureProxy::onWebSocketRequested(ProxyConnection *relay, const QUrl &url)
{
    relay->setParent(this);
    m_relays.append(relay);
    // Closed relays are forgotten once their closed() was delivered: a capture proxy runs for a long time.
    connect(relay, &ProxyConnection::closed, this, [this, relay] {
        if (!m_removeClosed)
            return;
        m_relays.removeAll(relay);
        relay->deleteLater();
    });
    Q_EMIT webSocketAccepted(relay, url);
    relay->start();
}

} // namespace wsi
