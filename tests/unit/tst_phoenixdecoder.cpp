// SPDX-License-Identifier: GPL-3.0-or-later
// A transcript of the phoenix JavaScript client against a scripted server, and messages in the shapes phoenix.js's
// serializer writes (phoenix assets/js/phoenix/serializer.js, socket.js): no Phoenix server runs here.
#include "AppTranscript.h"
#include "core/appprotocol/PhoenixDecoder.h"

#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(PhoenixDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text)).first();
}

} // namespace

class tst_PhoenixDecoder : public QObject
{
    Q_OBJECT

private slots:
    // The phoenix 1.8 JavaScript client (the client half: join, push, heartbeats, leave) against a scripted server.
    void phoenixJsTranscript()
    {
        PhoenixDecoder decoder;
        const QList<AppMessage> messages = AppTranscript::load(QStringLiteral("phoenix-v2.jsonl"));
        const QList<DecodedMessages> decoded = AppTranscript::decodeAll(decoder, messages);
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        const DecodedMessages heartbeats = AppTranscript::ofKind(decoded, QStringLiteral("heartbeat"));
        QVERIFY(heartbeats.size() >= 1);
        QCOMPARE(heartbeats.first().fields.value(QStringLiteral("topic")).toString(), QStringLiteral("phoenix"));
        QCOMPARE(heartbeats.first().fields.value(QStringLiteral("serializer")).toString(), QStringLiteral("2.0.0"));
        // Every client push with a ref gets its phx_reply.
        for (const DecodedMessages &list : decoded) {
            const DecodedMessage &message = list.first();
            if (!message.correlation.isRequest())
                continue;
            const auto replies = std::count_if(decoded.begin(), decoded.end(), [&](const DecodedMessages &other) {
                return other.first().correlation == Correlation::reply(message.correlation.key);
            });
            QCOMPARE(replies, 1);
        }
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("phx_join"))
                     .first()
                     .fields.value(QStringLiteral("joinRef"))
                     .toString(),
                 QStringLiteral("3"));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("phx_leave")).size(), 1);
        // The binary push of an ArrayBuffer, the binary reply and the binary broadcast.
        const DecodedMessages uploads = AppTranscript::ofKind(decoded, QStringLiteral("upload"));
        QCOMPARE(uploads.size(), 2); // the push and the broadcast
        QVERIFY(uploads[0].fields.value(QStringLiteral("binary")).toBool());
        QCOMPARE(uploads[0].fields.value(QStringLiteral("topic")).toString(), QStringLiteral("room:lobby"));
        QCOMPARE(
            uploads[0].fields.value(QStringLiteral("payload")).toObject().value(QStringLiteral("base64")).toString(),
            QStringLiteral("AQID/g=="));
        QVERIFY(uploads[0].correlation.isRequest());
        QCOMPARE(uploads[1].correlation.role, Correlation::Role::None);
        const auto binaryReply = std::find_if(decoded.begin(), decoded.end(), [&](const DecodedMessages &list) {
            return list.first().fields.value(QStringLiteral("binary")).toBool() &&
                   list.first().kind == QLatin1String("phx_reply");
        });
        QVERIFY(binaryReply != decoded.end());
        QCOMPARE(binaryReply->first().correlation, Correlation::reply(uploads[0].correlation.key));
        QCOMPARE(binaryReply->first().fields.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }

    void version2Arrays()
    {
        PhoenixDecoder decoder;
        const DecodedMessage join = decodeOne(decoder, Endpoint::Client, R"(["3","3","room:lobby","phx_join",{}])");
        QVERIFY(join.isValid());
        QCOMPARE(join.kind, QStringLiteral("phx_join"));
        QCOMPARE(join.fields.value(QStringLiteral("topic")).toString(), QStringLiteral("room:lobby"));
        QCOMPARE(join.correlation, Correlation::request(QStringLiteral("ref 3")));
        const DecodedMessage reply =
            decodeOne(decoder, Endpoint::Server, R"(["3","3","room:lobby","phx_reply",{"status":"ok","response":{}}])");
        QCOMPARE(reply.correlation, Correlation::reply(QStringLiteral("ref 3")));
        QCOMPARE(reply.fields.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        const DecodedMessage heartbeat = decodeOne(decoder, Endpoint::Client, R"([null,"4","phoenix","heartbeat",{}])");
        QCOMPARE(heartbeat.kind, QStringLiteral("heartbeat"));
        QVERIFY(!heartbeat.fields.contains(QStringLiteral("joinRef")));
        const DecodedMessage broadcast =
            decodeOne(decoder, Endpoint::Server, R"([null,null,"room:lobby","new_msg",{"body":"hi"}])");
        QVERIFY(broadcast.isValid());
        QCOMPARE(broadcast.correlation.role, Correlation::Role::None);
    }

    void version1Objects()
    {
        PhoenixDecoder decoder;
        const DecodedMessage heartbeat =
            decodeOne(decoder, Endpoint::Client, R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":7})");
        QVERIFY(heartbeat.isValid());
        QCOMPARE(heartbeat.fields.value(QStringLiteral("serializer")).toString(), QStringLiteral("1.0.0"));
        QCOMPARE(heartbeat.correlation, Correlation::request(QStringLiteral("ref 7")));
        QCOMPARE(decodeOne(decoder, Endpoint::Server,
                           R"({"topic":"phoenix","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":7})")
                     .correlation,
                 Correlation::reply(QStringLiteral("ref 7")));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("not json") << QByteArray("[") << QStringLiteral("phoenix-not-json");
        QTest::newRow("four elements") << QByteArray(R"([null,"1","t","e"])") << QStringLiteral("phoenix-v2-shape");
        QTest::newRow("topic number") << QByteArray(R"([null,"1",5,"e",{}])") << QStringLiteral("phoenix-topic-event");
        QTest::newRow("empty event") << QByteArray("[null,\"1\",\"t\",\"\",{}]")
                                     << QStringLiteral("phoenix-topic-event");
        QTest::newRow("ref object") << QByteArray(R"([null,{},"t","e",{}])") << QStringLiteral("phoenix-ref");
        QTest::newRow("reply without status")
            << QByteArray(R"([null,"1","t","phx_reply",{}])") << QStringLiteral("phoenix-reply-status");
    }

    void violations()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        PhoenixDecoder decoder;
        const DecodedMessage message = decodeOne(decoder, Endpoint::Server, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
        QCOMPARE(decoder.decode(AppMessage::bytes(Endpoint::Server, "\x07")).first().violation->rule,
                 QStringLiteral("phoenix-binary-frame"));
        QCOMPARE(decoder.decode(AppMessage::bytes(Endpoint::Server, QByteArray::fromHex("0209016162")))
                     .first()
                     .violation->rule,
                 QStringLiteral("phoenix-binary-frame"));
    }
};

QTEST_GUILESS_MAIN(tst_PhoenixDecoder)
#include "tst_phoenixdecoder.moc"
