// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppTranscript.h"
#include "core/appprotocol/GraphqlWsDecoder.h"

#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(GraphqlWsDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text)).first();
}

} // namespace

class tst_GraphqlWsDecoder : public QObject
{
    Q_OBJECT

private slots:
    // graphql-ws 6.4 server (use/ws) and client, keepAlive 200 ms.
    void realGraphqlWsTranscript()
    {
        GraphqlWsDecoder decoder(AppProtocol::GraphqlTransportWs);
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("graphql-transport-ws.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoded.first().first().kind, QStringLiteral("connection_init"));
        QCOMPARE(decoded[1].first().kind, QStringLiteral("connection_ack"));
        const DecodedMessages subscribes = AppTranscript::ofKind(decoded, QStringLiteral("subscribe"));
        QCOMPARE(subscribes.size(), 3);
        QCOMPARE(subscribes[1].fields.value(QStringLiteral("operationName")).toString(), QStringLiteral("Count"));
        const DecodedMessages nexts = AppTranscript::ofKind(decoded, QStringLiteral("next"));
        QCOMPARE(nexts.size(), 4);
        // The countdown's three results answer the second subscribe.
        QCOMPARE(std::count_if(nexts.begin(), nexts.end(),
                               [&](const DecodedMessage &m) {
                                   return m.correlation == Correlation::reply(subscribes[1].correlation.key);
                               }),
                 3);
        QVERIFY(subscribes[1].correlation.isRequest());
        const DecodedMessages errors = AppTranscript::ofKind(decoded, QStringLiteral("error"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().correlation, Correlation::reply(subscribes[2].correlation.key));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("ping")).size(), 1);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("pong")).size(), 1);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("complete")).size(), 2);
    }

    // subscriptions-transport-ws 0.11 server (keepAlive 200 ms) and client: the legacy graphql-ws subprotocol.
    void realLegacyTranscript()
    {
        GraphqlWsDecoder decoder(AppProtocol::GraphqlWs);
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("graphql-ws-legacy.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        const DecodedMessages starts = AppTranscript::ofKind(decoded, QStringLiteral("start"));
        QCOMPARE(starts.size(), 3);
        const DecodedMessages data = AppTranscript::ofKind(decoded, QStringLiteral("data"));
        QCOMPARE(std::count_if(data.begin(), data.end(),
                               [&](const DecodedMessage &m) {
                                   return m.correlation == Correlation::reply(starts[1].correlation.key);
                               }),
                 3);
        // Each operation ends with the server's complete, paired with its start.
        const DecodedMessages completes = AppTranscript::ofKind(decoded, QStringLiteral("complete"));
        QCOMPARE(completes.size(), 3);
        QCOMPARE(completes.last().correlation, Correlation::reply(starts.last().correlation.key));
        QVERIFY(AppTranscript::ofKind(decoded, QStringLiteral("ka")).size() >= 2);
        QCOMPARE(decoded.last().first().kind, QStringLiteral("connection_terminate"));
        // The same messages are not graphql-transport-ws.
        GraphqlWsDecoder other(AppProtocol::GraphqlTransportWs);
        const QList<DecodedMessages> misread =
            AppTranscript::decodeAll(other, AppTranscript::load(QStringLiteral("graphql-ws-legacy.jsonl")));
        QVERIFY(AppTranscript::violations(misread).contains(QLatin1String("graphql-unknown-type")));
    }

    void legacyProtocol()
    {
        GraphqlWsDecoder decoder(AppProtocol::GraphqlWs);
        QVERIFY(decodeOne(decoder, Endpoint::Client, R"({"type":"connection_init","payload":{}})").isValid());
        QCOMPARE(decodeOne(decoder, Endpoint::Server, R"({"type":"ka"})").kind, QStringLiteral("ka"));
        const DecodedMessage start = decodeOne(decoder, Endpoint::Client,
                                               R"({"id":"1","type":"start","payload":{"query":"subscription { t }"}})");
        QVERIFY(start.isValid());
        QCOMPARE(start.correlation, Correlation::request(QStringLiteral("operation 1")));
        QCOMPARE(
            decodeOne(decoder, Endpoint::Server, R"({"id":"1","type":"data","payload":{"data":{"t":1}}})").correlation,
            Correlation::reply(QStringLiteral("operation 1")));
        QVERIFY(decodeOne(decoder, Endpoint::Client, R"({"id":"1","type":"stop"})").isValid());
        // "subscribe" is graphql-transport-ws's, not the legacy protocol's.
        QCOMPARE(decodeOne(decoder, Endpoint::Client, R"({"id":"2","type":"subscribe","payload":{"query":"{a}"}})")
                     .violation->rule,
                 QStringLiteral("graphql-unknown-type"));
    }

    void violations_data()
    {
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("not json") << true << QByteArray("{") << QStringLiteral("graphql-not-json");
        QTest::newRow("array") << true << QByteArray("[]") << QStringLiteral("graphql-not-object");
        QTest::newRow("no type") << true << QByteArray("{}") << QStringLiteral("graphql-type-missing");
        QTest::newRow("unknown type") << true << QByteArray(R"({"type":"start"})")
                                      << QStringLiteral("graphql-unknown-type");
        QTest::newRow("server subscribes")
            << false << QByteArray(R"({"type":"subscribe","id":"1","payload":{"query":"{a}"}})")
            << QStringLiteral("graphql-message-direction");
        QTest::newRow("client acks") << true << QByteArray(R"({"type":"connection_ack"})")
                                     << QStringLiteral("graphql-message-direction");
        QTest::newRow("subscribe without id") << true << QByteArray(R"({"type":"subscribe","payload":{"query":"{a}"}})")
                                              << QStringLiteral("graphql-id-missing");
        QTest::newRow("subscribe without payload")
            << true << QByteArray(R"({"type":"subscribe","id":"1"})") << QStringLiteral("graphql-payload");
        QTest::newRow("subscribe without query") << true << QByteArray(R"({"type":"subscribe","id":"1","payload":{}})")
                                                 << QStringLiteral("graphql-query-missing");
        QTest::newRow("error not array") << false << QByteArray(R"({"type":"error","id":"1","payload":{}})")
                                         << QStringLiteral("graphql-payload");
    }

    void violations()
    {
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        GraphqlWsDecoder decoder(AppProtocol::GraphqlTransportWs);
        const DecodedMessage message = decodeOne(decoder, fromClient ? Endpoint::Client : Endpoint::Server, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_GraphqlWsDecoder)
#include "tst_graphqlwsdecoder.moc"
