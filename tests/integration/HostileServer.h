// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace wsi::test {

// A WebSocket server that misbehaves on purpose, one way per scenario, to prove the inspector records every
// broken peer correctly and survives it. Scenarios either corrupt the opening handshake or complete it correctly
// and then send malformed frames. Listens on 127.0.0.1.
class HostileServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostileServer)

public:
    explicit HostileServer(QString scenario, QObject *parent = nullptr);
    ~HostileServer() override;

    quint16 listen();
    // Every known scenario name.
    static QStringList scenarios();
    // Bytes the server has written to its clients so far (for "streams forever" scenarios).
    qint64 bytesSent() const noexcept { return m_bytesSent; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void afterUpgrade(QTcpSocket *socket, bool deflateOffered);
    void sendSlowly(QTcpSocket *socket, QByteArray bytes);
    void stream(QTcpSocket *socket, QByteArray chunk, qint64 total);
    void write(QTcpSocket *socket, const QByteArray &bytes);

    QString m_scenario;
    QTcpServer *m_server = nullptr;
    qint64 m_bytesSent = 0;
};

} // namespace wsi::test
