// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostileServer.h"

#include "core/protocol/FrameWriter.h"
#include "core/protocol/HandshakeRequest.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <zlib.h>

namespace wsi::test {
namespace {

// Frames written as a server normally would, with `spec` changing what the scenario breaks.
QByteArray serverFrame(const FrameSpec &spec, QByteArrayView payload)
{
    return FrameWriter(Endpoint::Server).frame(spec, payload);
}

FrameSpec spec(quint8 opcode, bool fin = true)
{
    FrameSpec s;
    s.opcode = opcode;
    s.fin = fin;
    return s;
}

// Raw DEFLATE of `zeros` zero bytes, ended with a sync flush and without the 00 00 ff ff tail (RFC 7692 §7.2.1):
// a few hundred KB that inflate to hundreds of MB.
QByteArray deflateBomb(qint64 zeros)
{
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    const QByteArray block(1024 * 1024, '\0');
    QByteArray out;
    QByteArray buffer(64 * 1024, Qt::Uninitialized);
    for (qint64 done = 0; done < zeros; done += block.size()) {
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(block.constData()));
        z.avail_in = uInt(block.size());
        const int flush = done + block.size() >= zeros ? Z_SYNC_FLUSH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer.data());
            z.avail_out = uInt(buffer.size());
            deflate(&z, flush);
            out.append(buffer.constData(), buffer.size() - qsizetype(z.avail_out));
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    out.chop(4);
    return out;
}

} // namespace

HostileServer::HostileServer(QString scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
{}

HostileServer::~HostileServer() = default;

QStringList HostileServer::scenarios()
{
    return {QStringLiteral("wrong-accept"),
            QStringLiteral("unoffered-subprotocol"),
            QStringLiteral("unoffered-extension"),
            QStringLiteral("slow-handshake"),
            QStringLiteral("endless-headers"),
            QStringLiteral("refused-403"),
            QStringLiteral("drop-after-upgrade"),
            QStringLiteral("silent-after-upgrade"),
            QStringLiteral("unknown-opcode"),
            QStringLiteral("rsv-without-extension"),
            QStringLiteral("control-too-long"),
            QStringLiteral("fragmented-control"),
            QStringLiteral("non-minimal-length"),
            QStringLiteral("length-top-bit"),
            QStringLiteral("length-10gb"),
            QStringLiteral("masked-server-frame"),
            QStringLiteral("invalid-utf8"),
            QStringLiteral("continuation-without-start"),
            QStringLiteral("data-inside-fragmented"),
            QStringLiteral("close-one-byte"),
            QStringLiteral("close-invalid-code"),
            QStringLiteral("data-after-close"),
            QStringLiteral("deflate-bomb"),
            QStringLiteral("bad-deflate-data")};
}

quint16 HostileServer::listen()
{
    m_server = new QTcpServer(this);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return 0;
    connect(m_server, &QTcpServer::newConnection, this, &HostileServer::onNewConnection);
    return m_server->serverPort();
}

void HostileServer::write(QTcpSocket *socket, const QByteArray &bytes)
{
    socket->write(bytes);
    m_bytesSent += bytes.size();
}

void HostileServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void HostileServer::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("upgraded").toBool()) {
        socket->readAll(); // whatever the client says after the handshake (its Close) is ignored
        return;
    }
    QByteArray request = socket->property("request").toByteArray() + socket->readAll();
    socket->setProperty("request", request);
    const qsizetype end = request.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    socket->setProperty("upgraded", true);
    QByteArray key;
    bool deflateOffered = false;
    for (const QByteArray &line : request.left(end).split('\n')) {
        const QByteArray lower = line.toLower();
        if (lower.startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
        if (lower.startsWith("sec-websocket-extensions:") && lower.contains("permessage-deflate"))
            deflateOffered = true;
    }
    const QByteArray accept = HandshakeRequest::computeAccept(key);
    const QByteArray upgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

    if (m_scenario == QLatin1StringView("wrong-accept")) {
        write(socket, upgrade + "Sec-WebSocket-Accept: dGhpcyBpcyBub3QgdGhlIGFjY2VwdA==\r\n\r\n");
    } else if (m_scenario == QLatin1StringView("unoffered-subprotocol")) {
        write(socket, upgrade + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: evil\r\n\r\n");
    } else if (m_scenario == QLatin1StringView("unoffered-extension")) {
        write(socket, upgrade + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Extensions: x-evil\r\n\r\n");
    } else if (m_scenario == QLatin1StringView("slow-handshake")) {
        sendSlowly(socket, upgrade + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
    } else if (m_scenario == QLatin1StringView("endless-headers")) {
        // A status line, then 64 MB of header lines that never end the header block.
        write(socket, "HTTP/1.1 101 Switching Protocols\r\n");
        const QByteArray filler = QByteArray("X-Filler: ").append(QByteArray(1000, 'x')).append("\r\n");
        stream(socket, filler.repeated(64), 64ll * 1024 * 1024);
    } else if (m_scenario == QLatin1StringView("refused-403")) {
        write(socket, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 22\r\n\r\n"
                      "origin not allowed\r\n\r\n");
        socket->disconnectFromHost();
    } else {
        const bool deflate = deflateOffered && (m_scenario == QLatin1StringView("deflate-bomb") ||
                                                m_scenario == QLatin1StringView("bad-deflate-data"));
        write(socket, upgrade + "Sec-WebSocket-Accept: " + accept + "\r\n" +
                          (deflate ? QByteArray("Sec-WebSocket-Extensions: permessage-deflate\r\n") : QByteArray()) +
                          "\r\n");
        afterUpgrade(socket, deflate);
    }
}

void HostileServer::afterUpgrade(QTcpSocket *socket, bool deflate)
{
    const QString &s = m_scenario;
    constexpr quint8 text = 0x1;
    constexpr quint8 binary = 0x2;
    if (s == QLatin1StringView("silent-after-upgrade")) {
        // Breaks no rule either: after the upgrade, nothing ever again (no pong, no Close), with TCP up: a hung
        // server, or a path that forgot the flow. Only the client's own heartbeat can end it.
        return;
    }
    if (s == QLatin1StringView("drop-after-upgrade")) {
        // Breaks no rule: a message, then the TCP connection ends without a Close frame (a crashed server, or a
        // proxy cutting an idle connection). The client must record 1006.
        write(socket, serverFrame(spec(text), "goodbye"));
        socket->disconnectFromHost();
    } else if (s == QLatin1StringView("unknown-opcode")) {
        write(socket, serverFrame(spec(0x3), "??"));
    } else if (s == QLatin1StringView("rsv-without-extension")) {
        FrameSpec f = spec(text);
        f.rsv2 = true;
        write(socket, serverFrame(f, "rsv2"));
    } else if (s == QLatin1StringView("control-too-long")) {
        write(socket, serverFrame(spec(0x9), QByteArray(126, 'p')));
    } else if (s == QLatin1StringView("fragmented-control")) {
        write(socket, serverFrame(spec(0x9, false), "ping"));
    } else if (s == QLatin1StringView("non-minimal-length")) {
        FrameSpec f = spec(text);
        f.lengthEncoding = LengthEncoding::Bits16;
        write(socket, serverFrame(f, "hello"));
    } else if (s == QLatin1StringView("length-top-bit")) {
        FrameSpec f = spec(binary);
        f.declaredLength = quint64(1) << 63;
        write(socket, serverFrame(f, {}));
        stream(socket, QByteArray(64 * 1024, 'z'), 32ll * 1024 * 1024);
    } else if (s == QLatin1StringView("length-10gb")) {
        FrameSpec f = spec(binary);
        f.declaredLength = 10'000'000'000ull;
        write(socket, serverFrame(f, {}));
        stream(socket, QByteArray(64 * 1024, 'z'), 32ll * 1024 * 1024);
    } else if (s == QLatin1StringView("masked-server-frame")) {
        FrameSpec f = spec(text);
        f.masked = true;
        f.maskingKey = MaskingKey{0x37, 0xfa, 0x21, 0x3d};
        write(socket, serverFrame(f, "Hello"));
    } else if (s == QLatin1StringView("invalid-utf8")) {
        write(socket, serverFrame(spec(text), QByteArray("\xc3\x28", 2)));
    } else if (s == QLatin1StringView("continuation-without-start")) {
        write(socket, serverFrame(spec(0x0), "orphan"));
    } else if (s == QLatin1StringView("data-inside-fragmented")) {
        write(socket, serverFrame(spec(text, false), "first"));
        write(socket, serverFrame(spec(text, true), "second"));
    } else if (s == QLatin1StringView("close-one-byte")) {
        write(socket, serverFrame(spec(0x8), QByteArray(1, '\x03')));
    } else if (s == QLatin1StringView("close-invalid-code")) {
        write(socket, serverFrame(spec(0x8), FrameWriter::closePayload(1005, "reserved")));
    } else if (s == QLatin1StringView("data-after-close")) {
        write(socket, serverFrame(spec(0x8), FrameWriter::closePayload(1000, {})));
        write(socket, serverFrame(spec(text), "too late"));
    } else if (s == QLatin1StringView("deflate-bomb")) {
        FrameSpec f = spec(binary);
        f.rsv1 = deflate;
        write(socket, serverFrame(f, deflateBomb(256ll * 1024 * 1024)));
    } else if (s == QLatin1StringView("bad-deflate-data")) {
        FrameSpec f = spec(text);
        f.rsv1 = deflate;
        write(socket, serverFrame(f, QByteArray("\xff\xff\xff\xff not deflate", 16)));
    }
}

void HostileServer::sendSlowly(QTcpSocket *socket, QByteArray bytes)
{
    // One byte every 200 ms: a 140-byte answer takes half a minute.
    auto *timer = new QTimer(socket);
    QPointer<QTcpSocket> guard(socket);
    connect(timer, &QTimer::timeout, socket, [this, guard, timer, bytes, at = qsizetype(0)]() mutable {
        if (!guard || at >= bytes.size()) {
            timer->stop();
            return;
        }
        write(guard, bytes.mid(at++, 1));
    });
    timer->start(200);
}

void HostileServer::stream(QTcpSocket *socket, QByteArray chunk, qint64 total)
{
    // Keep the socket's send queue fed without holding more than a few chunks in memory.
    auto feed = [this, socket, chunk, total, sent = qint64(0)]() mutable {
        while (sent < total && socket->bytesToWrite() < 4 * chunk.size()) {
            write(socket, chunk);
            sent += chunk.size();
        }
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, feed);
    feed();
}

} // namespace wsi::test
