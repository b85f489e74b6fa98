// SPDX-License-Identifier: GPL-3.0-or-later
// RuleSet: first match wins, switched-off rules are skipped (also while another thread flips them), and what each
// kind of rule matches (sender, opcode, text; messages only unless the rule names a control opcode).
#include "core/protocol/Opcode.h"
#include "core/rules/RuleFile.h"

#include <QJsonObject>
#include <QTest>
#include <QThread>

using namespace wsi;

namespace {

std::shared_ptr<RuleSet> rulesFrom(const QByteArray &json)
{
    QString error;
    std::shared_ptr<RuleSet> rules = RuleFile::parse(json, &error);
    if (!rules)
        qFatal("%s", qPrintable(error));
    return rules;
}

constexpr quint8 text = Opcodes::value(Opcode::Text);
constexpr quint8 binary = Opcodes::value(Opcode::Binary);
constexpr quint8 ping = Opcodes::value(Opcode::Ping);
constexpr quint8 pong = Opcodes::value(Opcode::Pong);

} // namespace

class tst_RuleSet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstMatchWins();
    void switchedOffRulesAreSkipped();
    void matchesBySenderOpcodeAndText();
    void binaryIsMatchedAsLatin1();
    void switchesFromAnotherThread();
    void countsWhatEachRuleMatched();
    void describesItself();
};

void tst_RuleSet::firstMatchWins()
{
    const auto rules = rulesFrom(R"({"rules": [{"match": "^a", "action": "drop"}, {"match": "b", "action": "pass"},
                                              {"action": "duplicate"}]})");
    QCOMPARE(rules->firstMatch(Endpoint::Client, text, QStringLiteral("ab")), 0);
    QCOMPARE(rules->firstMatch(Endpoint::Client, text, QStringLiteral("xb")), 1);
    QCOMPARE(rules->firstMatch(Endpoint::Client, text, QStringLiteral("xy")), 2);
}

void tst_RuleSet::switchedOffRulesAreSkipped()
{
    const auto rules = rulesFrom(R"({"rules": [{"match": "x", "action": "drop", "enabled": false},
                                              {"match": "x", "action": "duplicate"}]})");
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x")), 1);
    rules->setEnabled(0, true);
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x")), 0);
    rules->setEnabled(0, false);
    rules->setEnabled(1, false);
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("x")), -1);
}

void tst_RuleSet::matchesBySenderOpcodeAndText()
{
    const auto rules = rulesFrom(R"({"rules": [{"from": "server", "opcode": "binary", "action": "drop"},
                                              {"from": "client", "match": "hello", "action": "duplicate"},
                                              {"opcode": "ping", "action": "drop"},
                                              {"from": "client", "action": "no-pong"}]})");
    QCOMPARE(rules->firstMatch(Endpoint::Server, binary, QStringLiteral("x")), 0);
    QCOMPARE(rules->firstMatch(Endpoint::Server, text, QStringLiteral("hello")), -1);
    QCOMPARE(rules->firstMatch(Endpoint::Client, text, QStringLiteral("say hello")), 1);
    QCOMPARE(rules->firstMatch(Endpoint::Client, binary, QStringLiteral("hello")), 1);
    // A rule without an opcode is one on messages: the client's ping containing "hello" is not its business.
    QCOMPARE(rules->firstMatch(Endpoint::Client, ping, QStringLiteral("hello")), 2);
    QCOMPARE(rules->firstMatch(Endpoint::Client, pong, QStringLiteral("hello")), 3);
    QCOMPARE(rules->firstMatch(Endpoint::Server, pong, QStringLiteral("hello")), -1);
}

void tst_RuleSet::binaryIsMatchedAsLatin1()
{
    const auto rules = rulesFrom(R"({"rules": [{"match": "^\\x00\\xff", "action": "drop"}]})");
    QCOMPARE(rules->firstMatch(Endpoint::Client, binary, QString::fromLatin1(QByteArray("\x00\xff", 2))), 0);
    QCOMPARE(rules->firstMatch(Endpoint::Client, binary, QString::fromLatin1(QByteArray("\x01\xff", 2))), -1);
}

void tst_RuleSet::switchesFromAnotherThread()
{
    const auto rules = rulesFrom(R"({"rules": [{"action": "drop"}]})");
    QThread *flipper = QThread::create([&rules] { rules->setEnabled(0, false); });
    flipper->start();
    QVERIFY(flipper->wait(5000));
    delete flipper;
    QCOMPARE(rules->firstMatch(Endpoint::Client, text, QStringLiteral("x")), -1);
}

void tst_RuleSet::countsWhatEachRuleMatched()
{
    // Only the rule that won counts: the later rule that would also match, a switched-off rule and a message no rule
    // matched leave the counts as they were.
    const auto rules = rulesFrom(R"({"rules": [{"match": "a", "action": "drop"}, {"match": "a|b", "action": "pass"},
                                              {"match": "c", "action": "drop", "enabled": false}]})");
    for (const QString &message :
         {QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("x")})
        rules->firstMatch(Endpoint::Client, text, message);
    QCOMPARE(rules->matchCount(0), 2u);
    QCOMPARE(rules->matchCount(1), 1u);
    QCOMPARE(rules->matchCount(2), 0u);
}

void tst_RuleSet::describesItself()
{
    const auto rules = rulesFrom(R"({"rules": [{"name": "redact", "match": "a", "action": "replace", "with": "b"},
                                              {"action": "delay", "ms": 5, "enabled": false}]})");
    QCOMPARE(rules->describe(), QStringLiteral("redact (replace), rules[1] (delay, off)"));
    const QJsonArray json = rules->toJson();
    QCOMPARE(json.size(), 2);
    QCOMPARE(json.at(1).toObject(), QJsonObject({{QStringLiteral("name"), QStringLiteral("rules[1]")},
                                                 {QStringLiteral("action"), QStringLiteral("delay")},
                                                 {QStringLiteral("enabled"), false}}));
}

QTEST_GUILESS_MAIN(tst_RuleSet)
#include "tst_ruleset.moc"
