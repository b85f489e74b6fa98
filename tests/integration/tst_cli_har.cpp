// SPDX-License-Identifier: GPL-3.0-or-later
// HAR files on the command line end to end: `import` summarises the samples in tests/data/har, `diagnose` and
// `simulate --from` read them, and a broken file is refused with where and why. No network.
#include "CliProcess.h"

#include <QJsonObject>
#include <QTest>

using namespace wsi::test;

namespace {

QString sample(const QString &name)
{
    return QStringLiteral(WSI_TEST_DATA_DIR "/../data/har/") + name;
}

} // namespace

class tst_CliHar : public QObject
{
    Q_OBJECT

private slots:
    void importSummary()
    {
        const CliRun run = runCli({QStringLiteral("import"), sample(QStringLiteral("chrome-ticker.har"))});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        for (const char *line :
             {"chrome-ticker.har: 2 entries, 1 WebSocket session", "1. wss://ticker.example.com/stream?v=2",
              "handshake  101 Switching Protocols", "started    2024-05-14T09:21:07.412Z",
              "messages   2 sent (47 B), 3 received (62 B); 2 control frames",
              "frames     first 2024-05-14T09:21:07.623Z, last 2024-05-14T09:21:12.541Z",
              "closed     by the client, code 1000 \"bye\", clean"})
            QVERIFY2(run.out.contains(line),
                     qPrintable(
                         QStringLiteral("'%1' not in:\n%2").arg(QLatin1StringView(line), QString::fromUtf8(run.out))));
    }

    void importJson()
    {
        const CliRun run = runCli(
            {QStringLiteral("import"), sample(QStringLiteral("mitmproxy-trading.har")), QStringLiteral("--json")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 2);
        const QJsonObject session = lines.at(0);
        QCOMPARE(session.value(QStringLiteral("event")).toString(), QStringLiteral("har_session"));
        QCOMPARE(session.value(QStringLiteral("url")).toString(), QStringLiteral("wss://stream.trading.example/ws"));
        QCOMPARE(session.value(QStringLiteral("status")).toInt(), 101);
        QCOMPARE(session.value(QStringLiteral("messages_sent")).toInt(), 2);
        QCOMPARE(session.value(QStringLiteral("messages_received")).toInt(), 2);
        QCOMPARE(session.value(QStringLiteral("bytes_received")).toInt(), 15 + 6);
        QCOMPARE(session.value(QStringLiteral("duration_s")).toDouble(), 29.127);
        QCOMPARE(session.value(QStringLiteral("closed")).toBool(), false);
        const QJsonObject summary = lines.at(1);
        QCOMPARE(summary.value(QStringLiteral("event")).toString(), QStringLiteral("har_summary"));
        QCOMPARE(summary.value(QStringLiteral("entries")).toInt(), 2);
        QCOMPARE(summary.value(QStringLiteral("websocket_sessions")).toInt(), 1);
    }

    void diagnoseHar()
    {
        const CliRun run = runCli({QStringLiteral("diagnose"), sample(QStringLiteral("playwright-echo.har"))});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("Diagnosis of playwright-echo.har (ws://localhost:8080/echo)"), run.out.constData());
        QVERIFY2(run.out.contains("The server closed the connection with a Close frame (1001"), run.out.constData());
        QVERIFY2(run.out.contains("the client sent 1 pings and got 1 pongs"), run.out.constData());
    }

    void simulateFromHar()
    {
        const CliRun run = runCli({QStringLiteral("simulate"), QStringLiteral("--chain"), QStringLiteral("nginx"),
                                   QStringLiteral("--from"), sample(QStringLiteral("mitmproxy-trading.har")),
                                   QStringLiteral("--json")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
        const QList<QJsonObject> lines = jsonLines(run.out);
        QVERIFY(!lines.isEmpty());
        const QJsonObject outcome = lines.constLast();
        QCOMPARE(outcome.value(QStringLiteral("result")).toString(), QStringLiteral("cut"));
        // The last recorded frame is at 29.127 s; nginx's proxy_read_timeout is 60 s.
        QCOMPARE(outcome.value(QStringLiteral("at_s")).toDouble(), 89.127);
    }

    void brokenHarIsRefused()
    {
        for (const QString &command : {QStringLiteral("import"), QStringLiteral("diagnose")}) {
            const CliRun run = runCli({command, sample(QStringLiteral("malformed/bad-opcode.har"))});
            QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
            QVERIFY2(run.err.contains("bad-opcode.har: byte ") &&
                         run.err.contains("(line 154, column 23): log.entries[1]._webSocketMessages[4].opcode: "
                                          "opcode 3 is not one a message can have"),
                     run.err.constData());
        }
        const CliRun simulate =
            runCli({QStringLiteral("simulate"), QStringLiteral("--from"), sample(QStringLiteral("firefox-chat.har"))});
        QVERIFY2(simulate.finished && simulate.exitCode == 2, qPrintable(describe(simulate)));
        QVERIFY2(simulate.err.contains("hold no messages"), simulate.err.constData());

        const CliRun notHar = runCli({QStringLiteral("import"), QStringLiteral(WSI_TEST_DATA_DIR "/CMakeLists.txt")});
        QVERIFY2(notHar.finished && notHar.exitCode == 2, qPrintable(describe(notHar)));
        QVERIFY2(notHar.err.contains("not a HAR file"), notHar.err.constData());

        const CliRun noFile = runCli({QStringLiteral("import")});
        QVERIFY2(noFile.finished && noFile.exitCode == 2, qPrintable(describe(noFile)));
        QVERIFY2(noFile.err.contains("FILE missing"), noFile.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_CliHar)
#include "tst_cli_har.moc"
