// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/Utf8Validator.h"

#include <QTest>

using namespace wsi;
using Result = Utf8Validator::Result;

class tst_Utf8Validator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequences_data();
    void sequences();
    void splitAtEveryByteGivesTheSameAnswer_data() { sequences_data(); }
    void splitAtEveryByteGivesTheSameAnswer();
    void failsAtTheFirstImpossibleByte_data();
    void failsAtTheFirstImpossibleByte();
    void everyCodePointRoundTrips();
    void agreesWithQtOnEveryTwoByteInput();
    void longAsciiWithLateError();
    void staysInvalidUntilReset();
};

void tst_Utf8Validator::sequences_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("expected");
    auto row = [](const char *name, QByteArray input, Result expected) {
        QTest::newRow(name) << input << int(expected);
    };
    row("empty", {}, Result::Valid);
    row("ascii", "Hello, world", Result::Valid);
    row("two-byte é", test::hex("c3 a9"), Result::Valid);
    row("three-byte €", test::hex("e2 82 ac"), Result::Valid);
    row("four-byte 𝄞", test::hex("f0 9d 84 9e"), Result::Valid);
    row("U+10FFFF", test::hex("f4 8f bf bf"), Result::Valid);
    row("U+D7FF before surrogates", test::hex("ed 9f bf"), Result::Valid);
    row("U+E000 after surrogates", test::hex("ee 80 80"), Result::Valid);
    row("κόσμε (Autobahn 6.2.1)", test::hex("ce ba e1 bd b9 cf 83 ce bc ce b5"), Result::Valid);
    row("truncated two-byte", test::hex("c3"), Result::Incomplete);
    row("truncated four-byte", test::hex("f0 9d 84"), Result::Incomplete);
    row("stray continuation", test::hex("80"), Result::Invalid);
    row("overlong C0 80", test::hex("c0 80"), Result::Invalid);
    row("overlong C1 bf", test::hex("c1 bf"), Result::Invalid);
    row("overlong E0 80 80", test::hex("e0 80 80"), Result::Invalid);
    row("overlong F0 80 80 80", test::hex("f0 80 80 80"), Result::Invalid);
    row("surrogate U+D800", test::hex("ed a0 80"), Result::Invalid);
    row("surrogate U+DFFF", test::hex("ed bf bf"), Result::Invalid);
    row("above U+10FFFF F4 90", test::hex("f4 90 80 80"), Result::Invalid);
    row("F5 lead", test::hex("f5 80 80 80"), Result::Invalid);
    row("FF byte", test::hex("ff"), Result::Invalid);
    row("lead followed by ascii", test::hex("e2 82 41"), Result::Invalid);
    row("Autobahn 6.3.1 (invalid inside)", test::hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"),
        Result::Invalid);
}

void tst_Utf8Validator::sequences()
{
    QFETCH(QByteArray, input);
    QFETCH(int, expected);
    Utf8Validator validator;
    QCOMPARE(int(validator.feed(input)), expected);
    QCOMPARE(int(validator.result()), expected);
}

void tst_Utf8Validator::splitAtEveryByteGivesTheSameAnswer()
{
    QFETCH(QByteArray, input);
    QFETCH(int, expected);
    for (qsizetype split = 0; split <= input.size(); ++split) {
        Utf8Validator validator;
        validator.feed(QByteArrayView(input).first(split));
        validator.feed(QByteArrayView(input).sliced(split));
        QCOMPARE(int(validator.result()), expected);
    }
    Utf8Validator byteByByte;
    for (char c : input)
        byteByByte.feed(QByteArrayView(&c, 1));
    QCOMPARE(int(byteByByte.result()), expected);
}

void tst_Utf8Validator::failsAtTheFirstImpossibleByte_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("offset");
    QTest::newRow("surrogate is known at its second byte") << test::hex("41 ed a0") << 2;
    QTest::newRow("overlong E0 is known at its second byte") << test::hex("e0 9f") << 1;
    QTest::newRow("F4 90 is known at its second byte") << test::hex("f4 90") << 1;
    QTest::newRow("C0 is known at once") << test::hex("41 42 c0") << 2;
    QTest::newRow("missing continuation") << test::hex("e2 82 20") << 2;
}

// RFC 6455 §8.1 with the fail-fast rule: the validator must say "invalid" as soon as the bytes allow, without
// waiting for the rest of the message.
void tst_Utf8Validator::failsAtTheFirstImpossibleByte()
{
    QFETCH(QByteArray, input);
    QFETCH(int, offset);
    Utf8Validator validator;
    validator.feed(input.first(offset));
    QVERIFY(validator.result() != Result::Invalid);
    QCOMPARE(validator.feed(input.sliced(offset, 1)), Result::Invalid);
    QCOMPARE(validator.invalidOffset(), qint64(offset));
}

void tst_Utf8Validator::everyCodePointRoundTrips()
{
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        const QByteArray utf8 = QString::fromUcs4(&cp, 1).toUtf8();
        if (!Utf8Validator::isValid(utf8))
            QFAIL(qPrintable(QStringLiteral("U+%1 rejected").arg(quint32(cp), 0, 16)));
    }
}

// For every two-byte input, the validator agrees with Qt's own decoder on whether the bytes are complete, valid
// UTF-8 (Qt decodes invalid input to U+FFFD, so a valid input round-trips byte for byte).
void tst_Utf8Validator::agreesWithQtOnEveryTwoByteInput()
{
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const char raw[2] = {char(a), char(b)};
            const QByteArrayView input(raw, 2);
            const bool roundTrips = QString::fromUtf8(input).toUtf8() == input;
            Utf8Validator validator;
            const bool valid = validator.feed(input) == Result::Valid;
            if (valid != roundTrips)
                QFAIL(qPrintable(QStringLiteral("disagreement on %1 %2").arg(a, 2, 16).arg(b, 2, 16)));
        }
    }
}

void tst_Utf8Validator::longAsciiWithLateError()
{
    QByteArray text(100000, 'a');
    text[77777] = char(0xff);
    Utf8Validator validator;
    QCOMPARE(validator.feed(text), Result::Invalid);
    QCOMPARE(validator.invalidOffset(), qint64(77777));
}

void tst_Utf8Validator::staysInvalidUntilReset()
{
    Utf8Validator validator;
    QCOMPARE(validator.feed(test::hex("ff")), Result::Invalid);
    QCOMPARE(validator.feed("fine"), Result::Invalid);
    validator.reset();
    QCOMPARE(validator.feed("fine"), Result::Valid);
    QCOMPARE(validator.invalidOffset(), qint64(-1));
}

QTEST_GUILESS_MAIN(tst_Utf8Validator)
#include "tst_utf8validator.moc"
