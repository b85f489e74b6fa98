// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

namespace wsi::test {

// A WebSocket server on 127.0.0.1 that sends every client a text message of `bytes` every `intervalMs`: a feed to
// record (tst_recording_files, wsi_bench_recording_io).
class FeedServer final : public QObject
{
public:
    FeedServer(int intervalMs, qsizetype bytes)
        : m_server(QStringLiteral("feed"), QWebSocketServer::NonSecureMode)
        , m_message(QString(bytes, u'm'))
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *client = m_server.nextPendingConnection())
                m_clients.append(client);
        });
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            for (QWebSocket *client : std::as_const(m_clients))
                client->sendTextMessage(m_message);
        });
        m_timer.start();
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }

private:
    QWebSocketServer m_server;
    QTimer m_timer;
    QString m_message;
    QList<QWebSocket *> m_clients;
};

} // namespace wsi::test
