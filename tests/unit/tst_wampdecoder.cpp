// SPDX-License-Identifier: GPL-3.0-or-later
// A transcript of autobahn (the JavaScript WAMP client) against a scripted router, and messages from The WAMP
// Protocol's examples (wamp-proto, Basic Profile): no WAMP router runs here.
#include "AppTranscript.h"
#include "core/appprotocol/WampDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(WampDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text)).first();
}

} // namespace

class tst_WampDecoder : public QObject
{
    Q_OBJECT

private slots:
    // autobahn 26 (the client half: HELLO, SUBSCRIBE, acknowledged PUBLISH, two CALLs, GOODBYE).
    void autobahnTranscript()
    {
        WampDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("wamp-autobahn.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoded.first().first().kind, QStringLiteral("HELLO"));
        QCOMPARE(decoded.first().first().fields.value(QStringLiteral("realm")).toString(), QStringLiteral("realm1"));
        // Every request is answered: SUBSCRIBED, PUBLISHED, RESULT and ERROR each carry their request's key.
        int requests = 0;
        for (const DecodedMessages &list : decoded) {
            const DecodedMessage &message = list.first();
            if (!message.correlation.isRequest())
                continue;
            ++requests;
            QVERIFY2(std::any_of(decoded.begin(), decoded.end(),
                                 [&](const DecodedMessages &other) {
                                     return other.first().correlation == Correlation::reply(message.correlation.key);
                                 }),
                     qPrintable(message.kind));
        }
        QCOMPARE(requests, 4);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("ERROR"))
                     .first()
                     .fields.value(QStringLiteral("error"))
                     .toString(),
                 QStringLiteral("wamp.error.no_such_procedure"));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("GOODBYE")).size(), 2);
    }

    void session()
    {
        WampDecoder decoder;
        const DecodedMessage hello = decodeOne(decoder, Endpoint::Client, R"([1,"somerealm",{"roles":{"caller":{}}}])");
        QVERIFY(hello.isValid());
        QCOMPARE(hello.kind, QStringLiteral("HELLO"));
        QCOMPARE(hello.fields.value(QStringLiteral("realm")).toString(), QStringLiteral("somerealm"));
        QCOMPARE(decodeOne(decoder, Endpoint::Server, R"([2,9129137332,{"roles":{"broker":{}}}])").kind,
                 QStringLiteral("WELCOME"));
        const DecodedMessage call =
            decodeOne(decoder, Endpoint::Client, R"([48,7814135,{},"com.myapp.echo",["Hello, world!"]])");
        QVERIFY(call.isValid());
        QCOMPARE(call.fields.value(QStringLiteral("procedure")).toString(), QStringLiteral("com.myapp.echo"));
        QCOMPARE(call.correlation, Correlation::request(QStringLiteral("request 7814135")));
        const DecodedMessage result = decodeOne(decoder, Endpoint::Server, R"([50,7814135,{},["Hello, world!"]])");
        QCOMPARE(result.kind, QStringLiteral("RESULT"));
        QCOMPARE(result.correlation, Correlation::reply(QStringLiteral("request 7814135")));
        const DecodedMessage error =
            decodeOne(decoder, Endpoint::Server,
                      R"([8,48,7814135,{},"com.myapp.error.object_write_protected",["Object is write protected."]])");
        QVERIFY(error.isValid());
        QCOMPARE(error.correlation, Correlation::reply(QStringLiteral("request 7814135")));
        // An unacknowledged PUBLISH expects no answer.
        QCOMPARE(decodeOne(decoder, Endpoint::Client, R"([16,239714735,{},"com.myapp.mytopic1",["Hello"]])")
                     .correlation.role,
                 Correlation::Role::None);
        QVERIFY(
            decodeOne(decoder, Endpoint::Client, R"([16,239714736,{"acknowledge":true},"t"])").correlation.isRequest());
        QCOMPARE(decodeOne(decoder, Endpoint::Server, R"([36,5512315355,4429313566,{},["Hello, world!"]])").kind,
                 QStringLiteral("EVENT"));
        QCOMPARE(decodeOne(decoder, Endpoint::Client, R"([6,{},"wamp.close.close_realm"])").kind,
                 QStringLiteral("GOODBYE"));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("not json") << QByteArray("[") << QStringLiteral("wamp-not-json");
        QTest::newRow("object") << QByteArray("{}") << QStringLiteral("wamp-not-message");
        QTest::newRow("code string") << QByteArray(R"(["1"])") << QStringLiteral("wamp-not-message");
        QTest::newRow("code 99") << QByteArray("[99]") << QStringLiteral("wamp-unknown-code");
        QTest::newRow("HELLO short") << QByteArray(R"([1,"realm"])") << QStringLiteral("wamp-missing-element");
        QTest::newRow("CALL id zero") << QByteArray(R"([48,0,{},"p"])") << QStringLiteral("wamp-element-type");
        QTest::newRow("CALL id fraction") << QByteArray(R"([48,1.5,{},"p"])") << QStringLiteral("wamp-element-type");
        QTest::newRow("CALL options list") << QByteArray(R"([48,1,[],"p"])") << QStringLiteral("wamp-element-type");
        QTest::newRow("extra element") << QByteArray(R"([17,1,2,3])") << QStringLiteral("wamp-extra-elements");
    }

    void violations()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        WampDecoder decoder;
        const DecodedMessage message = decodeOne(decoder, Endpoint::Client, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_WampDecoder)
#include "tst_wampdecoder.moc"
