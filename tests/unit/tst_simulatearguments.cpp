// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli simulate`'s arguments: every flag as it lands in the SimulationScenario (both ends), the chain in
// order, every usage error, and the help generated from the table.
#include "ArgumentCases.h"
#include "app/cli/SimulateArguments.h"
#include "core/exchange/RecordedTrafficReader.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/text/DurationText.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using namespace wsi::cli;
using wsi::test::ArgumentCase;
using wsi::test::ArgumentErrorCase;

namespace {

void describeEnd(QStringList &lines, const QString &side, const EndpointBehaviour &end)
{
    if (end.heartbeat.kind != HeartbeatSpec::Kind::None || !end.heartbeat.preset.isEmpty())
        lines.append(side + QStringLiteral(" heartbeat ") + end.heartbeat.describe());
    if (end.trafficEveryMs)
        lines.append(side + QStringLiteral(" traffic every %1 ms").arg(*end.trafficEveryMs));
    if (end.tcpKeepalive.enabled)
        lines.append(side + QStringLiteral(" tcp keepalive ") + end.tcpKeepalive.describe());
    if (!end.answersPings)
        lines.append(side + QStringLiteral(" answers no pings"));
    if (end.stopsReadingAtMs)
        lines.append(side + QStringLiteral(" stops reading at %1 ms").arg(*end.stopsReadingAtMs));
    if (!end.recorded.isEmpty())
        lines.append(side + QStringLiteral(" replays %1 frames").arg(end.recorded.size()));
}

// What a parse gave, one line per field that differs from the defaults.
QStringList summary(const SimulateArguments &arguments)
{
    QStringList lines;
    const SimulationScenario &scenario = arguments.scenario;
    for (const ChainLink &link : scenario.chain)
        lines.append(QStringLiteral("chain ") + link.describe());
    describeEnd(lines, QStringLiteral("client"), scenario.client);
    describeEnd(lines, QStringLiteral("server"), scenario.server);
    if (scenario.durationMs != SimulationScenario().durationMs)
        lines.append(QStringLiteral("duration %1 ms").arg(scenario.durationMs));
    if (!arguments.fromFile.isEmpty())
        lines.append(QStringLiteral("from ") + QFileInfo(arguments.fromFile).fileName());
    if (arguments.listModels)
        lines.append(QStringLiteral("list models"));
    if (arguments.json)
        lines.append(QStringLiteral("json"));
    return lines;
}

QString heartbeat(const char *text, Endpoint side)
{
    return HeartbeatSpec::parse(QString::fromUtf8(text), side, HeartbeatPresets::builtIn(), nullptr)->describe();
}

QList<ArgumentCase> flagCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    return {
        {"nothing", {}, {}},
        {"--chain in order",
         {s("--chain"), s("aws-alb"), s("--chain=nginx:proxy_read_timeout=30s")},
         {s("chain aws-alb"), s("chain nginx:proxy_read_timeout=30s")}},
        {"--client-heartbeat and --server-heartbeat",
         {s("--client-heartbeat"), s("ping:20,timeout=10"), s("--server-heartbeat"), s("pong:30")},
         {s("client heartbeat ") + heartbeat("ping:20,timeout=10", Endpoint::Client),
          s("server heartbeat ") + heartbeat("pong:30", Endpoint::Server)}},
        {"a heartbeat preset that does not answer pings",
         {s("--client-heartbeat"), s("browser")},
         {s("client heartbeat ") + heartbeat("browser", Endpoint::Client)}},
        {"--client-traffic and --server-traffic",
         {s("--client-traffic"), s("every:5s"), s("--server-traffic"), s("every:500ms")},
         {s("client traffic every 5000 ms"), s("server traffic every 500 ms")}},
        {"--client-traffic none after every", {s("--client-traffic=every:5"), s("--client-traffic=none")}, {}},
        {"--client-tcp-keepalive and --server-tcp-keepalive",
         {s("--client-tcp-keepalive"), s("idle=60,intvl=10,probes=3"), s("--server-tcp-keepalive"), s("idle=30")},
         {s("client tcp keepalive ") +
              TcpKeepaliveSettings::parse(u"idle=60,intvl=10,probes=3", IntermediaryCatalog::builtIn().tcp(), nullptr)
                  ->describe(),
          s("server tcp keepalive ") +
              TcpKeepaliveSettings::parse(u"idle=30", IntermediaryCatalog::builtIn().tcp(), nullptr)->describe()}},
        {"--client-answers-pings and --server-answers-pings",
         {s("--client-answers-pings"), s("no"), s("--server-answers-pings"), s("yes")},
         {s("client answers no pings")}},
        {"--server-answers-pings wins over a heartbeat given after it",
         {s("--server-answers-pings=yes"), s("--client-answers-pings=yes"), s("--client-heartbeat"), s("browser")},
         {s("client heartbeat ") + heartbeat("browser", Endpoint::Client)}},
        {"--client-stops-reading and --server-stops-reading",
         {s("--client-stops-reading"), s("90s"), s("--server-stops-reading"), s("0")},
         {s("client stops reading at 90000 ms"), s("server stops reading at 0 ms")}},
        {"--from",
         {s("--from"), s("DIR/session.jsonl")},
         {s("client replays 2 frames"), s("server replays 2 frames"), s("from session.jsonl")}},
        {"--duration", {s("--duration"), s("2h")}, {s("duration 7200000 ms")}},
        {"--list-models", {s("--list-models")}, {s("list models")}},
        {"--json", {s("--json")}, {s("json")}},
    };
}

QList<ArgumentErrorCase> errorCases()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    const IntermediaryCatalog &catalog = IntermediaryCatalog::builtIn();
    QString unknownModel;
    ChainLink::parse(u"squid", catalog, &unknownModel);
    QString badKnob;
    ChainLink::parse(u"nginx:send_timeout=5x", catalog, &badKnob);
    const QString natNote = ChainLink::parse(u"nat", catalog, nullptr)->model().notes.value(0);
    QString serverPreset;
    HeartbeatSpec::parse(u"browser", Endpoint::Server, HeartbeatPresets::builtIn(), &serverPreset);
    QString badKeepalive;
    TcpKeepaliveSettings::parse(u"idle=5,x=1", catalog.tcp(), &badKeepalive);
    QString notDuration;
    DurationText::parseMs(u"forever", &notDuration);
    QString notInterval;
    DurationText::parseMs(u"soon", &notInterval);
    QString missingFile;
    RecordedTrafficReader::readFile(s("DIR/none.jsonl"), &missingFile);
    return {
        {"unknown model", {s("--chain"), s("squid")}, s("--chain: ") + unknownModel},
        {"bad knob value", {s("--chain"), s("nginx:send_timeout=5x")}, s("--chain: ") + badKnob},
        {"model without a required knob",
         {s("--chain"), s("nat")},
         s("--chain nat: nat has no default for idle_timeout (%1): give one, e.g. --chain nat:idle_timeout=5m")
             .arg(natNote)},
        {"heartbeat for the wrong end",
         {s("--server-heartbeat"), s("browser")},
         s("--server-heartbeat ") + serverPreset},
        {"traffic without every:",
         {s("--client-traffic"), s("30")},
         s("--client-traffic '30': expected every:S (a data message every S) or none")},
        {"traffic not a duration", {s("--server-traffic"), s("every:soon")}, s("--server-traffic: ") + notInterval},
        {"traffic every 0",
         {s("--client-traffic"), s("every:0")},
         s("--client-traffic 'every:0': the interval must be greater than 0")},
        {"bad keepalive", {s("--client-tcp-keepalive"), s("idle=5,x=1")}, s("--client-tcp-keepalive ") + badKeepalive},
        {"bad yes/no",
         {s("--server-answers-pings"), s("maybe")},
         s("--server-answers-pings 'maybe': expected yes or no")},
        {"stops reading not a duration",
         {s("--client-stops-reading"), s("soon")},
         s("--client-stops-reading: ") + notInterval},
        {"duration not a duration", {s("--duration"), s("forever")}, s("--duration: ") + notDuration},
        {"duration zero", {s("--duration"), s("0")}, s("--duration '0': must be greater than 0")},
        {"--from missing", {s("--from"), s("DIR/none.jsonl")}, s("--from: ") + missingFile},
        {"unknown flag", {s("--bogus")}, s("unknown option '--bogus'")},
        {"a single-dash word", {s("-json")}, s("unknown option '-json'")},
        {"value missing", {s("--chain")}, s("option '--chain' needs a value")},
        {"positional argument", {s("nginx")}, s("unexpected argument 'nginx'")},
    };
}

} // namespace

class tst_SimulateArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void flags_data() { Cases::addRows(flagCases()); }
    void flags() { m_cases.checkParsed(); }
    void tcpDefaultsFromTheCatalog();
    void errors_data() { Cases::addRows(errorCases()); }
    void errors() { m_cases.checkError(); }
    void help();
    void everyFlagHasACase() { m_cases.checkEveryFlagHasACase(flagCases()); }

private:
    using Cases = wsi::test::ArgumentCases<SimulateArguments>;
    QTemporaryDir m_dir;
    Cases m_cases{parseSimulateArguments, summary, simulateOptionNames()};
};

void tst_SimulateArguments::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cases.setDirectory(m_dir.path());
    QFile file(m_dir.filePath(QStringLiteral("session.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"event":"handshake","t":0.01,"accepted":true}
{"event":"frame","t":1.0,"dir":"out","opcode":"text","fin":true,"length":5,"payload":"hello"}
{"event":"frame","t":1.2,"dir":"in","opcode":"text","fin":true,"length":5,"payload":"hello"}
{"event":"frame","t":40.0,"dir":"out","opcode":"ping","fin":true,"length":0,"payload":""}
{"event":"frame","t":40.1,"dir":"in","opcode":"pong","fin":true,"length":0,"payload":""}
)");
}

void tst_SimulateArguments::tcpDefaultsFromTheCatalog()
{
    const SimulateParseResult parsed = parseSimulateArguments({});
    QVERIFY2(parsed.arguments, qPrintable(parsed.error));
    const TcpDefaults &catalog = IntermediaryCatalog::builtIn().tcp();
    QVERIFY(!catalog.source.isEmpty());
    QCOMPARE(parsed.arguments->scenario.tcp.source, catalog.source);
}

void tst_SimulateArguments::help()
{
    m_cases.checkHelp({QStringLiteral("--chain"), QStringLiteral("--help")}, simulateHelpText(),
                      {"Usage: wsinspector-cli simulate --chain MODEL[:knob=value,...] ... [options]",
                       "\n       wsinspector-cli simulate --from FILE [--chain ...] [options]",
                       "Without --chain the chain is", "\nChain (from the client to the server):\n",
                       "\nEach end (--client-... and --server-...):\n", "\nRun:\n", "--chain MODEL[:knob=value,...]",
                       "  haproxy:timeout_tunnel=1h", "  -h, --help", "Assumptions:", "\nExit status:\n"});
}

QTEST_GUILESS_MAIN(tst_SimulateArguments)
#include "tst_simulatearguments.moc"
