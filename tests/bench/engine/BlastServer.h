// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>

class QTcpServer;
class QTcpSocket;

namespace wsi::bench {

// A deliberately fast WebSocket server for receive benchmarks: it answers the opening handshake, then writes
// `count` binary messages of `size` bytes (as asked in the request path, /blast?count=N&size=S) from frames
// encoded once, and finally a Close frame. It runs on its own thread so it never competes with the client being
// measured for the same event loop.
class BlastServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BlastServer)

public:
    BlastServer();
    ~BlastServer() override;

    // Call on the server's thread. Returns the port, or 0 on failure.
    quint16 listen();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void fill(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
};

} // namespace wsi::bench
