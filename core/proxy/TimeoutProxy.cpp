// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/TimeoutProxy.h"

#include "core/proxy/TlsRelayEnd.h"
#include "core/session/TlsSetup.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace wsi {

TimeoutProxy::TimeoutProxy(ProxyOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

TimeoutProxy::~TimeoutProxy()
{
    close();
}

QString TimeoutProxy::optionsProblem(const ProxyOptions &options)
{
    const QString scheme = options.upstream.scheme();
    if (!options.upstream.isValid() || (scheme != QLatin1StringView("ws") && scheme != QLatin1StringView("wss")) ||
        options.upstream.host().isEmpty())
        return QStringLiteral("the upstream '%1' is not a ws:// or wss:// URL with a host")
            .arg(options.upstream.toDisplayString());
    if (!(options.timeScale > 0))
        return QStringLiteral("the time scale must be greater than 0");
    if (scheme == QLatin1StringView("wss"))
        return TlsSetup::problem(options.tls);
    return {};
}

QUrl TimeoutProxy::url() const
{
    QUrl url;
    url.setScheme(m_options.listenTls ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QHostAddress &address = m_options.listenAddress;
    url.setHost(address == QHostAddress::Any || address == QHostAddress::AnyIPv4
                    ? QStringLiteral("127.0.0.1")
                    : (address == QHostAddress::AnyIPv6 ? QStringLiteral("::1") : address.toString()));
    url.setPort(port());
    url.setPath(m_options.upstream.path().isEmpty() ? QStringLiteral("/") : m_options.upstream.path());
    if (m_options.upstream.hasQuery())
        url.setQuery(m_options.upstream.query());
    return url;
}

bool TimeoutProxy::listen()
{
    m_error = optionsProblem(m_options);
    if (!m_error.isEmpty())
        return false;
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &TimeoutProxy::onNewConnection);
    }
    if (!m_server->listen(m_options.listenAddress, m_options.listenPort)) {
        m_error = m_server->errorString();
        return false;
    }
    m_port.store(m_server->serverPort(), std::memory_order_release);
    return true;
}

bool TimeoutProxy::isListening() const
{
    return m_server && m_server->isListening();
}

void TimeoutProxy::close()
{
    if (m_server)
        m_server->close();
    for (const QPointer<ProxyConnection> &connection : std::as_const(m_connections)) {
        if (connection)
            connection->abort();
    }
}

QList<ProxyConnection *> TimeoutProxy::connections() const
{
    QList<ProxyConnection *> list;
    for (const QPointer<ProxyConnection> &connection : m_connections) {
        if (connection)
            list.append(connection.data());
    }
    return list;
}

void TimeoutProxy::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ProxyConnection *connection = nullptr;
        if (m_options.listenTls) {
            // The handshake counts toward the upgrade's time (ProxyOptions::upgradeTimeoutMs).
            auto *end =
                new TlsRelayEnd(socket, TlsStream::accepting(m_options.listenTls, m_options.listenAddress.toString()));
            end->start();
            connection = new ProxyConnection(m_nextId++, end, m_options, this);
        } else {
            connection = new ProxyConnection(m_nextId++, socket, m_options, this);
        }
        m_connections.append(connection);
        connect(connection, &ProxyConnection::closed, this, [this, connection] {
            if (!m_removeClosed)
                return;
            m_connections.removeAll(connection);
            connection->deleteLater();
        });
        Q_EMIT connectionAccepted(connection);
        connection->start();
    }
}

} // namespace wsi
