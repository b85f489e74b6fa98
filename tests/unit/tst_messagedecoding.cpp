// SPDX-License-Identifier: GPL-3.0-or-later
// MessageDecoding: the "decoded" array of the JSON outputs: recognised from a recorded handshake (a relay's too,
// whose record names the subprotocol only in the upstream's 101), one object per protocol message, nothing for a
// connection without a known protocol or for a payload that was not kept whole, and a forced protocol.
#include "core/appprotocol/ConnectionFacts.h"
#include "core/exchange/MessageDecoding.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

// A handshake as a session or a relay records it: the request bytes and fields, and the 101 with `chosen` in its
// Sec-WebSocket-Protocol (not in HandshakeRecord::subprotocol, as a relay leaves it).
HandshakeRecord handshake(const QByteArray &target, const QByteArray &chosen = {})
{
    HandshakeRecord record;
    record.requestBytes = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
    record.requestHeaders.append("Host", "127.0.0.1:8080");
    record.responseReceived = true;
    record.accepted = true;
    record.response.statusCode = 101;
    if (!chosen.isEmpty()) {
        record.requestHeaders.append("Sec-WebSocket-Protocol", chosen);
        record.response.headers.append("Sec-WebSocket-Protocol", chosen);
    }
    return record;
}

MessageRecord message(Direction direction, qsizetype length, MessageType type = MessageType::Text)
{
    MessageRecord record;
    record.direction = direction;
    record.type = type;
    record.length = quint64(length);
    return record;
}

QJsonArray decodeText(MessageDecoding &decoding, Direction direction, const QByteArray &payload)
{
    return decoding.decode(message(direction, payload.size()), payload);
}

} // namespace

class tst_MessageDecoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void relayedHandshakeNamesItsSubprotocolInThe101()
    {
        const HandshakeRecord record = handshake("/graphql", "graphql-ws");
        QCOMPARE(ConnectionFacts::fromHandshake(record).subprotocol, QStringLiteral("graphql-ws"));
        MessageDecoding decoding(record);
        // The legacy protocol's own kind: only the subprotocol tells it from graphql-transport-ws.
        const QJsonArray decoded =
            decodeText(decoding, Direction::Outgoing, R"({"type":"connection_init","payload":{}})");
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded[0][u"protocol"].toString(), QStringLiteral("graphql-ws"));
        QCOMPARE(decoded[0][u"kind"].toString(), QStringLiteral("connection_init"));
        const QJsonArray keepAlive = decodeText(decoding, Direction::Incoming, R"({"type":"ka"})");
        QCOMPARE(keepAlive[0][u"kind"].toString(), QStringLiteral("ka"));
    }

    void socketIoEventHasItsFields()
    {
        MessageDecoding decoding(handshake("/socket.io/?EIO=4&transport=websocket"));
        const QJsonArray open =
            decodeText(decoding, Direction::Incoming,
                       R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
        QCOMPARE(open.size(), 1);
        QCOMPARE(open[0][u"protocol"].toString(), QStringLiteral("socket.io"));
        QCOMPARE(open[0][u"kind"].toString(), QStringLiteral("open"));
        QCOMPARE(open[0][u"pingInterval"].toInt(), 25000);
        const QJsonArray event = decodeText(decoding, Direction::Incoming, R"(42/chat,["message",{"text":"hi"},2])");
        QCOMPARE(event[0][u"kind"].toString(), QStringLiteral("EVENT"));
        QCOMPARE(event[0][u"namespace"].toString(), QStringLiteral("/chat"));
        QCOMPARE(event[0][u"event"].toString(), QStringLiteral("message"));
        QCOMPARE(event[0][u"args"].toArray().size(), 2);
        QCOMPARE(decodeText(decoding, Direction::Incoming, "2")[0][u"kind"].toString(), QStringLiteral("ping"));
    }

    void severalProtocolMessagesInOneAreAnArray()
    {
        MessageDecoding decoding(handshake("/mqtt", "mqtt"));
        const QByteArray twoPings("\xc0\x00\xc0\x00", 4);
        const QJsonArray decoded =
            decoding.decode(message(Direction::Outgoing, twoPings.size(), MessageType::Binary), twoPings);
        QCOMPARE(decoded.size(), 2);
        for (const QJsonValue &packet : decoded) {
            QCOMPARE(packet[u"protocol"].toString(), QStringLiteral("mqtt"));
            QCOMPARE(packet[u"kind"].toString(), QStringLiteral("PINGREQ"));
        }
    }

    void plainMessagesHaveNothing()
    {
        MessageDecoding decoding(handshake("/feed"));
        QJsonObject event{{QStringLiteral("payload"), QStringLiteral("hello")}};
        for (qsizetype i = 0; i < ConnectionDecoder::recognitionWindow; ++i) {
            QVERIFY(decoding.active());
            const QByteArray payload = "price " + QByteArray::number(i);
            decoding.addTo(event, message(Direction::Incoming, payload.size()), payload);
        }
        QVERIFY(!event.contains(MessageDecoding::field));
        QVERIFY(!decoding.active()); // recognition gave up: nothing more to fetch for it
    }

    void cutPayloadIsNotDecoded()
    {
        MessageDecoding decoding(handshake("/socket.io/?EIO=4&transport=websocket"));
        QCOMPARE(decodeText(decoding, Direction::Incoming, R"(0{"sid":"a","pingInterval":1,"pingTimeout":1})").size(),
                 1);
        // 4 KiB kept of a 100 KiB event: its arguments cannot be read.
        const QByteArray kept = "42[\"big\",\"" + QByteArray(4090, 'x');
        QVERIFY(decoding.decode(message(Direction::Incoming, 100 * 1024), kept).isEmpty());
        QCOMPARE(decodeText(decoding, Direction::Incoming, "2")[0][u"kind"].toString(), QStringLiteral("ping"));
    }

    void forcedProtocolDecodesFromTheFirstMessage()
    {
        MessageDecoding decoding(handshake("/anything"), AppProtocol::Stomp);
        const QJsonArray decoded =
            decodeText(decoding, Direction::Outgoing, QByteArray("SEND\ndestination:/queue/a\n\nhi\0", 29));
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded[0][u"protocol"].toString(), QStringLiteral("stomp"));
        QCOMPARE(decoded[0][u"kind"].toString(), QStringLiteral("SEND"));
        QCOMPARE(decoded[0][u"headers"][u"destination"].toString(), QStringLiteral("/queue/a"));
    }

    void messageOfALog()
    {
        FrameLog log;
        const QByteArray payload = R"({"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1})";
        FrameRecord frame;
        frame.opcode = 0x1;
        frame.flags = FrameRecord::Fin | FrameRecord::Outgoing;
        frame.payloadLength = quint64(payload.size());
        const qsizetype index = log.appendFrame(frame, payload);
        MessageRecord record = message(Direction::Outgoing, payload.size());
        record.firstFrame = record.lastFrame = quint64(index);
        record.frameCount = 1;
        log.appendMessage(record, payload);

        MessageDecoding decoding(handshake("/rpc"));
        QJsonObject event;
        decoding.addTo(event, log, 0);
        const QJsonArray decoded = event.value(MessageDecoding::field).toArray();
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded[0][u"protocol"].toString(), QStringLiteral("jsonrpc"));
        QCOMPARE(decoded[0][u"kind"].toString(), QStringLiteral("request"));
        QCOMPARE(decoded[0][u"correlation"][u"key"].toString(), QStringLiteral("id 1"));
    }
};

QTEST_GUILESS_MAIN(tst_MessageDecoding)
#include "tst_messagedecoding.moc"
