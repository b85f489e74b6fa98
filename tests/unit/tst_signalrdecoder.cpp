// SPDX-License-Identifier: GPL-3.0-or-later
// A transcript of @microsoft/signalr against a scripted hub, and records from the SignalR JSON hub protocol
// specification (aspnetcore src/SignalR/docs/specs/HubProtocol.md): no ASP.NET Core server runs here.
#include "AppTranscript.h"
#include "core/appprotocol/SignalRDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessages decode(SignalRDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text));
}

} // namespace

class tst_SignalRDecoder : public QObject
{
    Q_OBJECT

private slots:
    void conversation()
    {
        SignalRDecoder decoder;
        QCOMPARE(decode(decoder, Endpoint::Client, "{\"protocol\":\"json\",\"version\":1}\x1e").first().kind,
                 QStringLiteral("HandshakeRequest"));
        QCOMPARE(decode(decoder, Endpoint::Server, "{}\x1e").first().kind, QStringLiteral("HandshakeResponse"));
        const DecodedMessage invocation =
            decode(decoder, Endpoint::Client,
                   "{\"type\":1,\"invocationId\":\"123\",\"target\":\"Send\",\"arguments\":[42,\"Test Message\"]}\x1e")
                .first();
        QVERIFY(invocation.isValid());
        QCOMPARE(invocation.kind, QStringLiteral("Invocation"));
        QCOMPARE(invocation.fields.value(QStringLiteral("arguments")).toArray().size(), 2);
        QCOMPARE(invocation.correlation, Correlation::request(QStringLiteral("invocation 123")));
        // Two records in one message: a ping and the completion.
        const DecodedMessages two = decode(decoder, Endpoint::Server,
                                           "{\"type\":6}\x1e{\"type\":3,\"invocationId\":\"123\",\"result\":42}\x1e");
        QCOMPARE(two.size(), 2);
        QCOMPARE(two[0].kind, QStringLiteral("Ping"));
        QCOMPARE(two[1].kind, QStringLiteral("Completion"));
        QCOMPARE(two[1].correlation, Correlation::reply(QStringLiteral("invocation 123")));
        const DecodedMessage close =
            decode(decoder, Endpoint::Server,
                   "{\"type\":7,\"error\":\"Connection closed with an error.\",\"allowReconnect\":true}\x1e")
                .first();
        QCOMPARE(close.kind, QStringLiteral("Close"));
        QVERIFY(close.fields.value(QStringLiteral("allowReconnect")).toBool());
        // A non-blocking invocation has no id and pairs with nothing.
        const DecodedMessage fireAndForget =
            decode(decoder, Endpoint::Client, "{\"type\":1,\"target\":\"Send\",\"arguments\":[]}\x1e").first();
        QVERIFY(fireAndForget.isValid());
        QVERIFY(!fireAndForget.correlation.isRequest());
    }

    // @microsoft/signalr 10 (the client half: handshake, keep-alive pings, invocations, close) against a scripted hub.
    void signalRJsTranscript()
    {
        SignalRDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("signalr-json.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoded.first().first().kind, QStringLiteral("HandshakeRequest"));
        QCOMPARE(decoded.first().first().fields.value(QStringLiteral("protocol")).toString(), QStringLiteral("json"));
        const DecodedMessages invocations = AppTranscript::ofKind(decoded, QStringLiteral("Invocation"));
        QCOMPARE(invocations.size(), 3); // the hub's notify, the client's Add (with an id) and Log (without)
        const auto add = std::find_if(invocations.begin(), invocations.end(), [](const DecodedMessage &m) {
            return m.fields.value(QStringLiteral("target")).toString() == QLatin1String("Add");
        });
        QVERIFY(add != invocations.end());
        QVERIFY(add->correlation.isRequest());
        const DecodedMessage completion = AppTranscript::ofKind(decoded, QStringLiteral("Completion")).first();
        QCOMPARE(completion.correlation, Correlation::reply(add->correlation.key));
        QCOMPARE(completion.fields.value(QStringLiteral("result")).toInt(), 3);
        QVERIFY(AppTranscript::ofKind(decoded, QStringLiteral("Ping")).size() >= 2);
        QCOMPARE(decoded.last().first().kind, QStringLiteral("Close"));
    }

    void handshakeErrorResponse()
    {
        SignalRDecoder decoder;
        const DecodedMessage response =
            decode(decoder, Endpoint::Server, "{\"error\":\"Requested protocol 'messagepack' is not available.\"}\x1e")
                .first();
        QCOMPARE(response.kind, QStringLiteral("HandshakeResponse"));
        QVERIFY(response.fields.contains(QStringLiteral("error")));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("no separator") << QByteArray("{\"type\":6}") << QStringLiteral("signalr-record-separator");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("signalr-record-separator");
        QTest::newRow("not json") << QByteArray("{\x1e") << QStringLiteral("signalr-not-json");
        QTest::newRow("type 12") << QByteArray("{\"type\":12}\x1e") << QStringLiteral("signalr-unknown-type");
        QTest::newRow("invocation without target")
            << QByteArray("{\"type\":1,\"arguments\":[]}\x1e") << QStringLiteral("signalr-invocation-fields");
        QTest::newRow("completion without id")
            << QByteArray("{\"type\":3}\x1e") << QStringLiteral("signalr-invocation-id");
        QTest::newRow("result and error")
            << QByteArray("{\"type\":3,\"invocationId\":\"1\",\"result\":1,\"error\":\"x\"}\x1e")
            << QStringLiteral("signalr-completion-result-and-error");
        QTest::newRow("no type after handshake")
            << QByteArray("{\"type\":6}\x1e{}\x1e") << QStringLiteral("signalr-type-missing");
    }

    void violations()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        SignalRDecoder decoder;
        const DecodedMessage last = decode(decoder, Endpoint::Server, text).last();
        QVERIFY(last.violation.has_value());
        QCOMPARE(last.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_SignalRDecoder)
#include "tst_signalrdecoder.moc"
