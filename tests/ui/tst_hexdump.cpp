// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/HexDump.h"

#include <QTest>

using namespace wsi;

class tst_HexDump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void format_data();
    void format();
    void capSaysWhatWasLeftOut();
    void everyFullLineHasTheSameWidth();
    void spaced();
};

void tst_HexDump::format_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("one byte") << QByteArray("A")
                              << QStringLiteral("00000000  41                                                |A|\n");
    QTest::newRow("hello world") << QByteArray("Hello world\n")
                                 << QStringLiteral(
                                        "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|\n");
    QTest::newRow("exactly eight") << QByteArray("01234567")
                                   << QStringLiteral(
                                          "00000000  30 31 32 33 34 35 36 37                           |01234567|\n");
    QTest::newRow("full line and a bit")
        << QByteArray("0123456789abcdefXY")
        << QStringLiteral("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
                          "00000010  58 59                                             |XY|\n");
    QTest::newRow("non-printable bytes")
        << QByteArray::fromHex("00017f80ff20")
        << QStringLiteral("00000000  00 01 7f 80 ff 20                                 |..... |\n");
}

void tst_HexDump::format()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, expected);
    QCOMPARE(HexDump::format(data), expected);
    // A limit above the size changes nothing.
    QCOMPARE(HexDump::format(data, data.size() + 100), expected);
}

void tst_HexDump::capSaysWhatWasLeftOut()
{
    const QByteArray data(100, 'z');
    const QString dump = HexDump::format(data, 32);
    const QStringList lines = dump.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0),
             QStringLiteral("00000000  7a 7a 7a 7a 7a 7a 7a 7a  7a 7a 7a 7a 7a 7a 7a 7a  |zzzzzzzzzzzzzzzz|"));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("00000010  ")));
    QCOMPARE(lines.at(2), QStringLiteral("... 68 more bytes not shown (display limited to the first 32 bytes)"));
    QVERIFY(dump.endsWith(QLatin1Char('\n')));

    // A limit that cuts a line in the middle.
    const QStringList cut = HexDump::format(data, 20).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(cut.size(), 3);
    QCOMPARE(cut.at(1), QStringLiteral("00000010  7a 7a 7a 7a                                       |zzzz|"));
    QCOMPARE(cut.at(2), QStringLiteral("... 80 more bytes not shown (display limited to the first 20 bytes)"));

    // Zero shows nothing but still says so.
    QCOMPARE(HexDump::format(data, 0),
             QStringLiteral("... 100 more bytes not shown (display limited to the first 0 bytes)\n"));
}

void tst_HexDump::everyFullLineHasTheSameWidth()
{
    const QByteArray data(0x20, 'a');
    const QString dump = HexDump::format(data);
    QVERIFY(dump.contains(QStringLiteral("\n00000010  ")));
    for (const QString &line : dump.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QCOMPARE(line.size(), 78);
}

void tst_HexDump::spaced()
{
    QCOMPARE(HexDump::spaced({}), QString());
    QCOMPARE(HexDump::spaced(QByteArray::fromHex("00ff1a")), QStringLiteral("00 ff 1a"));
    QCOMPARE(HexDump::spaced(QByteArray("Hi")), QStringLiteral("48 69"));
}

QTEST_MAIN(tst_HexDump)
#include "tst_hexdump.moc"
