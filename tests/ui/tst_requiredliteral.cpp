// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/RequiredLiteral.h"

#include <QTest>

using namespace wsi;

// RequiredLiteral reads, from a pattern, an ASCII string every match contains, so the payload filter passes over
// payloads without it. It must never name a string some match lacks: each row says what it finds, and every row's
// sample subjects that match must contain it. (No raw string literals here: moc reads this file too.)
class tst_RequiredLiteral : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void of_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("caseless");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QStringList>("matching"); // subjects the pattern matches: each must contain `expected`
        const auto row = [](const char *name, const char *pattern, bool caseless, const char *expected,
                            QStringList matching) {
            QTest::newRow(name) << QString::fromUtf8(pattern) << caseless << QByteArray(expected) << matching;
        };
        row("plain text", "hello world", false, "hello world", {QStringLiteral("say hello world!")});
        row("the bench's price pattern", "\"sym\":\"(ETH|SOL)-USD\",\"px\":\\d+7\\.", false,
            "-USD\",\"px\":", {QStringLiteral("{\"sym\":\"ETH-USD\",\"px\":1237.5}")});
        row("caseless: k and s end runs", "\"sym\":\"(ETH|SOL)-USD\"", true, "ym\":\"",
            {QStringLiteral("{\"SYM\":\"eth-USD\"}"), QStringLiteral("{\"\u017fym\":\"ETH-USD\"}")});
        row("optional character left out", "colou?r", false, "colo",
            {QStringLiteral("color"), QStringLiteral("colour")});
        row("star and range quantifiers", "ab*cd{0,2}ef", false, "ef",
            {QStringLiteral("acef"), QStringLiteral("abbcddef")});
        row("plus keeps its character once", "ab+c", false, "ab", {QStringLiteral("abbbc")});
        row("escaped punctuation is literal", "a\\.b\\-c", false, "a.b-c", {QStringLiteral("xa.b-cx")});
        row("hex escape is not its digits", "x\\x41yz", false, "yz", {QStringLiteral("xAyz")});
        row("braced escape", "\\x{263a}ok", false, "ok", {QStringLiteral("\u263aok")});
        row("property escape", "\\p{Lu}bc", false, "bc", {QStringLiteral("Abc")});
        row("back reference digits", "(a)\\12", false, "", {});
        row("control escape", "\\c\"ab", false, "ab", {});
        row("alternative at the top", "alpha|beta", false, "", {QStringLiteral("beta")});
        row("alternatives in a group", "x(alpha|beta)yz", false, "yz", {QStringLiteral("xbetayz")});
        row("class is not literal", "ab[cd]ef", false, "ab", {QStringLiteral("abdef")});
        row("class with bracket first", "q[]x]rs", false, "rs", {QStringLiteral("q]rs")});
        row("inline caseless from there on", "ab(?i)sk", false, "ab", {QStringLiteral("abSK")});
        row("inline extended syntax", "(?x) a b c", false, "", {QStringLiteral("abc")});
        row("quote", "\\Qa.b\\E", false, "a.b", {QStringLiteral("a.b")});
        row("quote with a quantifier after it", "\\Qab*\\E+c", false, "ab*", {QStringLiteral("ab***c")});
        row("quote with an optional last character", "\\Qabc\\E?d", false, "ab", {QStringLiteral("abd")});
        row("quoted bar is literal", "\\Qa|b\\E", false, "a|b", {QStringLiteral("a|b")});
        row("anchors and dot end runs", "^ab.cd$", false, "ab", {QStringLiteral("abxcd")});
        row("non-ASCII ends runs", "caf\u00e9 42", false, "caf", {QStringLiteral("caf\u00e9 42")});
        row("nothing long enough", "a.b", false, "", {QStringLiteral("axb")});
    }
    void of()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, caseless);
        QFETCH(QByteArray, expected);
        QFETCH(QStringList, matching);
        const QRegularExpression regex(pattern, caseless ? QRegularExpression::CaseInsensitiveOption
                                                         : QRegularExpression::NoPatternOption);
        QVERIFY2(regex.isValid(), qPrintable(regex.errorString()));
        const QByteArray found = RequiredLiteral::of(regex);
        QCOMPARE(found, expected);
        for (const QString &subject : matching) {
            QVERIFY2(regex.match(subject).hasMatch(), qPrintable(subject));
            QVERIFY2(subject.toUtf8().toLower().contains(found.toLower()), qPrintable(subject));
        }
    }

    void extendedSyntaxFindsNothing()
    {
        QVERIFY(RequiredLiteral::of(
                    QRegularExpression(QStringLiteral("a b c"), QRegularExpression::ExtendedPatternSyntaxOption))
                    .isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_RequiredLiteral)
#include "tst_requiredliteral.moc"
