// SPDX-License-Identifier: GPL-3.0-or-later
// Frames from the SockJS protocol 0.3.3 (sockjs-protocol, sockjs-node lib/transport.js).
#include "AppTranscript.h"
#include "core/appprotocol/SockJsDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(SockJsDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text)).first();
}

} // namespace

class tst_SockJsDecoder : public QObject
{
    Q_OBJECT

private slots:
    void frames()
    {
        SockJsDecoder decoder;
        QCOMPARE(decodeOne(decoder, Endpoint::Server, "o").kind, QStringLiteral("open"));
        QCOMPARE(decodeOne(decoder, Endpoint::Server, "h").kind, QStringLiteral("heartbeat"));
        const DecodedMessage array =
            decodeOne(decoder, Endpoint::Server, R"(a["CONNECTED\nversion:1.2\n\n\u0000","two"])");
        QVERIFY(array.isValid());
        QCOMPARE(array.kind, QStringLiteral("array"));
        QCOMPARE(array.fields.value(QStringLiteral("messages")).toArray().size(), 2);
        QCOMPARE(array.fields.value(QStringLiteral("messages")).toArray().first().toString().left(9),
                 QStringLiteral("CONNECTED"));
        QCOMPARE(decodeOne(decoder, Endpoint::Server, R"(m"one")").fields.value(QStringLiteral("messages")).toArray(),
                 QJsonArray{QStringLiteral("one")});
        const DecodedMessage close = decodeOne(decoder, Endpoint::Server, R"(c[3000,"No response from heartbeat"])");
        QCOMPARE(close.kind, QStringLiteral("close"));
        QCOMPARE(close.fields.value(QStringLiteral("code")).toInt(), 3000);
        QCOMPARE(close.fields.value(QStringLiteral("reason")).toString(), QStringLiteral("No response from heartbeat"));
        const DecodedMessage send = decodeOne(decoder, Endpoint::Client, R"(["hello","world"])");
        QVERIFY(send.isValid());
        QCOMPARE(send.kind, QStringLiteral("send"));
        QVERIFY(decodeOne(decoder, Endpoint::Client, R"("single")").isValid());
    }

    // sockjs-node 0.3.24 echoing, through its SockJS-framed WebSocket transport (record_app_transcripts.js).
    void realSockJsTranscript()
    {
        SockJsDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("sockjs.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoded.first().first().kind, QStringLiteral("open"));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("send")).size(), 3);
        const DecodedMessages arrays = AppTranscript::ofKind(decoded, QStringLiteral("array"));
        QVERIFY(!arrays.isEmpty());
        QCOMPARE(arrays.first().fields.value(QStringLiteral("messages")).toArray(),
                 QJsonArray{QStringLiteral("hello")});
        const DecodedMessage close = decoded.last().first();
        QCOMPARE(close.kind, QStringLiteral("close"));
        QCOMPARE(close.fields.value(QStringLiteral("code")).toInt(), 3000);
        QCOMPARE(close.fields.value(QStringLiteral("reason")).toString(), QStringLiteral("Go away!"));
    }

    void violations_data()
    {
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << false << QByteArray() << QStringLiteral("sockjs-empty-frame");
        QTest::newRow("letter x") << false << QByteArray("x") << QStringLiteral("sockjs-frame-type");
        QTest::newRow("open with data") << false << QByteArray("oo") << QStringLiteral("sockjs-frame-trailing");
        QTest::newRow("array of numbers") << false << QByteArray("a[1]") << QStringLiteral("sockjs-array-frame");
        QTest::newRow("array not json") << false << QByteArray("a[") << QStringLiteral("sockjs-array-frame");
        QTest::newRow("close shape") << false << QByteArray(R"(c["x",3000])") << QStringLiteral("sockjs-close-frame");
        QTest::newRow("m not string") << false << QByteArray("m1") << QStringLiteral("sockjs-message-frame");
        QTest::newRow("client object") << true << QByteArray("{}") << QStringLiteral("sockjs-send-shape");
        QTest::newRow("client not json") << true << QByteArray("hello") << QStringLiteral("sockjs-send-not-json");
    }

    void violations()
    {
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        SockJsDecoder decoder;
        const DecodedMessage message = decodeOne(decoder, fromClient ? Endpoint::Client : Endpoint::Server, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_SockJsDecoder)
#include "tst_sockjsdecoder.moc"
