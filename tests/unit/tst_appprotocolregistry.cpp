// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppTranscript.h"
#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/SocketIoDecoder.h"
#include "core/records/HandshakeRecord.h"

#include <QTest>

using namespace wsi;

Q_DECLARE_METATYPE(wsi::AppProtocol)
Q_DECLARE_METATYPE(wsi::ConnectionFacts)

namespace {

ConnectionFacts facts(const char *url, const char *subprotocol = "", QStringList offered = {})
{
    return ConnectionFacts{QUrl(QString::fromLatin1(url)), std::move(offered), QString::fromLatin1(subprotocol)};
}

} // namespace

class tst_AppProtocolRegistry : public QObject
{
    Q_OBJECT

private slots:
    void fromHandshake_data()
    {
        QTest::addColumn<ConnectionFacts>("facts");
        QTest::addColumn<AppProtocol>("protocol");
        QTest::addColumn<QString>("reasonWord");

        QTest::newRow("v12.stomp") << facts("ws://h/ws", "v12.stomp") << AppProtocol::Stomp
                                   << QStringLiteral("v12.stomp");
        QTest::newRow("v11.stomp") << facts("ws://h/ws", "v11.stomp") << AppProtocol::Stomp
                                   << QStringLiteral("v11.stomp");
        QTest::newRow("v10.stomp") << facts("ws://h/ws", "v10.stomp") << AppProtocol::Stomp
                                   << QStringLiteral("v10.stomp");
        QTest::newRow("mqtt") << facts("ws://h/mqtt", "mqtt") << AppProtocol::Mqtt << QStringLiteral("mqtt");
        QTest::newRow("graphql-transport-ws")
            << facts("ws://h/graphql", "graphql-transport-ws") << AppProtocol::GraphqlTransportWs
            << QStringLiteral("graphql-transport-ws");
        QTest::newRow("graphql-ws") << facts("ws://h/graphql", "graphql-ws") << AppProtocol::GraphqlWs
                                    << QStringLiteral("graphql-ws");
        QTest::newRow("actioncable") << facts("ws://h/cable", "actioncable-v1-json") << AppProtocol::ActionCable
                                     << QStringLiteral("actioncable-v1-json");
        QTest::newRow("wamp") << facts("ws://h/ws", "wamp.2.json") << AppProtocol::Wamp
                              << QStringLiteral("wamp.2.json");
        QTest::newRow("offered only") << facts("ws://h/ws", "",
                                               {QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp")})
                                      << AppProtocol::Stomp << QStringLiteral("offered");
        QTest::newRow("socket.io EIO=4") << facts("ws://h/socket.io/?EIO=4&transport=websocket")
                                         << AppProtocol::SocketIo << QStringLiteral("EIO=4");
        QTest::newRow("cable path") << facts("wss://h/cable") << AppProtocol::ActionCable << QStringLiteral("/cable");
        QTest::newRow("phoenix vsn") << facts("ws://h/socket/websocket?vsn=2.0.0") << AppProtocol::Phoenix
                                     << QStringLiteral("vsn=2.0.0");
        QTest::newRow("sockjs") << facts("ws://h/echo/123/abcdefgh/websocket") << AppProtocol::SockJs
                                << QStringLiteral("/<server>/<session>/");
        QTest::newRow("signalr id") << facts("wss://h/chathub?id=Vx3kd2") << AppProtocol::SignalR
                                    << QStringLiteral("?id=");
    }

    void fromHandshake()
    {
        QFETCH(ConnectionFacts, facts);
        QFETCH(AppProtocol, protocol);
        QFETCH(QString, reasonWord);
        const std::optional<Recognition> recognition = AppProtocolRegistry::recognize(facts);
        QVERIFY(recognition.has_value());
        QCOMPARE(recognition->protocol, protocol);
        QVERIFY2(recognition->reason.contains(reasonWord), qPrintable(recognition->reason));
        QVERIFY(recognition->confidence > 0 && recognition->confidence < 100);
        QVERIFY(AppProtocolRegistry::createDecoder(*recognition) != nullptr);
        QCOMPARE(AppProtocolRegistry::createDecoder(*recognition)->protocol(), protocol);
    }

    void negotiatedBeatsUrlShape()
    {
        const Recognition recognition = *AppProtocolRegistry::recognize(facts("ws://h/cable", "v12.stomp"));
        QCOMPARE(recognition.protocol, AppProtocol::Stomp);
        QVERIFY(AppProtocolRegistry::candidates(facts("ws://h/cable", "v12.stomp")).size() == 2);
        QVERIFY(!AppProtocolRegistry::recognize(facts("ws://h/chat")).has_value());
    }

    void engineIoVersionFromUrl()
    {
        const Recognition recognition =
            *AppProtocolRegistry::recognize(facts("ws://h/socket.io/?EIO=3&transport=websocket"));
        QCOMPARE(recognition.engineIoVersion, 3);
        const auto decoder = AppProtocolRegistry::createDecoder(recognition);
        QCOMPARE(static_cast<SocketIoDecoder *>(decoder.get())->engineIoVersion(), 3);
    }

    void fromFirstMessages_data()
    {
        QTest::addColumn<QList<AppMessage>>("messages");
        QTest::addColumn<AppProtocol>("protocol");
        QTest::newRow("engine.io open") << QList<AppMessage>{AppMessage::text(
                                               Endpoint::Server,
                                               R"(0{"sid":"a","pingInterval":25000,"pingTimeout":20000})")}
                                        << AppProtocol::SocketIo;
        QTest::newRow("stomp connect") << QList<AppMessage>{AppMessage::text(
                                              Endpoint::Client, QByteArray("CONNECT\naccept-version:1.2\n\n\0", 30))}
                                       << AppProtocol::Stomp;
        QTest::newRow("mqtt connect") << AppTranscript::load(QStringLiteral("mqtt5-packets.jsonl")).first(2)
                                      << AppProtocol::Mqtt;
        QTest::newRow("signalr handshake")
            << QList<AppMessage>{AppMessage::text(Endpoint::Client, "{\"protocol\":\"json\",\"version\":1}\x1e")}
            << AppProtocol::SignalR;
        QTest::newRow("sockjs open") << QList<AppMessage>{AppMessage::text(Endpoint::Server, "o")}
                                     << AppProtocol::SockJs;
        QTest::newRow("graphql init") << QList<AppMessage>{AppMessage::text(Endpoint::Client,
                                                                            R"({"type":"connection_init"})")}
                                      << AppProtocol::GraphqlTransportWs;
        QTest::newRow("action cable welcome")
            << QList<AppMessage>{AppMessage::text(Endpoint::Server, R"({"type":"welcome"})")}
            << AppProtocol::ActionCable;
        QTest::newRow("jsonrpc") << QList<AppMessage>{AppMessage::text(Endpoint::Client,
                                                                       R"({"jsonrpc":"2.0","method":"a","id":1})")}
                                 << AppProtocol::JsonRpc;
        QTest::newRow("wamp hello") << QList<AppMessage>{AppMessage::text(Endpoint::Client,
                                                                          R"([1,"realm1",{"roles":{}}])")}
                                    << AppProtocol::Wamp;
        QTest::newRow("phoenix v2 join") << QList<AppMessage>{AppMessage::text(
                                                Endpoint::Client, R"(["1","1","room:lobby","phx_join",{}])")}
                                         << AppProtocol::Phoenix;
        QTest::newRow("phoenix v1 heartbeat")
            << QList<AppMessage>{AppMessage::text(Endpoint::Client,
                                                  R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"})")}
            << AppProtocol::Phoenix;
    }

    void fromFirstMessages()
    {
        QFETCH(QList<AppMessage>, messages);
        QFETCH(AppProtocol, protocol);
        const std::optional<Recognition> recognition = AppProtocolRegistry::recognize(facts("ws://h/ws"), messages);
        QVERIFY(recognition.has_value());
        QCOMPARE(recognition->protocol, protocol);
    }

    void signalRQueryAndHandshakeTogether()
    {
        const QList<AppMessage> messages{
            AppMessage::text(Endpoint::Client, "{\"protocol\":\"json\",\"version\":1}\x1e")};
        const Recognition both = *AppProtocolRegistry::recognize(facts("wss://h/chathub?id=Vx3kd2"), messages);
        const Recognition handshakeOnly = *AppProtocolRegistry::recognize(facts("wss://h/chathub"), messages);
        QCOMPARE(both.protocol, AppProtocol::SignalR);
        QVERIFY(both.confidence > handshakeOnly.confidence);
        QVERIFY(both.reason.contains(QLatin1String("?id=")) && both.reason.contains(QLatin1String("handshake")));
    }

    void factsFromRecordedHandshake()
    {
        HandshakeRecord record;
        record.requestBytes = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n"
                              "Sec-WebSocket-Protocol: v12.stomp, v11.stomp\r\n\r\n";
        record.requestHeaders.append("Host", "127.0.0.1:3000");
        record.requestHeaders.append("Sec-WebSocket-Protocol", "v12.stomp, v11.stomp");
        record.subprotocol = QStringLiteral("v11.stomp");
        const ConnectionFacts facts = ConnectionFacts::fromHandshake(record);
        QCOMPARE(facts.url.path(), QStringLiteral("/socket.io/"));
        QCOMPARE(facts.url.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(facts.offeredSubprotocols, (QStringList{QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp")}));
        QCOMPARE(facts.subprotocol, QStringLiteral("v11.stomp"));
    }
};

QTEST_GUILESS_MAIN(tst_AppProtocolRegistry)
#include "tst_appprotocolregistry.moc"
