// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/SocketIoDecoder.h"

#include "core/appprotocol/PayloadJson.h"

#include <QJsonArray>

namespace wsi {

namespace {

const QString engineIoReference = QStringLiteral("Engine.IO protocol v4, Packet encoding");
const QString socketIoReference = QStringLiteral("Socket.IO protocol v5, Packet encoding");

QString engineIoType(int type)
{
    static const char *const names[] = {"open", "close", "ping", "pong", "message", "upgrade", "noop"};
    return type >= 0 && type <= 6 ? QString::fromLatin1(names[type]) : QString();
}

QString socketIoType(int type, int engineIoVersion)
{
    static const char *const names[] = {"CONNECT",       "DISCONNECT",   "EVENT",     "ACK",
                                        "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"};
    // Socket.IO 2 (protocol 4) calls type 4 ERROR.
    if (type == 4 && engineIoVersion == 3)
        return QStringLiteral("ERROR");
    return type >= 0 && type <= 6 ? QString::fromLatin1(names[type]) : QString();
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Socket.IO's placeholders for binary attachments: {"_placeholder": true, "num": N}.
int countPlaceholders(const QJsonValue &value, int depth = 0)
{
    if (depth > 64)
        return 0;
    if (value.isArray()) {
        int count = 0;
        for (const QJsonValue &item : value.toArray())
            count += countPlaceholders(item, depth + 1);
        return count;
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.value(QStringLiteral("_placeholder")).toBool() && object.value(QStringLiteral("num")).isDouble())
            return 1;
        int count = 0;
        for (auto it = object.begin(); it != object.end(); ++it)
            count += countPlaceholders(it.value(), depth + 1);
        return count;
    }
    return 0;
}

} // namespace

SocketIoDecoder::SocketIoDecoder(int engineIoVersion)
    : MessageDecoder(AppProtocol::SocketIo)
    , m_engineIoVersion(engineIoVersion == 3 ? 3 : 4)
{}

DecodedMessages SocketIoDecoder::decode(const AppMessage &message)
{
    return {message.binary ? decodeBinary(message) : decodeText(message)};
}

DecodedMessage SocketIoDecoder::decodeBinary(const AppMessage &message)
{
    QJsonObject fields{{QStringLiteral("engineIoType"), QStringLiteral("message")},
                       {QStringLiteral("size"), double(message.payload.size())}};
    QByteArrayView data = message.payload;
    // Engine.IO 3 puts the packet type in the first byte of a binary message; Engine.IO 4 sends the data alone.
    if (m_engineIoVersion == 3) {
        if (data.isEmpty() || data.front() != 4) {
            return broken(
                QStringLiteral("message"),
                {QStringLiteral("engineio-binary-type"), engineIoReference,
                 data.isEmpty()
                     ? QStringLiteral("an empty binary message has no packet type")
                     : QStringLiteral("binary packet type %1, expected 4 (message)").arg(int(quint8(data.front())))},
                fields);
        }
        data = data.sliced(1);
        fields.insert(QStringLiteral("size"), double(data.size()));
    }
    fields.insert(QStringLiteral("data"), PayloadJson::bytesValue(data));

    PendingAttachments &pending = pendingFor(message.sender);
    if (pending.expected == 0)
        return decoded(QStringLiteral("message"), fields);
    fields.insert(QStringLiteral("placeholder"), pending.received);
    fields.insert(QStringLiteral("of"), pending.expected);
    for (auto it = pending.packet.begin(); it != pending.packet.end(); ++it)
        fields.insert(it.key(), it.value());
    DecodedMessage attachment = decoded(QStringLiteral("attachment"), fields);
    if (++pending.received == pending.expected)
        pending = {};
    return attachment;
}

DecodedMessage SocketIoDecoder::decodeText(const AppMessage &message)
{
    const QByteArrayView text = message.payload;
    if (text.isEmpty() || !isDigit(text.front()) || text.front() > '6') {
        return broken(QString(),
                      {QStringLiteral("engineio-packet-type"), engineIoReference,
                       text.isEmpty()
                           ? QStringLiteral("an empty message has no packet type")
                           : QStringLiteral("packet type '%1' is not 0-6").arg(PayloadJson::excerpt(text.first(1)))});
    }
    const int type = text.front() - '0';
    const QString kind = engineIoType(type);
    const QByteArrayView data = text.sliced(1);
    QJsonObject fields{{QStringLiteral("engineIoType"), kind}};

    PendingAttachments &pending = pendingFor(message.sender);
    std::optional<DecodeViolation> interrupted;
    if (pending.expected != 0) {
        interrupted = DecodeViolation{QStringLiteral("socketio-missing-attachments"), socketIoReference,
                                      QStringLiteral("%1 of %2 binary attachments arrived before this text message")
                                          .arg(pending.received)
                                          .arg(pending.expected)};
        pending = {};
    }

    DecodedMessage result = decoded(kind, fields);
    switch (type) {
    case 0: { // open: the handshake data, with pingInterval and pingTimeout
        QString error;
        const std::optional<QJsonDocument> json = PayloadJson::parse(data, &error);
        if (!json || !json->isObject()) {
            result.violation =
                DecodeViolation{QStringLiteral("engineio-open-not-object"), engineIoReference,
                                json ? QStringLiteral("the open packet's data is not a JSON object") : error};
            break;
        }
        const QJsonObject open = json->object();
        for (auto it = open.begin(); it != open.end(); ++it)
            result.fields.insert(it.key(), it.value());
        for (const char *required : {"sid", "pingInterval", "pingTimeout"}) {
            if (!open.contains(QLatin1String(required))) {
                result.violation =
                    DecodeViolation{QStringLiteral("engineio-open-field-missing"), engineIoReference,
                                    QStringLiteral("the open packet has no \"%1\"").arg(QLatin1String(required))};
                break;
            }
        }
        break;
    }
    case 2:
    case 3:
        if (!data.isEmpty())
            result.fields.insert(QStringLiteral("data"), QString::fromUtf8(data)); // "probe" during an upgrade
        // Engine.IO 4: the server pings and the client answers; Engine.IO 3: the other way round.
        if (data.isEmpty()) {
            const bool serverPings = m_engineIoVersion == 4;
            const Endpoint pinger = serverPings ? Endpoint::Server : Endpoint::Client;
            const bool fromPinger = message.sender == pinger;
            if ((type == 2) != fromPinger) {
                result.violation = DecodeViolation{
                    QStringLiteral("engineio-heartbeat-direction"), QStringLiteral("Engine.IO protocol v4, Heartbeat"),
                    QStringLiteral(
                        "in Engine.IO %1 the %2 sends ping and the %3 answers pong; this %4 came from the %5")
                        .arg(m_engineIoVersion)
                        .arg(serverPings ? QStringLiteral("server") : QStringLiteral("client"),
                             serverPings ? QStringLiteral("client") : QStringLiteral("server"), kind,
                             message.sender == Endpoint::Server ? QStringLiteral("server") : QStringLiteral("client"))};
            }
        }
        break;
    case 4:
        result = decodeSocketIoPacket(data, message.sender, fields);
        break;
    default: // close, upgrade, noop carry no data
        if (!data.isEmpty())
            result.fields.insert(QStringLiteral("data"), QString::fromUtf8(data));
        break;
    }
    if (interrupted && !result.violation)
        result.violation = interrupted;
    return result;
}

DecodedMessage SocketIoDecoder::decodeSocketIoPacket(QByteArrayView packet, Endpoint sender, QJsonObject fields)
{
    if (packet.isEmpty() || !isDigit(packet.front()) || packet.front() > '6') {
        // Plain Engine.IO messages are legal: only a Socket.IO server makes them packets. Keep the text.
        fields.insert(QStringLiteral("data"), QString::fromUtf8(packet));
        return broken(
            QStringLiteral("message"),
            {QStringLiteral("socketio-packet-type"), socketIoReference,
             packet.isEmpty()
                 ? QStringLiteral("the message packet is empty")
                 : QStringLiteral("Socket.IO packet type '%1' is not 0-6").arg(PayloadJson::excerpt(packet.first(1)))},
            fields);
    }
    const int type = packet.front() - '0';
    const QString kind = socketIoType(type, m_engineIoVersion);
    qsizetype at = 1;
    auto fail = [&](QString rule, QString detail) {
        return broken(kind, {std::move(rule), socketIoReference, std::move(detail)}, fields);
    };

    int attachments = 0;
    const bool binary = type == 5 || type == 6;
    if (binary) {
        qsizetype end = at;
        while (end < packet.size() && isDigit(packet[end]) && end - at < 9)
            ++end;
        if (end == at || end >= packet.size() || packet[end] != '-')
            return fail(QStringLiteral("socketio-attachment-count"),
                        QStringLiteral("a %1 packet starts with its attachment count and '-'").arg(kind));
        attachments = packet.sliced(at, end - at).toInt();
        at = end + 1;
        if (attachments > maxAttachments)
            return fail(QStringLiteral("socketio-attachment-count"),
                        QStringLiteral("%1 attachments announced; at most %2 are followed")
                            .arg(attachments)
                            .arg(maxAttachments));
        fields.insert(QStringLiteral("attachments"), attachments);
    }

    QString nsp = QStringLiteral("/");
    if (at < packet.size() && packet[at] == '/') {
        const qsizetype comma = packet.indexOf(',', at);
        const qsizetype end = comma < 0 ? packet.size() : comma;
        nsp = QString::fromUtf8(packet.sliced(at, end - at));
        at = comma < 0 ? packet.size() : comma + 1;
    }
    fields.insert(QStringLiteral("namespace"), nsp);

    qsizetype idEnd = at;
    while (idEnd < packet.size() && isDigit(packet[idEnd]) && idEnd - at < 16)
        ++idEnd;
    std::optional<qint64> ackId;
    if (idEnd > at) {
        ackId = packet.sliced(at, idEnd - at).toLongLong();
        fields.insert(QStringLiteral("ackId"), double(*ackId));
        at = idEnd;
    }

    const QByteArrayView payloadText = packet.sliced(at);
    QJsonValue payload(QJsonValue::Undefined);
    if (!payloadText.isEmpty()) {
        QString error;
        const std::optional<QJsonValue> value = PayloadJson::parseValue(payloadText, &error);
        if (!value)
            return fail(QStringLiteral("socketio-payload-not-json"), error);
        payload = *value;
    }

    const QString ackKey = QStringLiteral("ack %1 %2").arg(nsp).arg(ackId.value_or(0));
    DecodedMessage result = decoded(kind, fields);
    switch (type) {
    case 0: // CONNECT: optional auth (client) or {sid} (server)
        if (!payload.isUndefined() && !payload.isObject())
            return fail(QStringLiteral("socketio-connect-payload"), QStringLiteral("a CONNECT payload is an object"));
        if (payload.isObject())
            result.fields.insert(QStringLiteral("data"), payload);
        break;
    case 1:
        break;
    case 2:
    case 5: {
        const QJsonArray array = payload.toArray();
        if (!payload.isArray() || array.isEmpty() || !array.first().isString())
            return fail(
                QStringLiteral("socketio-event-payload"),
                QStringLiteral("an %1 payload is a non-empty array whose first element is the event name").arg(kind));
        result.fields.insert(QStringLiteral("event"), array.first().toString());
        QJsonArray args = array;
        args.removeFirst();
        result.fields.insert(QStringLiteral("args"), args);
        if (ackId)
            result.correlation = Correlation::request(ackKey);
        break;
    }
    case 3:
    case 6:
        if (!payload.isArray())
            return fail(QStringLiteral("socketio-ack-payload"), QStringLiteral("an %1 payload is an array").arg(kind));
        if (!ackId)
            return fail(QStringLiteral("socketio-ack-without-id"),
                        QStringLiteral("an %1 names the id it answers").arg(kind));
        result.fields.insert(QStringLiteral("args"), payload);
        result.correlation = Correlation::reply(ackKey);
        break;
    case 4:
        if (!payload.isUndefined())
            result.fields.insert(QStringLiteral("data"), payload);
        break;
    }
    if (binary) {
        const int placeholders = countPlaceholders(payload);
        if (placeholders != attachments)
            return fail(QStringLiteral("socketio-placeholder-count"),
                        QStringLiteral("%1 attachments announced, %2 placeholders in the payload")
                            .arg(attachments)
                            .arg(placeholders));
        if (attachments > 0) {
            QJsonObject packetFields{{QStringLiteral("packet"), kind}, {QStringLiteral("namespace"), nsp}};
            if (result.fields.contains(QStringLiteral("event")))
                packetFields.insert(QStringLiteral("event"), result.fields.value(QStringLiteral("event")));
            if (ackId)
                packetFields.insert(QStringLiteral("ackId"), double(*ackId));
            pendingFor(sender) = PendingAttachments{attachments, 0, packetFields};
        }
    }
    return result;
}

} // namespace wsi
