// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QUrl>

class QWebSocket;
class QWebSocketServer;

namespace wsi {

// The built-in echo server: a plain QWebSocketServer that sends every text and binary message back and answers
// pings (QWebSocket does that itself). The GUI opens its first session against it, so a first run shows real
// traffic; `wsinspector-cli serve` runs it alone. It listens on 127.0.0.1 and a free port unless told otherwise.
class EchoServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoServer)

public:
    explicit EchoServer(QObject *parent = nullptr);
    ~EchoServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    QString errorString() const;
    bool isListening() const;
    QUrl url() const;
    quint16 port() const;
    int connectionCount() const { return int(m_clients.size()); }

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();

private:
    void onNewConnection();

    QWebSocketServer *m_server;
    QList<QWebSocket *> m_clients;
};

} // namespace wsi
