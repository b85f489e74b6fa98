// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli simulate` end to end: the built binary runs as a process; no network.
#include "CliProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi::test;

namespace {

CliRun runSimulate(const QStringList &arguments)
{
    return runCli(QStringList{QStringLiteral("simulate")} + arguments);
}

} // namespace

class tst_CliSimulate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonOutcomeLine();
    void aliveOutcome();
    void humanOutput();
    void halfOpenViews();
    void fromTranscript();
    void listModelsAndHelp();
    void usageErrorsExit2_data();
    void usageErrorsExit2();
};

void tst_CliSimulate::jsonOutcomeLine()
{
    const CliRun run = runSimulate({QStringLiteral("--chain"), QStringLiteral("nginx"), QStringLiteral("--json")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY(run.err.isEmpty());
    QVERIFY(run.out.endsWith('\n'));
    const QList<QJsonObject> lines = jsonLines(run.out);
    QVERIFY(lines.size() >= 2);
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QVERIFY(lines.at(i).value(QStringLiteral("event")).isString());
        QVERIFY(lines.at(i).value(QStringLiteral("t")).isDouble());
    }
    QCOMPARE(lines.constFirst().value(QStringLiteral("event")).toString(), QStringLiteral("start"));
    const QJsonObject outcome = lines.constLast();
    QStringList keys = outcome.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("action"), QStringLiteral("at_s"), QStringLiteral("by"),
                                QStringLiteral("client_sees"), QStringLiteral("event"), QStringLiteral("explanation"),
                                QStringLiteral("fix"), QStringLiteral("protocol"), QStringLiteral("result"),
                                QStringLiteral("server_sees"), QStringLiteral("timer")}));
    QCOMPARE(outcome.value(QStringLiteral("event")).toString(), QStringLiteral("outcome"));
    QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("cut"));
    QCOMPARE(outcome.value(QStringLiteral("at_s")).toDouble(), 60.0);
    QCOMPARE(outcome.value(QStringLiteral("by")).toString(), QStringLiteral("nginx"));
    QCOMPARE(outcome.value(QStringLiteral("timer")).toString(), QStringLiteral("proxy_read_timeout"));
    QCOMPARE(outcome.value(QStringLiteral("action")).toString(), QStringLiteral("fin"));
    for (const char *end : {"client_sees", "server_sees"}) {
        const QJsonObject sees = outcome.value(QLatin1StringView(end)).toObject();
        QCOMPARE(sees.value(QStringLiteral("state")).toString(), QStringLiteral("closed"));
        QCOMPARE(sees.value(QStringLiteral("close_code")).toInt(), 1006);
        QCOMPARE(sees.value(QStringLiteral("at_s")).toDouble(), 60.0);
        QCOMPARE(sees.value(QStringLiteral("how")).toString(), QStringLiteral("fin"));
    }
    QVERIFY(outcome.value(QStringLiteral("explanation")).toString().contains(QLatin1StringView("proxy_read_timeout")));
    QVERIFY(outcome.value(QStringLiteral("fix")).toString().contains(QLatin1StringView("at most every 48 s")));
    // The timer event is in the timeline before the outcome.
    QCOMPARE(lines.at(1).value(QStringLiteral("event")).toString(), QStringLiteral("timer_fired"));
    QCOMPARE(lines.at(1).value(QStringLiteral("t")).toDouble(), 60.0);
}

void tst_CliSimulate::aliveOutcome()
{
    const CliRun run = runSimulate({QStringLiteral("--chain"), QStringLiteral("nginx"), QStringLiteral("--chain"),
                                    QStringLiteral("haproxy:timeout_tunnel=90s,independent_streams=1"),
                                    QStringLiteral("--client-heartbeat"), QStringLiteral("ping:30"),
                                    QStringLiteral("--duration"), QStringLiteral("10m"), QStringLiteral("--json")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> lines = jsonLines(run.out);
    const QJsonObject outcome = lines.constLast();
    QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("alive"));
    QVERIFY(outcome.value(QStringLiteral("at_s")).isNull());
    QVERIFY(outcome.value(QStringLiteral("by")).isNull());
    QVERIFY(outcome.value(QStringLiteral("fix")).isNull());
    QCOMPARE(outcome.value(QStringLiteral("client_sees")).toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("open"));
    // 20 pings and 20 pongs in 10 minutes, plus the start line and the outcome.
    QCOMPARE(lines.size(), 42);
    // The server does not answer: HAProxy's server side starves (independent-streams) at 90 s.
    const CliRun starved =
        runSimulate({QStringLiteral("--chain"), QStringLiteral("haproxy:timeout_tunnel=90s,independent_streams=1"),
                     QStringLiteral("--client-heartbeat"), QStringLiteral("ping:30"),
                     QStringLiteral("--server-answers-pings"), QStringLiteral("no"), QStringLiteral("--json")});
    const QJsonObject cut = jsonLines(starved.out).constLast();
    QCOMPARE(cut.value(QStringLiteral("at_s")).toDouble(), 90.0);
    QCOMPARE(cut.value(QStringLiteral("timer")).toString(), QStringLiteral("timeout tunnel"));
}

void tst_CliSimulate::humanOutput()
{
    const CliRun run = runSimulate({QStringLiteral("--chain"), QStringLiteral("aws-apigw-websocket"),
                                    QStringLiteral("--client-heartbeat"), QStringLiteral("app:60"),
                                    QStringLiteral("--duration"), QStringLiteral("3h")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(
                 QLatin1StringView("Outcome: cut at 2 h by aws-apigw-websocket (maximum connection duration, fin)")),
             qPrintable(out));
    QVERIFY(out.contains(QLatin1StringView("more frames and probes (--json lists every event)")));
    QVERIFY(out.contains(QLatin1StringView("Fix: A heartbeat cannot help against a maximum lifetime: reconnect")));
    QVERIFY(out.contains(QLatin1StringView("   7200.000s  aws-apigw-websocket: maximum connection duration (2 h)")));
}

void tst_CliSimulate::halfOpenViews()
{
    const CliRun run =
        runSimulate({QStringLiteral("--chain"), QStringLiteral("nat:idle_timeout=5m"),
                     QStringLiteral("--client-traffic"), QStringLiteral("every:10m"), QStringLiteral("--json")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QJsonObject outcome = jsonLines(run.out).constLast();
    QCOMPARE(outcome.value(QStringLiteral("action")).toString(), QStringLiteral("drop"));
    QCOMPARE(outcome.value(QStringLiteral("at_s")).toDouble(), 300.0);
    const QJsonObject client = outcome.value(QStringLiteral("client_sees")).toObject();
    QCOMPARE(client.value(QStringLiteral("how")).toString(), QStringLiteral("retransmission_timeout"));
    QCOMPARE(client.value(QStringLiteral("at_s")).toDouble(), 1524.6);
    QCOMPARE(client.value(QStringLiteral("half_open_since_s")).toDouble(), 300.0);
    const QJsonObject server = outcome.value(QStringLiteral("server_sees")).toObject();
    QCOMPARE(server.value(QStringLiteral("state")).toString(), QStringLiteral("half-open"));
    QVERIFY(server.value(QStringLiteral("at_s")).isNull());
    QVERIFY(server.value(QStringLiteral("close_code")).isNull());
}

void tst_CliSimulate::fromTranscript()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("session.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // What `connect --json` prints: a handshake, frames both ways, messages.
    file.write(R"({"event":"handshake","t":0.01,"accepted":true}
{"event":"frame","t":1.0,"dir":"out","opcode":"text","fin":true,"length":5,"payload":"hello"}
{"event":"message","t":1.0,"dir":"out","type":"text","length":5,"payload":"hello"}
{"event":"frame","t":1.2,"dir":"in","opcode":"text","fin":true,"length":5,"payload":"hello"}
{"event":"frame","t":40.0,"dir":"out","opcode":"ping","fin":true,"length":0,"payload":""}
{"event":"frame","t":40.1,"dir":"in","opcode":"pong","fin":true,"length":0,"payload":""}
)");
    file.close();
    const CliRun run = runSimulate(
        {QStringLiteral("--chain"), QStringLiteral("nginx"), QStringLiteral("--from"), path, QStringLiteral("--json")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QList<QJsonObject> lines = jsonLines(run.out);
    // 4 replayed frames (the recorded ping is not answered again), then nginx cuts 60 s after the ping at 40 s:
    // the pong at 40.1 s would move the deadline by only 100 ms, so nginx keeps it (300 ms precision).
    qsizetype frames = 0;
    for (const QJsonObject &line : lines)
        frames += line.value(QStringLiteral("event")).toString() == QLatin1StringView("frame") ? 1 : 0;
    QCOMPARE(frames, 4);
    QCOMPARE(lines.constLast().value(QStringLiteral("at_s")).toDouble(), 100.0);

    // Anything else is refused with the line.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{\"event\":\"frame\",\"t\":1,\"dir\":\"out\"}\nnot json\n");
    file.close();
    const CliRun bad =
        runSimulate({QStringLiteral("--chain"), QStringLiteral("nginx"), QStringLiteral("--from"), path});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("session.jsonl line 2: not a JSON object"), bad.err.constData());
    const CliRun missing = runSimulate({QStringLiteral("--from"), dir.filePath(QStringLiteral("nope.har"))});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("cannot read"), missing.err.constData());
}

void tst_CliSimulate::listModelsAndHelp()
{
    const CliRun list = runSimulate({QStringLiteral("--list-models")});
    QVERIFY2(list.finished && list.exitCode == 0, qPrintable(describe(list)));
    for (const char *id : {"nginx", "haproxy", "aws-alb", "azure-lb", "linux-conntrack", "socketio"})
        QVERIFY2(list.out.contains(id), id);
    QVERIFY(list.out.contains("verified by tests: proxy_read_timeout, proxy_send_timeout, send_timeout"));
    const CliRun json = runSimulate({QStringLiteral("--list-models"), QStringLiteral("--json")});
    QVERIFY(jsonLines(json.out).constFirst().value(QStringLiteral("model")).toString() == QLatin1StringView("nginx"));
    const CliRun help = runSimulate({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--chain MODEL[:knob=value,...]"));
    QVERIFY(help.out.contains("Exit status"));
}

void tst_CliSimulate::usageErrorsExit2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown model") << QStringList{QStringLiteral("--chain"), QStringLiteral("squid")}
                                   << QStringLiteral(
                                          "unknown model 'squid'; valid models: nginx, ingress-nginx, haproxy");
    QTest::newRow("unknown knob") << QStringList{QStringLiteral("--chain"), QStringLiteral("haproxy:timeout=5s")}
                                  << QStringLiteral("valid knobs of haproxy: timeout_tunnel, timeout_client");
    QTest::newRow("bad knob value") << QStringList{QStringLiteral("--chain"), QStringLiteral("nginx:send_timeout=5x")}
                                    << QStringLiteral("unknown unit 'x'");
    QTest::newRow("nat needs a value") << QStringList{QStringLiteral("--chain"), QStringLiteral("nat")}
                                       << QStringLiteral("nat has no default for idle_timeout");
    QTest::newRow("bad duration") << QStringList{QStringLiteral("--duration"), QStringLiteral("forever")}
                                  << QStringLiteral("--duration: 'forever' is not a duration");
    QTest::newRow("bad heartbeat") << QStringList{QStringLiteral("--server-heartbeat"), QStringLiteral("browser")}
                                   << QStringLiteral("the preset browser describes no server behaviour");
    QTest::newRow("bad traffic") << QStringList{QStringLiteral("--client-traffic"), QStringLiteral("30")}
                                 << QStringLiteral("expected every:S");
    QTest::newRow("bad keepalive") << QStringList{QStringLiteral("--client-tcp-keepalive"),
                                                  QStringLiteral("idle=5,x=1")}
                                   << QStringLiteral("unknown setting 'x'");
    QTest::newRow("bad yes/no") << QStringList{QStringLiteral("--server-answers-pings"), QStringLiteral("maybe")}
                                << QStringLiteral("expected yes or no");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
}

void tst_CliSimulate::usageErrorsExit2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const CliRun run = runSimulate(arguments);
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(tst_CliSimulate)
#include "tst_cli_simulate.moc"
