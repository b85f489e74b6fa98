// SPDX-License-Identifier: GPL-3.0-or-later
// ConnectionDecoder: the protocol known from the handshake or from the first messages, decoding from the message
// that tipped it (with the decoder's state as if it had seen every message), giving up after the window, a forced
// protocol, and a whole FrameLog decoded from its first message on. Transcripts from real libraries
// (tests/data/appprotocol).
#include "core/appprotocol/ConnectionDecoder.h"
#include "core/records/FrameLog.h"
#include "support/AppTranscript.h"

#include <QTest>

using namespace wsi;

namespace {

ConnectionFacts factsFor(const QString &url, const QString &subprotocol = {})
{
    ConnectionFacts facts;
    facts.url = QUrl(url);
    facts.subprotocol = subprotocol;
    return facts;
}

} // namespace

class tst_ConnectionDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handshakeSettlesItBeforeAnyMessage();
    void firstMessageTipsIt();
    void laterMessageTipsItWithTheEarlierOnesFedFirst();
    void givesUpAfterTheWindow();
    void forcedProtocolDecodesWithoutAClue();
    void wholeLogDecodesFromItsFirstMessage();
};

void tst_ConnectionDecoder::handshakeSettlesItBeforeAnyMessage()
{
    ConnectionDecoder decoder(factsFor(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket")));
    QVERIFY(decoder.recognition().has_value());
    QCOMPARE(decoder.recognition()->protocol, AppProtocol::SocketIo);
    const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("socketio4.jsonl"));
    QVERIFY(!messages.isEmpty());
    const DecodedMessages first = decoder.decode(messages.first());
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.first().kind, QStringLiteral("open"));
}

void tst_ConnectionDecoder::firstMessageTipsIt()
{
    ConnectionDecoder decoder(factsFor(QStringLiteral("ws://127.0.0.1:15674/ws")));
    QVERIFY(!decoder.recognition().has_value());
    const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("stomp-stompjs.jsonl"));
    const DecodedMessages first = decoder.decode(messages.first());
    QCOMPARE(decoder.recognition()->protocol, AppProtocol::Stomp);
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.first().kind, QStringLiteral("CONNECT"));
    QCOMPARE(decoder.decode(messages.at(1)).first().kind, QStringLiteral("CONNECTED"));
}

void tst_ConnectionDecoder::laterMessageTipsItWithTheEarlierOnesFedFirst()
{
    // Two messages that point nowhere, then a JSON-RPC request: recognised on the third, which decodes.
    ConnectionDecoder decoder(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    QVERIFY(decoder.decode(AppMessage::text(Endpoint::Client, "hello")).isEmpty());
    QVERIFY(decoder.decode(AppMessage::text(Endpoint::Server, "hello back")).isEmpty());
    const DecodedMessages third =
        decoder.decode(AppMessage::text(Endpoint::Client, R"({"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7})"));
    QVERIFY(decoder.recognition().has_value());
    QCOMPARE(decoder.recognition()->protocol, AppProtocol::JsonRpc);
    QCOMPARE(third.size(), 1);
    QCOMPARE(third.first().kind, QStringLiteral("request"));
    const DecodedMessages reply =
        decoder.decode(AppMessage::text(Endpoint::Server, R"({"jsonrpc":"2.0","result":3,"id":7})"));
    QCOMPARE(reply.first().kind, QStringLiteral("result"));
    QCOMPARE(reply.first().correlation, third.first().correlation.reply(third.first().correlation.key));
}

void tst_ConnectionDecoder::givesUpAfterTheWindow()
{
    ConnectionDecoder decoder(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    for (qsizetype i = 0; i < ConnectionDecoder::recognitionWindow; ++i)
        QVERIFY(decoder.decode(AppMessage::text(Endpoint::Client, "plain " + QByteArray::number(i))).isEmpty());
    QVERIFY(decoder.gaveUp());
    // Too late: the connection is taken to speak no protocol we know, and stays cheap.
    QVERIFY(decoder.decode(AppMessage::text(Endpoint::Client, R"({"jsonrpc":"2.0","method":"m","id":1})")).isEmpty());
    QVERIFY(!decoder.recognition().has_value());
}

void tst_ConnectionDecoder::forcedProtocolDecodesWithoutAClue()
{
    ConnectionDecoder decoder(factsFor(QStringLiteral("ws://127.0.0.1:4000/graphql")), AppProtocol::GraphqlTransportWs);
    QCOMPARE(decoder.recognition()->protocol, AppProtocol::GraphqlTransportWs);
    const DecodedMessages ping = decoder.decode(AppMessage::text(Endpoint::Server, R"({"type":"ping"})"));
    QCOMPARE(ping.size(), 1);
    QCOMPARE(ping.first().kind, QStringLiteral("ping"));

    // A forced Socket.IO keeps the URL's Engine.IO version.
    ConnectionDecoder eio3(factsFor(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=3&transport=websocket")),
                           AppProtocol::SocketIo);
    QCOMPARE(eio3.recognition()->engineIoVersion, 3);
}

void tst_ConnectionDecoder::wholeLogDecodesFromItsFirstMessage()
{
    // The MQTT transcript has no handshake clue here; its first message (a CONNECT) tips it, and every message of
    // the log decodes, in order, one entry per message.
    const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("mqtt311-aedes.jsonl"));
    FrameLog log;
    AppTranscript::appendTo(log, messages);
    const QList<DecodedMessages> decoded = ConnectionDecoder::decodeLog(factsFor(QStringLiteral("ws://x/")), log);
    QCOMPARE(decoded.size(), messages.size());
    QVERIFY(!decoded.first().isEmpty());
    QCOMPARE(decoded.first().first().protocol, AppProtocol::Mqtt);
    QCOMPARE(decoded.first().first().kind, QStringLiteral("CONNECT"));
    QVERIFY2(AppTranscript::ofKind(decoded, QStringLiteral("PINGREQ")).size() >= 1, "no PINGREQ decoded");
    QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));

    // The same log as a connection without any protocol: nothing decoded, nothing invented.
    FrameLog plain;
    AppTranscript::appendTo(plain,
                            {AppMessage::text(Endpoint::Client, "hi"), AppMessage::text(Endpoint::Server, "hi")});
    for (const DecodedMessages &each : ConnectionDecoder::decodeLog(factsFor(QStringLiteral("ws://x/")), plain))
        QVERIFY(each.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ConnectionDecoder)
#include "tst_connectiondecoder.moc"
