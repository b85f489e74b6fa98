// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RelayEnd.h"

#include "core/protocol/HostPort.h"

#include <QTcpSocket>

#if defined(Q_OS_UNIX)
#include <sys/socket.h>
#elif defined(Q_OS_WIN)
#include <winsock2.h>
#endif

namespace wsi {

RelayEnd::RelayEnd(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
}

RelayEnd::~RelayEnd() = default;

QString RelayEnd::peerAddress() const
{
    return HostPort::format(m_socket->peerAddress().toString(), m_socket->peerPort());
}

bool RelayEnd::isConnected() const
{
    return m_socket->state() != QAbstractSocket::UnconnectedState;
}

void RelayEnd::setLowDelay()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
}

void RelayEnd::setReadBufferSize(qint64 size)
{
    m_socket->setReadBufferSize(size);
}

void RelayEnd::flush()
{
    m_socket->flush();
}

void RelayEnd::abort()
{
    m_socket->abort();
}

void RelayEnd::reset()
{
    // close() after SO_LINGER {on, 0} sends an RST instead of a FIN and discards unsent data.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        struct linger option = {};
        option.l_onoff = 1;
        option.l_linger = 0;
#if defined(Q_OS_WIN)
        ::setsockopt(SOCKET(fd), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&option), sizeof option);
#else
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
#endif
    }
    m_socket->abort();
}

QString RelayEnd::errorString() const
{
    return m_socket->errorString();
}

} // namespace wsi
