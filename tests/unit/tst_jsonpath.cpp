// SPDX-License-Identifier: GPL-3.0-or-later
// JsonPath: the paths it reads and refuses (saying where), and its edits, which change the value at the place and
// leave every other byte of the text as it was (member order, spacing, numbers' own text).
#include "core/rules/JsonPath.h"

#include <QTest>

using namespace wsi;

class tst_JsonPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsPaths();
    void refusesPaths_data();
    void refusesPaths();
    void setKeepsEverythingElse_data();
    void setKeepsEverythingElse();
    void removeTakesItsComma_data();
    void removeTakesItsComma();
    void leavesWhatItCannotEdit();
};

namespace {

JsonPath path(const QString &text)
{
    QString error;
    std::optional<JsonPath> parsed = JsonPath::parse(text, &error);
    if (!parsed)
        qFatal("%s", qPrintable(error));
    return *parsed;
}

} // namespace

void tst_JsonPath::readsPaths()
{
    const JsonPath parsed = path(QStringLiteral("$.user.items[12]['a.b'][\"q\\\"x\"].z"));
    QCOMPARE(parsed.steps().size(), 6);
    QCOMPARE(parsed.steps().at(0).member, QStringLiteral("user"));
    QCOMPARE(parsed.steps().at(1).member, QStringLiteral("items"));
    QCOMPARE(parsed.steps().at(2).index, 12);
    QCOMPARE(parsed.steps().at(3).member, QStringLiteral("a.b"));
    QCOMPARE(parsed.steps().at(4).member, QStringLiteral("q\"x"));
    QCOMPARE(parsed.steps().at(5).member, QStringLiteral("z"));
    QCOMPARE(parsed.text(), QStringLiteral("$.user.items[12]['a.b'][\"q\\\"x\"].z"));
}

void tst_JsonPath::refusesPaths_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no dollar") << QStringLiteral("user.name")
                               << QStringLiteral("\"user.name\": a path starts with $ (the message) at character 1");
    QTest::newRow("only dollar") << QStringLiteral("$")
                                 << QStringLiteral("\"$\": a path names a member or an element ($.name, $[0]), not "
                                                   "the whole message at character 2");
    QTest::newRow("empty member") << QStringLiteral("$.a..b")
                                  << QStringLiteral("\"$.a..b\": a member name is missing at character 5");
    QTest::newRow("trailing dot") << QStringLiteral("$.a.")
                                  << QStringLiteral("\"$.a.\": a member name is missing at character 5");
    QTest::newRow("not an index") << QStringLiteral("$.a[x]")
                                  << QStringLiteral("\"$.a[x]\": expected an index (0, 1, ...) or a quoted name and ] "
                                                    "after [ at character 4");
    QTest::newRow("negative index") << QStringLiteral("$[-1]")
                                    << QStringLiteral("\"$[-1]\": expected an index (0, 1, ...) or a quoted name and ] "
                                                      "after [ at character 2");
    QTest::newRow("wildcard") << QStringLiteral("$[*]")
                              << QStringLiteral("\"$[*]\": expected an index (0, 1, ...) or a quoted name and ] after "
                                                "[ at character 2");
    QTest::newRow("open quote") << QStringLiteral("$['a")
                                << QStringLiteral("\"$['a\": the quoted name is not closed by '] at character 2");
    QTest::newRow("junk after") << QStringLiteral("$.a x")
                                << QStringLiteral("\"$.a x\": expected . or [, not ' ' at character 4");
}

void tst_JsonPath::refusesPaths()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!JsonPath::parse(text, &error));
    QCOMPARE(error, expected);
}

void tst_JsonPath::setKeepsEverythingElse_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("member, order kept")
        << QStringLiteral("$.user.name")
        << QByteArray(R"({"op": 2, "user": {"name": "ann", "id": 12345678901234567890}, "a": 1.50})")
        << QByteArray(R"("anon")")
        << QByteArray(R"({"op": 2, "user": {"name": "anon", "id": 12345678901234567890}, "a": 1.50})");
    QTest::newRow("object value") << QStringLiteral("$.d") << QByteArray(R"({"z":0,"d":null})")
                                  << QByteArray(R"({"k":[1,2]})") << QByteArray(R"({"z":0,"d":{"k":[1,2]}})");
    QTest::newRow("element") << QStringLiteral("$.items[1].id") << QByteArray(R"({"items":[{"id":1},{"id":2}]})")
                             << QByteArray("7") << QByteArray(R"({"items":[{"id":1},{"id":7}]})");
    QTest::newRow("added at the end") << QStringLiteral("$.b") << QByteArray(R"({"c": 1, "a": 2})")
                                      << QByteArray("true") << QByteArray(R"({"c": 1, "a": 2,"b":true})");
    QTest::newRow("added to an empty object") << QStringLiteral("$.x['a b']") << QByteArray(R"({"x": { }})")
                                              << QByteArray("1") << QByteArray(R"({"x": {"a b":1 }})");
    QTest::newRow("escaped name") << QStringLiteral("$['t\"k']") << QByteArray(R"({"t\"k":1,"tk":2})")
                                  << QByteArray("3") << QByteArray(R"({"t\"k":3,"tk":2})");
    QTest::newRow("escaped name matched by its meaning")
        << QStringLiteral("$.caf\u00e9") << QByteArray(R"({"caf\u00e9":1})") << QByteArray("2")
        << QByteArray(R"({"caf\u00e9":2})");
    QTest::newRow("top-level array") << QStringLiteral("$[0]") << QByteArray("[\"a\", \"b\"]") << QByteArray("null")
                                     << QByteArray("[null, \"b\"]");
    QTest::newRow("the last of equal names")
        << QStringLiteral("$.a") << QByteArray(R"({"a":1,"a":2})") << QByteArray("3") << QByteArray(R"({"a":1,"a":3})");
}

void tst_JsonPath::setKeepsEverythingElse()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);
    const std::optional<QByteArray> edited = ::path(path).set(json, value);
    QVERIFY(edited);
    QCOMPARE(*edited, expected);
}

void tst_JsonPath::removeTakesItsComma_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("first member") << QStringLiteral("$.token") << QByteArray(R"({"token": "x", "op": 1})")
                                  << QByteArray(R"({"op": 1})");
    QTest::newRow("middle member") << QStringLiteral("$.b") << QByteArray(R"({"a":1, "b":[2], "c":3})")
                                   << QByteArray(R"({"a":1, "c":3})");
    QTest::newRow("last member") << QStringLiteral("$.c") << QByteArray(R"({"a":1, "c":{"d":3}})")
                                 << QByteArray(R"({"a":1})");
    QTest::newRow("only member") << QStringLiteral("$.a.b") << QByteArray(R"({"a":{ "b":1 }})")
                                 << QByteArray(R"({"a":{  }})");
    QTest::newRow("element") << QStringLiteral("$[1]") << QByteArray("[1,2,3]") << QByteArray("[1,3]");
}

void tst_JsonPath::removeTakesItsComma()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const std::optional<QByteArray> edited = ::path(path).remove(json);
    QVERIFY(edited);
    QCOMPARE(*edited, expected);
}

void tst_JsonPath::leavesWhatItCannotEdit()
{
    // Not JSON (also cut short, or with more after the value), a parent that is not there, an element past the end, a
    // member of an array: nothing to edit.
    const JsonPath userName = path(QStringLiteral("$.user.name"));
    for (const QByteArray &json : {QByteArray("hello"), QByteArray(R"({"user": {"name": "a")"),
                                   QByteArray(R"({"user": {}} x)"), QByteArray(R"({"other": {}})"),
                                   QByteArray(R"({"user": [1]})"), QByteArray(R"({"user": "x"})"), QByteArray()}) {
        QVERIFY2(!userName.set(json, "1"), json.constData());
        QVERIFY2(!userName.remove(json), json.constData());
    }
    QVERIFY(!path(QStringLiteral("$[3]")).set("[1,2]", "0"));
    QVERIFY(!path(QStringLiteral("$.missing")).remove(R"({"a":1})"));
    // Nested deeper than anyone means: refused rather than walked without end.
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    QVERIFY(!path(QStringLiteral("$[0]")).set(deep, "1"));
}

QTEST_GUILESS_MAIN(tst_JsonPath)
#include "tst_jsonpath.moc"
