// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlastServer.h"

#include "core/protocol/FrameWriter.h"
#include "core/protocol/HandshakeRequest.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace wsi::bench {
namespace {

constexpr qint64 writeHighWater = 4 * 1024 * 1024;

struct BlastState {
    QByteArray request;
    bool upgraded = false;
    qint64 remaining = 0;
    QByteArray batch; // several encoded frames, written again and again
    qint64 framesPerBatch = 0;
    bool closeSent = false;
};

BlastState &stateOf(QTcpSocket *socket)
{
    return *static_cast<BlastState *>(socket->property("blast").value<void *>());
}

} // namespace

BlastServer::BlastServer() = default;

BlastServer::~BlastServer() = default;

quint16 BlastServer::listen()
{
    m_server = new QTcpServer(this);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return 0;
    connect(m_server, &QTcpServer::newConnection, this, &BlastServer::onNewConnection);
    return m_server->serverPort();
}

void BlastServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *state = new BlastState;
        socket->setProperty("blast", QVariant::fromValue<void *>(state));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] { fill(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket, state] {
            delete state;
            socket->deleteLater();
        });
    }
}

void BlastServer::onReadyRead(QTcpSocket *socket)
{
    BlastState &s = stateOf(socket);
    if (s.upgraded) {
        socket->readAll(); // the client's Close frame; the client then drops the connection
        return;
    }
    s.request += socket->readAll();
    const qsizetype end = s.request.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> lines = s.request.left(end).split('\n');
    const QByteArray target = lines.value(0).split(' ').value(1);
    QByteArray key;
    for (const QByteArray &line : lines) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
    }
    const QUrlQuery query(QUrl(QString::fromLatin1(target)).query());
    const qint64 count = query.queryItemValue(QStringLiteral("count")).toLongLong();
    const qsizetype size = query.queryItemValue(QStringLiteral("size")).toLongLong();

    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " +
                  HandshakeRequest::computeAccept(key) + "\r\n\r\n");
    s.upgraded = true;
    s.remaining = count;

    FrameWriter writer(Endpoint::Server);
    QByteArray payload(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        payload[i] = char(i * 13);
    s.framesPerBatch = std::max<qint64>(1, std::min<qint64>(count, (256 * 1024) / (size + 14)));
    for (qint64 i = 0; i < s.framesPerBatch; ++i)
        s.batch += writer.binary(payload);
    fill(socket);
}

void BlastServer::fill(QTcpSocket *socket)
{
    BlastState &s = stateOf(socket);
    if (!s.upgraded)
        return;
    while (s.remaining > 0 && socket->bytesToWrite() < writeHighWater) {
        if (s.remaining >= s.framesPerBatch) {
            socket->write(s.batch);
            s.remaining -= s.framesPerBatch;
        } else {
            const qsizetype frameSize = s.batch.size() / s.framesPerBatch;
            socket->write(s.batch.left(frameSize * s.remaining));
            s.remaining = 0;
        }
    }
    if (s.remaining == 0 && !s.closeSent) {
        s.closeSent = true;
        socket->write(FrameWriter(Endpoint::Server).close(quint16(1000)));
    }
}

} // namespace wsi::bench
