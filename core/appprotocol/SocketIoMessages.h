// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// The Engine.IO and Socket.IO messages a client sends, byte for byte as socket.io-client writes them
// (tests/data/appprotocol/socketio4.jsonl, socketio2-eio3.jsonl).
class SocketIoMessages final
{
public:
    SocketIoMessages() = delete;

    // Engine.IO ping ("2": the client's heartbeat in Engine.IO 3) and pong ("3": the answer to the server's ping in
    // Engine.IO 4).
    static QByteArray ping() { return QByteArrayLiteral("2"); }
    static QByteArray pong() { return QByteArrayLiteral("3"); }
    // Socket.IO CONNECT to a namespace, with the auth payload (a JSON object; empty: none): "40",
    // "40/admin," or "40{\"token\":\"x\"}".
    static QByteArray connect(const QString &nsp, const QByteArray &auth = {});
    // Socket.IO EVENT: "42" [namespace ","] [ack id] ["event", arg...], each arg a JSON value.
    static QByteArray event(const QString &nsp, const QString &name, const QList<QByteArray> &args,
                            std::optional<quint64> ackId = std::nullopt);
    // Socket.IO DISCONNECT from a namespace: "41" or "41/admin,".
    static QByteArray disconnect(const QString &nsp);
    // Why `nsp` cannot be a namespace in these packets (it ends at the first ',': "42/admin,[...]"), or empty.
    static QString namespaceProblem(const QString &nsp);

private:
    static QByteArray namespacePrefix(const QString &nsp);
};

} // namespace wsi
