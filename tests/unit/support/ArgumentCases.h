// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ArgumentHelp.h"
#include "app/cli/ParsedArguments.h"

#include <QHash>
#include <QList>
#include <QStringList>
#include <QTest>

#include <initializer_list>

namespace wsi::test {

// A command line and what its parse gives, as the test's summary() writes it (one line per field that differs
// from the defaults). "DIR/" in either stands for the test's temporary directory.
struct ArgumentCase {
    const char *name;
    QStringList arguments;
    QStringList summary;
};

// A command line and its usage error, word for word.
struct ArgumentErrorCase {
    const char *name;
    QStringList arguments;
    QString error;
};

// What every wsinspector-cli parser test checks, for one command's parse function: the flags land where they
// should, every error says what it should, the help generated from the table lists every flag, and every flag of the
// table has a case (so a flag added without a test fails here).
template<typename Arguments>
class ArgumentCases final
{
public:
    using Parse = cli::ParsedArguments<Arguments> (*)(const QStringList &);
    using Summary = QStringList (*)(const Arguments &);

    ArgumentCases(Parse parse, Summary summary, QStringList optionNames)
        : m_parse(parse)
        , m_summary(summary)
        , m_optionNames(std::move(optionNames))
    {}

    // The directory "DIR/" stands for.
    void setDirectory(const QString &path) { m_directory = path; }

    static void addRows(const QList<ArgumentCase> &cases)
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("expected");
        for (const ArgumentCase &row : cases)
            QTest::newRow(row.name) << row.arguments << row.summary;
    }
    static void addRows(const QList<ArgumentErrorCase> &cases)
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        for (const ArgumentErrorCase &row : cases)
            QTest::newRow(row.name) << row.arguments << row.error;
    }

    // In a test function whose rows came from addRows(QList<ArgumentCase>).
    void checkParsed() const
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, expected);
        const cli::ParsedArguments<Arguments> parsed = m_parse(inDirectory(arguments));
        QVERIFY2(parsed.arguments, qPrintable(parsed.error));
        QVERIFY(!parsed.arguments->help);
        QCOMPARE(m_summary(*parsed.arguments), inDirectory(expected));
    }

    // In a test function whose rows came from addRows(QList<ArgumentErrorCase>).
    void checkError() const
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        const cli::ParsedArguments<Arguments> parsed = m_parse(inDirectory(arguments));
        QVERIFY(!parsed.arguments);
        QCOMPARE(parsed.error, inDirectory({error}).constFirst());
    }

    // --help in `arguments` gives help and nothing else; the help has every flag, `texts` and no line too long.
    void checkHelp(const QStringList &arguments, const QString &help, std::initializer_list<const char *> texts) const
    {
        const cli::ParsedArguments<Arguments> parsed = m_parse(arguments);
        QVERIFY2(parsed.arguments && parsed.arguments->help, qPrintable(arguments.join(u' ')));
        for (const QString &name : m_optionNames)
            QVERIFY2(help.contains(QStringLiteral("  --") + name) || help.contains(QStringLiteral(", --") + name),
                     qPrintable(name));
        for (const char *text : texts)
            QVERIFY2(help.contains(QString::fromUtf8(text)), text);
        for (const QString &line : help.split(u'\n'))
            QVERIFY2(line.size() <= cli::ArgumentHelp::lineWidth, qPrintable(line));
    }

    // Every flag of the table is used by one of `cases` ("-X" through shortNames).
    void checkEveryFlagHasACase(const QList<ArgumentCase> &cases, const QHash<QChar, QString> &shortNames = {}) const
    {
        QStringList used;
        for (const ArgumentCase &row : cases) {
            for (const QString &argument : row.arguments) {
                if (argument.startsWith(QLatin1StringView("--")))
                    used.append(argument.mid(2).section(u'=', 0, 0));
                else if (argument.size() > 1 && argument.startsWith(u'-'))
                    used.append(shortNames.value(argument.at(1)));
            }
        }
        QStringList untested;
        for (const QString &name : m_optionNames) {
            if (!used.contains(name))
                untested.append(QStringLiteral("--") + name);
        }
        QVERIFY2(untested.isEmpty(), qPrintable(QStringLiteral("no case uses ") + untested.join(QStringLiteral(", "))));
    }

private:
    QStringList inDirectory(QStringList texts) const
    {
        for (QString &text : texts)
            text.replace(QStringLiteral("DIR/"), m_directory + u'/');
        return texts;
    }

    Parse m_parse;
    Summary m_summary;
    QStringList m_optionNames;
    QString m_directory;
};

} // namespace wsi::test
