// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli import`'s arguments: FILE, --json, every usage error, and the help generated from the table.
#include "ArgumentCases.h"
#include "app/cli/ImportArguments.h"

#include <QTest>

using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace {

QStringList summary(const ImportArguments &arguments)
{
    QStringList lines{QStringLiteral("file ") + arguments.file};
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    return lines;
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"FILE", {s("session.har")}, {s("file session.har")}},
        {"--json before FILE", {s("--json"), s("session.har")}, {s("file session.har"), s("json")}},
        {"FILE named like a flag after --", {s("--json"), s("--"), s("--json")}, {s("file --json"), s("json")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"FILE missing", {s("--json")}, s("FILE missing: give a HAR file")},
        {"two files", {s("a.har"), s("b.har")}, s("unexpected argument 'b.har': import reads one FILE")},
        {"value for --json", {s("a.har"), s("--json=yes")}, s("option '--json' takes no value")},
        {"unknown flag", {s("a.har"), s("--bogus")}, s("unknown option '--bogus'")},
    };
}

} // namespace

class tst_ImportArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("--help"), QStringLiteral("a.har"), QStringLiteral("b.har")},
                          importHelpText(),
                          {"Usage: wsinspector-cli import FILE [--json]", "\nOptions:\n", "  --json", "  -h, --help",
                           "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<ImportArguments>;
    Cases m_cases{parseImportArguments, summary, importOptionNames()};
};

QTEST_GUILESS_MAIN(tst_ImportArguments)
#include "tst_importarguments.moc"
