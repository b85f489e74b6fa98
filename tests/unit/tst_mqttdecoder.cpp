// SPDX-License-Identifier: GPL-3.0-or-later
#include "AppTranscript.h"
#include "core/appprotocol/MqttDecoder.h"

#include <QJsonArray>
#include <QTest>

using namespace wsi;

namespace {

DecodedMessages complete(const QList<DecodedMessages> &decoded)
{
    DecodedMessages packets;
    for (const DecodedMessages &list : decoded) {
        for (const DecodedMessage &packet : list) {
            if (!packet.fields.value(QStringLiteral("partial")).toBool())
                packets.append(packet);
        }
    }
    return packets;
}

DecodedMessage decodeBytes(MqttDecoder &decoder, Endpoint sender, const QByteArray &bytes)
{
    const DecodedMessages list = decoder.decode(AppMessage::bytes(sender, bytes));
    return list.isEmpty() ? DecodedMessage{} : list.last();
}

} // namespace

class tst_MqttDecoder : public QObject
{
    Q_OBJECT

private slots:
    // mqtt.js 5.16 against the aedes 1.2 broker over websocket-stream: mqtt.js writes each field of a packet as its
    // own WebSocket message, so almost every packet is split across messages.
    void realAedesTranscript()
    {
        MqttDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("mqtt311-aedes.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        const DecodedMessages packets = complete(decoded);
        QVERIFY(packets.size() < decoded.size()); // split packets became one each

        const DecodedMessages connects = AppTranscript::ofKind({packets}, QStringLiteral("CONNECT"));
        QCOMPARE(connects.size(), 1);
        const QJsonObject connect = connects.first().fields;
        QCOMPARE(connect.value(QStringLiteral("protocolLevel")).toInt(), 4);
        QCOMPARE(connect.value(QStringLiteral("keepAlive")).toInt(), 1);
        QCOMPARE(connect.value(QStringLiteral("clientId")).toString(), QStringLiteral("inspector-transcript"));
        QCOMPARE(connect.value(QStringLiteral("will")).toObject().value(QStringLiteral("topic")).toString(),
                 QStringLiteral("clients/gone"));
        QVERIFY(connects.first().fields.value(QStringLiteral("continued")).toBool());
        QCOMPARE(AppTranscript::ofKind({packets}, QStringLiteral("CONNACK"))
                     .first()
                     .fields.value(QStringLiteral("returnCode"))
                     .toInt(),
                 0);

        const DecodedMessage subscribe = AppTranscript::ofKind({packets}, QStringLiteral("SUBSCRIBE")).first();
        QCOMPARE(subscribe.fields.value(QStringLiteral("subscriptions")).toArray().size(), 2);
        QVERIFY(subscribe.correlation.isRequest());
        const DecodedMessage suback = AppTranscript::ofKind({packets}, QStringLiteral("SUBACK")).first();
        QCOMPARE(suback.correlation.key, subscribe.correlation.key);
        QCOMPARE(suback.fields.value(QStringLiteral("returnCodes")).toArray(), (QJsonArray{1, 2}));

        const DecodedMessages publishes = AppTranscript::ofKind({packets}, QStringLiteral("PUBLISH"));
        const auto eur = std::find_if(publishes.begin(), publishes.end(), [](const DecodedMessage &m) {
            return m.fields.value(QStringLiteral("topic")).toString() == QLatin1String("prices/eur");
        });
        QVERIFY(eur != publishes.end());
        QCOMPARE(eur->fields.value(QStringLiteral("qos")).toInt(), 1);
        QCOMPARE(eur->fields.value(QStringLiteral("payload")).toString(), QStringLiteral("1.0841"));
        const auto news = std::find_if(publishes.begin(), publishes.end(), [](const DecodedMessage &m) {
            return m.fields.value(QStringLiteral("topic")).toString() == QLatin1String("news");
        });
        QVERIFY(news != publishes.end());
        QCOMPARE(news->fields.value(QStringLiteral("payload")).toObject().value(QStringLiteral("base64")).toString(),
                 QStringLiteral("3q2+7w=="));
        for (const char *kind :
             {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "PINGREQ", "PINGRESP", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT"})
            QVERIFY2(!AppTranscript::ofKind({packets}, QString::fromLatin1(kind)).isEmpty(), kind);

        // Every request the client made is answered by a reply with its key.
        for (const DecodedMessage &packet : packets) {
            if (!packet.correlation.isRequest() || packet.kind == QLatin1String("PUBLISH"))
                continue;
            const bool answered = std::any_of(packets.begin(), packets.end(), [&](const DecodedMessage &other) {
                return other.correlation == Correlation::reply(packet.correlation.key);
            });
            QVERIFY2(answered, qPrintable(packet.kind + QLatin1Char(' ') + packet.correlation.key));
        }
    }

    // MQTT 5 packets as mqtt-packet 9 (mqtt.js's encoder) writes them, with properties, two packets in one message
    // and a PUBLISH split across two.
    void mqtt5Packets()
    {
        MqttDecoder decoder;
        const QList<DecodedMessages> decoded =
            AppTranscript::decodeAll(decoder, AppTranscript::load(QStringLiteral("mqtt5-packets.jsonl")));
        QVERIFY2(AppTranscript::violations(decoded).isEmpty(), qPrintable(AppTranscript::violations(decoded)));
        QCOMPARE(decoder.protocolLevel(), 5);
        QCOMPARE(decoded[0]
                     .first()
                     .fields.value(QStringLiteral("properties"))
                     .toObject()
                     .value(QStringLiteral("sessionExpiryInterval"))
                     .toInt(),
                 120);
        QCOMPARE(decoded[1]
                     .first()
                     .fields.value(QStringLiteral("properties"))
                     .toObject()
                     .value(QStringLiteral("serverKeepAlive"))
                     .toInt(),
                 20);
        const QJsonObject subscription =
            decoded[2].first().fields.value(QStringLiteral("subscriptions")).toArray().first().toObject();
        QVERIFY(subscription.value(QStringLiteral("noLocal")).toBool());
        QCOMPARE(decoded[4].size(), 2);
        const DecodedMessage publish = decoded[4][0];
        QCOMPARE(publish.kind, QStringLiteral("PUBLISH"));
        const QJsonObject properties = publish.fields.value(QStringLiteral("properties")).toObject();
        QCOMPARE(properties.value(QStringLiteral("contentType")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(properties.value(QStringLiteral("messageExpiryInterval")).toInt(), 60);
        QCOMPARE(properties.value(QStringLiteral("userProperties")).toArray().first().toArray(),
                 (QJsonArray{QStringLiteral("unit"), QStringLiteral("C")}));
        QCOMPARE(publish.fields.value(QStringLiteral("payload")).toString(), QStringLiteral("21.5"));
        QCOMPARE(decoded[4][1].kind, QStringLiteral("PINGREQ"));
        QCOMPARE(decoded[6].first().fields.value(QStringLiteral("partial")).toBool(), true);
        QCOMPARE(decoded[7].first().fields.value(QStringLiteral("payload")).toString(), QStringLiteral("21.5"));
        QCOMPARE(decoded[10].first().kind, QStringLiteral("DISCONNECT"));
    }

    void violations_data()
    {
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("rule");
        QTest::newRow("reserved type 0") << true << QByteArray("\x00\x00", 2)
                                         << QStringLiteral("mqtt-reserved-packet-type");
        QTest::newRow("AUTH in 3.1.1") << true << QByteArray("\xf0\x00", 2)
                                       << QStringLiteral("mqtt-reserved-packet-type");
        QTest::newRow("PINGREQ flags") << true << QByteArray("\xc1\x00", 2)
                                       << QStringLiteral("mqtt-fixed-header-flags");
        QTest::newRow("SUBSCRIBE flags 0")
            << true << QByteArray("\x80\x05\x00\x01\x00\x00\x00", 7) << QStringLiteral("mqtt-fixed-header-flags");
        QTest::newRow("PINGREQ from server")
            << false << QByteArray("\xc0\x00", 2) << QStringLiteral("mqtt-packet-direction");
        QTest::newRow("CONNACK from client")
            << true << QByteArray("\x20\x02\x00\x00", 4) << QStringLiteral("mqtt-packet-direction");
        QTest::newRow("PINGREQ with body")
            << true << QByteArray("\xc0\x01\x00", 3) << QStringLiteral("mqtt-ping-length");
        QTest::newRow("QoS 3") << true << QByteArray("\x36\x03\x00\x01\x61", 5) << QStringLiteral("mqtt-publish-qos");
        QTest::newRow("remaining length 5 bytes")
            << true << QByteArray("\x30\xff\xff\xff\xff\x01", 6) << QStringLiteral("mqtt-remaining-length");
        QTest::newRow("topic runs past packet")
            << true << QByteArray("\x30\x02\x00\x09", 4) << QStringLiteral("mqtt-packet-truncated");
        QTest::newRow("packet id 0") << true << QByteArray("\x32\x05\x00\x01\x61\x00\x00", 7)
                                     << QStringLiteral("mqtt-packet-identifier-zero");
        QTest::newRow("PUBACK trailing") << false << QByteArray("\x40\x03\x00\x01\x00", 5)
                                         << QStringLiteral("mqtt-packet-trailing-bytes");
        QTest::newRow("bad protocol name")
            << true << QByteArray("\x10\x0a\x00\x04MQTX\x04\x02\x00\x3c", 12) << QStringLiteral("mqtt-protocol-name");
        QTest::newRow("bad level") << true << QByteArray("\x10\x0a\x00\x04MQTT\x07\x02\x00\x3c", 12)
                                   << QStringLiteral("mqtt-protocol-level");
        QTest::newRow("SUBSCRIBE no filter")
            << true << QByteArray("\x82\x02\x00\x01", 4) << QStringLiteral("mqtt-no-topic-filter");
        QTest::newRow("declared 200 MB") << true << QByteArray("\x30\xff\xff\xff\x7f", 5)
                                         << QStringLiteral("mqtt-packet-too-large");
        QTest::newRow("empty") << true << QByteArray() << QStringLiteral("mqtt-empty-message");
    }

    void violations()
    {
        QFETCH(bool, fromClient);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, rule);
        MqttDecoder decoder;
        const DecodedMessage packet = decodeBytes(decoder, fromClient ? Endpoint::Client : Endpoint::Server, bytes);
        QVERIFY(packet.violation.has_value());
        QCOMPARE(packet.violation->rule, rule);
    }

    void textMessageIsAViolation()
    {
        MqttDecoder decoder;
        QCOMPARE(decoder.decode(AppMessage::text(Endpoint::Client, "hello")).first().violation->rule,
                 QStringLiteral("mqtt-text-message"));
    }

    void splitRemainingLengthAndDirectionsKeptApart()
    {
        MqttDecoder decoder;
        // A 200-byte PUBLISH whose two-byte remaining length is itself cut after its first byte.
        QByteArray publish("\x30\xc8\x01\x00\x01t", 6);
        publish.append(QByteArray(200 - 3, 'x'));
        QVERIFY(
            decodeBytes(decoder, Endpoint::Client, publish.first(2)).fields.value(QStringLiteral("partial")).toBool());
        // The server's PINGRESP in between belongs to the server's stream.
        QCOMPARE(decodeBytes(decoder, Endpoint::Server, QByteArray("\xd0\x00", 2)).kind, QStringLiteral("PINGRESP"));
        const DecodedMessage whole = decodeBytes(decoder, Endpoint::Client, publish.sliced(2));
        QVERIFY(whole.isValid());
        QCOMPARE(whole.fields.value(QStringLiteral("topic")).toString(), QStringLiteral("t"));
        QCOMPARE(whole.fields.value(QStringLiteral("payload")).toString().size(), 197);
    }
};

QTEST_GUILESS_MAIN(tst_MqttDecoder)
#include "tst_mqttdecoder.moc"
