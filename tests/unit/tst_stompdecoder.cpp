// SPDX-License-Identifier: GPL-3.0-or-later
// Frames written from the STOMP 1.2 specification (stomp-specification-1.2.md), and a transcript of @stomp/stompjs
// against a scripted server: no STOMP broker runs here.
#include "AppTranscript.h"
#include "core/appprotocol/StompDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessages decode(StompDecoder &decoder, Endpoint sender, QByteArray text)
{
    return decoder.decode(AppMessage::text(sender, std::move(text)));
}

QByteArray frame(const char *text)
{
    QByteArray bytes(text);
    bytes.append('\0');
    return bytes;
}

} // namespace

class tst_StompDecoder : public QObject
{
    Q_OBJECT

private slots:
    void conversation()
    {
        StompDecoder decoder;
        const DecodedMessage connect = decode(decoder, Endpoint::Client,
                                              frame("CONNECT\naccept-version:1.2,1.1,1.0\nheart-beat:10000,10000\n"
                                                    "host:/\nlogin:guest\npasscode:guest\n\n"))
                                           .first();
        QVERIFY(connect.isValid());
        QCOMPARE(connect.kind, QStringLiteral("CONNECT"));
        QCOMPARE(connect.fields.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{10000, 10000}));

        const DecodedMessage connected = decode(decoder, Endpoint::Server,
                                                frame("CONNECTED\nserver:RabbitMQ/3.12.1\nsession:session-x\n"
                                                      "heart-beat:10000,10000\nversion:1.2\n\n"))
                                             .first();
        QVERIFY(connected.isValid());
        QCOMPARE(decoder.version(), QStringLiteral("1.2"));
        QCOMPARE(
            connected.fields.value(QStringLiteral("headers")).toObject().value(QStringLiteral("server")).toString(),
            QStringLiteral("RabbitMQ/3.12.1"));

        const DecodedMessage subscribe =
            decode(decoder, Endpoint::Client, frame("SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:77\n\n"))
                .first();
        QCOMPARE(subscribe.correlation, Correlation::request(QStringLiteral("receipt 77")));
        const DecodedMessage receipt = decode(decoder, Endpoint::Server, frame("RECEIPT\nreceipt-id:77\n\n")).first();
        QCOMPARE(receipt.correlation, Correlation::reply(QStringLiteral("receipt 77")));

        // Escaped header values (1.2): \c is a colon, \n a line feed, \\ a backslash.
        const DecodedMessage message = decode(decoder, Endpoint::Server,
                                              frame("MESSAGE\nsubscription:sub-0\nmessage-id:T_sub-0@@1\n"
                                                    "destination:/topic/prices\ncontent-type:application/json\n"
                                                    "x-note:a\\cb\\nc\\\\d\n\n{\"eur\":1.08}"))
                                           .first();
        QVERIFY2(message.isValid(), qPrintable(message.violation ? message.violation->describe() : QString()));
        QCOMPARE(message.fields.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x-note")).toString(),
                 QStringLiteral("a:b\nc\\d"));
        QCOMPARE(message.fields.value(QStringLiteral("body")).toString(), QStringLiteral("{\"eur\":1.08}"));
    }

    // @stomp/stompjs 7.5 (the client half) against a scripted STOMP 1.2 server (record_app_transcripts.js).
    void stompJsTranscript()
    {
        StompDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("stomp-stompjs.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        const DecodedMessage connect = AppTranscript::ofKind(decoded, QStringLiteral("CONNECT")).first();
        QCOMPARE(connect.fields.value(QStringLiteral("headers"))
                     .toObject()
                     .value(QStringLiteral("accept-version"))
                     .toString(),
                 QStringLiteral("1.2,1.1,1.0"));
        QCOMPARE(connect.fields.value(QStringLiteral("heartBeat")).toArray(), (QJsonArray{300, 300}));
        const DecodedMessage subscribe = AppTranscript::ofKind(decoded, QStringLiteral("SUBSCRIBE")).first();
        QCOMPARE(subscribe.correlation, Correlation::request(QStringLiteral("receipt r-sub")));
        const DecodedMessages receipts = AppTranscript::ofKind(decoded, QStringLiteral("RECEIPT"));
        QCOMPARE(receipts.size(), 2);
        QCOMPARE(receipts.first().correlation, Correlation::reply(QStringLiteral("receipt r-sub")));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("DISCONNECT")).first().correlation,
                 Correlation::request(receipts.last().correlation.key));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("SEND"))
                     .first()
                     .fields.value(QStringLiteral("body"))
                     .toString(),
                 QStringLiteral("eur 1.0841"));
        QVERIFY(AppTranscript::ofKind(decoded, QStringLiteral("heart-beat")).size() >= 2);
    }

    void heartBeats()
    {
        StompDecoder decoder;
        for (const char *beat : {"\n", "\r\n", "\n\n"}) {
            const DecodedMessages beats = decode(decoder, Endpoint::Server, beat);
            QCOMPARE(beats.size(), 1);
            QCOMPARE(beats.first().kind, QStringLiteral("heart-beat"));
            QVERIFY(beats.first().isValid());
        }
    }

    void contentLengthBodyMayHoldNull()
    {
        StompDecoder decoder;
        QByteArray bytes("SEND\ndestination:/queue/a\ncontent-length:3\n\n");
        bytes.append(QByteArray("a\0b", 3)).append('\0');
        const DecodedMessage send = decode(decoder, Endpoint::Client, bytes).first();
        QVERIFY(send.isValid());
        QCOMPARE(send.fields.value(QStringLiteral("body")).toString(), QString::fromUtf8("a\0b", 3));
    }

    void severalFramesInOneMessage()
    {
        StompDecoder decoder;
        QByteArray bytes = frame("SEND\ndestination:/a\n\none") + "\n" + frame("SEND\ndestination:/b\n\ntwo") + "\n";
        const DecodedMessages frames = decode(decoder, Endpoint::Client, bytes);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames[1].fields.value(QStringLiteral("body")).toString(), QStringLiteral("two"));
    }

    void repeatedHeaderFirstWins()
    {
        StompDecoder decoder;
        const DecodedMessage send = decode(decoder, Endpoint::Client, frame("SEND\nfoo:World\nfoo:Hello\n\n")).first();
        QCOMPARE(send.fields.value(QStringLiteral("headers")).toObject().value(QStringLiteral("foo")).toString(),
                 QStringLiteral("World"));
        QCOMPARE(send.fields.value(QStringLiteral("headerLines")).toArray().size(), 2);
    }

    void stomp10HasNoEscaping()
    {
        StompDecoder decoder;
        decode(decoder, Endpoint::Server, frame("CONNECTED\nsession:1\n\n"));
        QCOMPARE(decoder.version(), QStringLiteral("1.0"));
        const DecodedMessage message = decode(decoder, Endpoint::Server, frame("MESSAGE\nx:a\\tb\n\n")).first();
        QVERIFY(message.isValid());
        QCOMPARE(message.fields.value(QStringLiteral("headers")).toObject().value(QStringLiteral("x")).toString(),
                 QStringLiteral("a\\tb"));
    }

    void violations_data()
    {
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << false << QByteArray() << QStringLiteral("stomp-empty-message");
        QTest::newRow("unknown command") << false << frame("HELLO\n\n") << QStringLiteral("stomp-unknown-command");
        QTest::newRow("server sends SEND") << false << frame("SEND\n\n") << QStringLiteral("stomp-command-direction");
        QTest::newRow("client sends MESSAGE")
            << true << frame("MESSAGE\n\n") << QStringLiteral("stomp-command-direction");
        QTest::newRow("no NULL") << true << QByteArray("SEND\n\nbody") << QStringLiteral("stomp-frame-not-terminated");
        QTest::newRow("no blank line") << true << QByteArray("SEND\ndestination:/a\n")
                                       << QStringLiteral("stomp-headers-unterminated");
        QTest::newRow("no command EOL") << true << QByteArray("SEND") << QStringLiteral("stomp-command-line");
        QTest::newRow("header without colon")
            << true << frame("SEND\nnocolon\n\n") << QStringLiteral("stomp-header-without-colon");
        QTest::newRow("undefined escape")
            << true << frame("SEND\nx:a\\tb\n\n") << QStringLiteral("stomp-undefined-escape");
        QTest::newRow("trailing backslash")
            << true << frame("SEND\nx:a\\\n\n") << QStringLiteral("stomp-undefined-escape");
        QTest::newRow("content-length too long")
            << true << frame("SEND\ncontent-length:10\n\nab") << QStringLiteral("stomp-content-length");
        QTest::newRow("content-length text")
            << true << frame("SEND\ncontent-length:x\n\n") << QStringLiteral("stomp-content-length");
        QTest::newRow("heart-beat bad") << true << frame("CONNECT\nheart-beat:10000\n\n")
                                        << QStringLiteral("stomp-heart-beat-header");
    }

    void violations()
    {
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, rule);
        StompDecoder decoder;
        const DecodedMessages frames = decode(decoder, fromClient ? Endpoint::Client : Endpoint::Server, bytes);
        QVERIFY(!frames.isEmpty());
        QVERIFY(frames.last().violation.has_value());
        QCOMPARE(frames.last().violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_StompDecoder)
#include "tst_stompdecoder.moc"
