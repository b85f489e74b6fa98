// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli proxy`'s arguments: every flag as it lands in ProxyOptions, repeated models in order, every
// usage error (a --ca-file that is not there included), and the help generated from the table.
#include "ArgumentCases.h"
#include "ProtoArgumentCase.h"
#include "app/cli/ProxyArguments.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/rules/RuleSet.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace ProtoArgumentCase = wsi::test::ProtoArgumentCase;

namespace {

// What every case starts from: the two required flags.
const QStringList required = {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:9000"),
                              QStringLiteral("--upstream"), QStringLiteral("ws://up.test/")};

// What a parse gave, one line per field that differs from `required` and the defaults.
// "rules: redact replace, rules[1] delay": what a --rules file gave.
QString rulesSummary(const RuleSet &rules)
{
    QStringList each;
    for (qsizetype i = 0; i < rules.size(); ++i)
        each.append(rules.rule(i).name + u' ' + Rule::actionName(rules.rule(i).action));
    return QStringLiteral("rules: ") + each.join(QStringLiteral(", "));
}

QStringList summary(const ProxyArguments &arguments)
{
    QStringList lines;
    const ProxyOptions &options = arguments.options;
    if (options.listenAddress != QHostAddress(QHostAddress::LocalHost) || options.listenPort != 9000)
        lines.append(QStringLiteral("listen %1 port %2").arg(options.listenAddress.toString()).arg(options.listenPort));
    if (options.upstream != QUrl(QStringLiteral("ws://up.test/")))
        lines.append(QStringLiteral("upstream ") + options.upstream.toString());
    for (const ChainLink &link : options.models)
        lines.append(QStringLiteral("model ") + link.describe());
    if (options.timeScale != 1.0)
        lines.append(QStringLiteral("time scale %1").arg(options.timeScale));
    if (!options.tls.caFile.isEmpty())
        lines.append(QStringLiteral("ca ") + QFileInfo(options.tls.caFile).fileName());
    if (options.tls.ignoreErrors)
        lines.append(QStringLiteral("insecure"));
    if (!arguments.recordFile.isEmpty())
        lines.append(QStringLiteral("record ") + arguments.recordFile);
    if (!arguments.recordDirectory.isEmpty())
        lines.append(QStringLiteral("record dir ") + arguments.recordDirectory);
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    if (!arguments.tlsCertificateFile.isEmpty())
        lines.append(
            QStringLiteral("tls cert %1 key %2")
                .arg(QFileInfo(arguments.tlsCertificateFile).fileName(), QFileInfo(arguments.tlsKeyFile).fileName()));
    if (arguments.tlsLocalCa)
        lines.append(QStringLiteral("tls local ca ") + arguments.caDirectory);
    if (options.rules)
        lines.append(rulesSummary(*options.rules));
    lines += ProtoArgumentCase::summary(arguments.binarySchema);
    return lines;
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"--proto and --proto-message", required + ProtoArgumentCase::arguments(), {ProtoArgumentCase::line()}},
        {"the required flags", required, {}},
        {"--rules",
         required + QStringList{s("--rules"), s("DIR/rules.json")},
         {s("rules: redact replace, rules[1] delay")}},
        {"--listen on port 0 of ::1", required + QStringList{s("--listen"), s("[::1]:0")}, {s("listen ::1 port 0")}},
        {"--listen localhost, the last one wins",
         required + QStringList{s("--listen=localhost:9100"), s("--listen"), s("LOCALHOST:9200")},
         {s("listen 127.0.0.1 port 9200")}},
        {"--listen elsewhere with --allow-remote after it",
         required + QStringList{s("--listen"), s("0.0.0.0:9000"), s("--allow-remote")},
         {s("listen 0.0.0.0 port 9000")}},
        {"--upstream wss with a path",
         required + QStringList{s("--upstream"), s("wss://up.test:8443/feed")},
         {s("upstream wss://up.test:8443/feed")}},
        {"--model repeated in order",
         required +
             QStringList{s("--model"), s("nginx:proxy_read_timeout=30s"), s("--model=haproxy:timeout_tunnel=1h")},
         {s("model nginx:proxy_read_timeout=30s"), s("model haproxy:timeout_tunnel=1h")}},
        {"--time-scale", required + QStringList{s("--time-scale"), s("20")}, {s("time scale 20")}},
        {"--record", required + QStringList{s("--record"), s("DIR/events.jsonl")}, {s("record DIR/events.jsonl")}},
        {"--record-dir",
         required + QStringList{s("--record-dir"), s("DIR/recordings")},
         {s("record dir DIR/recordings")}},
        {"--json", required + QStringList{s("--json")}, {s("json")}},
        {"--ca-file", required + QStringList{s("--ca-file"), s("DIR/ca.pem")}, {s("ca ca.pem")}},
        {"--insecure", required + QStringList{s("--insecure")}, {s("insecure")}},
        {"--tls-cert with --tls-key",
         required + QStringList{s("--tls-cert"), s("DIR/ca.pem"), s("--tls-key=DIR/not-pem.txt")},
         {s("tls cert ca.pem key not-pem.txt")}},
        {"--tls-local-ca", required + QStringList{s("--tls-local-ca")}, {s("tls local ca ")}},
        {"--tls-local-ca from --ca-dir",
         required + QStringList{s("--tls-local-ca"), s("--ca-dir"), s("DIR/ca")},
         {s("tls local ca DIR/ca")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    QString unknownModel;
    ChainLink::parse(u"squid", IntermediaryCatalog::builtIn(), &unknownModel);
    const QString natNote = ChainLink::parse(u"nat", IntermediaryCatalog::builtIn(), nullptr)->model().notes.value(0);
    const QStringList upstream = {s("--upstream"), s("ws://up.test/")};
    const QStringList listen = {s("--listen"), s("127.0.0.1:9000")};
    return {
        {"--rules with an unknown action", listen + upstream + QStringList{s("--rules"), s("DIR/bad-rules.json")},
         s("--rules DIR/bad-rules.json: rules[0].action: unknown action \"explode\"")},
        {"--rules missing", listen + upstream + QStringList{s("--rules"), s("DIR/none.json")},
         s("--rules cannot read DIR/none.json: No such file or directory")},
        {"--record-dir empty", listen + upstream + QStringList{s("--record-dir=")},
         s("--record-dir: expected a folder")},
        {"--listen missing", upstream,
         s("--listen HOST:PORT is required (e.g. --listen 127.0.0.1:9000; port 0 picks a free one)")},
        {"--listen without a port", QStringList{s("--listen"), s("127.0.0.1")} + upstream,
         s("--listen '127.0.0.1': expected HOST:PORT (e.g. 127.0.0.1:9000)")},
        {"--listen with a port too large", QStringList{s("--listen=127.0.0.1:70000")} + upstream,
         s("--listen '127.0.0.1:70000': expected HOST:PORT (e.g. 127.0.0.1:9000)")},
        {"--listen on a host name", QStringList{s("--listen"), s("example.test:9000")} + upstream,
         s("--listen 'example.test:9000': 'example.test' is not an IP address (or localhost)")},
        {"--listen elsewhere without --allow-remote", QStringList{s("--listen"), s("0.0.0.0:9000")} + upstream,
         s("--listen '0.0.0.0:9000' is not a loopback address: add --allow-remote to accept connections from other "
           "machines")},
        {"--upstream missing", listen, s("--upstream URL is required (ws:// or wss://)")},
        {"--upstream not ws", listen + QStringList{s("--upstream"), s("http://up.test/")},
         s("--upstream: the upstream 'http://up.test/' is not a ws:// or wss:// URL with a host")},
        {"unknown model", required + QStringList{s("--model"), s("squid")}, s("--model: ") + unknownModel},
        {"model without a required knob", required + QStringList{s("--model"), s("nat")},
         s("--model nat: nat has no default for idle_timeout (%1): give one, e.g. --model nat:idle_timeout=5m")
             .arg(natNote)},
        {"time scale zero", required + QStringList{s("--time-scale"), s("0")},
         s("--time-scale '0': expected a number greater than 0 (20 turns 60 s into 3 s)")},
        {"time scale not a number", required + QStringList{s("--time-scale=fast")},
         s("--time-scale 'fast': expected a number greater than 0 (20 turns 60 s into 3 s)")},
        {"--ca-file missing", required + QStringList{s("--ca-file"), s("/nonexistent/ca.pem")},
         s("--ca-file '/nonexistent/ca.pem': no such file")},
        {"--ca-file a directory", required + QStringList{s("--ca-file"), s("DIR/")},
         s("--ca-file 'DIR/': not a readable file")},
        {"--ca-file not PEM", required + QStringList{s("--ca-file"), s("DIR/not-pem.txt")},
         s("--ca-file: the CA file DIR/not-pem.txt holds no certificate in PEM form (-----BEGIN CERTIFICATE-----)")},
        {"--tls-cert without --tls-key", required + QStringList{s("--tls-cert"), s("DIR/ca.pem")},
         s("--tls-cert and --tls-key go together")},
        {"--tls-key not a file", required + QStringList{s("--tls-key"), s("DIR/missing.key")},
         s("--tls-key: 'DIR/missing.key' is not a file")},
        {"--tls-local-ca with --tls-cert",
         required + QStringList{s("--tls-local-ca"), s("--tls-cert"), s("DIR/ca.pem"), s("--tls-key"), s("DIR/ca.pem")},
         s("--tls-local-ca or --tls-cert/--tls-key: one certificate for the listener")},
        {"--ca-dir without --tls-local-ca", required + QStringList{s("--ca-dir"), s("DIR/ca")},
         s("--ca-dir goes with --tls-local-ca")},
        {"unknown flag", required + QStringList{s("--bogus")}, s("unknown option '--bogus'")},
        {"value for a flag without one", required + QStringList{s("--json=1")}, s("option '--json' takes no value")},
        {"value missing", required + QStringList{s("--model")}, s("option '--model' needs a value")},
        {"positional argument", required + QStringList{s("extra")}, s("unexpected argument 'extra'")},
    };
}

} // namespace

class tst_ProxyArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help();
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<ProxyArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseProxyArguments, summary, proxyOptionNames()};
};

void tst_ProxyArguments::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cases.setDirectory(m_dir.path());
    QVERIFY(ProtoArgumentCase::writeProto(m_dir.path()));
    QVERIFY(QFile::copy(QStringLiteral(WSI_TEST_TLS_DIR "/ca.pem"), m_dir.filePath(QStringLiteral("ca.pem"))));
    QFile notPem(m_dir.filePath(QStringLiteral("not-pem.txt")));
    QVERIFY(notPem.open(QIODevice::WriteOnly) && notPem.write("hello\n") == 6);
    QFile rules(m_dir.filePath(QStringLiteral("rules.json")));
    QVERIFY(rules.open(QIODevice::WriteOnly) &&
            rules.write(R"({"rules": [{"name": "redact", "match": "a", "action": "replace", "with": "b"},
                                      {"action": "delay", "ms": 5}]})") > 0);
    rules.close();
    QFile badRules(m_dir.filePath(QStringLiteral("bad-rules.json")));
    QVERIFY(badRules.open(QIODevice::WriteOnly) && badRules.write(R"({"rules": [{"action": "explode"}]})") > 0);
}

void tst_ProxyArguments::help()
{
    m_cases.checkHelp({QStringLiteral("--bogus"), QStringLiteral("-h")}, proxyHelpText(),
                      {"Usage: wsinspector-cli proxy --listen 127.0.0.1:PORT --upstream URL", "\nOptions:\n",
                       "--model MODEL[:knob=value,...]", "  -h, --help", "Limits of a local relay",
                       "\nExit status:\n"});
}

QTEST_GUILESS_MAIN(tst_ProxyArguments)
#include "tst_proxyarguments.moc"
