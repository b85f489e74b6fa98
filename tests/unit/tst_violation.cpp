// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Violation.h"

#include <QSet>
#include <QTest>

using namespace wsi;

class tst_Violation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRuleIsDescribed();
    void closeCodesFollowTheRfc();
    void maskCollectsRules();
};

void tst_Violation::everyRuleIsDescribed()
{
    QSet<QString> ids;
    for (int i = 0; i < int(ViolationRule::Count); ++i) {
        const auto rule = ViolationRule(i);
        const QString id = Violations::id(rule);
        QVERIFY2(!id.isEmpty() && id == id.toLower() && !id.contains(u' '), qPrintable(id));
        QVERIFY2(!ids.contains(id), qPrintable(id));
        ids.insert(id);
        QVERIFY2(Violations::rfcSection(rule).startsWith(QStringLiteral("RFC ")), qPrintable(id));
        QVERIFY2(Violations::rfcSection(rule).contains(u'§'), qPrintable(id));
    }
    const Violation v{ViolationRule::UnknownOpcode, QStringLiteral("opcode 0x3 is reserved")};
    QCOMPARE(Violations::describe(v), QStringLiteral("RFC 6455 §5.2 unknown-opcode: opcode 0x3 is reserved"));
}

// RFC 6455 §7.4.1: 1007 for data inconsistent with the message type (invalid UTF-8), 1009 for too big, and
// 1002 for every other protocol error.
void tst_Violation::closeCodesFollowTheRfc()
{
    QCOMPARE(Violations::closeCode(ViolationRule::InvalidUtf8), quint16(1007));
    QCOMPARE(Violations::closeCode(ViolationRule::CloseReasonInvalidUtf8), quint16(1007));
    QCOMPARE(Violations::closeCode(ViolationRule::MessageTooLarge), quint16(1009));
    QCOMPARE(Violations::closeCode(ViolationRule::FrameTooLarge), quint16(1009));
    QCOMPARE(Violations::closeCode(ViolationRule::InflatedMessageTooLarge), quint16(1009));
    QCOMPARE(Violations::closeCode(ViolationRule::UnknownOpcode), quint16(1002));
    QCOMPARE(Violations::closeCode(ViolationRule::MaskedFrameFromServer), quint16(1002));
}

void tst_Violation::maskCollectsRules()
{
    const ViolationList list{{ViolationRule::UnknownOpcode, {}}, {ViolationRule::PongPayloadMismatch, {}}};
    QCOMPARE(Violations::mask(list),
             Violations::bit(ViolationRule::UnknownOpcode) | Violations::bit(ViolationRule::PongPayloadMismatch));
    QCOMPARE(Violations::mask({}), quint64(0));
}

QTEST_GUILESS_MAIN(tst_Violation)
#include "tst_violation.moc"
