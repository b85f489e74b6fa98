// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/AppProtocolRegistry.h"

#include "core/appprotocol/ActionCableDecoder.h"
#include "core/appprotocol/GraphqlWsDecoder.h"
#include "core/appprotocol/JsonRpcDecoder.h"
#include "core/appprotocol/MqttDecoder.h"
#include "core/appprotocol/PayloadJson.h"
#include "core/appprotocol/PhoenixDecoder.h"
#include "core/appprotocol/SignalRDecoder.h"
#include "core/appprotocol/SockJsDecoder.h"
#include "core/appprotocol/SocketIoDecoder.h"
#include "core/appprotocol/StompDecoder.h"
#include "core/appprotocol/WampDecoder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

namespace wsi {

namespace {

std::optional<AppProtocol> protocolOfSubprotocol(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("v10.stomp") || lower == QLatin1String("v11.stomp") ||
        lower == QLatin1String("v12.stomp") || lower == QLatin1String("stomp"))
        return AppProtocol::Stomp;
    if (lower == QLatin1String("mqtt") || lower == QLatin1String("mqttv3.1"))
        return AppProtocol::Mqtt;
    if (lower == QLatin1String("graphql-transport-ws"))
        return AppProtocol::GraphqlTransportWs;
    if (lower == QLatin1String("graphql-ws"))
        return AppProtocol::GraphqlWs;
    if (lower.startsWith(QLatin1String("actioncable-")))
        return AppProtocol::ActionCable;
    if (lower.startsWith(QLatin1String("wamp.2.")))
        return AppProtocol::Wamp;
    return std::nullopt;
}

class Evidence
{
public:
    void add(AppProtocol protocol, int confidence, QString reason, int engineIoVersion = 4)
    {
        for (Recognition &known : m_list) {
            if (known.protocol != protocol)
                continue;
            // Two independent clues make the protocol more certain than either alone.
            if (confidence > known.confidence) {
                known.reason = reason + QStringLiteral("; ") + known.reason;
                known.engineIoVersion = protocol == AppProtocol::SocketIo ? engineIoVersion : known.engineIoVersion;
            } else {
                known.reason += QStringLiteral("; ") + reason;
            }
            known.confidence = std::min(99, std::max(known.confidence, confidence) + 5);
            return;
        }
        m_list.append(Recognition{protocol, confidence, std::move(reason), engineIoVersion});
    }
    QList<Recognition> sorted() const
    {
        QList<Recognition> list = m_list;
        std::stable_sort(list.begin(), list.end(),
                         [](const Recognition &a, const Recognition &b) { return a.confidence > b.confidence; });
        return list;
    }

private:
    QList<Recognition> m_list;
};

void readUrl(const QUrl &url, Evidence &evidence)
{
    const QString path = url.path();
    const QUrlQuery query(url);
    const QString eio = query.queryItemValue(QStringLiteral("EIO"));
    if (path.contains(QLatin1String("/socket.io")) || !eio.isEmpty()) {
        const int version = eio == QLatin1String("3") ? 3 : 4;
        evidence.add(AppProtocol::SocketIo, eio.isEmpty() ? 60 : 90,
                     eio.isEmpty() ? QStringLiteral("the path %1 is Socket.IO's").arg(path)
                                   : QStringLiteral("the URL asks for Engine.IO %1 (EIO=%1)").arg(eio),
                     version);
    }
    const QString vsn = query.queryItemValue(QStringLiteral("vsn"));
    if (path.endsWith(QLatin1String("/websocket")) &&
        (vsn.startsWith(QLatin1String("1.")) || vsn.startsWith(QLatin1String("2."))))
        evidence.add(AppProtocol::Phoenix, 85,
                     QStringLiteral("the URL %1?vsn=%2 is a Phoenix socket's").arg(path, vsn));
    else if (path.endsWith(QLatin1String("/socket/websocket")))
        evidence.add(AppProtocol::Phoenix, 60, QStringLiteral("the path %1 is a Phoenix socket's").arg(path));
    // SockJS: /<prefix>/<server>/<session>/websocket, server a number of up to three digits (sockjs-protocol 0.3.3).
    static const QRegularExpression sockJsPath(QStringLiteral("/[0-9]{1,3}/[^/.]+/websocket$"));
    if (sockJsPath.match(path).hasMatch())
        evidence.add(AppProtocol::SockJs, 80,
                     QStringLiteral("the path %1 is SockJS's /<server>/<session>/websocket").arg(path));
    if (path == QLatin1String("/cable") || path.endsWith(QLatin1String("/cable")))
        evidence.add(AppProtocol::ActionCable, 60,
                     QStringLiteral("the path %1 is Action Cable's default mount").arg(path));
    if (query.hasQueryItem(QStringLiteral("id")) && eio.isEmpty())
        evidence.add(AppProtocol::SignalR, 40,
                     QStringLiteral("the query carries a connection ?id=, as SignalR's does"));
}

void readMessage(const AppMessage &message, Evidence &evidence)
{
    const QByteArrayView data = message.payload;
    const bool client = message.sender == Endpoint::Client;
    if (message.binary) {
        // An MQTT CONNECT: 0x10, remaining length, then the string "MQTT" (or "MQIsdp").
        static constexpr char protocolName[] = {0, 4, 'M', 'Q', 'T', 'T'};
        const qsizetype name = data.indexOf(QByteArrayView(protocolName, sizeof protocolName));
        if (client && !data.isEmpty() && quint8(data.front()) == 0x10 && name >= 2 && name <= 5)
            evidence.add(AppProtocol::Mqtt, 95, QStringLiteral("the client's first binary message is an MQTT CONNECT"));
        return;
    }
    if (data.size() > 1 && data.front() == '0' && data[1] == '{' && data.contains("\"sid\""))
        evidence.add(AppProtocol::SocketIo, 90, QStringLiteral("the server sent an Engine.IO open packet"));
    if (!client && data == "o")
        evidence.add(AppProtocol::SockJs, 85,
                     QStringLiteral("the server's first message is SockJS's open frame \"o\""));
    for (const char *command : {"CONNECT\n", "STOMP\n", "CONNECTED\n", "CONNECT\r\n", "STOMP\r\n", "CONNECTED\r\n"}) {
        if (data.startsWith(command))
            evidence.add(AppProtocol::Stomp, 90,
                         QStringLiteral("a message is a STOMP %1 frame").arg(QString::fromLatin1(command).trimmed()));
    }
    if (data.endsWith('\x1e') && data.contains("\"protocol\"") && client)
        evidence.add(
            AppProtocol::SignalR, 95,
            QStringLiteral("the client sent SignalR's handshake %1").arg(PayloadJson::excerpt(data.chopped(1))));

    const std::optional<QJsonDocument> json = PayloadJson::parse(data, nullptr);
    if (!json)
        return;
    if (json->isObject()) {
        const QJsonObject object = json->object();
        const QString type = object.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("connection_init") || type == QLatin1String("connection_ack")) {
            // Both GraphQL protocols start this way; only the subprotocol tells them apart.
            evidence.add(AppProtocol::GraphqlTransportWs, 55, QStringLiteral("a GraphQL %1 message").arg(type));
            evidence.add(AppProtocol::GraphqlWs, 50, QStringLiteral("a GraphQL %1 message").arg(type));
        }
        if (type == QLatin1String("welcome") || type == QLatin1String("confirm_subscription") ||
            (object.value(QStringLiteral("command")).isString() &&
             object.value(QStringLiteral("identifier")).isString()))
            evidence.add(AppProtocol::ActionCable, 85,
                         QStringLiteral("an Action Cable %1 message")
                             .arg(type.isEmpty() ? object.value(QStringLiteral("command")).toString() : type));
        if (object.value(QStringLiteral("jsonrpc")).toString() == QLatin1String("2.0"))
            evidence.add(AppProtocol::JsonRpc, 85, QStringLiteral("a message declares \"jsonrpc\": \"2.0\""));
        if (object.value(QStringLiteral("topic")).isString() && object.value(QStringLiteral("event")).isString() &&
            object.contains(QStringLiteral("ref")))
            evidence.add(AppProtocol::Phoenix, 80, QStringLiteral("a Phoenix v1 message (topic, event, ref)"));
        return;
    }
    const QJsonArray array = json->array();
    if (array.size() == 5 && array[2].isString() && array[3].isString() && array[4].isObject())
        evidence.add(AppProtocol::Phoenix, 75,
                     QStringLiteral("a Phoenix v2 message [join_ref, ref, topic, event, payload]"));
    if (array.size() == 3 && array[0].toInt() == 1 && array[1].isString() && array[2].isObject() && client)
        evidence.add(AppProtocol::Wamp, 70, QStringLiteral("the client sent a WAMP HELLO [1, realm, details]"));
    if (!array.isEmpty() &&
        array.first().toObject().value(QStringLiteral("jsonrpc")).toString() == QLatin1String("2.0"))
        evidence.add(AppProtocol::JsonRpc, 85, QStringLiteral("a JSON-RPC 2.0 batch"));
}

} // namespace

QList<Recognition> AppProtocolRegistry::candidates(const ConnectionFacts &facts, const QList<AppMessage> &firstMessages)
{
    Evidence evidence;
    if (const std::optional<AppProtocol> chosen = protocolOfSubprotocol(facts.subprotocol)) {
        evidence.add(*chosen, 95, QStringLiteral("the server accepted subprotocol %1").arg(facts.subprotocol));
    } else if (facts.subprotocol.isEmpty()) {
        // Without the server's choice, an offer is weaker: the server may have ignored it.
        for (const QString &offered : facts.offeredSubprotocols) {
            if (const std::optional<AppProtocol> protocol = protocolOfSubprotocol(offered))
                evidence.add(*protocol, 70, QStringLiteral("the client offered subprotocol %1").arg(offered));
        }
    }
    readUrl(facts.url, evidence);
    const QList<AppMessage> first = firstMessages.first(std::min(firstMessages.size(), firstMessagesRead));
    for (const AppMessage &message : first)
        readMessage(message, evidence);
    // mqtt.js over WebSocket writes nearly every field of a packet as a message of its own ("\x10", "3", "\0\4",
    // "MQTT" ...): the client's leading binary messages are read once more, joined.
    QByteArray clientBytes;
    qsizetype joined = 0;
    for (const AppMessage &message : first) {
        if (message.sender != Endpoint::Client)
            continue;
        if (!message.binary)
            break;
        clientBytes += message.payload;
        ++joined;
    }
    if (joined > 1)
        readMessage(AppMessage::bytes(Endpoint::Client, clientBytes), evidence);
    return evidence.sorted();
}

std::optional<Recognition> AppProtocolRegistry::recognize(const ConnectionFacts &facts,
                                                          const QList<AppMessage> &firstMessages)
{
    const QList<Recognition> list = candidates(facts, firstMessages);
    if (list.isEmpty())
        return std::nullopt;
    return list.first();
}

std::unique_ptr<MessageDecoder> AppProtocolRegistry::createDecoder(const Recognition &recognition)
{
    if (recognition.protocol == AppProtocol::SocketIo)
        return std::make_unique<SocketIoDecoder>(recognition.engineIoVersion);
    return createDecoder(recognition.protocol);
}

std::unique_ptr<MessageDecoder> AppProtocolRegistry::createDecoder(AppProtocol protocol)
{
    switch (protocol) {
    case AppProtocol::SocketIo:
        return std::make_unique<SocketIoDecoder>();
    case AppProtocol::Stomp:
        return std::make_unique<StompDecoder>();
    case AppProtocol::Mqtt:
        return std::make_unique<MqttDecoder>();
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        return std::make_unique<GraphqlWsDecoder>(protocol);
    case AppProtocol::SignalR:
        return std::make_unique<SignalRDecoder>();
    case AppProtocol::Phoenix:
        return std::make_unique<PhoenixDecoder>();
    case AppProtocol::ActionCable:
        return std::make_unique<ActionCableDecoder>();
    case AppProtocol::SockJs:
        return std::make_unique<SockJsDecoder>();
    case AppProtocol::Wamp:
        return std::make_unique<WampDecoder>();
    case AppProtocol::JsonRpc:
        return std::make_unique<JsonRpcDecoder>();
    }
    return nullptr;
}

} // namespace wsi
