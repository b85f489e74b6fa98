// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/TlsStream.h"

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <memory>

namespace wsi::test {

// A QTcpSocket driving a TlsStream, as the capture proxy drives one: what the socket reads goes in, what the
// stream has to send goes out. It also keeps every TLS byte in order with its direction, for tshark.
class TlsSocketPump final
{
public:
    struct Chunk {
        bool fromPeer;
        QByteArray bytes;
    };

    TlsSocketPump(QTcpSocket *socket, std::unique_ptr<TlsStream> stream);
    ~TlsSocketPump();
    TlsSocketPump(const TlsSocketPump &) = delete;
    TlsSocketPump &operator=(const TlsSocketPump &) = delete;

    TlsStream &stream() { return *m_stream; }
    QTcpSocket *socket() { return m_socket; }
    // Plaintext received so far (taken from the stream as it comes).
    QByteArray received() const { return m_received; }
    void write(const QByteArray &plain);
    // close_notify, then the TCP connection is closed once it is written.
    void close();
    bool waitForEstablishedOrFailure(int timeoutMs);
    bool waitForReceived(qsizetype bytes, int timeoutMs);
    bool waitForReceived(const QByteArray &ending, int timeoutMs);
    bool waitForDisconnected(int timeoutMs);
    const QList<Chunk> &wire() const { return m_wire; }
    // What tshark shows of the TLS bytes so far, decrypted with `keyLogFile` ("follow,tls,ascii"): the wire
    // written into a capture file in `folder` (text2pcap adds TCP/IP headers, client port 50000, server port 443).
    // Empty with *error when a program is missing or fails.
    QByteArray decryptedByTshark(const QString &keyLogFile, const QString &folder, QString *error) const;

private:
    void onReadyRead();
    void flush();

    QTcpSocket *m_socket;
    std::unique_ptr<TlsStream> m_stream;
    QByteArray m_received;
    QList<Chunk> m_wire;
};

} // namespace wsi::test
