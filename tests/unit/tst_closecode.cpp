// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/CloseCode.h"

#include <QTest>

using namespace wsi;

class tst_CloseCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validOnWire_data();
    void validOnWire();
    void everyCodeHasANameAndInvalidOnesAReason();
};

void tst_CloseCode::validOnWire_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("valid");
    // RFC 6455 §7.4.1 and §7.4.2, plus the IANA registrations 1012-1014.
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        QTest::addRow("%d invalid", code) << code << false;
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        QTest::addRow("%d valid", code) << code << true;
}

void tst_CloseCode::validOnWire()
{
    QFETCH(int, code);
    QFETCH(bool, valid);
    QCOMPARE(CloseCodes::isValidOnWire(quint16(code)), valid);
    QCOMPARE(CloseCodes::whyInvalidOnWire(quint16(code)).isEmpty(), valid);
}

void tst_CloseCode::everyCodeHasANameAndInvalidOnesAReason()
{
    int valid = 0;
    for (int code = 0; code <= 65535; ++code) {
        const auto c = quint16(code);
        QVERIFY(!CloseCodes::name(c).isEmpty());
        if (CloseCodes::isValidOnWire(c))
            ++valid;
        else
            QVERIFY(CloseCodes::whyInvalidOnWire(c).contains(QString::number(code)));
    }
    // 1000-1003, 1007-1014 and 3000-4999.
    QCOMPARE(valid, 4 + 8 + 2000);
    QCOMPARE(CloseCodes::name(1006), QStringLiteral("Abnormal Closure"));
    QCOMPARE(CloseCodes::name(4321), QStringLiteral("Private use (4000-4999)"));
}

QTEST_GUILESS_MAIN(tst_CloseCode)
#include "tst_closecode.moc"
