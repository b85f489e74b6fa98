// SPDX-License-Identifier: GPL-3.0-or-later
// The argument table every wsinspector-cli command parses with: how a command line is read into flags, values and
// positional arguments, in which order they apply, which errors come out, and the help it lays out.
#include "app/cli/ArgumentTable.h"

#include <QRegularExpression>
#include <QTest>

using namespace wsi::cli;

namespace {

// What the test table builds: each applied flag and positional argument, in the order they applied.
struct Log {
    QStringList entries;
};

// apply() that logs the flag as "name" or "name=value|value".
std::function<QString(Log &, const ArgumentOccurrence &)> logged(const QString &name)
{
    return [name](Log &log, const ArgumentOccurrence &flag) {
        log.entries.append(flag.values.isEmpty() ? name : name + u'=' + flag.values.join(u'|'));
        return QString();
    };
}

bool isNumber(const QString &text)
{
    bool ok = false;
    text.toInt(&ok);
    return ok;
}

const ArgumentTable<Log> &testTable()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup group{QStringLiteral("Options")};
    static const ArgumentTable<Log> table{
        .usage = QStringLiteral("Usage: test [options] URL"),
        .rows =
            {
                {.longName = QStringLiteral("json"), .group = group, .apply = logged(QStringLiteral("json"))},
                {.longName = QStringLiteral("header"),
                 .shortName = u'H',
                 .value = Kind::Required,
                 .group = group,
                 .apply = logged(QStringLiteral("header"))},
                {.longName = QStringLiteral("quiet"),
                 .shortName = u'q',
                 .group = group,
                 .apply = logged(QStringLiteral("quiet"))},
                {.longName = QStringLiteral("ping"),
                 .value = Kind::Optional,
                 .group = group,
                 .apply = logged(QStringLiteral("ping"))},
                {.longName = QStringLiteral("close"),
                 .value = Kind::Optional,
                 .group = group,
                 .apply = logged(QStringLiteral("close")),
                 .maxOptionalValues = 2},
                {.longName = QStringLiteral("reconnect"),
                 .value = Kind::Optional,
                 .group = group,
                 .apply = logged(QStringLiteral("reconnect")),
                 .acceptsOptionalValue = isNumber},
                {.longName = QStringLiteral("profile"),
                 .value = Kind::Required,
                 .group = group,
                 .apply = logged(QStringLiteral("profile")),
                 .appliedFirst = true},
                {.longName = QStringLiteral("strict"),
                 .value = Kind::Required,
                 .group = group,
                 .apply =
                     [](Log &, const ArgumentOccurrence &flag) {
                         return QStringLiteral("%1 '%2': not good").arg(flag.written, flag.value());
                     }},
            },
        .positional =
            [](Log &log, const QString &argument) {
                log.entries.append(u'@' + argument);
                return QString();
            },
        .isPositionalNotOptionalValue =
            [](const QString &argument, qsizetype positionalsBefore) {
                return positionalsBefore == 0 && argument.contains(QLatin1StringView("://"));
            },
        .finish =
            [](Log &log) {
                if (log.entries.contains(QStringLiteral("@conflict")))
                    return QStringLiteral("conflict: found in finish()");
                log.entries.append(QStringLiteral("finished"));
                return QString();
            },
    };
    return table;
}

} // namespace

class tst_ArgumentTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reads_data();
    void reads();
    void errors_data();
    void errors();
    void helpWins_data();
    void helpWins();
    void withoutPositionalArguments();
    void helpLayout();
    void helpWrapsLongText();
    void helpKeepsNumbersWithTheirUnits();
    void longNames();
};

void tst_ArgumentTable::reads_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("applied"); // in the order they applied; finish() adds "finished"

    QTest::newRow("nothing") << QStringList{} << QStringList{QStringLiteral("finished")};
    QTest::newRow("flag without value") << QStringList{QStringLiteral("--json")}
                                        << QStringList{QStringLiteral("json"), QStringLiteral("finished")};
    QTest::newRow("required value") << QStringList{QStringLiteral("--header"), QStringLiteral("A: 1")}
                                    << QStringList{QStringLiteral("header=A: 1"), QStringLiteral("finished")};
    QTest::newRow("required value after =") << QStringList{QStringLiteral("--header=A: 1")}
                                            << QStringList{QStringLiteral("header=A: 1"), QStringLiteral("finished")};
    QTest::newRow("empty value after =") << QStringList{QStringLiteral("--header=")}
                                         << QStringList{QStringLiteral("header="), QStringLiteral("finished")};
    QTest::newRow("required value that looks like a flag")
        << QStringList{QStringLiteral("--header"), QStringLiteral("--json")}
        << QStringList{QStringLiteral("header=--json"), QStringLiteral("finished")};
    QTest::newRow("short name") << QStringList{QStringLiteral("-H"), QStringLiteral("A: 1")}
                                << QStringList{QStringLiteral("header=A: 1"), QStringLiteral("finished")};
    QTest::newRow("short name with the value attached")
        << QStringList{QStringLiteral("-HA: 1")}
        << QStringList{QStringLiteral("header=A: 1"), QStringLiteral("finished")};
    QTest::newRow("short name without value")
        << QStringList{QStringLiteral("-q")} << QStringList{QStringLiteral("quiet"), QStringLiteral("finished")};
    QTest::newRow("repeated flags in command-line order")
        << QStringList{QStringLiteral("-H"),       QStringLiteral("A: 1"), QStringLiteral("--json"),
                       QStringLiteral("--header"), QStringLiteral("B: 2"), QStringLiteral("-HC: 3")}
        << QStringList{QStringLiteral("header=A: 1"), QStringLiteral("json"), QStringLiteral("header=B: 2"),
                       QStringLiteral("header=C: 3"), QStringLiteral("finished")};

    QTest::newRow("optional value absent at the end")
        << QStringList{QStringLiteral("--ping")} << QStringList{QStringLiteral("ping"), QStringLiteral("finished")};
    QTest::newRow("optional value given") << QStringList{QStringLiteral("--ping"), QStringLiteral("hello")}
                                          << QStringList{QStringLiteral("ping=hello"), QStringLiteral("finished")};
    QTest::newRow("optional value not a flag")
        << QStringList{QStringLiteral("--ping"), QStringLiteral("--json")}
        << QStringList{QStringLiteral("ping"), QStringLiteral("json"), QStringLiteral("finished")};
    QTest::newRow("optional value may be a lone dash")
        << QStringList{QStringLiteral("--ping"), QStringLiteral("-")}
        << QStringList{QStringLiteral("ping=-"), QStringLiteral("finished")};
    QTest::newRow("optional value after = may start with a dash")
        << QStringList{QStringLiteral("--ping=-x")}
        << QStringList{QStringLiteral("ping=-x"), QStringLiteral("finished")};
    QTest::newRow("optional value after = may be empty")
        << QStringList{QStringLiteral("--ping=")} << QStringList{QStringLiteral("ping="), QStringLiteral("finished")};
    QTest::newRow("positional argument before the first, not an optional value")
        << QStringList{QStringLiteral("--ping"), QStringLiteral("ws://h/")}
        << QStringList{QStringLiteral("ping"), QStringLiteral("@ws://h/"), QStringLiteral("finished")};
    QTest::newRow("after the first positional argument, an optional value")
        << QStringList{QStringLiteral("ws://h/"), QStringLiteral("--ping"), QStringLiteral("ws://other/")}
        << QStringList{QStringLiteral("@ws://h/"), QStringLiteral("ping=ws://other/"), QStringLiteral("finished")};
    QTest::newRow("two optional values") << QStringList{QStringLiteral("--close"), QStringLiteral("4000"),
                                                        QStringLiteral("bye")}
                                         << QStringList{QStringLiteral("close=4000|bye"), QStringLiteral("finished")};
    QTest::newRow("the second optional value after =")
        << QStringList{QStringLiteral("--close=4000"), QStringLiteral("bye")}
        << QStringList{QStringLiteral("close=4000|bye"), QStringLiteral("finished")};
    QTest::newRow("no more optional values than the row takes")
        << QStringList{QStringLiteral("--close"), QStringLiteral("4000"), QStringLiteral("bye"),
                       QStringLiteral("extra")}
        << QStringList{QStringLiteral("close=4000|bye"), QStringLiteral("@extra"), QStringLiteral("finished")};
    QTest::newRow("optional value the row accepts")
        << QStringList{QStringLiteral("--reconnect"), QStringLiteral("5")}
        << QStringList{QStringLiteral("reconnect=5"), QStringLiteral("finished")};
    QTest::newRow("optional value the row refuses is positional")
        << QStringList{QStringLiteral("--reconnect"), QStringLiteral("many")}
        << QStringList{QStringLiteral("reconnect"), QStringLiteral("@many"), QStringLiteral("finished")};
    QTest::newRow("optional value after = is never refused")
        << QStringList{QStringLiteral("--reconnect=many")}
        << QStringList{QStringLiteral("reconnect=many"), QStringLiteral("finished")};

    QTest::newRow("applied first wherever it stands")
        << QStringList{QStringLiteral("--json"), QStringLiteral("ws://h/"), QStringLiteral("--profile"),
                       QStringLiteral("p")}
        << QStringList{QStringLiteral("profile=p"), QStringLiteral("json"), QStringLiteral("@ws://h/"),
                       QStringLiteral("finished")};
    QTest::newRow("-- ends the flags") << QStringList{QStringLiteral("--"), QStringLiteral("--json"),
                                                      QStringLiteral("-q")}
                                       << QStringList{QStringLiteral("@--json"), QStringLiteral("@-q"),
                                                      QStringLiteral("finished")};
    QTest::newRow("a lone dash is positional")
        << QStringList{QStringLiteral("-")} << QStringList{QStringLiteral("@-"), QStringLiteral("finished")};
}

void tst_ArgumentTable::reads()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, applied);
    Log log;
    QString error;
    QCOMPARE(testTable().parse(arguments, log, &error), ArgumentParseOutcome::Parsed);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(log.entries, applied);
}

void tst_ArgumentTable::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown long flag") << QStringList{QStringLiteral("--frobnicate=1")}
                                       << QStringLiteral("unknown option '--frobnicate'");
    QTest::newRow("unknown short flag") << QStringList{QStringLiteral("-x")} << QStringLiteral("unknown option '-x'");
    QTest::newRow("short flags are not bundled")
        << QStringList{QStringLiteral("-qH")} << QStringLiteral("unknown option '-qH'");
    QTest::newRow("single dash word") << QStringList{QStringLiteral("-json")}
                                      << QStringLiteral("unknown option '-json'");
    QTest::newRow("value after = for a flag without one")
        << QStringList{QStringLiteral("--json=yes")} << QStringLiteral("option '--json' takes no value");
    QTest::newRow("value after = for --help")
        << QStringList{QStringLiteral("--help=yes")} << QStringLiteral("option '--help' takes no value");
    QTest::newRow("required value missing")
        << QStringList{QStringLiteral("--header")} << QStringLiteral("option '--header' needs a value");
    QTest::newRow("required value missing after the short name")
        << QStringList{QStringLiteral("-H")} << QStringLiteral("option '-H' needs a value");
    QTest::newRow("the row's own error") << QStringList{QStringLiteral("--strict"), QStringLiteral("x")}
                                         << QStringLiteral("--strict 'x': not good");
    QTest::newRow("the first error in command-line order")
        << QStringList{QStringLiteral("--strict=a"), QStringLiteral("--frobnicate")}
        << QStringLiteral("--strict 'a': not good");
    QTest::newRow("an unreadable argument before a row's error")
        << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("--strict=a")}
        << QStringLiteral("unknown option '--frobnicate'");
    QTest::newRow("finish() after every flag") << QStringList{QStringLiteral("conflict"), QStringLiteral("--json")}
                                               << QStringLiteral("conflict: found in finish()");
}

void tst_ArgumentTable::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    Log log;
    QString message;
    QCOMPARE(testTable().parse(arguments, log, &message), ArgumentParseOutcome::Invalid);
    QCOMPARE(message, error);
}

void tst_ArgumentTable::helpWins_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("help");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << true;
    QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << true;
    QTest::newRow("over an error") << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("--help")} << true;
    QTest::newRow("as a required value") << QStringList{QStringLiteral("--header"), QStringLiteral("-h")} << true;
    QTest::newRow("not after --") << QStringList{QStringLiteral("--"), QStringLiteral("--help")} << false;
}

void tst_ArgumentTable::helpWins()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, help);
    Log log;
    QString error;
    const ArgumentParseOutcome outcome = testTable().parse(arguments, log, &error);
    QCOMPARE(outcome == ArgumentParseOutcome::HelpAsked, help);
    if (help)
        QVERIFY(log.entries.isEmpty()); // nothing applied
}

void tst_ArgumentTable::withoutPositionalArguments()
{
    const ArgumentTable<Log> table{
        .rows = {{.longName = QStringLiteral("json"), .apply = logged(QStringLiteral("json"))}},
    };
    Log log;
    QString error;
    QCOMPARE(table.parse({QStringLiteral("--json"), QStringLiteral("extra")}, log, &error),
             ArgumentParseOutcome::Invalid);
    QCOMPARE(error, QStringLiteral("unexpected argument 'extra'"));
    QCOMPARE(table.parse({QStringLiteral("--json")}, log, &error), ArgumentParseOutcome::Parsed);
}

void tst_ArgumentTable::helpLayout()
{
    using Kind = ArgumentValueKind;
    const ArgumentGroup input{QStringLiteral("Input"), QStringLiteral("A note on the input flags.")};
    const ArgumentGroup output{QStringLiteral("Output")};
    const ArgumentTable<Log> table{
        .usage = QStringLiteral("Usage: test [options] URL"),
        .description = QStringLiteral("Does what it is told.\n"),
        .rows =
            {
                {.longName = QStringLiteral("header"),
                 .shortName = u'H',
                 .value = Kind::Required,
                 .valueName = QStringLiteral("\"Name: value\""),
                 .group = input,
                 .help = QStringLiteral("A header.")},
                {.longName = QStringLiteral("json"), .group = output, .help = QStringLiteral("JSON lines.")},
                // Shares the next row's help.
                {.longName = QStringLiteral("cert"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = input},
                {.longName = QStringLiteral("key"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("FILE"),
                 .group = input,
                 .help = QStringLiteral("Certificate and key.\n  example: a.pem\nEnd.")},
                // Longer than maxNameWidth: its help starts on the next line.
                {.longName = QStringLiteral("stop-answering-pings-after"),
                 .value = Kind::Required,
                 .valueName = QStringLiteral("N"),
                 .group = input,
                 .help = QStringLiteral("Stops.")},
            },
        .epilogue = QStringLiteral("Exit status:\n  0  fine"),
    };
    QCOMPARE(table.helpText(), QStringLiteral(R"(Usage: test [options] URL

Does what it is told.

Input:
  -H, --header "Name: value"  A header.
  --cert FILE                 Certificate and key.
  --key FILE                    example: a.pem
                              End.
  --stop-answering-pings-after N
                              Stops.
  A note on the input flags.

Output:
  --json                      JSON lines.
  -h, --help                  Show this help.

Exit status:
  0  fine
)"));
}

void tst_ArgumentTable::helpWrapsLongText()
{
    QStringList words;
    for (int i = 0; i < 200; ++i)
        words.append(QStringLiteral("word%1").arg(i));
    const ArgumentTable<Log> table{
        .usage = QStringLiteral("Usage: test"),
        .rows = {{.longName = QStringLiteral("long"),
                  .group = {QStringLiteral("Options"), words.join(u' ')},
                  .help = words.join(u' ')}},
    };
    const QString help = table.helpText();
    const QStringList lines = help.split(u'\n');
    for (const QString &line : lines) {
        QVERIFY2(line.size() <= ArgumentHelp::lineWidth, qPrintable(line));
        QVERIFY2(!line.endsWith(u' '), qPrintable(line));
    }
    // Every word, in order, twice (the row's help and the group's note), and nothing lost at the line ends.
    QString flowed = help;
    flowed.replace(u'\n', u' ');
    const QStringList found = flowed.split(u' ', Qt::SkipEmptyParts).filter(QStringLiteral("word"));
    QCOMPARE(found, words + words);
    // The help starts at one column on every line of the row.
    const qsizetype column = lines.at(3).indexOf(QStringLiteral("word0"));
    QVERIFY(column > 0);
    QCOMPARE(lines.at(4).indexOf(u'w'), column);
}

void tst_ArgumentTable::helpKeepsNumbersWithTheirUnits()
{
    QStringList sentence;
    for (int i = 0; i < 60; ++i)
        sentence.append(QStringLiteral("wait %1 s, then %2 ms (or 4 KiB).").arg(i).arg(i * 10));
    const ArgumentTable<Log> table{
        .usage = QStringLiteral("Usage: test"),
        .rows = {{.longName = QStringLiteral("wait"),
                  .group = {QStringLiteral("Options")},
                  .help = sentence.join(u' ')}},
    };
    const QStringList lines = table.helpText().split(u'\n');
    qsizetype wrapped = 0;
    for (const QString &line : lines) {
        static const QRegularExpression endsWithNumber(QStringLiteral("\\d$"));
        static const QRegularExpression startsWithUnit(QStringLiteral("^ *(s|ms|KiB)\\b"));
        QVERIFY2(!endsWithNumber.match(line).hasMatch(), qPrintable(line));
        QVERIFY2(!startsWithUnit.match(line).hasMatch(), qPrintable(line));
        wrapped += line.startsWith(QStringLiteral("      ")) ? 1 : 0;
    }
    QVERIFY(wrapped > 10);
}

void tst_ArgumentTable::longNames()
{
    QCOMPARE(testTable().longNames(),
             (QStringList{QStringLiteral("json"), QStringLiteral("header"), QStringLiteral("quiet"),
                          QStringLiteral("ping"), QStringLiteral("close"), QStringLiteral("reconnect"),
                          QStringLiteral("profile"), QStringLiteral("strict")}));
}

QTEST_GUILESS_MAIN(tst_ArgumentTable)
#include "tst_argumenttable.moc"
