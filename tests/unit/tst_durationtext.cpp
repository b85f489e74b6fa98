// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text/DurationText.h"

#include <QTest>

using namespace wsi;

class tst_DurationText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void rejects_data();
    void rejects();
    void format_data();
    void format();
};

void tst_DurationText::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("minutes");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << QStringLiteral("2s") << false << qint64(2000);
    QTest::newRow("milliseconds") << QStringLiteral("500ms") << false << qint64(500);
    QTest::newRow("minutes") << QStringLiteral("5m") << false << qint64(300000);
    QTest::newRow("min") << QStringLiteral("5min") << false << qint64(300000);
    QTest::newRow("hours") << QStringLiteral("2h") << false << qint64(7200000);
    QTest::newRow("plain seconds") << QStringLiteral("60") << false << qint64(60000);
    QTest::newRow("fraction") << QStringLiteral("924.6") << false << qint64(924600);
    QTest::newRow("spaces") << QStringLiteral(" 1.5 s ") << false << qint64(1500);
    QTest::newRow("plain minutes") << QStringLiteral("4") << true << qint64(240000);
    QTest::newRow("explicit unit beats plain minutes") << QStringLiteral("30s") << true << qint64(30000);
    QTest::newRow("zero") << QStringLiteral("0") << false << qint64(0);
}

void tst_DurationText::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, minutes);
    QFETCH(qint64, ms);
    QString error;
    const auto parsed = DurationText::parseMs(
        text, &error, minutes ? DurationText::PlainUnit::Minutes : DurationText::PlainUnit::Seconds);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, ms);
}

void tst_DurationText::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QString() << QStringLiteral("no number");
    QTest::newRow("negative") << QStringLiteral("-5s") << QStringLiteral("negative");
    QTest::newRow("unknown unit") << QStringLiteral("5d") << QStringLiteral("unknown unit 'd'");
    QTest::newRow("letters") << QStringLiteral("abc") << QStringLiteral("no number");
    QTest::newRow("two dots") << QStringLiteral("1.2.3s") << QStringLiteral("bad number");
    QTest::newRow("sub-millisecond") << QStringLiteral("0.5ms") << QStringLiteral("finer than a millisecond");
    QTest::newRow("too long") << QStringLiteral("101d") << QStringLiteral("unknown unit");
    QTest::newRow("too many hours") << QStringLiteral("2401h") << QStringLiteral("more than 100 days");
}

void tst_DurationText::rejects()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!DurationText::parseMs(text, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(QLatin1StringView("2s, 500ms, 5m")), qPrintable(error));
}

void tst_DurationText::format_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("60 s") << qint64(60000) << QStringLiteral("60 s");
    QTest::newRow("300 ms") << qint64(300) << QStringLiteral("300 ms");
    QTest::newRow("60.3 s") << qint64(60300) << QStringLiteral("60.3 s");
    QTest::newRow("924.6 s") << qint64(924600) << QStringLiteral("924.6 s");
    QTest::newRow("350 s") << qint64(350000) << QStringLiteral("350 s");
    QTest::newRow("10 min") << qint64(600000) << QStringLiteral("10 min");
    QTest::newRow("2 h") << qint64(7200000) << QStringLiteral("2 h");
    QTest::newRow("0 s") << qint64(0) << QStringLiteral("0 s");
}

void tst_DurationText::format()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(DurationText::format(ms), text);
}

QTEST_GUILESS_MAIN(tst_DurationText)
#include "tst_durationtext.moc"
