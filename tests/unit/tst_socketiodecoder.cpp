// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppTranscript.h"
#include "core/appprotocol/SocketIoDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(SocketIoDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    const DecodedMessages list = decoder.decode(AppMessage::text(sender, text));
    return list.size() == 1 ? list.first() : DecodedMessage{};
}

} // namespace

class tst_SocketIoDecoder : public QObject
{
    Q_OBJECT

private slots:
    // socket.io 4.8 server and socket.io-client 4.8 (record_app_transcripts.js): pingInterval 300, pingTimeout 200.
    void realSocketIo4Transcript()
    {
        const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("socketio4.jsonl"));
        SocketIoDecoder decoder(4);
        const QList<DecodedMessages> decoded = AppTranscript::decodeAll(decoder, messages);
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        for (const DecodedMessages &list : decoded)
            QCOMPARE(list.size(), 1);

        const DecodedMessage open = decoded.first().first();
        QCOMPARE(open.kind, QStringLiteral("open"));
        QCOMPARE(open.fields.value(QStringLiteral("pingInterval")).toInt(), 300);
        QCOMPARE(open.fields.value(QStringLiteral("pingTimeout")).toInt(), 200);
        QVERIFY(!open.fields.value(QStringLiteral("sid")).toString().isEmpty());

        const DecodedMessages connects = AppTranscript::ofKind(decoded, QStringLiteral("CONNECT"));
        QCOMPARE(connects.size(), 4); // "/" and "/admin", each asked and answered
        QCOMPARE(connects[2].fields.value(QStringLiteral("namespace")).toString(), QStringLiteral("/admin"));

        const DecodedMessages events = AppTranscript::ofKind(decoded, QStringLiteral("EVENT"));
        QVERIFY(events.size() >= 4);
        const DecodedMessage &hello = events.first();
        QCOMPARE(hello.fields.value(QStringLiteral("event")).toString(), QStringLiteral("chat"));
        QCOMPARE(hello.fields.value(QStringLiteral("args")).toArray(), QJsonArray{QStringLiteral("hello")});
        QCOMPARE(hello.fields.value(QStringLiteral("ackId")).toInt(), 0);
        QCOMPARE(hello.correlation, Correlation::request(QStringLiteral("ack / 0")));

        const DecodedMessages acks = AppTranscript::ofKind(decoded, QStringLiteral("ACK"));
        QCOMPARE(acks.size(), 2);
        QCOMPARE(acks[0].correlation, Correlation::reply(QStringLiteral("ack / 0")));
        QCOMPARE(acks[0]
                     .fields.value(QStringLiteral("args"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("length"))
                     .toInt(),
                 5);
        QCOMPARE(acks[1].correlation, Correlation::reply(QStringLiteral("ack / 1")));

        const DecodedMessages binaryEvents = AppTranscript::ofKind(decoded, QStringLiteral("BINARY_EVENT"));
        QCOMPARE(binaryEvents.size(), 1);
        QCOMPARE(binaryEvents[0].fields.value(QStringLiteral("attachments")).toInt(), 1);
        QCOMPARE(binaryEvents[0].fields.value(QStringLiteral("event")).toString(), QStringLiteral("upload"));
        const DecodedMessages attachments = AppTranscript::ofKind(decoded, QStringLiteral("attachment"));
        QCOMPARE(attachments.size(), 1);
        QCOMPARE(attachments[0].fields.value(QStringLiteral("placeholder")).toInt(), 0);
        QCOMPARE(attachments[0].fields.value(QStringLiteral("event")).toString(), QStringLiteral("upload"));
        QCOMPARE(attachments[0].fields.value(QStringLiteral("size")).toInt(), 6);

        const DecodedMessages status = AppTranscript::ofKind(decoded, QStringLiteral("EVENT"));
        QVERIFY(std::any_of(status.begin(), status.end(), [](const DecodedMessage &m) {
            return m.fields.value(QStringLiteral("namespace")).toString() == QLatin1String("/admin") &&
                   m.fields.value(QStringLiteral("event")).toString() == QLatin1String("status");
        }));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("ping")).size(), 2);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("pong")).size(), 2);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("DISCONNECT")).size(), 2);
        QCOMPARE(open.toJson().value(QStringLiteral("protocol")).toString(), QStringLiteral("socket.io"));
    }

    // socket.io-client 2.5 (Engine.IO 3) against socket.io 4.8 with allowEIO3: the client pings, binary data carries
    // Engine.IO 3's type byte.
    void realEngineIo3Transcript()
    {
        SocketIoDecoder decoder(3);
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("socketio2-eio3.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoded.first().first().fields.value(QStringLiteral("pingInterval")).toInt(), 300);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("ping")).size(), 2);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("pong")).size(), 2);
        const DecodedMessage attachment = AppTranscript::ofKind(decoded, QStringLiteral("attachment")).first();
        QCOMPARE(attachment.fields.value(QStringLiteral("size")).toInt(), 3);
        QCOMPARE(attachment.fields.value(QStringLiteral("event")).toString(), QStringLiteral("upload"));
        const DecodedMessages acks = AppTranscript::ofKind(decoded, QStringLiteral("ACK"));
        QCOMPARE(acks.size(), 2);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("BINARY_EVENT")).first().correlation,
                 Correlation::request(QStringLiteral("ack / 1")));
        QCOMPARE(acks[1].correlation, Correlation::reply(QStringLiteral("ack / 1")));
        // The same bytes read as Engine.IO 4 break its heartbeat direction: the version matters.
        SocketIoDecoder wrongVersion(4);
        const QList<DecodedMessages> misread =
            AppTranscript::decodeAll(wrongVersion, AppTranscript::load(QStringLiteral("socketio2-eio3.jsonl")));
        QVERIFY(AppTranscript::violations(misread).contains(QLatin1String("engineio-heartbeat-direction")));
    }

    void violations_data()
    {
        QTest::addColumn<int>("engineIo");
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");

        QTest::newRow("empty") << 4 << false << QByteArray() << QStringLiteral("engineio-packet-type");
        QTest::newRow("type 7") << 4 << false << QByteArray("7") << QStringLiteral("engineio-packet-type");
        QTest::newRow("letter") << 4 << false << QByteArray("x") << QStringLiteral("engineio-packet-type");
        QTest::newRow("open not json") << 4 << false << QByteArray("0{") << QStringLiteral("engineio-open-not-object");
        QTest::newRow("open without sid") << 4 << false << QByteArray("0{\"pingInterval\":1,\"pingTimeout\":1}")
                                          << QStringLiteral("engineio-open-field-missing");
        QTest::newRow("client pings in EIO 4")
            << 4 << true << QByteArray("2") << QStringLiteral("engineio-heartbeat-direction");
        QTest::newRow("server pongs in EIO 4")
            << 4 << false << QByteArray("3") << QStringLiteral("engineio-heartbeat-direction");
        QTest::newRow("server pings in EIO 3")
            << 3 << false << QByteArray("2") << QStringLiteral("engineio-heartbeat-direction");
        QTest::newRow("socket.io type 9") << 4 << false << QByteArray("49") << QStringLiteral("socketio-packet-type");
        QTest::newRow("empty message packet")
            << 4 << false << QByteArray("4") << QStringLiteral("socketio-packet-type");
        QTest::newRow("event without payload")
            << 4 << false << QByteArray("42") << QStringLiteral("socketio-event-payload");
        QTest::newRow("event object") << 4 << false << QByteArray("42{}") << QStringLiteral("socketio-event-payload");
        QTest::newRow("event name not string")
            << 4 << false << QByteArray("42[1]") << QStringLiteral("socketio-event-payload");
        QTest::newRow("event bad json") << 4 << false << QByteArray("42[\"a\",")
                                        << QStringLiteral("socketio-payload-not-json");
        QTest::newRow("ack without id") << 4 << false << QByteArray("43[]")
                                        << QStringLiteral("socketio-ack-without-id");
        QTest::newRow("ack not array") << 4 << false << QByteArray("431{}") << QStringLiteral("socketio-ack-payload");
        QTest::newRow("connect payload array")
            << 4 << false << QByteArray("40[]") << QStringLiteral("socketio-connect-payload");
        QTest::newRow("binary without count")
            << 4 << false << QByteArray("45[\"a\"]") << QStringLiteral("socketio-attachment-count");
        QTest::newRow("too many attachments")
            << 4 << false << QByteArray("451001-[\"a\"]") << QStringLiteral("socketio-attachment-count");
        QTest::newRow("placeholder count") << 4 << false << QByteArray("452-[\"a\",{\"_placeholder\":true,\"num\":0}]")
                                           << QStringLiteral("socketio-placeholder-count");
    }

    void violations()
    {
        QFETCH(int, engineIo);
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        SocketIoDecoder decoder(engineIo);
        const DecodedMessage message = decodeOne(decoder, fromClient ? Endpoint::Client : Endpoint::Server, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
        QVERIFY(!message.violation->detail.isEmpty());
    }

    void engineIo3HeartbeatAndBinary()
    {
        SocketIoDecoder decoder(3);
        QVERIFY(decodeOne(decoder, Endpoint::Client, "2").isValid());
        QVERIFY(decodeOne(decoder, Endpoint::Server, "3").isValid());
        QCOMPARE(decodeOne(decoder, Endpoint::Server, "40").kind, QStringLiteral("CONNECT"));
        QCOMPARE(decodeOne(decoder, Endpoint::Server, "44\"not allowed\"").kind, QStringLiteral("ERROR"));
        const DecodedMessage event =
            decodeOne(decoder, Endpoint::Server, "451-/chat,[\"file\",{\"_placeholder\":true,\"num\":0}]");
        QVERIFY(event.isValid());
        QCOMPARE(event.fields.value(QStringLiteral("namespace")).toString(), QStringLiteral("/chat"));
        // Engine.IO 3 prefixes binary data with the packet type byte 4.
        const DecodedMessages attachment =
            decoder.decode(AppMessage::bytes(Endpoint::Server, QByteArray("\x04\xff\x00", 3)));
        QCOMPARE(attachment.first().kind, QStringLiteral("attachment"));
        QCOMPARE(attachment.first().fields.value(QStringLiteral("size")).toInt(), 2);
        const DecodedMessages plain = decoder.decode(AppMessage::bytes(Endpoint::Server, QByteArray("\x05", 1)));
        QCOMPARE(plain.first().violation->rule, QStringLiteral("engineio-binary-type"));
    }

    void attachmentsArePerSenderAndInterruptedByText()
    {
        SocketIoDecoder decoder;
        QVERIFY(decodeOne(decoder, Endpoint::Client,
                          "452-[\"two\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")
                    .isValid());
        // The server's binary message is its own, not the client's attachment.
        QCOMPARE(decoder.decode(AppMessage::bytes(Endpoint::Server, "x")).first().kind, QStringLiteral("message"));
        const DecodedMessage first = decoder.decode(AppMessage::bytes(Endpoint::Client, "a")).first();
        QCOMPARE(first.kind, QStringLiteral("attachment"));
        QCOMPARE(first.fields.value(QStringLiteral("of")).toInt(), 2);
        const DecodedMessage cut = decodeOne(decoder, Endpoint::Client, "42[\"next\"]");
        QCOMPARE(cut.kind, QStringLiteral("EVENT"));
        QCOMPARE(cut.violation->rule, QStringLiteral("socketio-missing-attachments"));
        // After the cut, binary messages are plain again.
        QCOMPARE(decoder.decode(AppMessage::bytes(Endpoint::Client, "b")).first().kind, QStringLiteral("message"));
    }

    void upgradeProbe()
    {
        SocketIoDecoder decoder;
        const DecodedMessage probe = decodeOne(decoder, Endpoint::Client, "2probe");
        QVERIFY(probe.isValid());
        QCOMPARE(probe.fields.value(QStringLiteral("data")).toString(), QStringLiteral("probe"));
        QCOMPARE(decodeOne(decoder, Endpoint::Client, "5").kind, QStringLiteral("upgrade"));
    }
};

QTEST_GUILESS_MAIN(tst_SocketIoDecoder)
#include "tst_socketiodecoder.moc"
