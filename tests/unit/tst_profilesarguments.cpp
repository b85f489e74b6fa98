// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli profiles`'s arguments: each action with its arguments, the directory from --dir or
// $WSI_PROFILE_DIR, every usage error, and the help generated from the table.
#include "ArgumentCases.h"
#include "app/cli/ProfilesArguments.h"

#include <QTemporaryDir>
#include <QTest>

using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace {

QStringList summary(const ProfilesArguments &arguments)
{
    static const char *const actions[] = {"list", "show", "export", "import"};
    QStringList lines{QString::fromLatin1(actions[int(arguments.action)])};
    if (!arguments.name.isEmpty())
        lines.append(QStringLiteral("name ") + arguments.name);
    if (!arguments.file.isEmpty())
        lines.append(QStringLiteral("file ") + arguments.file);
    lines.append(QStringLiteral("directory ") + arguments.directory);
    return lines;
}

// $WSI_PROFILE_DIR is DIR/env during these cases.
QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"list", {s("list")}, {s("list"), s("directory DIR/env")}},
        {"show NAME", {s("show"), s("Local echo")}, {s("show"), s("name Local echo"), s("directory DIR/env")}},
        {"export NAME FILE",
         {s("export"), s("Local echo"), s("out.json")},
         {s("export"), s("name Local echo"), s("file out.json"), s("directory DIR/env")}},
        {"import FILE", {s("import"), s("in.json")}, {s("import"), s("file in.json"), s("directory DIR/env")}},
        {"--dir wins over $WSI_PROFILE_DIR",
         {s("--dir"), s("DIR/own"), s("list")},
         {s("list"), s("directory DIR/own")}},
        {"--dir= after the action",
         {s("show"), s("a"), s("--dir=DIR/own")},
         {s("show"), s("name a"), s("directory DIR/own")}},
        {"a NAME like a flag after --",
         {s("show"), s("--"), s("--dir")},
         {s("show"), s("name --dir"), s("directory DIR/env")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"no action", {}, s("missing the action: list, show, export or import")},
        {"unknown action", {s("delete"), s("a")}, s("unknown action 'delete' (expected list, show, export or import)")},
        {"show without NAME", {s("show")}, s("missing arguments: show NAME")},
        {"export without FILE", {s("export"), s("a")}, s("missing arguments: export NAME FILE")},
        {"import without FILE", {s("import")}, s("missing arguments: import FILE")},
        {"list with an argument", {s("list"), s("a")}, s("unexpected argument 'a' (list)")},
        {"import with two files", {s("import"), s("a"), s("b")}, s("unexpected argument 'b' (import FILE)")},
        {"--dir without DIR", {s("list"), s("--dir")}, s("option '--dir' needs a value")},
        {"unknown flag", {s("list"), s("--all")}, s("unknown option '--all'")},
    };
}

} // namespace

class tst_ProfilesArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cases.setDirectory(m_dir.path());
        qputenv("WSI_PROFILE_DIR", m_dir.filePath(QStringLiteral("env")).toUtf8());
    }
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void withoutEnvironment()
    {
        qunsetenv("WSI_PROFILE_DIR");
        const ProfilesParseResult parsed = parseProfilesArguments({QStringLiteral("list")});
        qputenv("WSI_PROFILE_DIR", m_dir.filePath(QStringLiteral("env")).toUtf8());
        QVERIFY2(parsed.arguments, qPrintable(parsed.error));
        QVERIFY(parsed.arguments->directory.isEmpty()); // the store's default
    }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("delete"), QStringLiteral("--help")}, profilesHelpText(),
                          {"Usage: wsinspector-cli profiles ACTION [options]", "\nActions:\n", "export NAME FILE",
                           "\nOptions:\n", "  --dir DIR", "  -h, --help", "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<ProfilesArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseProfilesArguments, summary, profilesOptionNames()};
};

QTEST_GUILESS_MAIN(tst_ProfilesArguments)
#include "tst_profilesarguments.moc"
