// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Opcode.h"

#include <QTest>

using namespace wsi;

class tst_Opcode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classification_data();
    void classification();
};

void tst_Opcode::classification_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("defined");
    QTest::addColumn<bool>("control");
    QTest::newRow("continuation") << 0x0 << QStringLiteral("continuation") << true << false;
    QTest::newRow("text") << 0x1 << QStringLiteral("text") << true << false;
    QTest::newRow("binary") << 0x2 << QStringLiteral("binary") << true << false;
    for (int op = 0x3; op <= 0x7; ++op)
        QTest::addRow("reserved 0x%X", op) << op << QStringLiteral("reserved-0x%1").arg(op) << false << false;
    QTest::newRow("close") << 0x8 << QStringLiteral("close") << true << true;
    QTest::newRow("ping") << 0x9 << QStringLiteral("ping") << true << true;
    QTest::newRow("pong") << 0xA << QStringLiteral("pong") << true << true;
    for (int op = 0xB; op <= 0xF; ++op) {
        QTest::addRow("reserved 0x%X", op)
            << op << QStringLiteral("reserved-0x%1").arg(QChar(u'A' + (op - 0xA))) << false << true;
    }
}

void tst_Opcode::classification()
{
    QFETCH(int, opcode);
    QFETCH(QString, name);
    QFETCH(bool, defined);
    QFETCH(bool, control);
    QCOMPARE(Opcodes::name(quint8(opcode)), name);
    QCOMPARE(Opcodes::isDefined(quint8(opcode)), defined);
    QCOMPARE(Opcodes::isControl(quint8(opcode)), control);
    QCOMPARE(Opcodes::isData(quint8(opcode)), opcode == 1 || opcode == 2);
}

QTEST_GUILESS_MAIN(tst_Opcode)
#include "tst_opcode.moc"
