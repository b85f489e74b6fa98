// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpSocket;

namespace wsi {

// One end of a relayed connection as a byte stream: what the relay (ProxyConnection) and the capture proxy's
// pass-through read from and write to, whether the bytes cross the socket as they are (SocketRelayEnd) or inside
// TLS the proxy terminates (TlsRelayEnd). The socket underneath is owned by the end.
//
// The signals mean what QTcpSocket's do: readyRead when read() has something, bytesWritten when bytesToWrite()
// went down, disconnected once when the peer is gone (after readyRead for the last bytes it sent), errorOccurred
// on a socket error (isConnected() says whether it ended the connection).
class RelayEnd : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayEnd)

public:
    ~RelayEnd() override;

    QTcpSocket *socket() const noexcept { return m_socket; }
    // "127.0.0.1:41234"
    QString peerAddress() const;
    bool isConnected() const;
    // Frames are relayed as they come: Nagle would delay a ping by up to 40 ms per hop.
    void setLowDelay();
    // What the socket buffers from the peer at most: a slow reader slows the peer through TCP flow control.
    void setReadBufferSize(qint64 size);

    virtual qint64 bytesAvailable() const = 0;
    // Up to `max` bytes (all with -1).
    virtual QByteArray read(qint64 max = -1) = 0;
    virtual void write(const QByteArray &bytes) = 0;
    virtual qint64 bytesToWrite() const = 0;
    // Hands what write() left in the socket's buffer to the kernel now, not on the event loop's next turn (over TLS,
    // write() has already turned the plaintext into records in that buffer).
    void flush();
    // Ends the connection once what was written is sent (a FIN; a close_notify first over TLS).
    virtual void close() = 0;
    // Ends it at once, dropping what is not sent.
    void abort();
    // Ends it with an RST (SO_LINGER 0, then closed): what a box's reset looks like to the peer.
    void reset();
    virtual QString errorString() const;

Q_SIGNALS:
    void readyRead();
    void bytesWritten();
    void disconnected();
    void errorOccurred();

protected:
    // Takes ownership of `socket`.
    explicit RelayEnd(QTcpSocket *socket, QObject *parent);

private:
    QTcpSocket *m_socket;
};

} // namespace wsi
