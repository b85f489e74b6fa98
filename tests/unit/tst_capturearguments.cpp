// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli capture`'s arguments: every flag as it lands in CaptureOptions, repeated patterns and models in
// order, every usage error (a non-loopback --listen without --allow-remote included), and the help.
#include "ArgumentCases.h"
#include "ProtoArgumentCase.h"
#include "app/cli/CaptureArguments.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/rules/RuleSet.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace ProtoArgumentCase = wsi::test::ProtoArgumentCase;

namespace {

const QStringList required = {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:8080")};

// "rules: redact replace, rules[1] delay": what a --rules file gave.
QString rulesSummary(const RuleSet &rules)
{
    QStringList each;
    for (qsizetype i = 0; i < rules.size(); ++i)
        each.append(rules.rule(i).name + u' ' + Rule::actionName(rules.rule(i).action));
    return QStringLiteral("rules: ") + each.join(QStringLiteral(", "));
}

QStringList summary(const CaptureArguments &arguments)
{
    QStringList lines;
    const CaptureOptions &options = arguments.options;
    if (!arguments.exportCaFile.isEmpty())
        lines.append(QStringLiteral("export ca ") + arguments.exportCaFile);
    else if (options.listenAddress != QHostAddress(QHostAddress::LocalHost) || options.listenPort != 8080)
        lines.append(QStringLiteral("listen %1 port %2").arg(options.listenAddress.toString()).arg(options.listenPort));
    if (options.allowRemote)
        lines.append(QStringLiteral("allow remote"));
    for (const QString &pattern : options.patterns.intercept())
        lines.append(QStringLiteral("intercept ") + pattern);
    for (const QString &pattern : options.patterns.noIntercept())
        lines.append(QStringLiteral("no intercept ") + pattern);
    for (const ChainLink &link : options.relay.models)
        lines.append(QStringLiteral("model ") + link.describe());
    if (options.relay.timeScale != 1.0)
        lines.append(QStringLiteral("time scale %1").arg(options.relay.timeScale));
    if (!arguments.recordDirectory.isEmpty())
        lines.append(QStringLiteral("record dir ") + arguments.recordDirectory);
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    if (!arguments.caDirectory.isEmpty())
        lines.append(QStringLiteral("ca dir ") + arguments.caDirectory);
    if (!arguments.upstreamTls.extraCaFile.isEmpty())
        lines.append(QStringLiteral("upstream ca ") + arguments.upstreamTls.extraCaFile);
    if (arguments.upstreamTls.insecure)
        lines.append(QStringLiteral("upstream insecure"));
    if (!arguments.keyLogFile.isEmpty())
        lines.append(QStringLiteral("keylog ") + arguments.keyLogFile);
    if (options.relay.rules)
        lines.append(rulesSummary(*options.relay.rules));
    lines += ProtoArgumentCase::summary(arguments.binarySchema);
    return lines;
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"--proto and --proto-message", required + ProtoArgumentCase::arguments(), {ProtoArgumentCase::line()}},
        {"the required flag", required, {}},
        {"--rules",
         required + QStringList{s("--rules"), s("DIR/rules.json")},
         {s("rules: redact replace, rules[1] delay")}},
        {"--listen on port 0 of ::1", QStringList{s("--listen"), s("[::1]:0")}, {s("listen ::1 port 0")}},
        {"--listen elsewhere with --allow-remote after it",
         QStringList{s("--listen"), s("0.0.0.0:8080"), s("--allow-remote")},
         {s("listen 0.0.0.0 port 8080"), s("allow remote")}},
        {"--allow-remote on loopback", required + QStringList{s("--allow-remote")}, {s("allow remote")}},
        {"--record-dir", required + QStringList{s("--record-dir"), s("DIR/captures")}, {s("record dir DIR/captures")}},
        {"--json", required + QStringList{s("--json")}, {s("json")}},
        {"--intercept repeated in order",
         required + QStringList{s("--intercept"), s("*.example.test"), s("--intercept=localhost")},
         {s("intercept *.example.test"), s("intercept localhost")}},
        {"--no-intercept",
         required + QStringList{s("--no-intercept"), s("pinned.example.test")},
         {s("no intercept pinned.example.test")}},
        {"--model repeated in order",
         required +
             QStringList{s("--model"), s("nginx:proxy_read_timeout=30s"), s("--model=haproxy:timeout_tunnel=1h")},
         {s("model nginx:proxy_read_timeout=30s"), s("model haproxy:timeout_tunnel=1h")}},
        {"--time-scale", required + QStringList{s("--time-scale"), s("20")}, {s("time scale 20")}},
        {"--export-ca alone", QStringList{s("--export-ca"), s("ca.pem")}, {s("export ca ca.pem")}},
        {"--ca-dir with --listen", required + QStringList{s("--ca-dir"), s("DIR/ca")}, {s("ca dir DIR/ca")}},
        {"--upstream-ca",
         required + QStringList{s("--upstream-ca"), s("DIR/ca/ca.pem")},
         {s("upstream ca DIR/ca/ca.pem")}},
        {"--upstream-insecure", required + QStringList{s("--upstream-insecure")}, {s("upstream insecure")}},
        {"--keylog", required + QStringList{s("--keylog=DIR/keys.log")}, {s("keylog DIR/keys.log")}},
        {"--export-ca from --ca-dir",
         QStringList{s("--ca-dir"), s("DIR/ca"), s("--export-ca=ca.pem")},
         {s("export ca ca.pem"), s("ca dir DIR/ca")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"--rules with an unknown action", required + QStringList{s("--rules"), s("DIR/bad-rules.json")},
         s("--rules DIR/bad-rules.json: rules[0].action: unknown action \"explode\"")},
        {"--rules missing", required + QStringList{s("--rules"), s("DIR/none.json")},
         s("--rules cannot read DIR/none.json: No such file or directory")},
        {"--listen missing", QStringList{s("--json")},
         s("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:8080; port 0 picks a free one)")},
        {"--listen without a port", QStringList{s("--listen"), s("127.0.0.1")},
         s("--listen '127.0.0.1': expected HOST:PORT (e.g. 127.0.0.1:9000)")},
        {"--listen on a host name", QStringList{s("--listen"), s("example.test:8080")},
         s("--listen 'example.test:8080': 'example.test' is not an IP address (or localhost)")},
        {"--listen elsewhere without --allow-remote", QStringList{s("--listen"), s("0.0.0.0:8080")},
         s("--listen '0.0.0.0:8080' is not a loopback address: anyone on that network could use the proxy to reach "
           "anything this machine can; add --allow-remote to accept that")},
        {"--intercept with a slash", required + QStringList{s("--intercept"), s("example.test/path")},
         s("--intercept: 'example.test/path' is not a host pattern: '/' cannot be part of a host name (use * and "
           "?)")},
        {"--no-intercept empty", required + QStringList{s("--no-intercept=")},
         s("--no-intercept: a host pattern cannot be empty")},
        {"--record-dir empty", required + QStringList{s("--record-dir=")}, s("--record-dir: expected a folder")},
        {"time scale zero", required + QStringList{s("--time-scale"), s("0")},
         s("--time-scale '0': expected a number greater than 0 (20 turns 60 s into 3 s)")},
        {"--export-ca with --listen", required + QStringList{s("--export-ca"), s("ca.pem")},
         s("--export-ca writes the CA certificate and exits: give it without --listen")},
        {"--export-ca empty", QStringList{s("--export-ca=")}, s("--export-ca: expected a file")},
        {"--ca-dir empty", required + QStringList{s("--ca-dir=")}, s("--ca-dir: expected a folder")},
        {"--upstream-ca missing", required + QStringList{s("--upstream-ca"), s("DIR/missing.pem")},
         s("--upstream-ca: 'DIR/missing.pem' is not a file")},
        {"--upstream-ca without a certificate", required + QStringList{s("--upstream-ca"), s("DIR/notes.txt")},
         s("--upstream-ca: 'DIR/notes.txt' holds no PEM certificate")},
        {"--keylog empty", required + QStringList{s("--keylog=")}, s("--keylog: expected a file")},
        {"unknown flag", required + QStringList{s("--upstream"), s("ws://x/")}, s("unknown option '--upstream'")},
        {"value for a flag without one", required + QStringList{s("--json=1")}, s("option '--json' takes no value")},
        {"positional argument", required + QStringList{s("extra")}, s("unexpected argument 'extra'")},
    };
}

} // namespace

class tst_CaptureArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cases.setDirectory(m_dir.path());
        QVERIFY(ProtoArgumentCase::writeProto(m_dir.path()));
        // A real CA certificate for --upstream-ca, and a file that holds none.
        QString error;
        QVERIFY2(CaptureAuthority::openOrCreate(m_dir.filePath(QStringLiteral("ca")), &error), qPrintable(error));
        QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not a certificate\n") > 0);
        QFile rules(m_dir.filePath(QStringLiteral("rules.json")));
        QVERIFY(rules.open(QIODevice::WriteOnly) &&
                rules.write(R"({"rules": [{"name": "redact", "match": "a", "action": "replace", "with": "b"},
                                      {"action": "delay", "ms": 5}]})") > 0);
        rules.close();
        QFile badRules(m_dir.filePath(QStringLiteral("bad-rules.json")));
        QVERIFY(badRules.open(QIODevice::WriteOnly) && badRules.write(R"({"rules": [{"action": "explode"}]})") > 0);
    }
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help()
    {
        m_cases.checkHelp({QStringLiteral("--bogus"), QStringLiteral("-h")}, captureHelpText(),
                          {"Usage: wsinspector-cli capture --listen 127.0.0.1:PORT", "\nOptions:\n",
                           "--no-intercept PATTERN", "  -h, --help", "HTTPS_PROXY", "\nExit status:\n"});
    }
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<CaptureArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseCaptureArguments, summary, captureOptionNames()};
};

QTEST_GUILESS_MAIN(tst_CaptureArguments)
#include "tst_capturearguments.moc"
