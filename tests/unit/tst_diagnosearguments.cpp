// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli diagnose`'s arguments: FILE, --chain in order, --json, every usage error, and the help generated
// from the table.
#include "ArgumentCases.h"
#include "app/cli/DiagnoseArguments.h"
#include "core/keepalive/IntermediaryCatalog.h"

#include <QTest>

using namespace wsi;
using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace {

QStringList summary(const DiagnoseArguments &arguments)
{
    QStringList lines{QStringLiteral("file ") + arguments.file};
    for (const ChainLink &link : arguments.links)
        lines.append(QStringLiteral("chain ") + link.describe());
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    return lines;
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"FILE", {s("run.jsonl")}, {s("file run.jsonl")}},
        {"FILE after the flags", {s("--json"), s("run.jsonl")}, {s("file run.jsonl"), s("json")}},
        {"FILE starting with a dash after --", {s("--"), s("-run.jsonl")}, {s("file -run.jsonl")}},
        {"--chain in order",
         {s("run.jsonl"), s("--chain"), s("nginx:proxy_read_timeout=30s"), s("--chain=aws-alb")},
         {s("file run.jsonl"), s("chain nginx:proxy_read_timeout=30s"), s("chain aws-alb")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    QString unknownModel;
    ChainLink::parse(u"nginz", IntermediaryCatalog::builtIn(), &unknownModel);
    const QString natNote = ChainLink::parse(u"nat", IntermediaryCatalog::builtIn(), nullptr)->model().notes.value(0);
    return {
        {"FILE missing",
         {s("--json")},
         s("FILE missing: give the JSON lines of 'wsinspector-cli connect --json', a recording or a HAR file")},
        {"two files", {s("a.jsonl"), s("b.jsonl")}, s("unexpected argument 'b.jsonl': diagnose reads one FILE")},
        {"unknown model", {s("a.jsonl"), s("--chain"), s("nginz")}, s("--chain: ") + unknownModel},
        {"model without a required knob",
         {s("a.jsonl"), s("--chain=nat")},
         s("--chain nat: nat has no default for idle_timeout (%1): give one, e.g. --chain nat:idle_timeout=5m")
             .arg(natNote)},
        {"unknown flag", {s("a.jsonl"), s("--bogus")}, s("unknown option '--bogus'")},
        {"value missing", {s("a.jsonl"), s("--chain")}, s("option '--chain' needs a value")},
    };
}

} // namespace

class tst_DiagnoseArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("-h")}, diagnoseHelpText(),
                          {"Usage: wsinspector-cli diagnose FILE", "\nOptions:\n", "--chain MODEL[:knob=value,...]",
                           "  -h, --help", "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<DiagnoseArguments>;
    Cases m_cases{parseDiagnoseArguments, summary, diagnoseOptionNames()};
};

QTEST_GUILESS_MAIN(tst_DiagnoseArguments)
#include "tst_diagnosearguments.moc"
