// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/OrderedJson.h"

#include <QTest>

using namespace wsi;

class tst_OrderedJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prettyKeepsTheWrittenOrder_data();
    void prettyKeepsTheWrittenOrder();
    void treeKeepsTheWrittenOrder();
    void errorsSayWhere_data();
    void errorsSayWhere();
    void treeStopsAtTheBudgetButChecksEverything();
};

void tst_OrderedJson::prettyKeepsTheWrittenOrder_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pretty");
    QTest::newRow("op first, as sent") << QByteArray(R"({"op":"subscribe","data":{"z":1,"a":[true,null]}})")
                                       << QStringLiteral(
                                              "{\n    \"op\": \"subscribe\",\n    \"data\": {\n        \"z\": 1,\n"
                                              "        \"a\": [\n            true,\n            null\n"
                                              "        ]\n    }\n}");
    QTest::newRow("numbers keep their text")
        << QByteArray("[12345678901234567890, 1.50, -0, 2e10]")
        << QStringLiteral("[\n    12345678901234567890,\n    1.50,\n    -0,\n    2e10\n]");
    QTest::newRow("strings escaped again") << QByteArray(R"({"q":"a\"b\\c\n\u00e9\u0001"})")
                                           << QStringLiteral("{\n    \"q\": \"a\\\"b\\\\c\\n\u00e9\\u0001\"\n}");
    QTest::newRow("empty containers") << QByteArray(R"( { "a" : { } , "b" : [ ] } )")
                                      << QStringLiteral("{\n    \"a\": {},\n    \"b\": []\n}");
    QTest::newRow("a scalar") << QByteArray(" \"hi\" ") << QStringLiteral("\"hi\"");
}

void tst_OrderedJson::prettyKeepsTheWrittenOrder()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pretty);
    const OrderedJson::Result result = OrderedJson::parse(json);
    QVERIFY2(result.root, qPrintable(result.error));
    QCOMPARE(OrderedJson::pretty(*result.root), pretty);
    // Pretty text reads back as the same value.
    const OrderedJson::Result again = OrderedJson::parse(OrderedJson::pretty(*result.root).toUtf8());
    QVERIFY(again.root);
    QCOMPARE(OrderedJson::pretty(*again.root), pretty);
}

void tst_OrderedJson::treeKeepsTheWrittenOrder()
{
    const OrderedJson::Result result = OrderedJson::parse(R"({"zeta":1,"alpha":{"y":"s","b":false},"mid":[3,4]})");
    QVERIFY(result.root);
    const OrderedJson::Node &root = *result.root;
    QCOMPARE(root.type, OrderedJson::Node::Type::Object);
    QCOMPARE(root.size, 3);
    QStringList names;
    for (const OrderedJson::Node &child : root.children)
        names << child.name;
    QCOMPARE(names, (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid")}));
    QCOMPARE(root.children.at(1).children.at(0).name, QStringLiteral("y"));
    QCOMPARE(root.children.at(1).children.at(1).value, QStringLiteral("false"));
    QCOMPARE(root.children.at(2).type, OrderedJson::Node::Type::Array);
    QCOMPARE(root.children.at(2).children.at(1).value, QStringLiteral("4"));
}

void tst_OrderedJson::errorsSayWhere_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing value") << QByteArray("{\"a\":}") << QStringLiteral("line 1, column 6: ");
    QTest::newRow("trailing comma on line 2") << QByteArray("[1,\n2,]") << QStringLiteral("line 2, column 3: ");
    QTest::newRow("two values") << QByteArray("{} {}") << QStringLiteral("line 1, column 4: ");
    QTest::newRow("empty") << QByteArray("  ") << QStringLiteral("line 1, column 3: ");
}

void tst_OrderedJson::errorsSayWhere()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const OrderedJson::Result result = OrderedJson::parse(json);
    QVERIFY(!result.root);
    QVERIFY2(result.error.startsWith(error), qPrintable(result.error));
}

void tst_OrderedJson::treeStopsAtTheBudgetButChecksEverything()
{
    OrderedJson::Result result = OrderedJson::parse("[1,2,3,[4,5],6]", 4);
    QVERIFY(result.root);
    QVERIFY(result.cut);
    QCOMPARE(result.root->size, 5);
    QCOMPARE(result.root->children.size(), 3); // the array itself and 1, 2, 3
    result = OrderedJson::parse("[1,2,3,[4,5],6,]", 4);
    QVERIFY(!result.root); // past the budget the text is still checked
    result = OrderedJson::parse("[1,2]", 3);
    QVERIFY(result.root);
    QVERIFY(!result.cut);
}

QTEST_GUILESS_MAIN(tst_OrderedJson)
#include "tst_orderedjson.moc"
