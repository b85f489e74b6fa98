// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/SocketRelayEnd.h"

#include <QTcpSocket>

namespace wsi {

SocketRelayEnd::SocketRelayEnd(QTcpSocket *socket, QObject *parent)
    : RelayEnd(socket, parent)
{
    connect(socket, &QTcpSocket::readyRead, this, &RelayEnd::readyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &RelayEnd::bytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &RelayEnd::disconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &RelayEnd::errorOccurred);
}

qint64 SocketRelayEnd::bytesAvailable() const
{
    return socket()->bytesAvailable();
}

QByteArray SocketRelayEnd::read(qint64 max)
{
    return max < 0 ? socket()->readAll() : socket()->read(max);
}

void SocketRelayEnd::write(const QByteArray &bytes)
{
    socket()->write(bytes);
}

qint64 SocketRelayEnd::bytesToWrite() const
{
    return socket()->bytesToWrite();
}

void SocketRelayEnd::close()
{
    socket()->disconnectFromHost();
}

} // namespace wsi
