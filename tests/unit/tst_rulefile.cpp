// SPDX-License-Identifier: GPL-3.0-or-later
// The rule file: the issue's example read whole, every field's value as a Rule holds it, and each way a file can be
// wrong refused with the rule's index, the field and the value.
#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/protocol/Opcode.h"
#include "core/rules/RuleFile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

QString protocolNames()
{
    QStringList names;
    for (const AppProtocol protocol : AppProtocols::all())
        names.append(AppProtocols::name(protocol));
    return names.join(QStringLiteral(", "));
}

} // namespace

class tst_RuleFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheExample();
    void readsEveryAction();
    void readsPause();
    void defaults();
    void readsInjectStallAndThrottle();
    void readsReplaceAtAPath();
    void matchesTheDecodedProtocol();
    void subjectBySpelling();
    void refuses_data();
    void refuses();
    void notJsonSaysWhere();
    void badRegexSaysWhy();
    void readsAFileAndNamesItInErrors();
};

void tst_RuleFile::readsTheExample()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"name": "redact", "from": "client", "opcode": "text", "match": "secret", "action": "replace",
            "with": "public"}, {"from": "server", "match": "^bye$", "action": "close", "to": "client", "code": 4000,
            "reason": "injected"}, {"from": "server", "match": "^slow-", "action": "delay", "ms": 600}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->size(), 3);
    const Rule &redact = rules->rule(0);
    QCOMPARE(redact.name, QStringLiteral("redact"));
    QCOMPARE(redact.from, Endpoint::Client);
    QCOMPARE(redact.opcode, Opcodes::value(Opcode::Text));
    QCOMPARE(redact.match.pattern(), QStringLiteral("secret"));
    QCOMPARE(redact.action, Rule::Action::Replace);
    QCOMPARE(redact.with, QStringLiteral("public"));
    const Rule &bye = rules->rule(1);
    QCOMPARE(bye.name, QStringLiteral("rules[1]"));
    QCOMPARE(bye.action, Rule::Action::Close);
    QCOMPARE(bye.to, Rule::Target::Client);
    QCOMPARE(bye.code, quint16(4000));
    QCOMPARE(bye.reason, QStringLiteral("injected"));
    QCOMPARE(rules->rule(2).action, Rule::Action::Delay);
    QCOMPARE(rules->rule(2).ms, 600);
    QVERIFY(rules->isEnabled(0) && rules->isEnabled(1) && rules->isEnabled(2));
}

void tst_RuleFile::readsEveryAction()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"action": "pass"}, {"action": "drop"}, {"action": "replace", "match": "a", "with": "b"},
            {"action": "delay", "ms": 0}, {"action": "duplicate"}, {"action": "close"}, {"action": "abort", "to": "server"},
            {"action": "blackhole"}, {"action": "no-pong", "from": "client"}, {"action": "delay-pong", "ms": 250},
            {"action": "drop", "opcode": "ping", "enabled": false}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->size(), 11);
    const QList<Rule::Action> expected{Rule::Action::Pass,      Rule::Action::Drop,      Rule::Action::Replace,
                                       Rule::Action::Delay,     Rule::Action::Duplicate, Rule::Action::Close,
                                       Rule::Action::Abort,     Rule::Action::Blackhole, Rule::Action::NoPong,
                                       Rule::Action::DelayPong, Rule::Action::Drop};
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(rules->rule(i).action, expected.at(i));
        QCOMPARE(Rule::actionNamed(Rule::actionName(expected.at(i))), expected.at(i));
    }
    QCOMPARE(rules->rule(6).to, Rule::Target::Server);
    // Pong rules act on pongs whether or not the file says so.
    QCOMPARE(rules->rule(8).opcode, Opcodes::value(Opcode::Pong));
    QCOMPARE(rules->rule(9).opcode, Opcodes::value(Opcode::Pong));
    QCOMPARE(rules->rule(9).ms, 250);
    QVERIFY(!rules->isEnabled(10));
}

void tst_RuleFile::readsPause()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"name": "bp", "from": "server", "match": "^order", "action": "pause"},
            {"action": "pause", "opcode": "binary", "timeout_ms": 2500}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->rule(0).action, Rule::Action::Pause);
    QCOMPARE(Rule::actionName(Rule::Action::Pause), QStringLiteral("pause"));
    QCOMPARE(rules->rule(0).timeoutMs, -1); // until someone decides
    QCOMPARE(rules->rule(0).from, Endpoint::Server);
    QCOMPARE(rules->rule(1).timeoutMs, 2500);
    QCOMPARE(rules->rule(1).opcode, Opcodes::value(Opcode::Binary));
}

void tst_RuleFile::defaults()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(R"({"rules": [{"action": "close"}]})", &error);
    QVERIFY2(rules, qPrintable(error));
    const Rule &rule = rules->rule(0);
    QCOMPARE(rule.to, Rule::Target::Both);
    QCOMPARE(rule.code, quint16(1000));
    QVERIFY(rule.reason.isEmpty());
    QVERIFY(!rule.from);
    QVERIFY(!rule.opcode);
    QVERIFY(rule.match.pattern().isEmpty());
    QVERIFY(RuleFile::parse(R"({"rules": []})", &error));
}

void tst_RuleFile::readsInjectStallAndThrottle()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"name": "hb", "action": "inject", "to": "server", "text": "{\"op\":1}", "every_ms": 250},
            {"action": "inject", "to": "client", "hex": "00 ff10", "after_ms": 0},
            {"action": "inject", "to": "both", "from": "server", "match": "^go$", "text": "went"},
            {"action": "stall", "from": "client", "match": "^hold", "ms": 800},
            {"action": "stall", "to": "client", "after_ms": 100},
            {"action": "throttle", "bytes_per_second": 2048}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    const Rule &heartbeat = rules->rule(0);
    QCOMPARE(heartbeat.action, Rule::Action::Inject);
    QCOMPARE(heartbeat.to, Rule::Target::Server);
    QCOMPARE(heartbeat.payload, QByteArray(R"({"op":1})"));
    QCOMPARE(heartbeat.payloadOpcode, Opcodes::value(Opcode::Text));
    QCOMPARE(heartbeat.everyMs, 250);
    QCOMPARE(heartbeat.afterMs, -1);
    QVERIFY(heartbeat.isTimed());
    // A timed rule matches no message, whatever it is.
    QVERIFY(!heartbeat.matches(Endpoint::Client, Opcodes::value(Opcode::Text), QStringLiteral("x")));
    QCOMPARE(rules->rule(1).payload, QByteArray::fromHex("00ff10"));
    QCOMPARE(rules->rule(1).payloadOpcode, Opcodes::value(Opcode::Binary));
    QCOMPARE(rules->rule(1).afterMs, 0);
    QVERIFY(rules->rule(1).isTimed());
    QVERIFY(!rules->rule(2).isTimed());
    QVERIFY(rules->rule(2).matches(Endpoint::Server, Opcodes::value(Opcode::Text), QStringLiteral("go")));
    QCOMPARE(rules->rule(3).ms, 800);
    QVERIFY(rules->rule(3).towardsReceiver); // no "to": where the matched message goes
    QCOMPARE(rules->rule(4).ms, -1);         // no "ms": until the end
    QCOMPARE(rules->rule(4).to, Rule::Target::Client);
    QVERIFY(!rules->rule(4).towardsReceiver);
    QCOMPARE(rules->rule(5).bytesPerSecond, 2048);
    QVERIFY(rules->rule(5).towardsReceiver);
}

void tst_RuleFile::readsReplaceAtAPath()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"action": "replace", "from": "client", "path": "$.user.name", "value": {"first": "a", "n": 2}},
            {"action": "replace", "path": "$.token", "delete": true, "match": "token"}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QVERIFY(rules->rule(0).path);
    QCOMPARE(rules->rule(0).path->text(), QStringLiteral("$.user.name"));
    QCOMPARE(rules->rule(0).value, QByteArray(R"({"first":"a","n":2})"));
    // JSON is text: a path rule acts on text messages alone.
    QCOMPARE(rules->rule(0).opcode, Opcodes::value(Opcode::Text));
    QVERIFY(rules->rule(1).value.isEmpty());
    QCOMPARE(rules->rule(1).match.pattern(), QStringLiteral("token"));
}

void tst_RuleFile::matchesTheDecodedProtocol()
{
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"name": "chat", "protocol": "socket.io", "kind": "event", "subject": "chat", "action": "drop"},
            {"name": "prices", "subject": "/topic/prices", "action": "delay", "ms": 5},
            {"name": "plain", "match": "x", "action": "pass"}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QVERIFY(rules->needsDecoding());
    QCOMPARE(rules->rule(0).protocol, AppProtocol::SocketIo);
    QVERIFY(!rules->rule(2).needsDecoding());
    const quint8 text = Opcodes::value(Opcode::Text);
    DecodedMessage chat;
    chat.protocol = AppProtocol::SocketIo;
    chat.kind = QStringLiteral("EVENT");
    chat.fields = QJsonObject{{QStringLiteral("event"), QStringLiteral("chat")}};
    DecodedMessage other = chat;
    other.fields = QJsonObject{{QStringLiteral("event"), QStringLiteral("typing")}};
    DecodedMessage stomp;
    stomp.protocol = AppProtocol::Stomp;
    stomp.kind = QStringLiteral("MESSAGE");
    stomp.fields = QJsonObject{
        {QStringLiteral("headers"), QJsonObject{{QStringLiteral("destination"), QStringLiteral("/topic/prices")}}}};
    // The kind whatever its case, the event by name; one of several messages in a WebSocket message is enough.
    const DecodedMessages both{other, chat};
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x"), &both), 0);
    const DecodedMessages typing{other};
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x"), &typing), 2);
    const DecodedMessages prices{stomp};
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("y"), &prices), 1);
    // Not decoded (no protocol recognised, or nothing decodes): protocol rules never match.
    const DecodedMessages none;
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("y"), &none), -1);
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x")), 2);
}

void tst_RuleFile::subjectBySpelling()
{
    // Each protocol's word for the subject reads as "subject".
    QString error;
    const std::shared_ptr<RuleSet> rules = RuleFile::parse(
        R"({"rules": [{"protocol": "socket.io", "event": "chat", "action": "drop"},
            {"protocol": "mqtt", "topic": "sensors/1", "action": "drop"},
            {"protocol": "stomp", "destination": "/topic/prices", "action": "drop"},
            {"protocol": "graphql-transport-ws", "operation": "OnPrice", "action": "drop"},
            {"subject": "any", "action": "drop"}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->size(), 5);
    const QStringList subjects{QStringLiteral("chat"), QStringLiteral("sensors/1"), QStringLiteral("/topic/prices"),
                               QStringLiteral("OnPrice"), QStringLiteral("any")};
    for (qsizetype i = 0; i < rules->size(); ++i) {
        QCOMPARE(rules->rule(i).subject, subjects.at(i));
        QVERIFY(rules->rule(i).needsDecoding());
    }
    const quint8 text = Opcodes::value(Opcode::Text);
    DecodedMessage chat;
    chat.protocol = AppProtocol::SocketIo;
    chat.kind = QStringLiteral("EVENT");
    chat.fields = QJsonObject{{QStringLiteral("event"), QStringLiteral("chat")}};
    const DecodedMessages decoded{chat};
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("42[\"chat\"]"), &decoded), 0);
}

void tst_RuleFile::refuses_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown action") << QByteArray(R"({"rules": [{"action": "explode"}]})")
                                    << QStringLiteral("rules[0].action: unknown action \"explode\"");
    QTest::newRow("missing action") << QByteArray(R"({"rules": [{"action": "drop"}, {"match": "x"}]})")
                                    << QStringLiteral("rules[1].action: missing (what the rule does: pass, drop, "
                                                      "replace, delay, duplicate, close, abort, blackhole, no-pong, "
                                                      "delay-pong, inject, stall, throttle or pause)");
    QTest::newRow("action not a string") << QByteArray(R"({"rules": [{"action": 3}]})")
                                         << QStringLiteral("rules[0].action: expected a string, not a number");
    QTest::newRow("delay without ms") << QByteArray(R"({"rules": [{"action": "delay"}]})")
                                      << QStringLiteral("rules[0].ms: missing (delay needs the delay in milliseconds)");
    QTest::newRow("delay-pong without ms")
        << QByteArray(R"({"rules": [{"action": "delay-pong"}]})")
        << QStringLiteral("rules[0].ms: missing (delay-pong needs the delay in milliseconds)");
    QTest::newRow("ms a string") << QByteArray(R"({"rules": [{"action": "delay", "ms": "600"}]})")
                                 << QStringLiteral("rules[0].ms: expected a number, not a string");
    QTest::newRow("ms negative") << QByteArray(R"({"rules": [{"action": "delay", "ms": -1}]})")
                                 << QStringLiteral("rules[0].ms: -1 is not a whole number from 0 to 3600000");
    QTest::newRow("ms fractional") << QByteArray(R"({"rules": [{"action": "delay", "ms": 1.5}]})")
                                   << QStringLiteral("rules[0].ms: 1.5 is not a whole number from 0 to 3600000");
    QTest::newRow("close code reserved")
        << QByteArray(R"({"rules": [{"action": "close", "code": 1005}]})")
        << QStringLiteral("rules[0].code: 1005 is not a code a Close may carry (1000-1003, 1007-1014, 3000-4999)");
    QTest::newRow("close code too big") << QByteArray(R"({"rules": [{"action": "close", "code": 70000}]})")
                                        << QStringLiteral("rules[0].code: 70000 is not a whole number from 0 to 65535");
    QTest::newRow("close reason too long")
        << QByteArray(R"({"rules": [{"action": "close", "reason": ")" + QByteArray(124, 'r') + R"("}]})")
        << QStringLiteral("rules[0].reason: 124 bytes of UTF-8, more than the 123 a Close frame has room for");
    QTest::newRow("close to nobody") << QByteArray(R"({"rules": [{"action": "close", "to": "upstream"}]})")
                                     << QStringLiteral("rules[0].to: \"upstream\" is not \"client\", \"server\" or "
                                                       "\"both\"");
    QTest::newRow("abort to a number") << QByteArray(R"({"rules": [{"action": "abort", "to": 1}]})")
                                       << QStringLiteral("rules[0].to: expected a string, not a number");
    QTest::newRow("unknown field") << QByteArray(R"({"rules": [{"action": "replace", "match": "a", "wiht": "b"}]})")
                                   << QStringLiteral("rules[0].wiht: unknown field for a replace rule (it takes name, "
                                                     "from, opcode, match, action, enabled, protocol, kind, subject, "
                                                     "event, topic, destination, operation, with, path, value, "
                                                     "delete)");
    QTest::newRow("field of another action")
        << QByteArray(R"({"rules": [{"action": "drop", "ms": 5}]})")
        << QStringLiteral("rules[0].ms: unknown field for a drop rule (it takes name, from, opcode, match, action, "
                          "enabled, protocol, kind, subject, event, topic, destination, operation)");
    QTest::newRow("replace without with") << QByteArray(R"({"rules": [{"action": "replace", "match": "a"}]})")
                                          << QStringLiteral("rules[0].with: missing (replace needs the text to put in, "
                                                            "\\1 for a capture group)");
    QTest::newRow("replace without match") << QByteArray(R"({"rules": [{"action": "replace", "with": "a"}]})")
                                           << QStringLiteral("rules[0].match: missing (replace needs the pattern to "
                                                             "replace)");
    QTest::newRow("replace on pings")
        << QByteArray(R"({"rules": [{"action": "replace", "opcode": "ping", "match": "a", "with": "b"}]})")
        << QStringLiteral("rules[0].opcode: replace acts on messages (text or binary), "
                          "not \"ping\"");
    QTest::newRow("no-pong on text") << QByteArray(R"({"rules": [{"action": "no-pong", "opcode": "text"}]})")
                                     << QStringLiteral("rules[0].opcode: no-pong acts on pongs, not \"text\"");
    QTest::newRow("bad from") << QByteArray(R"({"rules": [{"action": "drop", "from": "browser"}]})")
                              << QStringLiteral("rules[0].from: \"browser\" is not \"client\" or \"server\"");
    QTest::newRow("bad opcode") << QByteArray(R"({"rules": [{"action": "drop", "opcode": "continuation"}]})")
                                << QStringLiteral("rules[0].opcode: \"continuation\" is not \"text\", \"binary\", "
                                                  "\"ping\", \"pong\" or \"close\"");
    QTest::newRow("name not a string") << QByteArray(R"({"rules": [{"action": "drop", "name": ["a"]}]})")
                                       << QStringLiteral("rules[0].name: expected a string, not an array");
    QTest::newRow("match not a string") << QByteArray(R"({"rules": [{"action": "drop", "match": null}]})")
                                        << QStringLiteral("rules[0].match: expected a string, not null");
    QTest::newRow("enabled not a bool") << QByteArray(R"({"rules": [{"action": "drop", "enabled": "yes"}]})")
                                        << QStringLiteral("rules[0].enabled: expected true or false, not a string");
    QTest::newRow("rule not an object") << QByteArray(R"({"rules": [{"action": "drop"}, "drop"]})")
                                        << QStringLiteral("rules[1]: expected an object, not a string");
    QTest::newRow("rules not an array") << QByteArray(R"({"rules": {"action": "drop"}})")
                                        << QStringLiteral("rules: expected an array, not an object");
    QTest::newRow("no rules") << QByteArray(R"({})") << QStringLiteral("rules: missing (the list of rules)");
    QTest::newRow("unknown top-level field") << QByteArray(R"({"rules": [], "rule": []})")
                                             << QStringLiteral("rule: unknown field (a rule file has only \"rules\")");
    QTest::newRow("bad path") << QByteArray(R"({"rules": [{"action": "replace", "path": "$.user..name", "value": 1}]})")
                              << QStringLiteral("rules[0].path: \"$.user..name\": a member name is missing at "
                                                "character 8");
    QTest::newRow("path not a string") << QByteArray(R"({"rules": [{"action": "replace", "path": 3, "value": 1}]})")
                                       << QStringLiteral("rules[0].path: expected a string, not a number");
    QTest::newRow("path without value")
        << QByteArray(R"({"rules": [{"action": "replace", "path": "$.a"}]})")
        << QStringLiteral("rules[0].value: missing (replace at a path needs the JSON value to set there, or "
                          "\"delete\": true)");
    QTest::newRow("path with value and delete")
        << QByteArray(R"({"rules": [{"action": "replace", "path": "$.a", "value": 1, "delete": true}]})")
        << QStringLiteral("rules[0].delete: replace at a path sets \"value\" or deletes, not both");
    QTest::newRow("delete false") << QByteArray(R"({"rules": [{"action": "replace", "path": "$.a", "delete": false}]})")
                                  << QStringLiteral("rules[0].delete: expected true (remove what the path names), not "
                                                    "false");
    QTest::newRow("path and with")
        << QByteArray(R"({"rules": [{"action": "replace", "path": "$.a", "match": "a", "with": "b"}]})")
        << QStringLiteral("rules[0].with: replace takes \"with\" (text for what \"match\" found) or \"path\" (a "
                          "JSON value to set), not both");
    QTest::newRow("path on binary")
        << QByteArray(R"({"rules": [{"action": "replace", "opcode": "binary", "path": "$.a", "value": 1}]})")
        << QStringLiteral("rules[0].opcode: replace at a path acts on text messages (JSON), not \"binary\"");
    QTest::newRow("inject nowhere") << QByteArray(R"({"rules": [{"action": "inject", "text": "x"}]})")
                                    << QStringLiteral("rules[0].to: missing (inject needs where its message goes: "
                                                      "\"client\", \"server\" or \"both\")");
    QTest::newRow("inject nothing") << QByteArray(R"({"rules": [{"action": "inject", "to": "client"}]})")
                                    << QStringLiteral("rules[0].text: missing (inject needs its message: \"text\", or "
                                                      "\"hex\" for a binary one)");
    QTest::newRow("inject text and hex")
        << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "text": "a", "hex": "00"}]})")
        << QStringLiteral("rules[0].hex: inject sends \"text\" or \"hex\" (binary), not both");
    QTest::newRow("inject bad hex") << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "hex": "0g"}]})")
                                    << QStringLiteral("rules[0].hex: \"0g\" is not bytes in hex (two digits 0-9, a-f "
                                                      "a byte)");
    QTest::newRow("inject odd hex") << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "hex": "abc"}]})")
                                    << QStringLiteral("rules[0].hex: \"abc\" is not bytes in hex (two digits 0-9, a-f "
                                                      "a byte)");
    QTest::newRow("every zero")
        << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "text": "a", "every_ms": 0}]})")
        << QStringLiteral("rules[0].every_ms: 0 is not a whole number from 1 to 3600000");
    QTest::newRow("timed with a match")
        << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "text": "a", "every_ms": 5, "match": "x"}]})")
        << QStringLiteral("rules[0].match: a rule timed by every_ms acts on its own from the upgrade and matches no "
                          "messages");
    QTest::newRow("timed stall from a side")
        << QByteArray(R"({"rules": [{"action": "stall", "after_ms": 5, "from": "client"}]})")
        << QStringLiteral("rules[0].from: a rule timed by after_ms acts on its own from the upgrade and matches no "
                          "messages");
    QTest::newRow("stall zero ms") << QByteArray(R"({"rules": [{"action": "stall", "ms": 0}]})")
                                   << QStringLiteral("rules[0].ms: 0 is not a whole number from 1 to 3600000");
    QTest::newRow("throttle without a rate") << QByteArray(R"({"rules": [{"action": "throttle", "to": "client"}]})")
                                             << QStringLiteral("rules[0].bytes_per_second: missing (throttle needs the "
                                                               "most it forwards per second)");
    QTest::newRow("throttle at zero") << QByteArray(R"({"rules": [{"action": "throttle", "bytes_per_second": 0}]})")
                                      << QStringLiteral("rules[0].bytes_per_second: 0 is not a whole number from 1 to "
                                                        "1099511627776");
    QTest::newRow("throttle every")
        << QByteArray(R"({"rules": [{"action": "throttle", "bytes_per_second": 5, "every_ms": 5}]})")
        << QStringLiteral("rules[0].every_ms: unknown field for a throttle rule (it takes "
                          "name, from, opcode, match, action, enabled, protocol, kind, subject, event, topic, "
                          "destination, operation, to, "
                          "bytes_per_second, after_ms)");
    QTest::newRow("unknown protocol") << QByteArray(R"({"rules": [{"action": "drop", "protocol": "socketio"}]})")
                                      << QStringLiteral("rules[0].protocol: unknown protocol \"socketio\" (one of ") +
                                             protocolNames() + QStringLiteral(")");
    QTest::newRow("kind not a string") << QByteArray(R"({"rules": [{"action": "drop", "kind": 2}]})")
                                       << QStringLiteral("rules[0].kind: expected a string, not a number");
    QTest::newRow("protocol on pongs")
        << QByteArray(R"({"rules": [{"action": "no-pong", "protocol": "mqtt"}]})")
        << QStringLiteral("rules[0].protocol: no-pong acts on WebSocket pongs, which carry no application protocol");
    QTest::newRow("timed with a subject")
        << QByteArray(R"({"rules": [{"action": "stall", "after_ms": 1, "subject": "chat"}]})")
        << QStringLiteral("rules[0].subject: a rule timed by after_ms acts on its own from the upgrade and matches no "
                          "messages");
    QTest::newRow("subject twice")
        << QByteArray(R"({"rules": [{"action": "drop", "event": "chat", "topic": "prices"}]})")
        << QStringLiteral("rules[0].topic: the rule names its subject already as \"event\" (subject, event, topic, "
                          "destination and operation are one field)");
    QTest::newRow("event not a string") << QByteArray(R"({"rules": [{"action": "drop", "event": 7}]})")
                                        << QStringLiteral("rules[0].event: expected a string, not a number");
    QTest::newRow("timed with a topic")
        << QByteArray(R"({"rules": [{"action": "inject", "to": "client", "text": "x", "every_ms": 5, "topic": "t"}]})")
        << QStringLiteral("rules[0].topic: a rule timed by every_ms acts on its own from the upgrade and matches no "
                          "messages");
    QTest::newRow("pause timeout zero") << QByteArray(R"({"rules": [{"action": "pause", "timeout_ms": 0}]})")
                                        << QStringLiteral(
                                               "rules[0].timeout_ms: 0 is not a whole number from 1 to 3600000");
    QTest::newRow("pause timeout a string") << QByteArray(R"({"rules": [{"action": "pause", "timeout_ms": "5s"}]})")
                                            << QStringLiteral("rules[0].timeout_ms: expected a number, not a string");
    QTest::newRow("pause on pings") << QByteArray(
                                           R"({"rules": [{"action": "drop"}, {"action": "pause", "opcode": "ping"}]})")
                                    << QStringLiteral("rules[1].opcode: pause acts on messages (text or binary), not "
                                                      "\"ping\"");
    QTest::newRow("pause with ms") << QByteArray(R"({"rules": [{"action": "pause", "ms": 5}]})")
                                   << QStringLiteral(
                                          "rules[0].ms: unknown field for a pause rule (it takes name, from, "
                                          "opcode, match, action, enabled, protocol, kind, subject, event, topic, "
                                          "destination, operation, timeout_ms)");
    QTest::newRow("top level an array") << QByteArray(R"([{"action": "drop"}])")
                                        << QStringLiteral("expected an object {\"rules\": [...]}, not an array");
}

void tst_RuleFile::refuses()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!RuleFile::parse(json, &error));
    QCOMPARE(error, expected);
}

void tst_RuleFile::notJsonSaysWhere()
{
    QString error;
    QVERIFY(!RuleFile::parse("{\"rules\": [\n  {\"action\": \"drop\"},\n  {\"action\" \"drop\"}\n]}", &error));
    QVERIFY2(error.startsWith(QStringLiteral("not JSON: ")), qPrintable(error));
    QVERIFY2(error.endsWith(QStringLiteral(" at line 3, column 14 (offset 47)")), qPrintable(error));
}

void tst_RuleFile::badRegexSaysWhy()
{
    QString error;
    QVERIFY(
        !RuleFile::parse("{\"rules\": [{\"action\": \"drop\"}, {\"action\": \"drop\", \"match\": \"a(b\"}]}", &error));
    // PCRE2's own words and where in the pattern it stopped.
    QCOMPARE(error, QStringLiteral("rules[1].match: bad regular expression \"a(b\": missing closing parenthesis at "
                                   "offset 3"));
}

void tst_RuleFile::readsAFileAndNamesItInErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("rules.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"rules": [{"action": "explode"}]})");
    file.close();
    QString error;
    QVERIFY(!RuleFile::read(path, &error));
    QCOMPARE(error, path + QStringLiteral(": rules[0].action: unknown action \"explode\""));
    QVERIFY(!RuleFile::read(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read ") + dir.filePath(QStringLiteral("missing.json"))),
             qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_RuleFile)
#include "tst_rulefile.moc"
