// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>

namespace wsi::bench::WireHandshake {

inline constexpr char key[] = "dGhlIHNhbXBsZSBub25jZQ==";

// The upgrade request the benchmark's client sends to 127.0.0.1:port.
inline QByteArray request(quint16 port)
{
    return QByteArray("GET /echo HTTP/1.1\r\nHost: 127.0.0.1:") + QByteArray::number(port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
           "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// The echo server's 101 for `request` (RFC 6455 §4.2.2: the key's SHA-1 with the protocol's GUID, in base64).
inline QByteArray answer(const QByteArray &request)
{
    QByteArray clientKey = key;
    for (const QByteArray &line : request.split('\n')) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            clientKey = line.mid(18).trimmed();
    }
    const QByteArray accept =
        QCryptographicHash::hash(QByteArray(clientKey + QByteArray("258EAFA5-E914-47DA-95CA-C5AB0DC85B11")),
                                 QCryptographicHash::Sha1)
            .toBase64();
    return QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                      "Upgrade\r\nSec-WebSocket-Accept: ") +
           accept + "\r\n\r\n";
}

} // namespace wsi::bench::WireHandshake
