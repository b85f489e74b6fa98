// SPDX-License-Identifier: GPL-3.0-or-later
// ProfileJson: every field through JSON and back, secrets kept out, precise messages for bad documents, and the
// schema 0 migration. Also SessionProfile <-> SessionOptions for every field.
#include "core/profiles/ProfileJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace wsi;

namespace {

// Every field away from its default, so that a field the JSON forgets shows up as a difference.
SessionProfile fullProfile()
{
    SessionProfile p;
    p.name = QStringLiteral("Staging – chat");
    p.url = QUrl(QStringLiteral("wss://chat.example.com:8443/socket/{{room}}?v=2"));
    p.headers.append("Authorization", "Bearer s3cr3t");
    p.headers.append("X-Tenant", "{{tenant}}");
    p.headers.append("X-Repeat", "one");
    p.headers.append("X-Repeat", "two");
    p.secretHeaders = {QStringLiteral("authorization")};
    p.subprotocols = {QStringLiteral("graphql-transport-ws"), QStringLiteral("v2.chat")};
    p.origin = QStringLiteral("https://app.example.com");
    p.cookies = {{"sid", "cookie-secret"}};
    p.offerDeflate = false;
    p.tls = {QStringLiteral("/etc/ca.pem"), QStringLiteral("/home/me/client.pem"), QStringLiteral("/home/me/key.pem"),
             true};
    p.proxy = QUrl(QStringLiteral("socks5://127.0.0.1:1080"));
    p.limits = {1000, 2000, 3000, 4000};
    p.handshakeTimeoutMs = 1234;
    p.closeTimeoutMs = 567;
    p.autoPong = false;
    p.strict = false;
    p.budget = {1'000'000, 50'000};
    p.heartbeat.kind = HeartbeatSettings::Kind::App;
    p.heartbeat.intervalMs = 25000;
    p.heartbeat.replyTimeoutMs = 5000;
    p.heartbeat.missesUntilDead = 3;
    p.heartbeat.whenDead = HeartbeatSettings::WhenDead::Abort;
    p.heartbeat.appMessage = "{\"type\":\"ping\",\"seq\":{{seq}}}";
    p.heartbeat.stopAnsweringPingsAfter = 4;
    p.heartbeat.receiveTimeoutMs = 45000;
    p.heartbeat.preset = QStringLiteral("socketio");
    p.reconnect = {true, 7, 250, 9000, 1.5, 0.25, 12000};
    p.onConnectMessages = {{OnConnectMessage::Kind::Text, "{\"auth\":\"{{token}}\"}"},
                           {OnConnectMessage::Kind::Binary, QByteArray("\x00\xff\x10", 3)},
                           {OnConnectMessage::Kind::Ping, "hello"}};
    p.simulatorChain = {QStringLiteral("cloudflare"), QStringLiteral("nginx:proxy_read_timeout=30s")};
    p.messageTemplates = {{QStringLiteral("subscribe"), QStringLiteral("json"), QStringLiteral("{\"sub\":1}"), 1},
                          {QStringLiteral("raw"), QStringLiteral("hex"), QStringLiteral("01ff"), 3}};
    p.variables = {{QStringLiteral("tenant"), QStringLiteral("acme"), false},
                   {QStringLiteral("token"), QStringLiteral("tok-s3cr3t"), true},
                   {QStringLiteral("room"), {}, false}};
    return p;
}

void compareProfiles(const SessionProfile &a, const SessionProfile &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.url, b.url);
    QCOMPARE(a.headers, b.headers);
    QCOMPARE(a.secretHeaders, b.secretHeaders);
    QCOMPARE(a.subprotocols, b.subprotocols);
    QCOMPARE(a.origin, b.origin);
    QCOMPARE(a.cookies, b.cookies);
    QCOMPARE(a.offerDeflate, b.offerDeflate);
    QCOMPARE(a.tls.caFile, b.tls.caFile);
    QCOMPARE(a.tls.clientCertificateFile, b.tls.clientCertificateFile);
    QCOMPARE(a.tls.clientKeyFile, b.tls.clientKeyFile);
    QCOMPARE(a.tls.ignoreErrors, b.tls.ignoreErrors);
    QCOMPARE(a.proxy, b.proxy);
    QCOMPARE(a.limits.maxFramePayload, b.limits.maxFramePayload);
    QCOMPARE(a.limits.maxMessageSize, b.limits.maxMessageSize);
    QCOMPARE(a.limits.maxHandshakeSize, b.limits.maxHandshakeSize);
    QCOMPARE(a.limits.maxRefusalBodySize, b.limits.maxRefusalBodySize);
    QCOMPARE(a.handshakeTimeoutMs, b.handshakeTimeoutMs);
    QCOMPARE(a.closeTimeoutMs, b.closeTimeoutMs);
    QCOMPARE(a.autoPong, b.autoPong);
    QCOMPARE(a.strict, b.strict);
    QCOMPARE(a.budget.maxStoredTotal, b.budget.maxStoredTotal);
    QCOMPARE(a.budget.maxStoredPerFrame, b.budget.maxStoredPerFrame);
    QCOMPARE(a.heartbeat.kind, b.heartbeat.kind);
    QCOMPARE(a.heartbeat.intervalMs, b.heartbeat.intervalMs);
    QCOMPARE(a.heartbeat.replyTimeoutMs, b.heartbeat.replyTimeoutMs);
    QCOMPARE(a.heartbeat.missesUntilDead, b.heartbeat.missesUntilDead);
    QCOMPARE(a.heartbeat.whenDead, b.heartbeat.whenDead);
    QCOMPARE(a.heartbeat.appMessage, b.heartbeat.appMessage);
    QCOMPARE(a.heartbeat.stopAnsweringPingsAfter, b.heartbeat.stopAnsweringPingsAfter);
    QCOMPARE(a.heartbeat.receiveTimeoutMs, b.heartbeat.receiveTimeoutMs);
    QCOMPARE(a.heartbeat.preset, b.heartbeat.preset);
    QCOMPARE(a.reconnect.enabled, b.reconnect.enabled);
    QCOMPARE(a.reconnect.maxAttempts, b.reconnect.maxAttempts);
    QCOMPARE(a.reconnect.initialDelayMs, b.reconnect.initialDelayMs);
    QCOMPARE(a.reconnect.maxDelayMs, b.reconnect.maxDelayMs);
    QCOMPARE(a.reconnect.factor, b.reconnect.factor);
    QCOMPARE(a.reconnect.jitter, b.reconnect.jitter);
    QCOMPARE(a.reconnect.stableAfterMs, b.reconnect.stableAfterMs);
    QCOMPARE(a.onConnectMessages, b.onConnectMessages);
    QCOMPARE(a.simulatorChain, b.simulatorChain);
    QCOMPARE(a.messageTemplates, b.messageTemplates);
    QCOMPARE(a.variables, b.variables);
}

QByteArray minimalDocument()
{
    return QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/"})");
}

} // namespace

class tst_ProfileJson : public QObject
{
    Q_OBJECT

private slots:
    void everyFieldRoundTripsWithSecretsIncluded();
    void secretsBecomePlaceholders();
    void variablesAreKeptAsWritten();
    void minimalDocumentGivesDefaults();
    void badDocumentsAreRejectedPrecisely_data();
    void badDocumentsAreRejectedPrecisely();
    void schemaZeroIsMigrated();
    void sessionOptionsRoundTripEveryField();
};

void tst_ProfileJson::everyFieldRoundTripsWithSecretsIncluded()
{
    const SessionProfile original = fullProfile();
    QString error;
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(original, ProfileJson::Secrets::Include),
                                             QStringLiteral("x"), &error);
    QVERIFY2(read, qPrintable(error));
    compareProfiles(*read, original);
}

void tst_ProfileJson::secretsBecomePlaceholders()
{
    const SessionProfile original = fullProfile();
    const QByteArray bytes = ProfileJson::toBytes(original);
    QVERIFY(!bytes.contains("s3cr3t"));
    QVERIFY(!bytes.contains("cookie-secret"));
    QVERIFY(!bytes.contains("tok-s3cr3t"));
    // URL placeholders are written as the user wrote them, not percent-encoded.
    QVERIFY(bytes.contains("/socket/{{room}}?v=2"));
    QString error;
    const auto read = ProfileJson::fromBytes(bytes, QStringLiteral("x"), &error);
    QVERIFY2(read, qPrintable(error));
    // The header keeps its place and name; only the value is the placeholder. Everything else is intact.
    QCOMPARE(read->headers.at(0).name, QByteArray("Authorization"));
    QCOMPARE(read->headers.at(0).value, QByteArray("{{secret}}"));
    QCOMPARE(read->cookies.at(0).second, QByteArray("{{secret}}"));
    SessionProfile expected = original;
    expected.headers = read->headers;
    expected.cookies = read->cookies;
    expected.variables[1].value = QStringLiteral("{{secret}}");
    compareProfiles(*read, expected);
}

void tst_ProfileJson::variablesAreKeptAsWritten()
{
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(fullProfile()), QStringLiteral("x"), nullptr);
    QVERIFY(read);
    QCOMPARE(read->headers.value("X-Tenant"), QByteArray("{{tenant}}"));
    QCOMPARE(read->onConnectMessages.at(0).payload, QByteArray("{\"auth\":\"{{token}}\"}"));
}

void tst_ProfileJson::minimalDocumentGivesDefaults()
{
    QString error;
    const auto read = ProfileJson::fromBytes(minimalDocument(), QStringLiteral("x"), &error);
    QVERIFY2(read, qPrintable(error));
    SessionProfile expected;
    expected.name = QStringLiteral("n");
    expected.url = QUrl(QStringLiteral("ws://h/"));
    compareProfiles(*read, expected);
}

void tst_ProfileJson::badDocumentsAreRejectedPrecisely_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("message");

    QTest::newRow("broken JSON") << QByteArray(R"({"schema": 1, "name": )")
                                 << QStringLiteral("work.json: not valid JSON at byte");
    QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("work.json: expected a JSON object");
    QTest::newRow("bad variable name")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "variables": [{"name": "a b"}]})")
        << QStringLiteral("work.json: variables[0].name: expected a variable name");
    QTest::newRow("variable named secret")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "variables": [{"name": "secret"}]})")
        << QStringLiteral("work.json: variables[0].name: expected a variable name");
    QTest::newRow("variable declared twice")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "variables": [{"name": "a"}, {"name": "a"}]})")
        << QStringLiteral("work.json: variables[1].name: variable \"a\" is declared twice");
    QTest::newRow("variable secret not a boolean")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "variables": [{"name": "a", "secret": 1}]})")
        << QStringLiteral("work.json: variables[0].secret: expected true or false, found a number");
    QTest::newRow("newer schema") << QByteArray(R"({"schema": 2, "name": "n", "url": "ws://h/"})")
                                  << QStringLiteral("work.json: schema: this profile uses schema 2, written by a "
                                                    "newer WS Inspector; this one reads up to schema 1");
    QTest::newRow("schema not a number") << QByteArray(R"({"schema": "1", "name": "n", "url": "ws://h/"})")
                                         << QStringLiteral("work.json: schema: expected a whole number from 1, "
                                                           "found a string");
    QTest::newRow("missing name") << QByteArray(R"({"schema": 1, "url": "ws://h/"})")
                                  << QStringLiteral("work.json: name: missing; expected a string");
    QTest::newRow("missing url") << QByteArray(R"({"schema": 1, "name": "n"})")
                                 << QStringLiteral("work.json: url: missing; expected a string");
    QTest::newRow("header value mistyped")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "headers": [
               {"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "C", "value": 3}]})")
        << QStringLiteral("work.json: headers[2].value: expected a string, found a number");
    QTest::newRow("header value missing")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "headers": [{"name": "A"}]})")
        << QStringLiteral("work.json: headers[0].value: missing; expected a string");
    QTest::newRow("headers not an array")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "headers": {"A": "1"}})")
        << QStringLiteral("work.json: headers: expected an array, found an object");
    QTest::newRow("deflate not a boolean")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "deflate": "yes"})")
        << QStringLiteral("work.json: deflate: expected true or false, found a string");
    QTest::newRow("heartbeat kind unknown")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "heartbeat": {"kind": "beep"}})")
        << QStringLiteral(R"(work.json: heartbeat.kind: expected one of "none", "ping", "pong", "app", found "beep")");
    QTest::newRow("heartbeat kind not a string")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "heartbeat": {"kind": 1}})")
        << QStringLiteral(
               R"(work.json: heartbeat.kind: expected one of "none", "ping", "pong", "app", found a number)");
    QTest::newRow("url not ws") << QByteArray(R"({"schema": 1, "name": "n", "url": "http://h/"})")
                                << QStringLiteral(
                                       R"(work.json: url: expected a ws:// or wss:// URL, found "http://h/")");
    QTest::newRow("negative interval")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "heartbeat": {"intervalMs": -5}})")
        << QStringLiteral("work.json: heartbeat.intervalMs: expected a whole number from 0");
    QTest::newRow("jitter out of range")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "reconnect": {"jitter": 2}})")
        << QStringLiteral("work.json: reconnect.jitter: expected a number from 0 to 1");
    QTest::newRow("binary payload not hex")
        << QByteArray(
               R"({"schema": 1, "name": "n", "url": "ws://h/", "onConnect": [{"kind": "binary", "payload": "zz"}]})")
        << QStringLiteral("work.json: onConnect[0].payload: expected hexadecimal digits");
    QTest::newRow("template format unknown")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "templates": [{"name": "t", "format": "xml"}]})")
        << QStringLiteral(R"(work.json: templates[0].format: expected one of "text", "json", "hex", found "xml")");
    QTest::newRow("chain entry not a string")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "simulatorChain": ["nginx", 5]})")
        << QStringLiteral("work.json: simulatorChain[1]: expected a string, found a number");
}

void tst_ProfileJson::badDocumentsAreRejectedPrecisely()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, message);
    QString error;
    const auto read = ProfileJson::fromBytes(document, QStringLiteral("work.json"), &error);
    QVERIFY(!read);
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

void tst_ProfileJson::schemaZeroIsMigrated()
{
    // Schema 0 (see ProfileJson.h): no "schema", headers as an object, subprotocols as one string.
    const QByteArray schemaZero = QByteArray(R"({
        "name": "old",
        "url": "ws://localhost:8080/ws",
        "headers": {"X-Api-Key": "{{key}}", "Accept-Language": "de"},
        "subprotocols": "chat, superchat"
    })");
    QString error;
    const auto read = ProfileJson::fromBytes(schemaZero, QStringLiteral("old.json"), &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->name, QStringLiteral("old"));
    QCOMPARE(read->url, QUrl(QStringLiteral("ws://localhost:8080/ws")));
    QCOMPARE(read->headers.size(), 2);
    QCOMPARE(read->headers.value("X-Api-Key"), QByteArray("{{key}}"));
    QCOMPARE(read->headers.value("Accept-Language"), QByteArray("de"));
    QCOMPARE(read->subprotocols, (QStringList{QStringLiteral("chat"), QStringLiteral("superchat")}));
    // Written back, it is a current document.
    QCOMPARE(ProfileJson::toJson(*read).value(QLatin1StringView("schema")).toInt(), ProfileJson::currentSchema);

    const auto bad = ProfileJson::fromBytes(R"({"name": "old", "url": "ws://h/", "headers": []})",
                                            QStringLiteral("old.json"), &error);
    QVERIFY(!bad);
    QCOMPARE(error,
             QStringLiteral("old.json: headers: expected an object of name to value (schema 0), found an array"));
}

void tst_ProfileJson::sessionOptionsRoundTripEveryField()
{
    // From a profile to options and back: the session fields survive, the profile-only ones are not options.
    const SessionProfile profile = fullProfile();
    const SessionOptions options = profile.toSessionOptions();
    SessionProfile back = SessionProfile::fromSessionOptions(options, profile.name);
    back.secretHeaders = profile.secretHeaders;
    back.simulatorChain = profile.simulatorChain;
    back.messageTemplates = profile.messageTemplates;
    back.variables = profile.variables;
    compareProfiles(back, profile);

    // From options to a profile and back, compared field by field on SessionOptions.
    const SessionOptions again = SessionProfile::fromSessionOptions(options).toSessionOptions();
    QCOMPARE(again.url, options.url);
    QCOMPARE(again.headers, options.headers);
    QCOMPARE(again.subprotocols, options.subprotocols);
    QCOMPARE(again.origin, options.origin);
    QCOMPARE(again.cookies, options.cookies);
    QCOMPARE(again.offerDeflate, options.offerDeflate);
    QCOMPARE(again.tls.caFile, options.tls.caFile);
    QCOMPARE(again.tls.clientCertificateFile, options.tls.clientCertificateFile);
    QCOMPARE(again.tls.clientKeyFile, options.tls.clientKeyFile);
    QCOMPARE(again.tls.ignoreErrors, options.tls.ignoreErrors);
    QCOMPARE(again.proxy, options.proxy);
    QCOMPARE(again.limits.maxFramePayload, options.limits.maxFramePayload);
    QCOMPARE(again.limits.maxMessageSize, options.limits.maxMessageSize);
    QCOMPARE(again.limits.maxHandshakeSize, options.limits.maxHandshakeSize);
    QCOMPARE(again.limits.maxRefusalBodySize, options.limits.maxRefusalBodySize);
    QCOMPARE(again.handshakeTimeoutMs, options.handshakeTimeoutMs);
    QCOMPARE(again.closeTimeoutMs, options.closeTimeoutMs);
    QCOMPARE(again.autoPong, options.autoPong);
    QCOMPARE(again.strict, options.strict);
    QCOMPARE(again.budget.maxStoredTotal, options.budget.maxStoredTotal);
    QCOMPARE(again.budget.maxStoredPerFrame, options.budget.maxStoredPerFrame);
    QCOMPARE(again.heartbeat.kind, options.heartbeat.kind);
    QCOMPARE(again.heartbeat.replyTimeoutMs, options.heartbeat.replyTimeoutMs);
    QCOMPARE(again.heartbeat.appMessage, options.heartbeat.appMessage);
    QCOMPARE(again.onConnectMessages, options.onConnectMessages);
    QCOMPARE(again.reconnect.maxAttempts, options.reconnect.maxAttempts);
    QCOMPARE(again.reconnect.jitter, options.reconnect.jitter);

    // And the whole way a user's options travel: options -> profile -> file -> profile -> options.
    const auto read =
        ProfileJson::fromBytes(ProfileJson::toBytes(SessionProfile::fromSessionOptions(options, QStringLiteral("p")),
                                                    ProfileJson::Secrets::Include),
                               QStringLiteral("p.json"), nullptr);
    QVERIFY(read);
    SessionProfile expected = SessionProfile::fromSessionOptions(options, QStringLiteral("p"));
    compareProfiles(*read, expected);
}

QTEST_GUILESS_MAIN(tst_ProfileJson)
#include "tst_profilejson.moc"
