// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/EchoServer.h"

#include <QWebSocket>
#include <QWebSocketServer>

namespace wsi {

EchoServer::EchoServer(QObject *parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(QStringLiteral("WS Inspector echo"), QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &EchoServer::onNewConnection);
}

EchoServer::~EchoServer()
{
    close();
}

bool EchoServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

void EchoServer::close()
{
    m_server->close();
    const auto clients = m_clients;
    m_clients.clear();
    for (QWebSocket *client : clients) {
        client->disconnect(this);
        client->abort();
        client->deleteLater();
    }
}

QString EchoServer::errorString() const
{
    return m_server->errorString();
}

bool EchoServer::isListening() const
{
    return m_server->isListening();
}

quint16 EchoServer::port() const
{
    return m_server->serverPort();
}

QUrl EchoServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    url.setPath(QStringLiteral("/"));
    return url;
}

void EchoServer::onNewConnection()
{
    while (QWebSocket *client = m_server->nextPendingConnection()) {
        m_clients.append(client);
        // Large messages (the engine benchmark sends 1 MiB ones) must be echoed whole.
        client->setMaxAllowedIncomingMessageSize(256ull * 1024 * 1024);
        client->setMaxAllowedIncomingFrameSize(256ull * 1024 * 1024);
        connect(client, &QWebSocket::textMessageReceived, client,
                [client](const QString &message) { client->sendTextMessage(message); });
        connect(client, &QWebSocket::binaryMessageReceived, client,
                [client](const QByteArray &message) { client->sendBinaryMessage(message); });
        connect(client, &QWebSocket::disconnected, this, [this, client] {
            m_clients.removeOne(client);
            client->deleteLater();
            Q_EMIT clientDisconnected();
        });
        Q_EMIT clientConnected();
    }
}

} // namespace wsi
