// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/RelayEnd.h"
#include "core/proxy/TlsStream.h"

#include <memory>

namespace wsi {

// A RelayEnd inside TLS the capture proxy speaks itself: a TlsStream between the socket and the relay, so read()
// gives the plaintext the peer sent and write() encrypts toward it. Either side: toward an intercepted client
// (TlsStream::accepting, our leaf) or toward the real server (TlsStream::connecting, verified).
//
// Bounded: the socket is read only while the stream holds less than incomingLimit received and not taken (the
// socket's own buffer is limited too, so a relay that does not read slows the peer through TCP flow control), and
// what the stream encrypts goes to the socket at once, so bytesToWrite() is the socket's plus what TLS still holds.
//
// The handshake starts with start(); established() or failed() says how it ended (the owner bounds its time). A
// close_notify from the peer is answered with ours and the connection closed, then disconnected() comes: Qt sockets
// cannot half-close, and a peer that closed TLS reads nothing more.
class TlsRelayEnd final : public RelayEnd
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsRelayEnd)

public:
    static constexpr qint64 incomingLimit = 256 * 1024;

    // Takes ownership of `socket` (connected) and `stream`.
    TlsRelayEnd(QTcpSocket *socket, std::unique_ptr<TlsStream> stream, QObject *parent = nullptr);
    ~TlsRelayEnd() override;

    // Begins the handshake with the TLS bytes already read from the socket (a client's ClientHello), if any.
    void start(const QByteArray &alreadyRead = {});
    const TlsStream &stream() const { return *m_stream; }

    qint64 bytesAvailable() const override;
    QByteArray read(qint64 max = -1) override;
    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    void close() override;
    // The TLS failure when there was one, else the socket's error.
    QString errorString() const override;

Q_SIGNALS:
    void established();
    void failed(const QString &reason);

private:
    void onSocketReadyRead();
    void onSocketDisconnected();
    void pumpIn();
    void flushOut();
    void afterProgress();
    void scheduleRead();

    std::unique_ptr<TlsStream> m_stream;
    TlsStream::State m_reported = TlsStream::State::Handshaking;
    bool m_readScheduled = false;
    bool m_closing = false;
    bool m_disconnected = false;
};

} // namespace wsi
