// SPDX-License-Identifier: GPL-3.0-or-later
// The decisions `proxy` and `capture` read on stdin: each form, and every line refused with why.
#include "app/cli/HoldDecisionLine.h"
#include "core/protocol/Opcode.h"

#include <QTest>

using namespace wsi;
using namespace wsi::cli;

class tst_HoldDecisionLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEachDecision();
    void refuses_data();
    void refuses();
};

void tst_HoldDecisionLine::readsEachDecision()
{
    QString error;
    std::optional<HoldDecisionLine> line = HoldDecisionLine::parse(R"({"forward": 3})", &error);
    QVERIFY2(line, qPrintable(error));
    QCOMPARE(line->id, quint64(3));
    QCOMPARE(line->decision.kind, HoldDecision::Kind::Forward);

    line = HoldDecisionLine::parse(R"({"forward": 4, "text": "café"})", &error);
    QVERIFY2(line, qPrintable(error));
    QCOMPARE(line->decision.kind, HoldDecision::Kind::ForwardEdited);
    QCOMPARE(line->decision.opcode, Opcodes::value(Opcode::Text));
    QCOMPARE(line->decision.payload, QStringLiteral("café").toUtf8());

    line = HoldDecisionLine::parse(R"({"answer": 5, "hex": "00 ff 10"})", &error);
    QVERIFY2(line, qPrintable(error));
    QCOMPARE(line->decision.kind, HoldDecision::Kind::Answer);
    QCOMPARE(line->decision.opcode, Opcodes::value(Opcode::Binary));
    QCOMPARE(line->decision.payload, QByteArray("\x00\xff\x10", 3));

    line = HoldDecisionLine::parse(R"({"drop": 9007199254740992})", &error);
    QVERIFY2(line, qPrintable(error));
    QCOMPARE(line->id, quint64(9007199254740992));
    QCOMPARE(line->decision.kind, HoldDecision::Kind::Drop);
}

void tst_HoldDecisionLine::refuses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");
    const QString notObject = QStringLiteral(
        "not a JSON object: expected {\"forward\": ID}, {\"forward\": ID, \"text\": \"...\"}, {\"drop\": ID} or "
        "{\"answer\": ID, \"text\": \"...\"}");
    QTest::newRow("not JSON") << QByteArray("forward 3") << notObject;
    QTest::newRow("an array") << QByteArray("[3]") << notObject;
    QTest::newRow("no decision") << QByteArray(R"({"text": "x"})")
                                 << QStringLiteral("missing the decision: \"forward\", \"drop\" or \"answer\" with "
                                                   "the held message's id");
    QTest::newRow("two decisions") << QByteArray(R"({"forward": 1, "drop": 1})")
                                   << QStringLiteral("\"forward\" and \"drop\": one decision a line");
    QTest::newRow("unknown field") << QByteArray(R"({"drop": 1, "why": "spam"})")
                                   << QStringLiteral("\"why\": unknown field (a decision takes \"drop\", \"text\" or "
                                                     "\"hex\")");
    QTest::newRow("id a string") << QByteArray(R"({"forward": "3"})")
                                 << QStringLiteral("\"forward\": expected the held message's id (a whole number "
                                                   "from 1), not a string");
    QTest::newRow("id zero") << QByteArray(R"({"forward": 0})")
                             << QStringLiteral("\"forward\": expected the held message's id (a whole number from "
                                               "1), not 0");
    QTest::newRow("id fractional") << QByteArray(R"({"drop": 1.5})")
                                   << QStringLiteral("\"drop\": expected the held message's id (a whole number from "
                                                     "1), not 1.5");
    QTest::newRow("drop with text") << QByteArray(R"({"drop": 1, "text": "x"})")
                                    << QStringLiteral("\"drop\" takes no \"text\"");
    QTest::newRow("answer without a message")
        << QByteArray(R"({"answer": 1})")
        << QStringLiteral("\"answer\" needs the message to send back: \"text\" or \"hex\"");
    QTest::newRow("text and hex") << QByteArray(R"({"answer": 1, "text": "a", "hex": "61"})")
                                  << QStringLiteral("\"text\" and \"hex\": the message is one or the other");
    QTest::newRow("text a number") << QByteArray(R"({"forward": 1, "text": 7})")
                                   << QStringLiteral("\"text\": expected a string, not a number");
    QTest::newRow("bad hex") << QByteArray(R"({"forward": 1, "hex": "6g"})")
                             << QStringLiteral("\"hex\": \"6g\" is not bytes in hex (two digits 0-9, a-f a byte)");
    QTest::newRow("odd hex") << QByteArray(R"({"forward": 1, "hex": "616"})")
                             << QStringLiteral("\"hex\": \"616\" is not bytes in hex (two digits 0-9, a-f a byte)");
}

void tst_HoldDecisionLine::refuses()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!HoldDecisionLine::parse(line, &error));
    QCOMPARE(error, expected);
}

QTEST_GUILESS_MAIN(tst_HoldDecisionLine)
#include "tst_holddecisionline.moc"
