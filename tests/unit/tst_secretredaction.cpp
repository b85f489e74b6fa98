// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/appprotocol/MqttPackets.h"
#include "core/appprotocol/SocketIoMessages.h"
#include "core/appprotocol/StompFrames.h"
#include "core/exchange/MessageDecoding.h"
#include "core/exchange/SecretRedaction.h"

#include <QJsonDocument>
#include <QTest>

using namespace wsi;

namespace {

// A client's upgrade request carrying a bearer token, a cookie and a token in the query, as it went on the wire.
const QByteArray requestWithSecrets = QByteArrayLiteral("GET /feed?token=xyz&room=7 HTTP/1.1\r\n"
                                                        "Host: example.test\r\n"
                                                        "Upgrade: websocket\r\n"
                                                        "Connection: Upgrade\r\n"
                                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                        "Sec-WebSocket-Version: 13\r\n"
                                                        "Authorization: Bearer abc\r\n"
                                                        "Cookie: sid=s3ss; theme=dark\r\n"
                                                        "\r\n");

const QByteArray refusalWithCookie = QByteArrayLiteral("HTTP/1.1 103 Early Hints\r\n"
                                                       "Set-Cookie: early=e4rly\r\n"
                                                       "\r\n"
                                                       "HTTP/1.1 401 Unauthorized\r\n"
                                                       "Set-Cookie: sid=n3w; Path=/; HttpOnly\r\n"
                                                       "Content-Length: 12\r\n"
                                                       "\r\n"
                                                       "Set-Cookie: x");

// A client's message as the exports decode it.
MessageRecord clientMessage(QByteArrayView payload, bool binary)
{
    MessageRecord record;
    record.length = record.wireLength = quint64(payload.size());
    record.frameCount = 1;
    record.type = binary ? MessageType::Binary : MessageType::Text;
    record.direction = Direction::Outgoing;
    return record;
}

// The decoded array of one client message on a connection that speaks `protocol`.
QJsonArray decodedAs(AppProtocol protocol, QByteArrayView payload, bool binary)
{
    MessageDecoding decoding(HandshakeRecord{}, protocol);
    return decoding.decode(clientMessage(payload, binary), payload);
}

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

// What an export makes of a payload: the redacted one, or "<kept>" when it is exported as it is.
QByteArray shown(const std::optional<QByteArray> &redacted)
{
    return redacted.value_or(QByteArrayLiteral("<kept>"));
}
const QByteArray kept = QByteArrayLiteral("<kept>");

// MQTT's UTF-8 string and binary data: a two-byte length, then the bytes.
QByteArray mqttString(const QByteArray &bytes)
{
    return QByteArray(1, char(bytes.size() >> 8)) + char(bytes.size() & 0xff) + bytes;
}

// An MQTT 5 CONNECT with properties, a will (with its own properties), a user name and a password, written field by
// field as MQTT 5.0 §3.1 lays it out (under 128 bytes: one byte of Remaining Length).
QByteArray mqtt5Connect(const QByteArray &password)
{
    QByteArray rest = mqttString("MQTT");
    rest += char(5);                                   // protocol level
    rest += char(0x80 | 0x40 | 0x04);                  // user name, password, will (QoS 0)
    rest += QByteArray("\x00\x3c", 2);                 // Keep Alive 60
    rest += QByteArray("\x05\x11\x00\x00\x00\x0a", 6); // properties: Session Expiry Interval 10
    rest += mqttString("client-5");
    rest += QByteArray("\x02\x01\x01", 3); // will properties: Payload Format Indicator 1
    rest += mqttString("will/topic");
    rest += mqttString("bye");
    rest += mqttString("alice");
    rest += mqttString(password);
    return QByteArray(1, char(0x10)) + char(rest.size()) + rest;
}

} // namespace

class tst_SecretRedaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerValues_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("exported");
        const auto row = [](const char *tag, const char *name, const char *value, const char *exported) {
            QTest::newRow(tag) << QByteArray(name) << QByteArray(value) << QByteArray(exported);
        };
        row("authorization keeps its scheme", "Authorization", "Bearer abc", "Bearer [redacted]");
        row("authorization without a scheme", "Authorization", "abc", "[redacted]");
        row("authorization, any case", "aUtHoRiZaTiOn", "Basic dXNlcjpwYXNz", "Basic [redacted]");
        row("proxy-authorization", "Proxy-Authorization", "Basic dXNlcjpwYXNz", "Basic [redacted]");
        row("cookie keeps its names", "Cookie", "sid=s3ss; theme=dark", "sid=[redacted]; theme=[redacted]");
        row("cookie, lower case", "cookie", "sid=s3ss", "sid=[redacted]");
        row("set-cookie keeps its attributes", "Set-Cookie", "sid=n3w; Path=/; HttpOnly",
            "sid=[redacted]; Path=/; HttpOnly");
        row("api key header", "X-Api-Key", "k3y", "[redacted]");
        row("auth token header", "X-Auth-Token", "t0k", "[redacted]");
        row("csrf header", "X-CSRF-Token", "c5rf", "[redacted]");
        row("empty secret stays empty", "Authorization", "", "");
        row("handshake nonce stays", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ==");
        row("handshake proof stays", "Sec-WebSocket-Accept",
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        row("host stays", "Host", "example.test", "example.test");
        row("cors credentials flag stays", "Access-Control-Allow-Credentials", "true", "true");
        row("cors header list stays", "Access-Control-Allow-Headers", "authorization", "authorization");
        row("user agent stays", "User-Agent", "wsinspector/1", "wsinspector/1");
        row("a header merely containing key stays", "X-Monkey", "banana", "banana");
        row("subprotocol names stay", "Sec-WebSocket-Protocol", "graphql-ws, mqtt", "graphql-ws, mqtt");
        row("subprotocol after a secret word", "Sec-WebSocket-Protocol", "access_token, opaque-t0ken-value",
            "access_token, [redacted]");
        row("subprotocol that is a jwt", "Sec-WebSocket-Protocol", "chat, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "chat, [redacted]");
        row("kubernetes bearer subprotocol", "Sec-WebSocket-Protocol",
            "base64url.bearer.authorization.k8s.io.dG9rZW4, base64.binary.k8s.io",
            "base64url.bearer.authorization.k8s.io.[redacted], base64.binary.k8s.io");
    }
    void headerValues()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, exported);
        QCOMPARE(SecretRedaction().headerValue(name, value), exported);
        QCOMPARE(SecretRedaction::keepingSecrets().headerValue(name, value), value);
    }

    // A header the recording cannot tell is secret by its name is left out when the profile marked it.
    void profileSecretHeaders()
    {
        QCOMPARE(SecretRedaction().headerValue("X-Tenant", "acme"), QByteArray("acme"));
        QCOMPARE(SecretRedaction({QStringLiteral("x-tenant")}).headerValue("X-Tenant", "acme"),
                 QByteArray("[redacted]"));
        QVERIFY(SecretRedaction({QStringLiteral("X-TENANT")}).isSecretHeader("x-tenant"));
    }

    void queryParameters_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        const auto row = [](const char *name, bool secret) {
            QTest::newRow(name) << QString::fromLatin1(name) << secret;
        };
        for (const char *name : {"token",
                                 "access_token",
                                 "auth",
                                 "key",
                                 "api_key",
                                 "apikey",
                                 "apiKey",
                                 "password",
                                 "passwd",
                                 "secret",
                                 "client_secret",
                                 "signature",
                                 "sig",
                                 "jwt",
                                 "session",
                                 "sessionid",
                                 "PHPSESSID",
                                 "sid",
                                 "refresh_token",
                                 "X-Amz-Signature",
                                 "X-Amz-Credential",
                                 "X-Amz-Security-Token",
                                 "TOKEN",
                                 "Access_Token",
                                 "hub.verify_token"})
            row(name, true);
        for (const char *name : {"monkey", "author", "keyboard", "room", "id", "tokens_left", "passage", "v", "EIO"})
            row(name, false);
    }
    void queryParameters()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(SecretRedaction::isSecretName(name), secret);
    }

    void query()
    {
        const SecretRedaction redaction;
        QCOMPARE(redaction.query(QStringLiteral("token=xyz&room=7")), QStringLiteral("token=[redacted]&room=7"));
        QCOMPARE(redaction.query(QStringLiteral("monkey=1&api%5Fkey=k&Token=T")),
                 QStringLiteral("monkey=1&api%5Fkey=[redacted]&Token=[redacted]"));
        // Repeats are each redacted; a bare word and an empty value have nothing to hide.
        QCOMPARE(redaction.query(QStringLiteral("sig=a&sig=b&token&key=")),
                 QStringLiteral("sig=[redacted]&sig=[redacted]&token&key="));
        QCOMPARE(SecretRedaction::keepingSecrets().query(QStringLiteral("token=xyz")), QStringLiteral("token=xyz"));
    }

    void url()
    {
        const SecretRedaction redaction;
        QCOMPARE(redaction.url(QUrl(QStringLiteral("wss://example.test/feed?token=xyz&room=7"))).toString(),
                 QStringLiteral("wss://example.test/feed?token=[redacted]&room=7"));
        const QUrl withPassword = redaction.url(QUrl(QStringLiteral("ws://bob:hunter2@example.test/")));
        QCOMPARE(withPassword.userName(), QStringLiteral("bob"));
        QCOMPARE(withPassword.password(), QStringLiteral("[redacted]"));
        QCOMPARE(redaction.url(QUrl(QStringLiteral("ws://example.test/#access_token=abc"))).fragment(),
                 QStringLiteral("access_token=[redacted]"));
        const QUrl plain(QStringLiteral("ws://example.test/feed?room=7"));
        QCOMPARE(redaction.url(plain), plain);
        const QUrl secret(QStringLiteral("ws://example.test/feed?token=xyz"));
        QCOMPARE(SecretRedaction::keepingSecrets().url(secret), secret);
    }

    void rawRequest()
    {
        const QByteArray exported = SecretRedaction().rawHead(requestWithSecrets);
        QVERIFY2(!exported.contains("xyz") && !exported.contains("abc") && !exported.contains("s3ss"),
                 exported.constData());
        QVERIFY(exported.startsWith("GET /feed?token=[redacted]&room=7 HTTP/1.1\r\n"));
        QVERIFY(exported.contains("\r\nAuthorization: Bearer [redacted]\r\n"));
        QVERIFY(exported.contains("\r\nCookie: sid=[redacted]; theme=[redacted]\r\n"));
        QVERIFY(exported.contains("\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
        QVERIFY(exported.endsWith("\r\n\r\n"));
        QCOMPARE(SecretRedaction::keepingSecrets().rawHead(requestWithSecrets), requestWithSecrets);
    }

    // Interim responses' fields are in the raw bytes only; the body after the final head is the server's, kept.
    void rawResponse()
    {
        const QByteArray exported = SecretRedaction().rawHead(refusalWithCookie);
        QVERIFY2(!exported.contains("e4rly") && !exported.contains("n3w"), exported.constData());
        QVERIFY(exported.contains("Set-Cookie: early=[redacted]\r\n"));
        QVERIFY(exported.contains("Set-Cookie: sid=[redacted]; Path=/; HttpOnly\r\n"));
        QVERIFY(exported.endsWith("\r\n\r\nSet-Cookie: x"));
    }

    // A folded continuation of a secret value is part of it.
    void foldedSecretLine()
    {
        const QByteArray raw = QByteArrayLiteral("GET / HTTP/1.1\r\nAuthorization: Bearer\r\n abc\r\nHost: h\r\n\r\n");
        const QByteArray exported = SecretRedaction().rawHead(raw);
        QVERIFY2(!exported.contains("abc"), exported.constData());
        QVERIFY(exported.contains("Host: h\r\n"));
    }

    void handshakeEverywhere()
    {
        HandshakeRecord record;
        record.requestBytes = requestWithSecrets;
        record.requestHeaders.append("Authorization", "Bearer abc");
        record.requestHeaders.append("Sec-WebSocket-Protocol", "access_token, opaque");
        record.responseReceived = true;
        record.response.raw = refusalWithCookie;
        record.response.headers.append("Set-Cookie", "sid=n3w");
        record.subprotocol = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
        const HandshakeRecord exported = SecretRedaction().handshake(record);
        QCOMPARE(exported.requestHeaders.value("authorization"), QByteArray("Bearer [redacted]"));
        QCOMPARE(exported.requestHeaders.value("sec-websocket-protocol"), QByteArray("access_token, [redacted]"));
        QCOMPARE(exported.response.headers.value("set-cookie"), QByteArray("sid=[redacted]"));
        QVERIFY(!exported.requestBytes.contains("abc"));
        QVERIFY(!exported.response.raw.contains("n3w"));
        QCOMPARE(exported.subprotocol, QStringLiteral("[redacted]"));

        const HandshakeRecord kept = SecretRedaction::keepingSecrets().handshake(record);
        QCOMPARE(kept.requestBytes, record.requestBytes);
        QCOMPARE(kept.requestHeaders, record.requestHeaders);
        QCOMPARE(kept.subprotocol, record.subprotocol);
    }

    void stompConnectPasscode_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("CONNECT as the speaker writes it")
            << StompFrames::connect(QStringLiteral("broker"), QStringLiteral("guest"), QStringLiteral("S3cret"), 10000,
                                    10000)
            << QByteArray("CONNECT\naccept-version:1.2,1.1,1.0\nhost:broker\nlogin:guest\npasscode:[redacted]\n"
                          "heart-beat:10000,10000\n\n") +
                   '\0';
        QTest::newRow("STOMP, CRLF, another secret header, a body kept")
            << QByteArray("STOMP\r\nlogin:guest\r\npasscode:S3cret\r\nX-Auth-Token:t0ken\r\n\r\npasscode:body") + '\0'
            << QByteArray("STOMP\r\nlogin:guest\r\npasscode:[redacted]\r\nX-Auth-Token:[redacted]\r\n\r\n"
                          "passcode:body") +
                   '\0';
        QTest::newRow("cut within the passcode") << QByteArray("CONNECT\nlogin:guest\npasscode:S3c")
                                                 << QByteArray("CONNECT\nlogin:guest\npasscode:[redacted]");
    }

    void stompConnectPasscode()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QByteArray, expected);
        const SecretRedaction redaction;
        QCOMPARE(shown(redaction.protocolPayload(frame, false, true, AppProtocol::Stomp)), expected);
        // Known by its shape before the protocol is.
        QCOMPARE(shown(redaction.protocolPayload(frame, false, true, std::nullopt)), expected);
        // What the server sent, another protocol's connection, or secrets kept: as it was.
        QCOMPARE(shown(redaction.protocolPayload(frame, false, false, AppProtocol::Stomp)), kept);
        QCOMPARE(shown(redaction.protocolPayload(frame, false, true, AppProtocol::SocketIo)), kept);
        QCOMPARE(shown(SecretRedaction::keepingSecrets().protocolPayload(frame, false, true, AppProtocol::Stomp)),
                 kept);
    }

    void stompOtherFramesKept()
    {
        const SecretRedaction redaction;
        // Only the frame that connects carries credentials; a SEND's headers are the application's.
        QCOMPARE(shown(redaction.protocolPayload(StompFrames::send(QStringLiteral("/queue/a"), "passcode:x"), false,
                                                 true, AppProtocol::Stomp)),
                 kept);
        QCOMPARE(shown(redaction.protocolPayload("CONNECT\nlogin:guest\n\n", false, true, AppProtocol::Stomp)), kept);
    }

    void stompDecodedHeaders()
    {
        const QByteArray frame = QByteArray("CONNECT\nlogin:guest\npasscode:S3cret\npasscode:again\n\n") + '\0';
        const QJsonArray decoded = decodedAs(AppProtocol::Stomp, frame, false);
        QVERIFY2(compact(decoded).contains("S3cret"), compact(decoded).constData());
        const QJsonArray exported = SecretRedaction().decoded(decoded, true);
        QVERIFY2(!compact(exported).contains("S3cret") && !compact(exported).contains("again"),
                 compact(exported).constData());
        const QJsonObject message = exported.first().toObject();
        QCOMPARE(message.value(QStringLiteral("headers")).toObject().value(QStringLiteral("passcode")).toString(),
                 QStringLiteral("[redacted]"));
        QCOMPARE(message.value(QStringLiteral("headers")).toObject().value(QStringLiteral("login")).toString(),
                 QStringLiteral("guest"));
        // The redacted frame decodes to the same as its redacted decoding.
        const std::optional<QByteArray> payload =
            SecretRedaction().protocolPayload(frame, false, true, AppProtocol::Stomp);
        QVERIFY(payload);
        QCOMPARE(decodedAs(AppProtocol::Stomp, *payload, false), exported);
        QCOMPARE(SecretRedaction::keepingSecrets().decoded(decoded, true), decoded);
    }

    void mqttConnectPassword_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("username");
        QTest::newRow("3.1.1 as the speaker writes it")
            << MqttPackets::connect(QStringLiteral("client-1"), 60, QStringLiteral("alice"), QStringLiteral("S3cret"),
                                    true)
            << QStringLiteral("alice");
        QTest::newRow("5 with properties and a will") << mqtt5Connect("S3cret") << QStringLiteral("alice");
        QTest::newRow("CONNECT and SUBSCRIBE in one message")
            << MqttPackets::connect(QStringLiteral("c"), 30, {}, QStringLiteral("S3cret"), true) +
                   MqttPackets::subscribe(1, QStringLiteral("prices/#"))
            << QString();
        QTest::newRow("a long password: Remaining Length shrinks")
            << MqttPackets::connect(QStringLiteral("c"), 30, QStringLiteral("alice"),
                                    QString(200, u's') + QStringLiteral("S3cret"), true)
            << QStringLiteral("alice");
    }

    void mqttConnectPassword()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, username);
        const SecretRedaction redaction;
        const std::optional<QByteArray> exported = redaction.protocolPayload(message, true, true, AppProtocol::Mqtt);
        QVERIFY(exported);
        QVERIFY(!exported->contains("S3cret"));
        QVERIFY(exported->contains("[redacted]"));
        QCOMPARE(shown(redaction.protocolPayload(message, true, true, std::nullopt)), *exported);
        // Still MQTT: the same packets, the password the placeholder's 10 bytes.
        const QJsonArray before = decodedAs(AppProtocol::Mqtt, message, true);
        const QJsonArray after = decodedAs(AppProtocol::Mqtt, *exported, true);
        QCOMPARE(after.size(), before.size());
        for (qsizetype i = 0; i < after.size(); ++i) {
            QJsonObject packet = after.at(i).toObject();
            QVERIFY2(!packet.contains(QStringLiteral("violation")), compact(after).constData());
            if (packet.value(QStringLiteral("kind")).toString() != QLatin1String("CONNECT")) {
                QCOMPARE(packet, before.at(i).toObject());
                continue;
            }
            const QJsonObject original = before.at(i).toObject();
            const int passwordLength = original.value(QStringLiteral("passwordLength")).toInt();
            QCOMPARE(packet.value(QStringLiteral("passwordLength")).toInt(), 10);
            QCOMPARE(packet.value(QStringLiteral("remainingLength")).toInt(),
                     original.value(QStringLiteral("remainingLength")).toInt() - passwordLength + 10);
            QCOMPARE(packet.value(QStringLiteral("username")).toString(), username); // who connected stays
            // Everything else as it was.
            packet.insert(QStringLiteral("passwordLength"), passwordLength);
            packet.insert(QStringLiteral("remainingLength"), original.value(QStringLiteral("remainingLength")));
            QCOMPARE(packet, original);
        }
        QCOMPARE(shown(SecretRedaction::keepingSecrets().protocolPayload(message, true, true, AppProtocol::Mqtt)),
                 kept);
        // The decoded packets say what the exported ones decode to: not even the password's length is left.
        QCOMPARE(redaction.decoded(before, true), after);
        QCOMPARE(SecretRedaction::keepingSecrets().decoded(before, true), before);
    }

    void mqttWithoutPasswordKept()
    {
        const SecretRedaction redaction;
        const QByteArray connect =
            MqttPackets::connect(QStringLiteral("c"), 30, QStringLiteral("alice"), QString(), true);
        QCOMPARE(shown(redaction.protocolPayload(connect, true, true, AppProtocol::Mqtt)), kept);
        QCOMPARE(shown(redaction.protocolPayload(MqttPackets::publish(QStringLiteral("t"), "S3cret"), true, true,
                                                 AppProtocol::Mqtt)),
                 kept);
        // A server's bytes and plain binary data that is no packet at all.
        QCOMPARE(shown(redaction.protocolPayload(mqtt5Connect("S3cret"), true, false, AppProtocol::Mqtt)), kept);
        QCOMPARE(shown(redaction.protocolPayload(QByteArray("\x10\xff\xff\xff\xff\x01", 6), true, true, std::nullopt)),
                 kept);
        // Binary data that only starts like a CONNECT (0x10, a length that fits): no protocol name, not MQTT's.
        QCOMPARE(shown(redaction.protocolPayload(QByteArray("\x10\x03\x00\x01\x02", 5), true, true, std::nullopt)),
                 kept);
    }

    void mqttDamagedConnectReplacedWhole()
    {
        // A CONNECT that says it carries a password but ends before it: what is the password cannot be told, and
        // its body is replaced whole.
        QByteArray connect = mqtt5Connect("S3cret");
        connect[1] = char(connect[1] - 3); // Remaining Length 3 bytes short: the password's length says more
        connect.chop(3);
        QCOMPARE(shown(SecretRedaction().protocolPayload(connect, true, true, AppProtocol::Mqtt)),
                 QByteArray("\x10\x0a[redacted]"));
    }

    void socketIoAuth_data()
    {
        QTest::addColumn<QByteArray>("packet");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("main namespace, nested, order and numbers kept")
            << SocketIoMessages::connect(QStringLiteral("/"),
                                         R"({"token":"abc","room":"x","n":1.50,"user":{"password":"p","id":7}})")
            << QByteArray(R"(40{"token":"[redacted]","room":"x","n":1.50,"user":{"password":"[redacted]","id":7}})");
        QTest::newRow("namespace, apiKey in an array's object")
            << SocketIoMessages::connect(QStringLiteral("/admin"), R"({"list":[{"apiKey":"k"}], "authorization": 3})")
            << QByteArray(R"(40/admin,{"list":[{"apiKey":"[redacted]"}],"authorization":"[redacted]"})");
        QTest::newRow("Socket.IO 2: the query in the namespace")
            << QByteArray("40/admin?token=abc&room=7,") << QByteArray("40/admin?token=[redacted]&room=7,");
    }

    void socketIoAuth()
    {
        QFETCH(QByteArray, packet);
        QFETCH(QByteArray, expected);
        const SecretRedaction redaction;
        QCOMPARE(shown(redaction.protocolPayload(packet, false, true, AppProtocol::SocketIo)), expected);
        QCOMPARE(shown(redaction.protocolPayload(packet, false, true, std::nullopt)), expected);
        QCOMPARE(shown(redaction.protocolPayload(packet, false, false, AppProtocol::SocketIo)), kept);
        QCOMPARE(shown(SecretRedaction::keepingSecrets().protocolPayload(packet, false, true, AppProtocol::SocketIo)),
                 kept);
    }

    void socketIoWithoutSecretsKept()
    {
        const SecretRedaction redaction;
        for (const QByteArray &packet : {QByteArray("40"), QByteArray("40/admin,"), QByteArray(R"(40{"room":"x"})"),
                                         QByteArray(R"(42["login",{"password":"p"}])"), QByteArray(R"(40{"token":)")})
            QCOMPARE(shown(redaction.protocolPayload(packet, false, true, AppProtocol::SocketIo)), kept);
    }

    void socketIoDecodedAuth()
    {
        const QByteArray packet = R"(40{"token":"abc","room":"x"})";
        const QJsonArray decoded = decodedAs(AppProtocol::SocketIo, packet, false);
        const QJsonArray exported = SecretRedaction().decoded(decoded, true);
        QVERIFY2(compact(decoded).contains("abc"), compact(decoded).constData());
        QVERIFY2(!compact(exported).contains("abc"), compact(exported).constData());
        QCOMPARE(exported.first()[QStringLiteral("data")][QStringLiteral("room")].toString(), QStringLiteral("x"));
        // The server's CONNECT answer names the session: no credential of the client's, kept.
        QCOMPARE(SecretRedaction().decoded(decoded, false), decoded);
    }

    void session()
    {
        SessionRecords recorded;
        recorded.url = QUrl(QStringLiteral("ws://example.test/feed?token=xyz"));
        recorded.handshake.requestHeaders.append("Cookie", "sid=s3ss");
        recorded.log = std::make_shared<FrameLog>(FrameLog::Budget{});
        const SessionRecords exported = SecretRedaction().session(recorded);
        QCOMPARE(exported.url.toString(), QStringLiteral("ws://example.test/feed?token=[redacted]"));
        QCOMPARE(exported.handshake.requestHeaders.value("cookie"), QByteArray("sid=[redacted]"));
        QCOMPARE(exported.log, recorded.log); // shared, not copied
        QVERIFY(SecretRedaction().redacts());
        QVERIFY(!SecretRedaction::keepingSecrets().redacts());
    }
};

QTEST_GUILESS_MAIN(tst_SecretRedaction)
#include "tst_secretredaction.moc"
