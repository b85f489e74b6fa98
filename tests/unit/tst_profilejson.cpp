// SPDX-License-Identifier: GPL-3.0-or-later
// ProfileJson: every field through JSON and back, secrets kept out, precise messages for bad documents, and the
// schema 0 migration. Also SessionProfile <-> SessionOptions for every field.
#include "core/profiles/ProfileJson.h"
#include "core/rules/RuleFile.h"

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
    p.options.url = QUrl(QStringLiteral("wss://chat.example.com:8443/socket/{{room}}?v=2"));
    p.options.headers.append("Authorization", "Bearer s3cr3t");
    p.options.headers.append("X-Tenant", "{{tenant}}");
    p.options.headers.append("X-Repeat", "one");
    p.options.headers.append("X-Repeat", "two");
    p.options.secretHeaders = {QStringLiteral("authorization")};
    p.options.subprotocols = {QStringLiteral("graphql-transport-ws"), QStringLiteral("v2.chat")};
    p.options.origin = QStringLiteral("https://app.example.com");
    p.options.cookies = {{"sid", "cookie-secret"}};
    p.options.offerDeflate = false;
    p.options.tls = {QStringLiteral("/etc/ca.pem"), QStringLiteral("/home/me/client.pem"),
                     QStringLiteral("/home/me/key.pem"), true};
    p.options.proxy = QUrl(QStringLiteral("socks5://127.0.0.1:1080"));
    p.options.limits = {1000, 2000, 3000, 4000};
    p.options.handshakeTimeoutMs = 1234;
    p.options.closeTimeoutMs = 567;
    p.options.autoPong = false;
    p.options.strict = false;
    p.options.budget = {1'000'000, 50'000};
    p.options.heartbeat.kind = HeartbeatSettings::Kind::App;
    p.options.heartbeat.intervalMs = 25000;
    p.options.heartbeat.replyTimeoutMs = 5000;
    p.options.heartbeat.missesUntilDead = 3;
    p.options.heartbeat.whenDead = HeartbeatSettings::WhenDead::Abort;
    p.options.heartbeat.appMessage = "{\"type\":\"ping\",\"seq\":{{seq}}}";
    p.options.heartbeat.stopAnsweringPingsAfter = 4;
    p.options.heartbeat.receiveTimeoutMs = 45000;
    p.options.heartbeat.preset = QStringLiteral("socketio");
    p.options.reconnect = {true, 7, 250, 9000, 1.5, 0.25, 12000};
    p.options.onConnectMessages = {{OnConnectMessage::Kind::Text, "{\"auth\":\"{{token}}\"}"},
                                   {OnConnectMessage::Kind::Binary, QByteArray("\x00\xff\x10", 3)},
                                   {OnConnectMessage::Kind::Ping, "hello"}};
    AppProtocolSettings &protocol = p.options.protocol;
    protocol.mode = AppProtocolSettings::Mode::Speak;
    protocol.protocol = AppProtocol::Stomp;
    protocol.heartbeats = false;
    protocol.socketIoNamespace = QStringLiteral("/chat");
    protocol.socketIoAuth = "{\"token\":\"t\"}";
    protocol.stompHost = QStringLiteral("vhost");
    protocol.stompLogin = QStringLiteral("guest");
    protocol.stompPasscode = QStringLiteral("stomp-s3cr3t");
    protocol.stompHeartbeatSendMs = 5000;
    protocol.stompHeartbeatReceiveMs = 0;
    protocol.mqttClientId = QStringLiteral("client-1");
    protocol.mqttKeepAliveSeconds = 30;
    protocol.mqttUsername = QStringLiteral("user");
    protocol.mqttPassword = QStringLiteral("mqtt-s3cr3t");
    protocol.mqttCleanSession = false;
    protocol.graphqlInitPayload = "{\"a\":1}";
    protocol.phoenixTopic = QStringLiteral("room:lobby");
    protocol.phoenixJoinPayload = "{\"b\":2}";
    protocol.actionCableIdentifier = "{\"channel\":\"C\"}";
    protocol.wampRealm = QStringLiteral("realm1");
    protocol.messages = {{ProtocolMessage::Kind::Emit, QStringLiteral("hello"), {}, {"1", "\"x\""}, true},
                         {ProtocolMessage::Kind::Subscribe, QStringLiteral("/topic/a"), {}, {}, false},
                         {ProtocolMessage::Kind::Send, QStringLiteral("/queue/b"), "body", {}, false},
                         {ProtocolMessage::Kind::Publish, QStringLiteral("t/1"), "payload", {}, false},
                         {ProtocolMessage::Kind::Query, {}, "{ a }", {}, false},
                         {ProtocolMessage::Kind::Call, QStringLiteral("com.add"), {}, {"2", "[3]"}, false}};
    ProtocolMessage invoke{ProtocolMessage::Kind::Invoke, QStringLiteral("Add"), {}, {"1", "2"}, true};
    ProtocolMessage push{ProtocolMessage::Kind::Push, QStringLiteral("room:lobby"), "{\"body\":\"hi\"}", {}, false};
    push.event = QStringLiteral("new_msg");
    ProtocolMessage perform{ProtocolMessage::Kind::Perform, QStringLiteral("speak"), "{\"body\":\"hi\"}", {}, false};
    protocol.messages << invoke << push << perform;
    p.options.rulesDocument = QByteArray(R"({"rules": [
        {"name": "slow", "from": "server", "match": "^tick", "action": "delay", "ms": 250},
        {"from": "client", "action": "no-pong", "enabled": false},
        {"action": "stall", "to": "client", "ms": 1500, "after_ms": 10}]})");
    QString error;
    p.options.rules = RuleFile::parse(p.options.rulesDocument, &error);
    Q_ASSERT(p.options.rules);
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
    QCOMPARE(a.options.url, b.options.url);
    QCOMPARE(a.options.headers, b.options.headers);
    QCOMPARE(a.options.secretHeaders, b.options.secretHeaders);
    QCOMPARE(a.options.subprotocols, b.options.subprotocols);
    QCOMPARE(a.options.origin, b.options.origin);
    QCOMPARE(a.options.cookies, b.options.cookies);
    QCOMPARE(a.options.offerDeflate, b.options.offerDeflate);
    QCOMPARE(a.options.tls.caFile, b.options.tls.caFile);
    QCOMPARE(a.options.tls.clientCertificateFile, b.options.tls.clientCertificateFile);
    QCOMPARE(a.options.tls.clientKeyFile, b.options.tls.clientKeyFile);
    QCOMPARE(a.options.tls.ignoreErrors, b.options.tls.ignoreErrors);
    QCOMPARE(a.options.proxy, b.options.proxy);
    QCOMPARE(a.options.limits.maxFramePayload, b.options.limits.maxFramePayload);
    QCOMPARE(a.options.limits.maxMessageSize, b.options.limits.maxMessageSize);
    QCOMPARE(a.options.limits.maxHandshakeSize, b.options.limits.maxHandshakeSize);
    QCOMPARE(a.options.limits.maxRefusalBodySize, b.options.limits.maxRefusalBodySize);
    QCOMPARE(a.options.handshakeTimeoutMs, b.options.handshakeTimeoutMs);
    QCOMPARE(a.options.closeTimeoutMs, b.options.closeTimeoutMs);
    QCOMPARE(a.options.autoPong, b.options.autoPong);
    QCOMPARE(a.options.strict, b.options.strict);
    QCOMPARE(a.options.budget.maxStoredTotal, b.options.budget.maxStoredTotal);
    QCOMPARE(a.options.budget.maxStoredPerFrame, b.options.budget.maxStoredPerFrame);
    QCOMPARE(a.options.heartbeat.kind, b.options.heartbeat.kind);
    QCOMPARE(a.options.heartbeat.intervalMs, b.options.heartbeat.intervalMs);
    QCOMPARE(a.options.heartbeat.replyTimeoutMs, b.options.heartbeat.replyTimeoutMs);
    QCOMPARE(a.options.heartbeat.missesUntilDead, b.options.heartbeat.missesUntilDead);
    QCOMPARE(a.options.heartbeat.whenDead, b.options.heartbeat.whenDead);
    QCOMPARE(a.options.heartbeat.appMessage, b.options.heartbeat.appMessage);
    QCOMPARE(a.options.heartbeat.stopAnsweringPingsAfter, b.options.heartbeat.stopAnsweringPingsAfter);
    QCOMPARE(a.options.heartbeat.receiveTimeoutMs, b.options.heartbeat.receiveTimeoutMs);
    QCOMPARE(a.options.heartbeat.preset, b.options.heartbeat.preset);
    QCOMPARE(a.options.reconnect.enabled, b.options.reconnect.enabled);
    QCOMPARE(a.options.reconnect.maxAttempts, b.options.reconnect.maxAttempts);
    QCOMPARE(a.options.reconnect.initialDelayMs, b.options.reconnect.initialDelayMs);
    QCOMPARE(a.options.reconnect.maxDelayMs, b.options.reconnect.maxDelayMs);
    QCOMPARE(a.options.reconnect.factor, b.options.reconnect.factor);
    QCOMPARE(a.options.reconnect.jitter, b.options.reconnect.jitter);
    QCOMPARE(a.options.reconnect.stableAfterMs, b.options.reconnect.stableAfterMs);
    QCOMPARE(a.options.onConnectMessages, b.options.onConnectMessages);
    QVERIFY(a.options.protocol == b.options.protocol);
    // The rules as the document says them, whatever its spacing, and as they were read from it.
    QCOMPARE(QJsonDocument::fromJson(a.options.rulesDocument), QJsonDocument::fromJson(b.options.rulesDocument));
    QCOMPARE(a.options.hasRules(), b.options.hasRules());
    if (a.options.hasRules())
        QCOMPARE(a.options.rules->toJson(), b.options.rules->toJson());
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
    QVERIFY(!bytes.contains("stomp-s3cr3t"));
    QVERIFY(!bytes.contains("mqtt-s3cr3t"));
    // URL placeholders are written as the user wrote them, not percent-encoded.
    QVERIFY(bytes.contains("/socket/{{room}}?v=2"));
    QString error;
    const auto read = ProfileJson::fromBytes(bytes, QStringLiteral("x"), &error);
    QVERIFY2(read, qPrintable(error));
    // The header keeps its place and name; only the value is the placeholder. Everything else is intact.
    QCOMPARE(read->options.headers.at(0).name, QByteArray("Authorization"));
    QCOMPARE(read->options.headers.at(0).value, QByteArray("{{secret}}"));
    QCOMPARE(read->options.cookies.at(0).second, QByteArray("{{secret}}"));
    SessionProfile expected = original;
    expected.options.headers = read->options.headers;
    expected.options.cookies = read->options.cookies;
    expected.variables[1].value = QStringLiteral("{{secret}}");
    // The STOMP passcode and MQTT password are left out: given again with --stomp-passcode / --mqtt-password.
    expected.options.protocol.stompPasscode.clear();
    expected.options.protocol.mqttPassword.clear();
    compareProfiles(*read, expected);
}

void tst_ProfileJson::variablesAreKeptAsWritten()
{
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(fullProfile()), QStringLiteral("x"), nullptr);
    QVERIFY(read);
    QCOMPARE(read->options.headers.value("X-Tenant"), QByteArray("{{tenant}}"));
    QCOMPARE(read->options.onConnectMessages.at(0).payload, QByteArray("{\"auth\":\"{{token}}\"}"));
}

void tst_ProfileJson::minimalDocumentGivesDefaults()
{
    QString error;
    const auto read = ProfileJson::fromBytes(minimalDocument(), QStringLiteral("x"), &error);
    QVERIFY2(read, qPrintable(error));
    SessionProfile expected;
    expected.name = QStringLiteral("n");
    expected.options.url = QUrl(QStringLiteral("ws://h/"));
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
    QTest::newRow("protocol mode unknown")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "protocol": {"mode": "xmpp"}})")
        << QStringLiteral("work.json: protocol.mode: expected none, auto or a protocol name, found \"xmpp\"");
    QTest::newRow("protocol keepalive out of range")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "protocol": {"mqttKeepAliveSeconds": 70000}})")
        << QStringLiteral("work.json: protocol.mqttKeepAliveSeconds: expected a whole number from 0 to 65535, found a "
                          "number");
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
    QTest::newRow("rules not an object") << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "rules": []})")
                                         << QStringLiteral("work.json: rules: expected an object, found an array");
    QTest::newRow("rule with an unknown action")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/", "rules": {"rules": [{"action": "explode"}]}})")
        << QStringLiteral(R"(work.json: rules[0].action: unknown action "explode")");
    QTest::newRow("rule a session cannot follow")
        << QByteArray(R"({"schema": 1, "name": "n", "url": "ws://h/",
                          "rules": {"rules": [{"action": "drop"}, {"action": "inject", "to": "client", "text": "x"}]}})")
        << QStringLiteral(R"(work.json: rules[1].to: inject on a session sends a message of our client's own)");
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
    QCOMPARE(read->options.url, QUrl(QStringLiteral("ws://localhost:8080/ws")));
    QCOMPARE(read->options.headers.size(), 2);
    QCOMPARE(read->options.headers.value("X-Api-Key"), QByteArray("{{key}}"));
    QCOMPARE(read->options.headers.value("Accept-Language"), QByteArray("de"));
    QCOMPARE(read->options.subprotocols, (QStringList{QStringLiteral("chat"), QStringLiteral("superchat")}));
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
    // The whole way a user's options travel: options -> profile -> file -> profile -> options, every field.
    const SessionOptions options = fullProfile().options;
    SessionProfile profile;
    profile.name = QStringLiteral("p");
    profile.options = options;
    const auto read = ProfileJson::fromBytes(ProfileJson::toBytes(profile, ProfileJson::Secrets::Include),
                                             QStringLiteral("p.json"), nullptr);
    QVERIFY(read);
    compareProfiles(*read, profile);
    const SessionOptions &again = read->options;
    QCOMPARE(again.url, options.url);
    QCOMPARE(again.headers, options.headers);
    QCOMPARE(again.subprotocols, options.subprotocols);
    QCOMPARE(again.origin, options.origin);
    QCOMPARE(again.cookies, options.cookies);
    QCOMPARE(again.offerDeflate, options.offerDeflate);
    QCOMPARE(again.tls, options.tls);
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
}

QTEST_GUILESS_MAIN(tst_ProfileJson)
#include "tst_profilejson.moc"
