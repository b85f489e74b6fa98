// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace wsi::test {

// Runs peers/app_protocol_client.js (socket.io-client or @stomp/stompjs from tests/integration/node) with
// `arguments` to its end; its JSON result, or an empty object with *error (also set when it reports a failure).
QJsonObject runAppProtocolClient(const QStringList &arguments, QString *error);

// One "decoded" object of a message event, with the end that sent the message ("client" or "server": the relay's
// "from", or connect's "dir" out / in).
struct DecodedEvent {
    QString sender;
    QJsonObject decoded;
};

// Every decoded protocol message of `events`' "message" events, in order (an event's "decoded" array flattened).
QList<DecodedEvent> decodedEvents(const QList<QJsonObject> &events);
// The first of `decoded` with that sender and kind, or an empty object.
QJsonObject firstDecoded(const QList<DecodedEvent> &decoded, const QString &sender, const QString &kind);

} // namespace wsi::test
