// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsSocketPump.h"

#include <QTest>

namespace wsi::test {

TlsSocketPump::TlsSocketPump(QTcpSocket *socket, std::unique_ptr<TlsStream> stream)
    : m_socket(socket)
    , m_stream(std::move(stream))
{
    QObject::connect(m_socket, &QTcpSocket::readyRead, m_socket, [this] { onReadyRead(); });
    QObject::connect(m_socket, &QTcpSocket::disconnected, m_socket, [this] {
        m_stream->receiveEndOfStream();
        while (m_stream->plainPending() > 0)
            m_received += m_stream->takePlain();
    });
    flush(); // a client's ClientHello
    onReadyRead();
}

TlsSocketPump::~TlsSocketPump()
{
    QObject::disconnect(m_socket, nullptr, m_socket, nullptr);
}

void TlsSocketPump::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty()) {
        m_wire.append({true, bytes});
        m_stream->receiveEncrypted(bytes);
    }
    // Taking makes room: the stream decrypts its read-ahead again, until all that came is taken.
    while (m_stream->plainPending() > 0)
        m_received += m_stream->takePlain();
    flush();
}

void TlsSocketPump::flush()
{
    const QByteArray bytes = m_stream->takeEncrypted();
    if (bytes.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_wire.append({false, bytes});
    m_socket->write(bytes);
}

void TlsSocketPump::write(const QByteArray &plain)
{
    m_stream->writePlain(plain);
    flush();
}

void TlsSocketPump::close()
{
    m_stream->close();
    flush();
    m_socket->disconnectFromHost();
}

bool TlsSocketPump::waitForEstablishedOrFailure(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_stream->state() != TlsStream::State::Handshaking; }, timeoutMs);
}

bool TlsSocketPump::waitForReceived(qsizetype bytes, int timeoutMs)
{
    return QTest::qWaitFor([this, bytes] { return m_received.size() >= bytes || m_stream->hasFailed(); }, timeoutMs) &&
           m_received.size() >= bytes;
}

bool TlsSocketPump::waitForReceived(const QByteArray &ending, int timeoutMs)
{
    return QTest::qWaitFor([this, &ending] { return m_received.contains(ending) || m_stream->hasFailed(); },
                           timeoutMs) &&
           m_received.contains(ending);
}

bool TlsSocketPump::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

} // namespace wsi::test
