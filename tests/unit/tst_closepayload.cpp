// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtocolPrinters.h"
#include "WireBytes.h"
#include "core/protocol/ClosePayload.h"

#include <QTest>

using namespace wsi;
using wsi::test::hex;

// ClosePayload is the one reader of Close payloads (RFC 6455 §5.5.1, §7.4): the assembler, the HAR reader, the
// JSON exports, the frame table and detail, and the command line's transcript all go through it.
class tst_ClosePayload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("code"); // -1: none
        QTest::addColumn<int>("reportedCode");
        QTest::addColumn<QByteArray>("reasonBytes");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("reasonIsUtf8");
        QTest::addColumn<QList<ViolationRule>>("violations");
        QTest::newRow("empty: 1005 to the receiver")
            << QByteArray() << -1 << 1005 << QByteArray() << QString() << true << QList<ViolationRule>{};
        QTest::newRow("one byte") << hex("03") << -1 << 1005 << QByteArray() << QString() << true
                                  << QList<ViolationRule>{ViolationRule::CloseOneBytePayload};
        QTest::newRow("code only") << hex("03 e8") << 1000 << 1000 << QByteArray() << QString() << true
                                   << QList<ViolationRule>{};
        QTest::newRow("code and UTF-8 reason")
            << (hex("03 e9") + QByteArray("bientôt")) << 1001 << 1001 << QByteArray("bientôt")
            << QStringLiteral("bientôt") << true << QList<ViolationRule>{};
        QTest::newRow("code that may not be sent (1005)")
            << hex("03 ed") << 1005 << 1005 << QByteArray() << QString() << true
            << QList<ViolationRule>{ViolationRule::CloseCodeInvalid};
        QTest::newRow("reason not UTF-8")
            << hex("0f a0 c3 28") << 4000 << 4000 << hex("c3 28") << QStringLiteral("c3 28") << false
            << QList<ViolationRule>{ViolationRule::CloseReasonInvalidUtf8};
        QTest::newRow("unassigned code and a truncated UTF-8 reason")
            << hex("00 01 e2 82") << 1 << 1 << hex("e2 82") << QStringLiteral("e2 82") << false
            << QList<ViolationRule>{ViolationRule::CloseCodeInvalid, ViolationRule::CloseReasonInvalidUtf8};
    }
    void decode()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, code);
        QFETCH(int, reportedCode);
        QFETCH(QByteArray, reasonBytes);
        QFETCH(QString, reason);
        QFETCH(bool, reasonIsUtf8);
        QFETCH(QList<ViolationRule>, violations);
        const ClosePayload close = ClosePayload::decode(payload);
        QCOMPARE(close.code.has_value(), code >= 0);
        if (code >= 0)
            QCOMPARE(*close.code, quint16(code));
        QCOMPARE(close.reportedCode(), quint16(reportedCode));
        QCOMPARE(close.reasonBytes, reasonBytes);
        QCOMPARE(close.reason, reason);
        QCOMPARE(close.reasonIsUtf8, reasonIsUtf8);
        QList<ViolationRule> rules;
        for (const Violation &v : close.violations)
            rules.append(v.rule);
        QCOMPARE(rules, violations);
        QCOMPARE(close.isOneByte(), payload.size() == 1);
        QCOMPARE(close.isEmpty(), payload.isEmpty());
    }

    void violationsSayWhatIsWrong()
    {
        const ClosePayload oneByte = ClosePayload::decode(hex("07"));
        QCOMPARE(oneByte.violations.constFirst().detail,
                 QStringLiteral("Close frame with a 1-byte payload (0x07); a Close payload is empty or starts with a "
                                "2-byte status code"));
        const ClosePayload badUtf8 = ClosePayload::decode(hex("03 e8 61 ff"));
        QCOMPARE(badUtf8.violations.constFirst().detail,
                 QStringLiteral("the close reason is not valid UTF-8: byte 0xff at offset 1"));
    }
};

QTEST_GUILESS_MAIN(tst_ClosePayload)
#include "tst_closepayload.moc"
