// SPDX-License-Identifier: GPL-3.0-or-later
// The messages the session sends when it speaks a protocol (SocketIoMessages, StompFrames, MqttPackets,
// GraphqlWsMessages, SignalRMessages, PhoenixMessages, ActionCableMessages, WampMessages), byte for byte against what
// the official client libraries sent in tests/data/appprotocol (socket.io-client 4.8, @stomp/stompjs 7.5, graphql-ws
// 6.4, subscriptions-transport-ws 0.11, @microsoft/signalr 10, phoenix 1.8, @rails/actioncable 8.1, autobahn 26) and,
// for MQTT, against
// mqtt-packet 9.0.2's generate() (the encoder mqtt.js uses), and back through the protocol's decoder.
#include "AppTranscript.h"
#include "core/appprotocol/ActionCableMessages.h"
#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/GraphqlWsMessages.h"
#include "core/appprotocol/MqttPackets.h"
#include "core/appprotocol/PhoenixMessages.h"
#include "core/appprotocol/SignalRMessages.h"
#include "core/appprotocol/SocketIoMessages.h"
#include "core/appprotocol/StompFrames.h"
#include "core/appprotocol/WampMessages.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

// The payloads the client sent in a transcript, in order.
QList<QByteArray> clientMessages(const QString &file)
{
    QList<QByteArray> out;
    for (const AppMessage &message : AppTranscript::load(file)) {
        if (message.sender == Endpoint::Client)
            out.append(message.payload);
    }
    return out;
}

DecodedMessage decodeOne(AppProtocol protocol, const QByteArray &payload, bool binary = false)
{
    const auto decoder = AppProtocolRegistry::createDecoder(protocol);
    const DecodedMessages decoded = decoder->decode({Endpoint::Client, binary, payload});
    return decoded.value(0);
}

} // namespace

class tst_AppProtocolMessages : public QObject
{
    Q_OBJECT

private slots:
    void socketIo()
    {
        const QList<QByteArray> sent = clientMessages(QStringLiteral("socketio4.jsonl"));
        QVERIFY(sent.contains(SocketIoMessages::connect(QStringLiteral("/"))));
        QVERIFY(sent.contains(SocketIoMessages::connect(QStringLiteral("/admin"))));
        QVERIFY(sent.contains(SocketIoMessages::event(QStringLiteral("/"), QStringLiteral("chat"), {"\"hello\""}, 0)));
        QVERIFY(
            sent.contains(SocketIoMessages::event(QStringLiteral("/"), QStringLiteral("chat"), {"\"no ack wanted\""})));
        QVERIFY(sent.contains(SocketIoMessages::pong()));
        QVERIFY(sent.contains(SocketIoMessages::disconnect(QStringLiteral("/admin"))));
        QVERIFY(clientMessages(QStringLiteral("socketio2-eio3.jsonl")).contains(SocketIoMessages::ping()));
        QCOMPARE(SocketIoMessages::connect(QStringLiteral("/"), " {\"token\":\"t\"} "),
                 QByteArray("40{\"token\":\"t\"}"));
        QCOMPARE(SocketIoMessages::event(QStringLiteral("/chat"), QStringLiteral("a\"b"), {"1", "{\"x\":[2]}"}, 7),
                 QByteArray("42/chat,7[\"a\\\"b\",1,{\"x\":[2]}]"));
        const DecodedMessage event = decodeOne(
            AppProtocol::SocketIo, SocketIoMessages::event(QStringLiteral("/chat"), QStringLiteral("go"), {"1"}, 3));
        QCOMPARE(event.kind, QStringLiteral("EVENT"));
        QCOMPARE(event.fields.value(QStringLiteral("namespace")).toString(), QStringLiteral("/chat"));
        QCOMPARE(event.fields.value(QStringLiteral("event")).toString(), QStringLiteral("go"));
        QCOMPARE(event.fields.value(QStringLiteral("ackId")).toInt(), 3);
    }

    void stomp()
    {
        const QList<QByteArray> sent = clientMessages(QStringLiteral("stomp-stompjs.jsonl"));
        // stompjs, told heart-beat 300 ms both ways and no host or credentials.
        QCOMPARE(StompFrames::connect({}, {}, {}, 300, 300), sent.value(0));
        QVERIFY(sent.contains(StompFrames::heartbeat()));
        QVERIFY(sent.contains(StompFrames::send(QStringLiteral("/topic/prices"), "eur 1.0841")));
        QCOMPARE(StompFrames::subscribe(QStringLiteral("sub-0"), QStringLiteral("/topic/prices")),
                 QByteArray("SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n", 46) + '\0');
        QCOMPARE(
            StompFrames::connect(QStringLiteral("vhost"), QStringLiteral("guest"), QStringLiteral("p:w"), 0, 5000),
            QByteArray("CONNECT\naccept-version:1.2,1.1,1.0\nhost:vhost\nlogin:guest\npasscode:p:w\nheart-beat:0,5000"
                       "\n\n") +
                '\0');
        // Values are escaped in every frame but CONNECT.
        QVERIFY(StompFrames::subscribe(QStringLiteral("a:b"), QStringLiteral("/q\n"))
                    .contains("id:a\\cb\ndestination:/q\\n\n"));
        QVERIFY(!StompFrames::checkHeaderValue(QStringLiteral("a\nb")).isEmpty());
        QVERIFY(StompFrames::checkHeaderValue(QStringLiteral("a:b")).isEmpty());
        const DecodedMessage connect = decodeOne(AppProtocol::Stomp, StompFrames::connect({}, {}, {}, 10, 20));
        QCOMPARE(connect.kind, QStringLiteral("CONNECT"));
        QCOMPARE(connect.fields.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{10, 20}));
        // The user's headers follow the destination, escaped; their content-type replaces ours, their
        // content-length never replaces the body's.
        QCOMPARE(StompFrames::send(QStringLiteral("/queue/a"), "hi",
                                   {{QStringLiteral("receipt"), QStringLiteral("r:1")},
                                    {QStringLiteral("content-type"), QStringLiteral("application/json")},
                                    {QStringLiteral("Content-Length"), QStringLiteral("99")}}),
                 QByteArray("SEND\ndestination:/queue/a\nreceipt:r\\c1\ncontent-type:application/json\n"
                            "content-length:2\n\nhi") +
                     '\0');
        const DecodedMessage send =
            decodeOne(AppProtocol::Stomp, StompFrames::send(QStringLiteral("/queue/a"), "x",
                                                            {{QStringLiteral("priority"), QStringLiteral("9")}}));
        QCOMPARE(send.kind, QStringLiteral("SEND"));
        QVERIFY2(send.isValid(), qPrintable(send.violation.value_or(DecodeViolation{}).describe()));
    }

    void mqtt()
    {
        // mqtt-packet 9.0.2 generate() of the same packets (see the file comment).
        QCOMPARE(MqttPackets::connect(QStringLiteral("wsi-test"), 1, {}, {}).toHex(),
                 QByteArray("101400044d5154540402000100087773692d74657374"));
        QCOMPARE(MqttPackets::connect(QStringLiteral("wsi-test"), 60, QStringLiteral("user"), QStringLiteral("secret"))
                     .toHex(),
                 QByteArray("102200044d51545404c2003c00087773692d746573740004757365720006736563726574"));
        QCOMPARE(MqttPackets::subscribe(1, QStringLiteral("prices/#")).toHex(),
                 QByteArray("820d000100087072696365732f2300"));
        QCOMPARE(MqttPackets::publish(QStringLiteral("prices/eur"), "1.08").toHex(),
                 QByteArray("3010000a7072696365732f657572312e3038"));
        QCOMPARE(MqttPackets::pingRequest().toHex(), QByteArray("c000"));
        QCOMPARE(MqttPackets::disconnect().toHex(), QByteArray("e000"));
        // mqtt.js's PINGREQ in the aedes transcript.
        QVERIFY(clientMessages(QStringLiteral("mqtt311-aedes.jsonl")).contains(MqttPackets::pingRequest()));
        // A remaining length over 127 takes two bytes.
        const QByteArray big = MqttPackets::publish(QStringLiteral("t"), QByteArray(200, 'x'));
        QCOMPARE(big.left(3).toHex(), QByteArray("30cb01"));
        const DecodedMessage connect =
            decodeOne(AppProtocol::Mqtt,
                      MqttPackets::connect(QStringLiteral("id"), 30, QStringLiteral("u"), QStringLiteral("p")), true);
        QCOMPARE(connect.kind, QStringLiteral("CONNECT"));
        QVERIFY2(connect.isValid(), qPrintable(connect.violation.value_or(DecodeViolation{}).describe()));
        QCOMPARE(connect.fields.value(QStringLiteral("keepAlive")).toInt(), 30);
        QCOMPARE(connect.fields.value(QStringLiteral("clientId")).toString(), QStringLiteral("id"));
        QCOMPARE(connect.fields.value(QStringLiteral("username")).toString(), QStringLiteral("u"));
        // QoS 1 carries its packet id after the topic (§3.3.2.2); retain is the low bit (mqtt-packet 9.0.2
        // generate({cmd:'publish', topic:'a/b', payload:'x', qos:1, retain:true, messageId:10})).
        QCOMPARE(MqttPackets::publish(QStringLiteral("a/b"), "x", 1, true, 10).toHex(),
                 QByteArray("33080003612f62000a78"));
        const DecodedMessage publish =
            decodeOne(AppProtocol::Mqtt, MqttPackets::publish(QStringLiteral("a/b"), "x", 1, false, 513), true);
        QCOMPARE(publish.kind, QStringLiteral("PUBLISH"));
        QVERIFY2(publish.isValid(), qPrintable(publish.violation.value_or(DecodeViolation{}).describe()));
        QCOMPARE(publish.fields.value(QStringLiteral("qos")).toInt(), 1);
        QCOMPARE(publish.fields.value(QStringLiteral("packetId")).toInt(), 513);
        QCOMPARE(MqttPackets::subscribe(2, QStringLiteral("a"), 1).toHex(), QByteArray("82060002000161"
                                                                                       "01"));
        // mqtt-packet generate({cmd:'puback', messageId:258}).
        QCOMPARE(MqttPackets::publishAck(258).toHex(), QByteArray("40020102"));
    }

    void graphql()
    {
        const QList<QByteArray> modern = clientMessages(QStringLiteral("graphql-transport-ws.jsonl"));
        QCOMPARE(GraphqlWsMessages::connectionInit({}, false), modern.value(0));
        QVERIFY(modern.contains(GraphqlWsMessages::ping()));
        const QList<QByteArray> legacy = clientMessages(QStringLiteral("graphql-ws-legacy.jsonl"));
        QCOMPARE(GraphqlWsMessages::connectionInit({}, true), legacy.value(0));
        QCOMPARE(GraphqlWsMessages::subscribe(QStringLiteral("1"), QStringLiteral("{ hello }"), true), legacy.value(1));
        QCOMPARE(GraphqlWsMessages::subscribe(QStringLiteral("7"), QStringLiteral("{ a(s: \"x\") }"), false),
                 QByteArray("{\"id\":\"7\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a(s: \\\"x\\\") }\"}}"));
        QCOMPARE(GraphqlWsMessages::connectionInit("{\"a\":1}", false),
                 QByteArray("{\"type\":\"connection_init\",\"payload\":{\"a\":1}}"));
        QCOMPARE(GraphqlWsMessages::pong(), QByteArray("{\"type\":\"pong\"}"));
        QCOMPARE(
            GraphqlWsMessages::subscribe(QStringLiteral("2"), QStringLiteral("{ a }"), false, " {\"n\":1} "),
            QByteArray(
                "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\",\"variables\":{\"n\":1}}}"));
    }

    void signalRPhoenixActionCable()
    {
        const QList<QByteArray> signalR = clientMessages(QStringLiteral("signalr-json.jsonl"));
        QCOMPARE(SignalRMessages::handshake(), signalR.value(0));
        QVERIFY(signalR.contains(SignalRMessages::ping()));
        const QList<QByteArray> phoenix = clientMessages(QStringLiteral("phoenix-v2.jsonl"));
        QCOMPARE(PhoenixMessages::join(QStringLiteral("room:lobby"), "{\"token\":\"abc\"}", 3), phoenix.value(0));
        QVERIFY(phoenix.contains(PhoenixMessages::heartbeat(6)));
        const QList<QByteArray> cable = clientMessages(QStringLiteral("actioncable.jsonl"));
        QCOMPARE(ActionCableMessages::subscribe("{\"channel\":\"ChatChannel\",\"room\":\"1\"}"), cable.value(0));
    }

    void wamp()
    {
        // autobahn 26.3.1: HELLO, SUBSCRIBE (request 1), PUBLISH (2), CALL with arguments (3) and without (4, []).
        const QList<QByteArray> autobahn = clientMessages(QStringLiteral("wamp-autobahn.jsonl"));
        QCOMPARE(WampMessages::hello(QStringLiteral("realm1")), autobahn.value(0));
        QCOMPARE(WampMessages::subscribe(1, QStringLiteral("com.example.topic")), autobahn.value(1));
        QVERIFY(autobahn.contains(WampMessages::call(3, QStringLiteral("com.example.add"), {"1", "2"})));
        QCOMPARE(WampMessages::call(9, QStringLiteral("a.b"), {}), QByteArray(R"([48,9,{},"a.b"])"));
        const DecodedMessage call = decodeOne(AppProtocol::Wamp, WampMessages::call(3, QStringLiteral("p"), {"1"}));
        QCOMPARE(call.kind, QStringLiteral("CALL"));
        QVERIFY(!call.violation);
        QCOMPARE(decodeOne(AppProtocol::Wamp, WampMessages::goodbyeAndOut()).kind, QStringLiteral("GOODBYE"));
    }

    // What the composer and `connect --invoke/--push/--perform` send, byte for byte as the official clients sent
    // the same calls in the transcripts: connection.invoke("Add", 1, 2) and send("Log", ...), channel.push("new_msg",
    // {body: "hi"}) after the join with ref 3, subscription.perform("speak", {body: "hi"}).
    void invocationPushPerform()
    {
        const QList<QByteArray> signalR = clientMessages(QStringLiteral("signalr-json.jsonl"));
        QCOMPARE(SignalRMessages::invocation(QStringLiteral("Add"), {"1", " 2"}, QStringLiteral("0")),
                 signalR.value(2));
        QCOMPARE(SignalRMessages::invocation(QStringLiteral("Log"), {"\"no reply wanted\""}), signalR.value(3));
        const QList<QByteArray> phoenix = clientMessages(QStringLiteral("phoenix-v2.jsonl"));
        QCOMPARE(
            PhoenixMessages::push(QStringLiteral("room:lobby"), QStringLiteral("new_msg"), "{\"body\":\"hi\"}", 3, 4),
            phoenix.value(1));
        QCOMPARE(PhoenixMessages::push(QStringLiteral("t"), QStringLiteral("e"), {}, std::nullopt, 9),
                 QByteArray("[null,\"9\",\"t\",\"e\",{}]"));
        const QList<QByteArray> cable = clientMessages(QStringLiteral("actioncable.jsonl"));
        const QByteArray identifier = "{\"channel\":\"ChatChannel\",\"room\":\"1\"}";
        QCOMPARE(ActionCableMessages::perform(identifier, QStringLiteral("speak"), " {\"body\":\"hi\"} "),
                 cable.value(1));
        QCOMPARE(
            ActionCableMessages::perform(identifier, QStringLiteral("ping"), "{ }"),
            QByteArray("{\"command\":\"message\",\"identifier\":\"{\\\"channel\\\":\\\"ChatChannel\\\",\\\"room\\\":"
                       "\\\"1\\\"}\",\"data\":\"{\\\"action\\\":\\\"ping\\\"}\"}"));
        // And each decodes as what it is.
        QCOMPARE(decodeOne(AppProtocol::SignalR, signalR.value(2)).kind,
                 decodeOne(AppProtocol::SignalR,
                           SignalRMessages::invocation(QStringLiteral("Add"), {"1", "2"}, QStringLiteral("0")))
                     .kind);
        const DecodedMessage push = decodeOne(
            AppProtocol::Phoenix, PhoenixMessages::push(QStringLiteral("t"), QStringLiteral("e"), "{}", 1, 2));
        QCOMPARE(push.kind, QStringLiteral("e"));
    }
};

QTEST_GUILESS_MAIN(tst_AppProtocolMessages)
#include "tst_appprotocolmessages.moc"
