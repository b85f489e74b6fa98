// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli export`'s arguments: FILE, one output (--har or --jsonl), --payload-limit, --include-secrets,
// every usage error, and the help generated from the table.
#include "ArgumentCases.h"
#include "ProtoArgumentCase.h"
#include "app/cli/ExportArguments.h"

#include <QTemporaryDir>
#include <QTest>

using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace ProtoArgumentCase = wsi::test::ProtoArgumentCase;

namespace {

QStringList summary(const ExportArguments &arguments)
{
    QStringList lines{QStringLiteral("file ") + arguments.file};
    lines.append(
        (arguments.format == ExportArguments::Format::Har ? QStringLiteral("har ") : QStringLiteral("jsonl ")) +
        arguments.output);
    if (arguments.payloadLimit >= 0)
        lines.append(QStringLiteral("payload limit %1").arg(arguments.payloadLimit));
    if (arguments.includeSecrets)
        lines.append(QStringLiteral("secrets included"));
    lines += ProtoArgumentCase::summary(arguments.binarySchema);
    return lines;
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"--proto and --proto-message",
         QStringList{s("run.wsirec"), s("--jsonl"), s("-")} + ProtoArgumentCase::arguments(),
         {s("file run.wsirec"), s("jsonl -"), ProtoArgumentCase::line()}},
        {"--har", {s("run.wsirec"), s("--har"), s("out.har")}, {s("file run.wsirec"), s("har out.har")}},
        {"--jsonl to standard output", {s("--jsonl=-"), s("run.wsirec")}, {s("file run.wsirec"), s("jsonl -")}},
        {"--jsonl with --payload-limit",
         {s("run.wsirec"), s("--payload-limit"), s("4096"), s("--jsonl"), s("out.jsonl")},
         {s("file run.wsirec"), s("jsonl out.jsonl"), s("payload limit 4096")}},
        {"--payload-limit 0",
         {s("run.wsirec"), s("--jsonl"), s("out.jsonl"), s("--payload-limit=0")},
         {s("file run.wsirec"), s("jsonl out.jsonl"), s("payload limit 0")}},
        {"--include-secrets",
         {s("run.wsirec"), s("--include-secrets"), s("--har"), s("out.har")},
         {s("file run.wsirec"), s("har out.har"), s("secrets included")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"FILE missing", {s("--jsonl"), s("out.jsonl")}, s("FILE missing: give a recording or a HAR file")},
        {"two files",
         {s("a.har"), s("b.har"), s("--har"), s("out.har")},
         s("unexpected argument 'b.har': export reads one FILE")},
        {"no output", {s("a.har")}, s("say what to write: --har OUT or --jsonl OUT")},
        {"two outputs",
         {s("a.har"), s("--har"), s("out.har"), s("--jsonl"), s("out.jsonl")},
         s("one output per run: give either --har OUT or --jsonl OUT, once")},
        {"one output twice",
         {s("a.har"), s("--har"), s("out.har"), s("--har"), s("other.har")},
         s("one output per run: give either --har OUT or --jsonl OUT, once")},
        {"empty OUT", {s("a.har"), s("--har=")}, s("OUT is empty: give a file name, or - for standard output")},
        {"--payload-limit with --har",
         {s("a.har"), s("--har"), s("out.har"), s("--payload-limit"), s("10")},
         s("--payload-limit applies to --jsonl only: HAR files hold whole messages")},
        {"--payload-limit negative",
         {s("a.har"), s("--jsonl"), s("out.jsonl"), s("--payload-limit"), s("-5")},
         s("--payload-limit: '-5' is not a number of bytes (0 or more)")},
        {"--payload-limit not a number",
         {s("a.har"), s("--jsonl"), s("out.jsonl"), s("--payload-limit=lots")},
         s("--payload-limit: 'lots' is not a number of bytes (0 or more)")},
        {"--proto without --proto-message",
         {s("a.har"), s("--jsonl"), s("-"), s("--proto"), s("DIR/trade.proto")},
         s("--proto goes with --proto-message TYPE (the message type binary messages are)")},
        {"--proto-message not in the file",
         {s("a.har"), s("--jsonl"), s("-"), s("--proto"), s("DIR/trade.proto"), s("--proto-message"),
          s("market.Order")},
         s("--proto-message: DIR/trade.proto declares no message type market.Order; it declares: market.Trade")},
        {"unknown flag", {s("a.har"), s("--csv"), s("out.csv")}, s("unknown option '--csv'")},
        {"value missing", {s("a.har"), s("--har")}, s("option '--har' needs a value")},
    };
}

} // namespace

class tst_ExportArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cases.setDirectory(m_dir.path());
        QVERIFY(ProtoArgumentCase::writeProto(m_dir.path()));
    }
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("a.har"), QStringLiteral("--help")}, exportHelpText(),
                          {"Usage: wsinspector-cli export FILE --har OUT [--include-secrets]\n",
                           "wsinspector-cli export FILE --jsonl OUT [--payload-limit BYTES] [--include-secrets]",
                           "\nOptions:\n", "--payload-limit BYTES", "--include-secrets", "[redacted]", "  -h, --help",
                           "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<ExportArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseExportArguments, summary, exportOptionNames()};
};

QTEST_GUILESS_MAIN(tst_ExportArguments)
#include "tst_exportarguments.moc"
