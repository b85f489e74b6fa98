// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/PayloadMatcher.h"
#include "ui/frames/Utf8Regex.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wsi;

// The matcher must find exactly what a case-insensitive search of the UTF-8-decoded payload finds (and what the
// regular expression matches in it), whichever path it takes inside.
class tst_PayloadMatcher : public QObject
{
    Q_OBJECT

private slots:
    void asciiText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("expected");
        QTest::newRow("exact") << QStringLiteral("error") << QByteArray("an error here") << true;
        QTest::newRow("other case") << QStringLiteral("ERROR") << QByteArray("an eRRor here") << true;
        QTest::newRow("at start") << QStringLiteral("an") << QByteArray("an error") << true;
        QTest::newRow("at end") << QStringLiteral("HERE") << QByteArray("an error here") << true;
        QTest::newRow("whole payload") << QStringLiteral("abc") << QByteArray("ABC") << true;
        QTest::newRow("longer than payload") << QStringLiteral("abcd") << QByteArray("abc") << false;
        QTest::newRow("empty payload") << QStringLiteral("a") << QByteArray() << false;
        QTest::newRow("absent") << QStringLiteral("warn") << QByteArray("an error here") << false;
        QTest::newRow("repeated letters") << QStringLiteral("aab") << QByteArray("aaab") << true;
        QTest::newRow("near miss") << QStringLiteral("aab") << QByteArray("aaba") << true;
        QTest::newRow("near miss 2") << QStringLiteral("abab") << QByteArray("abaab") << false;
        QTest::newRow("punctuation not folded") << QStringLiteral("[x]") << QByteArray("{X}") << false;
        QTest::newRow("json") << QStringLiteral("\"type\":\"error\"") << QByteArray(R"({"id":1,"type":"Error"})")
                              << true;
        QTest::newRow("after invalid UTF-8") << QStringLiteral("abc") << QByteArray("\xff\xfe\x80xABC") << true;
        QTest::newRow("after multi-byte letters") << QStringLiteral("zz") << QByteArray("\xc3\xa9\xc3\xa9ZZ") << true;
    }
    void asciiText()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, payload);
        QFETCH(bool, expected);
        QCOMPARE(PayloadMatcher(text, {}).matches(payload), expected);
        QCOMPARE(QString::fromUtf8(payload).contains(text, Qt::CaseInsensitive), expected); // the reference agrees
    }

    void nonAsciiTextIsSearchedDecoded()
    {
        const QString text = QStringLiteral("ÉCOLE");
        QVERIFY(PayloadMatcher(text, {}).matches(QByteArray("l'\xc3\xa9"
                                                            "cole")));
        QVERIFY(!PayloadMatcher(text, {}).matches(QByteArray("ecole")));
    }

    void regexMatchesTheDecodedText()
    {
        const QRegularExpression regex(QStringLiteral("^caf\\x{e9} \\d+$"));
        QVERIFY(PayloadMatcher({}, regex).matches(QByteArray("caf\xc3\xa9 42")));
        QVERIFY(!PayloadMatcher({}, regex).matches(QByteArray("cafe 42")));
        // Both criteria must hold.
        QVERIFY(PayloadMatcher(QStringLiteral("42"), regex).matches(QByteArray("caf\xc3\xa9 42")));
        QVERIFY(!PayloadMatcher(QStringLiteral("43"), regex).matches(QByteArray("caf\xc3\xa9 42")));
    }

    void reusedBufferDoesNotLeakBetweenPayloads()
    {
        // A long payload decoded first must not leave text behind for a shorter one after it.
        const PayloadMatcher matcher({}, QRegularExpression(QStringLiteral("tail$")));
        QVERIFY(matcher.matches(QByteArray("a long payload with a tail")));
        QVERIFY(!matcher.matches(QByteArray("short")));
        QVERIFY(matcher.matches(QByteArray("\xc3\xa9tail")));
    }

    void agreesWithDecodedSearchOnRandomInput()
    {
        // Small alphabets make matches and near misses frequent; invalid and multi-byte sequences are included.
        const QList<QByteArray> payloadPieces = {"a", "A", "b", "B", "ab", "\xc3\xa9", "\xff", "\x80", "-", "aA"};
        const QStringList textPieces = {QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("b"),
                                        QStringLiteral("B"), QStringLiteral("-")};
        QRandomGenerator random(20261121);
        for (int round = 0; round < 20000; ++round) {
            QByteArray payload;
            for (int n = int(random.bounded(12)); n > 0; --n)
                payload += payloadPieces.at(random.bounded(payloadPieces.size()));
            QString text;
            for (int n = 1 + int(random.bounded(4)); n > 0; --n)
                text += textPieces.at(random.bounded(textPieces.size()));
            const bool expected = QString::fromUtf8(payload).contains(text, Qt::CaseInsensitive);
            if (PayloadMatcher(text, {}).matches(payload) != expected)
                QFAIL(qPrintable(QStringLiteral("text '%1' in payload %2: expected %3")
                                     .arg(text, QString::fromLatin1(payload.toHex()))
                                     .arg(expected)));
        }
    }

    // A regular expression runs on the payload's bytes (PCRE2 8-bit) and must answer as QRegularExpression does on
    // the decoded text, for valid UTF-8 with multi-byte letters, case folding, classes and alternation.
    void regexOnBytesAgreesWithDecodedRegex()
    {
#ifdef Q_OS_LINUX
        QVERIFY2(Utf8Regex(QRegularExpression(QStringLiteral("a"))).isValid(),
                 "Linux builds match regex filters on bytes (libpcre2-dev)");
#endif
        const QList<QByteArray> pieces = {"a",  "A", "b",   "7", " ", "-", "\xc3\xa9", "\xc3\x89", "\xe2\x82\xac",
                                          "\"", ":", "\xff"};
        const QStringList patterns = {
            QStringLiteral("a+b"),      QStringLiteral("^\\d"),          QStringLiteral("(a|\\x{e9})-"),
            QStringLiteral("\\w{3}"),   QStringLiteral("[\\x{20ac}7]$"), QStringLiteral("\"a\":"),
            QStringLiteral("\\x{c9}b"), QStringLiteral("(?<![a-z])b"),   QStringLiteral("\\s\\S+\\s"),
            QStringLiteral("."),
        };
        QRandomGenerator random(20261122);
        for (const QString &pattern : patterns) {
            for (const auto options :
                 {QRegularExpression::NoPatternOption, QRegularExpression::CaseInsensitiveOption}) {
                const QRegularExpression regex(pattern, options);
                QVERIFY2(regex.isValid(), qPrintable(pattern));
                const PayloadMatcher matcher({}, regex);
                for (int round = 0; round < 2000; ++round) {
                    QByteArray payload;
                    for (int n = int(random.bounded(10)); n > 0; --n)
                        payload += pieces.at(random.bounded(pieces.size()));
                    const bool expected = regex.match(QString::fromUtf8(payload)).hasMatch();
                    if (matcher.matches(payload) != expected)
                        QFAIL(qPrintable(QStringLiteral("/%1/ (options %2) on %3: expected %4")
                                             .arg(pattern)
                                             .arg(int(options))
                                             .arg(QString::fromLatin1(payload.toHex()))
                                             .arg(expected)));
                }
            }
        }
    }

    // Binary payloads are matched as their decoded text: the same U+FFFD replacements as QString::fromUtf8, for
    // truncated, overlong, surrogate and out-of-range sequences among valid ones.
    void invalidBytesAreReplacedAsQtDecodesThem()
    {
        const QList<QByteArray> pieces = {"\xc3", "\xa9", "\xe2", "\x82", "\xac", "\xf0", "\x9f", "\x98", "\x80",
                                          "\xed", "\xa0", "\xff", "a",    "\xc0", "\xf4", "\x90", "\xe0", "\xc2"};
        QRandomGenerator random(20261123);
        QByteArray replaced;
        for (int round = 0; round < 100000; ++round) {
            QByteArray bytes;
            for (int n = int(random.bounded(9)); n > 0; --n)
                bytes += pieces.at(random.bounded(pieces.size()));
            Utf8Regex::replaceInvalidSequences(bytes, replaced);
            const QByteArray expected = QString::fromUtf8(bytes).toUtf8();
            if (replaced != expected)
                QFAIL(qPrintable(QStringLiteral("%1: expected %2, got %3")
                                     .arg(QString::fromLatin1(bytes.toHex()), QString::fromLatin1(expected.toHex()),
                                          QString::fromLatin1(replaced.toHex()))));
        }
    }

    // A caller that knows its bytes are valid UTF-8 skips the check; the answer is the same.
    void validUtf8NeedsNoCheck()
    {
        const PayloadMatcher matcher({}, QRegularExpression(QStringLiteral("caf\\x{e9} \\d+")));
        const QByteArray text("caf\xc3\xa9 42");
        QVERIFY(matcher.matches(text, true));
        QVERIFY(matcher.matches(text, false));
        QVERIFY(!matcher.matches(QByteArray("cafe 42"), true));
    }
};

QTEST_GUILESS_MAIN(tst_PayloadMatcher)
#include "tst_payloadmatcher.moc"
