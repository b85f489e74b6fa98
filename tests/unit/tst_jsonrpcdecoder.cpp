// SPDX-License-Identifier: GPL-3.0-or-later
// A transcript of rpc-websockets (a JSON-RPC server and client for WebSocket), and the examples of the JSON-RPC 2.0
// specification (jsonrpc.org/specification, §7).
#include "AppTranscript.h"
#include "core/appprotocol/JsonRpcDecoder.h"

#include <QTest>

using namespace wsi;

namespace {

DecodedMessages decode(JsonRpcDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text));
}

} // namespace

class tst_JsonRpcDecoder : public QObject
{
    Q_OBJECT

private slots:
    // rpc-websockets 10: calls, a notification and an error are JSON-RPC 2.0; its server events are not.
    void rpcWebsocketsTranscript()
    {
        JsonRpcDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("jsonrpc-rpc-websockets.jsonl")));
        QCOMPARE(decoded.size(), 8);
        for (qsizetype i = 0; i < 7; ++i)
            QVERIFY2(decoded[i].first().isValid(),
                     qPrintable(decoded[i].first().violation.value_or(DecodeViolation{}).describe()));
        QCOMPARE(decoded[0].first().correlation, Correlation::request(QStringLiteral("id 1")));
        QCOMPARE(decoded[1].first().correlation, Correlation::reply(QStringLiteral("id 1")));
        QCOMPARE(decoded[2].first().kind, QStringLiteral("notification"));
        QCOMPARE(decoded[4].first().kind, QStringLiteral("error"));
        QCOMPARE(decoded[4].first().correlation, Correlation::reply(QStringLiteral("id 2")));
        // {"notification": "prices", "params": ...} has neither "jsonrpc" nor "method".
        QCOMPARE(decoded[7].first().violation.value_or(DecodeViolation{}).rule, QStringLiteral("jsonrpc-version"));
    }

    void specificationExamples()
    {
        JsonRpcDecoder decoder;
        const DecodedMessage request =
            decode(decoder, Endpoint::Client, R"({"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1})")
                .first();
        QVERIFY(request.isValid());
        QCOMPARE(request.kind, QStringLiteral("request"));
        QCOMPARE(request.correlation, Correlation::request(QStringLiteral("id 1")));
        const DecodedMessage result =
            decode(decoder, Endpoint::Server, R"({"jsonrpc":"2.0","result":19,"id":1})").first();
        QCOMPARE(result.kind, QStringLiteral("result"));
        QCOMPARE(result.correlation, Correlation::reply(QStringLiteral("id 1")));
        // A string id "1" is not the number 1.
        QCOMPARE(
            decode(decoder, Endpoint::Client, R"({"jsonrpc":"2.0","method":"a","id":"1"})").first().correlation.key,
            QStringLiteral("id \"1\""));
        const DecodedMessage notification =
            decode(decoder, Endpoint::Client, R"({"jsonrpc":"2.0","method":"update","params":[1,2,3,4,5]})").first();
        QCOMPARE(notification.kind, QStringLiteral("notification"));
        QCOMPARE(notification.correlation.role, Correlation::Role::None);
        const DecodedMessage error =
            decode(decoder, Endpoint::Server,
                   R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"1"})")
                .first();
        QCOMPARE(error.kind, QStringLiteral("error"));
        QVERIFY(error.isValid());
        QCOMPARE(error.correlation, Correlation::reply(QStringLiteral("id \"1\"")));
        const DecodedMessages batch = decode(
            decoder, Endpoint::Client,
            R"([{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method":"notify_hello","params":[7]},1])");
        QCOMPARE(batch.size(), 3);
        QCOMPARE(batch[1].kind, QStringLiteral("notification"));
        QCOMPARE(batch[2].violation->rule, QStringLiteral("jsonrpc-not-object"));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("parse error") << QByteArray(R"({"jsonrpc":"2.0","method":"foobar,"params":"bar","baz])")
                                     << QStringLiteral("jsonrpc-parse-error");
        QTest::newRow("empty batch") << QByteArray("[]") << QStringLiteral("jsonrpc-empty-batch");
        QTest::newRow("version 1") << QByteArray(R"({"jsonrpc":"1.0","method":"a","id":1})")
                                   << QStringLiteral("jsonrpc-version");
        QTest::newRow("method number") << QByteArray(R"({"jsonrpc":"2.0","method":1,"params":"bar"})")
                                       << QStringLiteral("jsonrpc-method");
        QTest::newRow("params string") << QByteArray(R"({"jsonrpc":"2.0","method":"a","params":"bar"})")
                                       << QStringLiteral("jsonrpc-params");
        QTest::newRow("id object") << QByteArray(R"({"jsonrpc":"2.0","method":"a","id":{}})")
                                   << QStringLiteral("jsonrpc-id-type");
        QTest::newRow("result and error")
            << QByteArray(R"({"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"x"},"id":1})")
            << QStringLiteral("jsonrpc-result-or-error");
        QTest::newRow("response without id")
            << QByteArray(R"({"jsonrpc":"2.0","result":1})") << QStringLiteral("jsonrpc-response-id");
        QTest::newRow("error without code") << QByteArray(R"({"jsonrpc":"2.0","error":{"message":"x"},"id":1})")
                                            << QStringLiteral("jsonrpc-error-object");
    }

    void violations()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        JsonRpcDecoder decoder;
        const DecodedMessage message = decode(decoder, Endpoint::Server, text).first();
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_JsonRpcDecoder)
#include "tst_jsonrpcdecoder.moc"
