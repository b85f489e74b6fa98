// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/TlsRelayEnd.h"

#include <QTcpSocket>

namespace wsi {

TlsRelayEnd::TlsRelayEnd(QTcpSocket *socket, std::unique_ptr<TlsStream> stream, QObject *parent)
    : RelayEnd(socket, parent)
    , m_stream(std::move(stream))
{
    socket->setReadBufferSize(incomingLimit);
}

TlsRelayEnd::~TlsRelayEnd() = default;

void TlsRelayEnd::start(const QByteArray &alreadyRead)
{
    QTcpSocket *tcp = socket();
    connect(tcp, &QTcpSocket::readyRead, this, &TlsRelayEnd::onSocketReadyRead);
    connect(tcp, &QTcpSocket::bytesWritten, this, &RelayEnd::bytesWritten);
    connect(tcp, &QTcpSocket::disconnected, this, &TlsRelayEnd::onSocketDisconnected);
    connect(tcp, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (socket()->state() == QAbstractSocket::UnconnectedState)
            onSocketDisconnected();
        else
            Q_EMIT errorOccurred();
    });
    if (!alreadyRead.isEmpty())
        m_stream->receiveEncrypted(alreadyRead);
    flushOut(); // a client's ClientHello, or the answer to the one already read
    onSocketReadyRead();
}

qint64 TlsRelayEnd::bytesAvailable() const
{
    return m_stream->plainPending();
}

QByteArray TlsRelayEnd::read(qint64 max)
{
    const QByteArray plain = m_stream->takePlain(max);
    // Taking made room: the stream decrypted what it held back, and the socket may have more; or this was the last
    // of what came before the peer's close_notify, which is answered once it is taken.
    flushOut();
    if (m_stream->plainPending() > 0 || socket()->bytesAvailable() > 0 || m_stream->peerClosed())
        scheduleRead();
    return plain;
}

void TlsRelayEnd::write(const QByteArray &bytes)
{
    m_stream->writePlain(bytes);
    flushOut();
}

qint64 TlsRelayEnd::bytesToWrite() const
{
    return socket()->bytesToWrite() + m_stream->encryptedPending();
}

void TlsRelayEnd::close()
{
    if (m_closing)
        return;
    m_closing = true;
    m_stream->close();
    flushOut();
    socket()->disconnectFromHost();
}

QString TlsRelayEnd::errorString() const
{
    return m_stream->hasFailed() ? m_stream->errorString() : RelayEnd::errorString();
}

void TlsRelayEnd::onSocketReadyRead()
{
    pumpIn();
    afterProgress();
}

void TlsRelayEnd::pumpIn()
{
    QTcpSocket *tcp = socket();
    while (m_stream->incomingPending() < incomingLimit && tcp->bytesAvailable() > 0 &&
           (m_stream->state() == TlsStream::State::Handshaking || m_stream->isEstablished()))
        m_stream->receiveEncrypted(tcp->read(incomingLimit - m_stream->incomingPending()));
    flushOut();
}

void TlsRelayEnd::flushOut()
{
    const QByteArray bytes = m_stream->takeEncrypted();
    if (!bytes.isEmpty() && socket()->state() == QAbstractSocket::ConnectedState)
        socket()->write(bytes);
}

// Tells what changed: the handshake's end, plaintext to read, the peer's close_notify.
void TlsRelayEnd::afterProgress()
{
    const TlsStream::State state = m_stream->state();
    if (state != m_reported) {
        const TlsStream::State before = std::exchange(m_reported, state);
        if (state == TlsStream::State::Established && before == TlsStream::State::Handshaking) {
            Q_EMIT established();
        } else if (state == TlsStream::State::Failed) {
            Q_EMIT failed(m_stream->errorString());
            socket()->disconnectFromHost(); // after the alert
            return;
        }
    }
    if (m_stream->plainPending() > 0)
        Q_EMIT readyRead();
    if (m_stream->peerClosed() && !m_closing && !m_disconnected && m_stream->plainPending() == 0)
        close();
}

void TlsRelayEnd::scheduleRead()
{
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readScheduled = false;
            onSocketReadyRead();
        },
        Qt::QueuedConnection);
}

void TlsRelayEnd::onSocketDisconnected()
{
    if (m_disconnected)
        return;
    m_disconnected = true;
    // Everything the peer sent goes into the stream now (the socket's buffer is bounded); read() decrypts it.
    while (socket()->bytesAvailable() > 0)
        m_stream->receiveEncrypted(socket()->readAll());
    m_stream->receiveEndOfStream();
    afterProgress();
    // What the peer sent before it closed is read in readyRead's handlers, which run before this.
    Q_EMIT disconnected();
}

} // namespace wsi
