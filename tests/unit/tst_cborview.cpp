// SPDX-License-Identifier: GPL-3.0-or-later
// Examples of RFC 8949 Appendix A, a CBOR sequence (RFC 8742), and malformed items.
#include "core/appprotocol/CborView.h"

#include <QCborMap>
#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace wsi;

class tst_CborView : public QObject
{
    Q_OBJECT

private slots:
    void oneItem()
    {
        // {"a": 1, "b": [2, 3]} (RFC 8949 Appendix A)
        const PayloadView view = CborView::read(QByteArray::fromHex("a26161016162820203"));
        QVERIFY(view.isValid());
        const QJsonObject value = view.value.toObject().value(QStringLiteral("value")).toObject();
        QCOMPARE(value.value(QStringLiteral("a")).toInt(), 1);
        QCOMPARE(value.value(QStringLiteral("b")).toArray(), (QJsonArray{2, 3}));
        QCOMPARE(view.value.toObject().value(QStringLiteral("diagnostic")).toString(),
                 QStringLiteral("{\"a\": 1, \"b\": [2, 3]}"));
    }

    void qtWrittenMapWithBytesAndTag()
    {
        QCborMap map;
        map.insert(QStringLiteral("bytes"), QCborValue(QByteArray("\x01\x02", 2)));
        map.insert(QStringLiteral("when"),
                   QCborValue(QCborKnownTags::DateTimeString, QStringLiteral("2013-03-21T20:04:00Z")));
        const PayloadView view = CborView::read(map.toCborValue().toCbor());
        QVERIFY(view.isValid());
        const QString diagnostic = view.value.toObject().value(QStringLiteral("diagnostic")).toString();
        QVERIFY2(diagnostic.contains(QLatin1String("h'0102'")) && diagnostic.contains(QLatin1String("0(")),
                 qPrintable(diagnostic));
    }

    void sequence()
    {
        const PayloadView view = CborView::read(QByteArray::fromHex("01"
                                                                    "6161"
                                                                    "f5"));
        QVERIFY(view.isValid());
        QCOMPARE(view.value.toObject().value(QStringLiteral("sequence")).toArray(),
                 (QJsonArray{1, QStringLiteral("a"), true}));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("cbor-empty");
        QTest::newRow("array cut") << QByteArray("820102"
                                                 "83")
                                   << QStringLiteral("cbor-malformed");
        QTest::newRow("string cut") << QByteArray("6361") << QStringLiteral("cbor-malformed");
        QTest::newRow("reserved additional info") << QByteArray("1c") << QStringLiteral("cbor-malformed");
        QTest::newRow("huge byte string") << QByteArray("5bffffffffffffff00") << QStringLiteral("cbor-malformed");
    }

    void violations()
    {
        QFETCH(QByteArray, hex);
        QFETCH(QString, rule);
        const PayloadView view = CborView::read(QByteArray::fromHex(hex));
        QVERIFY(view.violation.has_value());
        QCOMPARE(view.violation->rule, rule);
    }
};

QTEST_GUILESS_MAIN(tst_CborView)
#include "tst_cborview.moc"
