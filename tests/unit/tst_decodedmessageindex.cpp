// SPDX-License-Identifier: GPL-3.0-or-later
// DecodedMessageIndex: the frame table's per-message summaries of what the application protocol makes of a
// connection: headlines and subjects, kinds, requests paired with their replies, messages held until the protocol
// is known, and a whole message decoded again from the nearest kept decoder state exactly as a decoder fed every
// message before it decodes it. Transcripts from real libraries (tests/data/appprotocol).
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/records/FrameLog.h"
#include "support/AppTranscript.h"

#include <QTest>

using namespace wsi;

namespace {

ConnectionFacts factsFor(const QString &url)
{
    ConnectionFacts facts;
    facts.url = QUrl(url);
    return facts;
}

QString headline(const DecodedMessageIndex &index, qsizetype message)
{
    return index.text(index.summary(message).headline);
}

} // namespace

class tst_DecodedMessageIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void socketIoHeadlinesAndAckPairing();
    void stompAndMqttHeadlinesName_data();
    void stompAndMqttHeadlinesName();
    void messagesHeldUntilTheFirstMessagesTellTheProtocol();
    void aForcedProtocolWinsOverTheUrlsShape();
    void noProtocolLeavesMessagesUndecoded();
    void wholeDecodeReplaysFromTheNearestCheckpoint();
    void unansweredRequestsAreBounded();
    void severalInOneKeepEachKindAndSubject();
};

void tst_DecodedMessageIndex::socketIoHeadlinesAndAckPairing()
{
    // socket.io-client 4.8 against socket.io 4.8: open, CONNECT, an event with an ack and its ACK, a binary event and
    // its attachment, a namespace, Engine.IO pings and pongs.
    const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("socketio4.jsonl"));
    FrameLog log;
    AppTranscript::appendTo(log, messages, 2'000'000);
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket")));
    index.advance(log, log.messageCount());
    QCOMPARE(index.summarisedMessages(), messages.size());
    QCOMPARE(index.summarisedFrames(log), log.frameCount());
    QVERIFY(index.recognition());
    QCOMPARE(index.recognition()->protocol, AppProtocol::SocketIo);

    QCOMPARE(headline(index, 0), QStringLiteral("socket.io open"));
    QCOMPARE(headline(index, 1), QStringLiteral("socket.io CONNECT"));
    QCOMPARE(headline(index, 3), QStringLiteral("socket.io EVENT \"chat\" (1 arg, ack 0)"));
    QCOMPARE(headline(index, 4), QStringLiteral("socket.io EVENT \"chat\" (2 args)"));
    QCOMPARE(headline(index, 5), QStringLiteral("socket.io ACK 0 (1 arg)"));
    QCOMPARE(index.text(index.summary(3).subject), QStringLiteral("chat"));
    QCOMPARE(index.kindText(index.summary(3).kind), QStringLiteral("EVENT"));
    QCOMPARE(headline(index, 11), QStringLiteral("socket.io CONNECT /admin"));
    QCOMPARE(headline(index, 13), QStringLiteral("socket.io EVENT /admin \"status\" (1 arg)"));
    QCOMPARE(headline(index, 14), QStringLiteral("socket.io ping"));

    // The client's event 0 asked for an ack; the server's ACK 0 answers it, 4 ms later on this log's clock.
    QVERIFY(index.summary(3).has(DecodedMessageIndex::Summary::Request));
    QVERIFY(index.summary(5).has(DecodedMessageIndex::Summary::Reply));
    QCOMPARE(index.summary(5).request, 3);
    QCOMPARE(index.firstReplyTo(3), 5);
    QCOMPARE(index.summary(4).request, -1);
    QCOMPARE(index.firstReplyTo(4), -1);
    // The binary event's ack (1) is answered by ACK 1 after its attachment.
    QCOMPARE(index.summary(10).request, 7);

    const QStringList kinds = index.kinds();
    for (const char *kind : {"open", "CONNECT", "EVENT", "ACK", "BINARY_EVENT", "attachment", "ping", "pong"})
        QVERIFY2(kinds.contains(QLatin1StringView(kind)), kind);
    QCOMPARE(kinds.count(QStringLiteral("EVENT")), 1);
}

void tst_DecodedMessageIndex::stompAndMqttHeadlinesName_data()
{
    QTest::addColumn<QString>("transcript");
    QTest::addColumn<QString>("headline");
    QTest::addColumn<QString>("subject");
    // @stomp/stompjs 7.5: the broker's MESSAGE on a topic, and the SUBSCRIBE whose receipt pairs with RECEIPT.
    QTest::newRow("stomp message") << "stomp-stompjs.jsonl"
                                   << "STOMP MESSAGE /topic/prices"
                                   << "/topic/prices";
    QTest::newRow("stomp subscribe") << "stomp-stompjs.jsonl"
                                     << "STOMP SUBSCRIBE /topic/prices"
                                     << "/topic/prices";
    // mqtt.js 5.16 against aedes 1.2: a PUBLISH with its topic and QoS, and the heartbeat.
    QTest::newRow("mqtt pingreq") << "mqtt311-aedes.jsonl"
                                  << "MQTT PINGREQ"
                                  << "";
    QTest::newRow("mqtt pingresp") << "mqtt311-aedes.jsonl"
                                   << "MQTT PINGRESP"
                                   << "";
}

void tst_DecodedMessageIndex::stompAndMqttHeadlinesName()
{
    QFETCH(QString, transcript);
    QFETCH(QString, headline);
    QFETCH(QString, subject);
    FrameLog log;
    AppTranscript::appendTo(log, AppTranscript::load(transcript));
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:9000/ws")));
    index.advance(log, log.messageCount());
    QVERIFY(index.recognition());
    QStringList headlines;
    qsizetype found = -1;
    for (qsizetype message = 0; message < index.summarisedMessages(); ++message) {
        headlines.append(index.text(index.summary(message).headline));
        if (found < 0 && headlines.constLast() == headline)
            found = message;
    }
    QVERIFY2(found >= 0, qPrintable(headlines.join(u'|')));
    QCOMPARE(index.text(index.summary(found).subject), subject);
}

void tst_DecodedMessageIndex::messagesHeldUntilTheFirstMessagesTellTheProtocol()
{
    // No clue in the URL: two plain messages, then JSON-RPC. The messages are summarised once the third tips it,
    // the first two as JSON-RPC's violations, and the request pairs with its result.
    FrameLog log;
    AppTranscript::appendTo(
        log, {AppMessage::text(Endpoint::Client, "hello"), AppMessage::text(Endpoint::Server, "hello back")});
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    index.advance(log, log.messageCount());
    QCOMPARE(index.nextMessage(), 2);
    QCOMPARE(index.summarisedMessages(), 0);
    QCOMPARE(index.summarisedFrames(log), 0);
    QVERIFY(!index.recognition());

    AppTranscript::appendTo(log, AppTranscript::load(QStringLiteral("jsonrpc-rpc-websockets.jsonl")));
    index.advance(log, 3);
    QCOMPARE(index.summarisedMessages(), 3);
    QCOMPARE(index.recognition()->protocol, AppProtocol::JsonRpc);
    QVERIFY(index.summary(0).has(DecodedMessageIndex::Summary::Violation));
    QCOMPARE(headline(index, 2), QStringLiteral("JSON-RPC request sum id 1"));
    index.advance(log, log.messageCount());
    QCOMPARE(headline(index, 3), QStringLiteral("JSON-RPC result id 1"));
    QCOMPARE(index.summary(3).request, 2);
    QCOMPARE(index.text(index.summary(2).subject), QStringLiteral("sum"));
}

// A session told to speak STOMP on Action Cable's default path (/cable): the window shows STOMP, as the session spoke
// it and its exports read it; left to recognise, the same messages are read as the path says.
void tst_DecodedMessageIndex::aForcedProtocolWinsOverTheUrlsShape()
{
    FrameLog log;
    AppTranscript::appendTo(log, AppTranscript::load(QStringLiteral("stomp-stompjs.jsonl")));
    const ConnectionFacts facts = factsFor(QStringLiteral("ws://127.0.0.1:9000/cable"));

    DecodedMessageIndex recognised(facts);
    recognised.advance(log, log.messageCount());
    QVERIFY(recognised.recognition());
    QCOMPARE(recognised.recognition()->protocol, AppProtocol::ActionCable);

    DecodedMessageIndex forced(facts, AppProtocol::Stomp);
    forced.advance(log, log.messageCount());
    QVERIFY(forced.recognition());
    QCOMPARE(forced.recognition()->protocol, AppProtocol::Stomp);
    QCOMPARE(forced.summarisedMessages(), log.messageCount());
    QStringList headlines;
    for (qsizetype message = 0; message < forced.summarisedMessages(); ++message)
        headlines.append(headline(forced, message));
    QVERIFY2(headlines.contains(QStringLiteral("STOMP SUBSCRIBE /topic/prices")), qPrintable(headlines.join(u'|')));
}

void tst_DecodedMessageIndex::noProtocolLeavesMessagesUndecoded()
{
    FrameLog log;
    QList<AppMessage> plain;
    for (int i = 0; i < 10; ++i)
        plain.append(AppMessage::text(i % 2 ? Endpoint::Server : Endpoint::Client, "plain " + QByteArray::number(i)));
    AppTranscript::appendTo(log, plain);
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    index.advance(log, log.messageCount());
    QVERIFY(!index.recognition());
    // Once recognition gives up every message is summarised, as not decoded, so filters know where they stand.
    QCOMPARE(index.summarisedMessages(), 10);
    for (qsizetype i = 0; i < 10; ++i) {
        QVERIFY(!index.summary(i).has(DecodedMessageIndex::Summary::Decoded));
        QCOMPARE(index.summary(i).headline, 0u);
    }
    QVERIFY(index.kinds().isEmpty());
    QVERIFY(index.decodeFull(log, 3).isEmpty());
}

void tst_DecodedMessageIndex::wholeDecodeReplaysFromTheNearestCheckpoint()
{
    // mqtt.js over WebSocket writes nearly every field as a message of its own: the decoder holds packets across
    // messages, so a message decoded alone would be wrong. Repeated past several checkpoints, every message decoded
    // again from the index matches the decoder that saw the whole log.
    const QList<AppMessage> transcript = AppTranscript::load(QStringLiteral("mqtt311-aedes.jsonl"));
    FrameLog log;
    while (log.messageCount() < 3 * DecodedMessageIndex::checkpointEvery + 100)
        AppTranscript::appendTo(log, transcript);
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:8888/")));
    // In slices, as the window's decoding takes them.
    for (qsizetype upTo = 500; index.nextMessage() < log.messageCount(); upTo += 500)
        index.advance(log, upTo);
    QCOMPARE(index.recognition()->protocol, AppProtocol::Mqtt);
    const QList<DecodedMessages> whole = ConnectionDecoder::decodeLog(factsFor(QStringLiteral("ws://x/")), log);
    for (qsizetype message = 0; message < log.messageCount(); message += 7) {
        const DecodedMessages again = index.decodeFull(log, message);
        QCOMPARE(again.size(), whole.at(message).size());
        for (qsizetype i = 0; i < again.size(); ++i) {
            QCOMPARE(again.at(i).kind, whole.at(message).at(i).kind);
            QCOMPARE(again.at(i).fields, whole.at(message).at(i).fields);
            QCOMPARE(again.at(i).violation, whole.at(message).at(i).violation);
        }
    }
    // A payload read back whole (from a recording) replaces the log's bytes of that message only.
    qsizetype ping = -1;
    for (qsizetype message = 0; message < whole.size() && ping < 0; ++message) {
        const DecodedMessages &one = whole.at(message);
        if (one.size() == 1 && one.first().kind == QLatin1StringView("PINGREQ") &&
            !one.first().fields.contains(QStringLiteral("continued")))
            ping = message;
    }
    QVERIFY(ping >= 0);
    QCOMPARE(index.decodeFull(log, ping, QByteArray("\xe0\x00", 2)).first().kind, QStringLiteral("DISCONNECT"));
}

void tst_DecodedMessageIndex::unansweredRequestsAreBounded()
{
    // A client that asks and asks with no answer: only the latest maxWaitingRequests wait, so the oldest request's
    // late answer pairs with nothing, while a recent one's still does.
    const qsizetype requests = DecodedMessageIndex::maxWaitingRequests + 10;
    QList<AppMessage> messages;
    for (qsizetype id = 1; id <= requests; ++id)
        messages.append(AppMessage::text(Endpoint::Client, QByteArray(R"({"jsonrpc":"2.0","method":"ask","id":)") +
                                                               QByteArray::number(id) + '}'));
    messages.append(AppMessage::text(Endpoint::Server, R"({"jsonrpc":"2.0","result":1,"id":1})"));
    messages.append(AppMessage::text(Endpoint::Server,
                                     R"({"jsonrpc":"2.0","result":1,"id":)" + QByteArray::number(requests) + '}'));
    // The same id from the client's own side answers nothing: a reply travels the other way.
    messages.append(AppMessage::text(Endpoint::Client, R"({"jsonrpc":"2.0","result":1,"id":5})"));
    FrameLog log;
    AppTranscript::appendTo(log, messages);
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    index.advance(log, log.messageCount());
    QCOMPARE(index.summary(requests).request, -1);
    QCOMPARE(index.summary(requests + 1).request, qint32(requests - 1));
    QCOMPARE(index.summary(requests + 2).request, -1);
}

void tst_DecodedMessageIndex::severalInOneKeepEachKindAndSubject()
{
    // A JSON-RPC batch of three, between single messages: the summary names the first, parts() the others (for the
    // filters), and messages that carry one protocol message have no parts.
    FrameLog log;
    AppTranscript::appendTo(
        log, {AppMessage::text(Endpoint::Client, R"({"jsonrpc":"2.0","method":"login","id":0})"),
              AppMessage::text(Endpoint::Client, R"([{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1},)"
                                                 R"({"jsonrpc":"2.0","method":"notify_hello"},)"
                                                 R"({"jsonrpc":"2.0","method":"get_data","id":"9"}])"),
              AppMessage::text(Endpoint::Server, R"([{"jsonrpc":"2.0","result":3,"id":1},)"
                                                 R"({"jsonrpc":"2.0","result":[],"id":"9"}])"),
              AppMessage::text(Endpoint::Server, R"({"jsonrpc":"2.0","result":true,"id":0})")});
    DecodedMessageIndex index(factsFor(QStringLiteral("ws://127.0.0.1:9000/")));
    index.advance(log, log.messageCount());
    QCOMPARE(index.summarisedMessages(), 4);
    QCOMPARE(headline(index, 1), QStringLiteral("JSON-RPC request sum id 1 +2 more"));
    QVERIFY(index.summary(1).has(DecodedMessageIndex::Summary::Several));
    const QList<DecodedMessageIndex::Part> parts = index.parts(1);
    QCOMPARE(parts.size(), 2);
    QCOMPARE(index.kindText(parts[0].kind), QStringLiteral("notification"));
    QCOMPARE(index.text(parts[0].subject), QStringLiteral("notify_hello"));
    QCOMPARE(index.kindText(parts[1].kind), QStringLiteral("request"));
    QCOMPARE(index.text(parts[1].subject), QStringLiteral("get_data"));
    QCOMPARE(index.parts(2).size(), 1);
    QCOMPARE(index.kindText(index.parts(2).first().kind), QStringLiteral("result"));
    QVERIFY(index.parts(0).isEmpty());
    QVERIFY(index.parts(3).isEmpty());
    QVERIFY(index.parts(4).isEmpty());
    // The summary stays 16 bytes a message; the parts cost only the messages that carry several.
    QCOMPARE(sizeof(DecodedMessageIndex::Summary), size_t(16));
}

QTEST_GUILESS_MAIN(tst_DecodedMessageIndex)
#include "tst_decodedmessageindex.moc"
