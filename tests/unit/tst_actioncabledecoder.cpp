// SPDX-License-Identifier: GPL-3.0-or-later
// A transcript of @rails/actioncable against a scripted server, and messages in the shapes Rails Action Cable's
// server sends (actioncable/lib/action_cable/connection/base.rb, subscriptions.rb): no Rails server runs here.
#include "AppTranscript.h"
#include "core/appprotocol/ActionCableDecoder.h"

#include <QTest>

using namespace wsi;

namespace {

DecodedMessage decodeOne(ActionCableDecoder &decoder, Endpoint sender, const QByteArray &text)
{
    return decoder.decode(AppMessage::text(sender, text)).first();
}

} // namespace

class tst_ActionCableDecoder : public QObject
{
    Q_OBJECT

private slots:
    // @rails/actioncable 8.1 (the client half: subscribe, perform, unsubscribe) against a scripted server.
    void actionCableJsTranscript()
    {
        ActionCableDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("actioncable.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        const DecodedMessage subscribe = AppTranscript::ofKind(decoded, QStringLiteral("subscribe")).first();
        QCOMPARE(subscribe.fields.value(QStringLiteral("channel")).toString(), QStringLiteral("ChatChannel"));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("confirm_subscription")).first().correlation,
                 Correlation::reply(subscribe.correlation.key));
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("message")).size(), 2); // the perform and its broadcast
        QVERIFY(AppTranscript::ofKind(decoded, QStringLiteral("ping")).size() >= 1);
        QCOMPARE(AppTranscript::ofKind(decoded, QStringLiteral("unsubscribe")).size(), 1);
    }

    void conversation()
    {
        ActionCableDecoder decoder;
        QCOMPARE(decodeOne(decoder, Endpoint::Server, "{\"type\":\"welcome\"}").kind, QStringLiteral("welcome"));
        const QByteArray identifier = "{\\\"channel\\\":\\\"ChatChannel\\\",\\\"room\\\":\\\"1\\\"}";
        const DecodedMessage subscribe =
            decodeOne(decoder, Endpoint::Client, "{\"command\":\"subscribe\",\"identifier\":\"" + identifier + "\"}");
        QVERIFY(subscribe.isValid());
        QCOMPARE(subscribe.kind, QStringLiteral("subscribe"));
        QCOMPARE(subscribe.fields.value(QStringLiteral("channel")).toString(), QStringLiteral("ChatChannel"));
        QVERIFY(subscribe.correlation.isRequest());
        const DecodedMessage confirm = decodeOne(
            decoder, Endpoint::Server, "{\"identifier\":\"" + identifier + "\",\"type\":\"confirm_subscription\"}");
        QCOMPARE(confirm.correlation, Correlation::reply(subscribe.correlation.key));
        const DecodedMessage ping = decodeOne(decoder, Endpoint::Server, "{\"type\":\"ping\",\"message\":1733580000}");
        QVERIFY(ping.isValid());
        QCOMPARE(ping.kind, QStringLiteral("ping"));
        const DecodedMessage broadcast = decodeOne(
            decoder, Endpoint::Server, "{\"identifier\":\"" + identifier + "\",\"message\":{\"body\":\"hi\"}}");
        QCOMPARE(broadcast.kind, QStringLiteral("message"));
        QVERIFY(broadcast.isValid());
        QVERIFY(decodeOne(decoder, Endpoint::Client,
                          "{\"command\":\"message\",\"identifier\":\"" + identifier +
                              "\",\"data\":\"{\\\"action\\\":\\\"speak\\\"}\"}")
                    .isValid());
        QCOMPARE(decodeOne(decoder, Endpoint::Server,
                           "{\"type\":\"disconnect\",\"reason\":\"server_restart\",\"reconnect\":true}")
                     .kind,
                 QStringLiteral("disconnect"));
    }

    void violations_data()
    {
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("rule");
        QTest::newRow("not json") << false << QByteArray("x") << QStringLiteral("actioncable-not-json");
        QTest::newRow("array") << false << QByteArray("[]") << QStringLiteral("actioncable-not-object");
        QTest::newRow("unknown type") << false << QByteArray("{\"type\":\"hello\"}")
                                      << QStringLiteral("actioncable-unknown-type");
        QTest::newRow("ping without time")
            << false << QByteArray("{\"type\":\"ping\"}") << QStringLiteral("actioncable-ping-time");
        QTest::newRow("server neither") << false << QByteArray("{\"foo\":1}")
                                        << QStringLiteral("actioncable-server-message");
        QTest::newRow("unknown command") << true << QByteArray("{\"command\":\"join\",\"identifier\":\"x\"}")
                                         << QStringLiteral("actioncable-unknown-command");
        QTest::newRow("no identifier") << true << QByteArray("{\"command\":\"subscribe\"}")
                                       << QStringLiteral("actioncable-identifier");
        QTest::newRow("message data object")
            << true << QByteArray("{\"command\":\"message\",\"identifier\":\"x\",\"data\":{}}")
            << QStringLiteral("actioncable-message-data");
    }

    void violations()
    {
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, text);
        QFETCH(QString, rule);
        ActionCableDecoder decoder;
        const DecodedMessage message = decodeOne(decoder, fromClient ? Endpoint::Client : Endpoint::Server, text);
        QVERIFY(message.violation.has_value());
        QCOMPARE(message.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_ActionCableDecoder)
#include "tst_actioncabledecoder.moc"
