// SPDX-License-Identifier: GPL-3.0-or-later
// The examples of protobuf.dev's Encoding page (field 1 = 150 is 08 96 01, "testing" in field 2, a nested message
// in field 3), and bytes that break the wire format.
#include "core/appprotocol/ProtobufWireView.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

class tst_ProtobufWireView : public QObject
{
    Q_OBJECT

private slots:
    void encodingExamples()
    {
        const PayloadView view = ProtobufWireView::read(QByteArray::fromHex("089601"
                                                                            "120774657374696e67"
                                                                            "1a03089601"));
        QVERIFY(view.isValid());
        QCOMPARE(view.format, QStringLiteral("protobuf"));
        const QJsonArray fields = view.value.toArray();
        QCOMPARE(fields.size(), 3);
        QCOMPARE(fields[0].toObject().value(QStringLiteral("field")).toInt(), 1);
        QCOMPARE(fields[0].toObject().value(QStringLiteral("wireType")).toString(), QStringLiteral("VARINT"));
        QCOMPARE(fields[0].toObject().value(QStringLiteral("value")).toInt(), 150);
        QCOMPARE(fields[1].toObject().value(QStringLiteral("wireType")).toString(), QStringLiteral("LEN"));
        QCOMPARE(fields[1].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("testing"));
        const QJsonArray nested = fields[2].toObject().value(QStringLiteral("message")).toArray();
        QCOMPARE(nested.size(), 1);
        QCOMPARE(nested[0].toObject().value(QStringLiteral("value")).toInt(), 150);
    }

    void fixedWidthsAndGroups()
    {
        // field 1 I64 = 1, field 2 I32 = 0x01020304 (little-endian), field 3 group { field 4 varint 5 }.
        const PayloadView view = ProtobufWireView::read(QByteArray::fromHex("090100000000000000"
                                                                            "1504030201"
                                                                            "1b2005"
                                                                            "1c"));
        QVERIFY2(view.isValid(), qPrintable(view.violation.value_or(DecodeViolation{}).describe()));
        const QJsonArray fields = view.value.toArray();
        QCOMPARE(fields[0].toObject().value(QStringLiteral("wireType")).toString(), QStringLiteral("I64"));
        QCOMPARE(fields[1].toObject().value(QStringLiteral("value")).toInt(), 0x01020304);
        QCOMPARE(fields[2].toObject().value(QStringLiteral("wireType")).toString(), QStringLiteral("SGROUP"));
        QCOMPARE(fields[2]
                     .toObject()
                     .value(QStringLiteral("group"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("value"))
                     .toInt(),
                 5);
    }

    void bigVarintKeptExact()
    {
        const PayloadView view = ProtobufWireView::read(QByteArray::fromHex("08ffffffffffffffffff01"));
        QVERIFY(view.isValid());
        QCOMPARE(view.value.toArray().first().toObject().value(QStringLiteral("value")).toString(),
                 QStringLiteral("18446744073709551615"));
    }

    void binaryLenStaysBytes()
    {
        const PayloadView view = ProtobufWireView::read(QByteArray::fromHex("0a02ff00"));
        QVERIFY(view.isValid());
        QCOMPARE(view.value.toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("value"))
                     .toObject()
                     .value(QStringLiteral("base64"))
                     .toString(),
                 QStringLiteral("/wA="));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<QString>("rule");
        QTest::newRow("field 0") << QByteArray("0001") << QStringLiteral("protobuf-field-number");
        QTest::newRow("wire type 7") << QByteArray("0f01") << QStringLiteral("protobuf-wire-type");
        QTest::newRow("varint cut") << QByteArray("0896") << QStringLiteral("protobuf-varint");
        QTest::newRow("length past end") << QByteArray("120774") << QStringLiteral("protobuf-length");
        QTest::newRow("I32 cut") << QByteArray("150102") << QStringLiteral("protobuf-fixed");
        QTest::newRow("lone EGROUP") << QByteArray("0c") << QStringLiteral("protobuf-group-end");
        QTest::newRow("open group") << QByteArray("0b0801") << QStringLiteral("protobuf-group-end");
        QTest::newRow("tag cut") << QByteArray("80") << QStringLiteral("protobuf-tag");
    }

    void violations()
    {
        QFETCH(QByteArray, hex);
        QFETCH(QString, rule);
        const PayloadView view = ProtobufWireView::read(QByteArray::fromHex(hex));
        QVERIFY(view.violation.has_value());
        QCOMPARE(view.violation->rule, rule);
    }

    void deepNestingIsBounded()
    {
        // 40 levels of field 1 LEN wrapping: past maxDepth the bytes stay bytes, no violation.
        QByteArray bytes = QByteArray::fromHex("0801");
        for (int i = 0; i < 40; ++i)
            bytes = QByteArray::fromHex("0a") + char(bytes.size()) + bytes;
        const PayloadView view = ProtobufWireView::read(bytes.right(bytes.size()));
        QVERIFY(view.isValid());
    }
};

QTEST_GUILESS_MAIN(tst_ProtobufWireView)
#include "tst_protobufwireview.moc"
