// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/RelayEnd.h"

namespace wsi {

// A RelayEnd whose bytes cross the socket unchanged: ws:// ends, a reverse relay's wss:// upstream (a QSslSocket,
// which decrypts by itself), and tunnels passed through blindly. Each call is the socket's own.
class SocketRelayEnd final : public RelayEnd
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketRelayEnd)

public:
    // Takes ownership of `socket` (connected, or connecting: its signals are relayed from now on).
    explicit SocketRelayEnd(QTcpSocket *socket, QObject *parent = nullptr);

    qint64 bytesAvailable() const override;
    QByteArray read(qint64 max = -1) override;
    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    void close() override;
};

} // namespace wsi
