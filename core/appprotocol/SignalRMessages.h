// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// The SignalR JSON hub protocol records a client sends, each ended by the record separator 0x1E, as
// @microsoft/signalr writes them (tests/data/appprotocol/signalr-json.jsonl).
class SignalRMessages final
{
public:
    SignalRMessages() = delete;

    static QByteArray handshake() { return QByteArrayLiteral("{\"protocol\":\"json\",\"version\":1}\x1e"); }
    // Ping, type 6: the client's keep-alive every keepAliveIntervalInMilliseconds (15 s).
    static QByteArray ping() { return QByteArrayLiteral("{\"type\":6}\x1e"); }
    // Invocation, type 1, of the hub method `target` with the arguments (each a JSON value); with an invocation id
    // the server answers a Completion (type 3) carrying it, without one it answers nothing.
    static QByteArray invocation(const QString &target, const QList<QByteArray> &arguments,
                                 const std::optional<QString> &invocationId = std::nullopt);
};

} // namespace wsi
