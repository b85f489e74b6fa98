// SPDX-License-Identifier: GPL-3.0-or-later
// The MessagePack specification's example ({"compact":true,"schema":0}), each format family, and payloads that
// declare more than they hold.
#include "core/appprotocol/MessagePackView.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

class tst_MessagePackView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(MessagePackView::isAvailable(), "built without msgpack-c (Debian libmsgpack-dev)"); }

    void specificationExample()
    {
        const PayloadView view = MessagePackView::read(QByteArray::fromHex("82a7636f6d70616374c3a6736368656d6100"));
        QVERIFY(view.isValid());
        QCOMPARE(view.format, QStringLiteral("msgpack"));
        QCOMPARE(view.value.toObject(),
                 (QJsonObject{{QStringLiteral("compact"), true}, {QStringLiteral("schema"), 0}}));
    }

    void formats()
    {
        // [nil, false, -1, 300, 1.5 (float 64), "é" (str 8), bin [1,2], ext type 5, {1: 2}]
        const QByteArray bytes = QByteArray::fromHex("99"
                                                     "c0"
                                                     "c2"
                                                     "ff"
                                                     "cd012c"
                                                     "cb3ff8000000000000"
                                                     "d902c3a9"
                                                     "c4020102"
                                                     "d40507"
                                                     "810102");
        const PayloadView view = MessagePackView::read(bytes);
        QVERIFY2(view.isValid(), qPrintable(view.violation.value_or(DecodeViolation{}).describe()));
        const QJsonArray array = view.value.toArray();
        QCOMPARE(array.size(), 9);
        QVERIFY(array[0].isNull());
        QCOMPARE(array[1].toBool(true), false);
        QCOMPARE(array[2].toInt(), -1);
        QCOMPARE(array[3].toInt(), 300);
        QCOMPARE(array[4].toDouble(), 1.5);
        QCOMPARE(array[5].toString(), QString::fromUtf8("\xc3\xa9"));
        QCOMPARE(array[6].toString(), QString::fromLatin1("\x01\x02"));
        QCOMPARE(array[7].toObject().value(QStringLiteral("ext")).toInt(), 5);
        QCOMPARE(array[8].toObject().value(QStringLiteral("pairs")).toArray().first().toArray(), (QJsonArray{1, 2}));
    }

    void objectsBackToBack()
    {
        const PayloadView view = MessagePackView::read(QByteArray::fromHex("01"
                                                                           "a161"
                                                                           "c3"));
        QVERIFY(view.isValid());
        QCOMPARE(view.value.toObject().value(QStringLiteral("sequence")).toArray(),
                 (QJsonArray{1, QStringLiteral("a"), true}));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("msgpack-empty");
        QTest::newRow("never used 0xc1") << QByteArray("c1") << QStringLiteral("msgpack-malformed");
        QTest::newRow("str cut") << QByteArray("a56865") << QStringLiteral("msgpack-malformed");
        QTest::newRow("array 32 of four billion") << QByteArray("ddffffffff00") << QStringLiteral("msgpack-malformed");
        QTest::newRow("map 32 of four billion") << QByteArray("dfffffffff0000") << QStringLiteral("msgpack-malformed");
        QTest::newRow("bin 32 past the end") << QByteArray("c6ffffffff00") << QStringLiteral("msgpack-malformed");
        QTest::newRow("array missing elements") << QByteArray("9301") << QStringLiteral("msgpack-malformed");
    }

    void violations()
    {
        QFETCH(QByteArray, hex);
        QFETCH(QString, rule);
        const PayloadView view = MessagePackView::read(QByteArray::fromHex(hex));
        QVERIFY(view.violation.has_value());
        QCOMPARE(view.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_MessagePackView)
#include "tst_messagepackview.moc"
