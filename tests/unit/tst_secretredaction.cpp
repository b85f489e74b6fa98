// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SecretRedaction.h"

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
