// SPDX-License-Identifier: GPL-3.0-or-later
// The diagnosis of real sessions end to end: `wsinspector-cli connect` through a real cut (a server that closes
// the TCP connection after a stretch of silence, as an nginx idle timer does; a server that drops the connection
// right after the upgrade), its "diagnosis" event, and `wsinspector-cli diagnose` on the saved transcript giving
// the same answer. Everything on 127.0.0.1, every wait bounded.
#include "CliProcess.h"
#include "HostileServer.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/server/EchoServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace wsi;
using namespace wsi::test;

namespace {

QByteArray headerValue(const QByteArray &request, QByteArrayView name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// A server with an idle timer like nginx's proxy_read_timeout: it completes the upgrade, sends one message, and
// closes the TCP connection (FIN, no Close frame) once nothing has crossed in either direction for `idleMs`.
class IdleCutServer final : public QObject
{
public:
    explicit IdleCutServer(int idleMs)
        : m_idleMs(idleMs)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &IdleCutServer::onNewConnection);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort()); }

private:
    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            auto *idle = new QTimer(socket);
            idle->setSingleShot(true);
            idle->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
            idle->setInterval(m_idleMs);
            connect(idle, &QTimer::timeout, socket, [socket] { socket->disconnectFromHost(); });
            auto request = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this, [socket, idle, request] {
                const QByteArray bytes = socket->readAll();
                idle->start(); // traffic from the client restarts the timer
                if (request->contains("\r\n\r\n"))
                    return;
                *request += bytes;
                if (!request->contains("\r\n\r\n"))
                    return;
                socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: " +
                              HandshakeRequest::computeAccept(headerValue(*request, "Sec-WebSocket-Key")) + "\r\n\r\n");
                socket->write(QByteArray("\x81\x05hello", 7));
            });
        }
    }

    QTcpServer m_server;
    int m_idleMs;
};

} // namespace

class tst_CliDiagnose : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idleCutThenDiagnose();
    void droppedAfterUpgradeHuman();
    void noDiagnosisOnCleanClose();
    void diagnoseRefusesOtherInput();

private:
    QTemporaryDir m_dir;
};

void tst_CliDiagnose::idleCutThenDiagnose()
{
    IdleCutServer server(1500);
    QVERIFY(server.listen());
    const CliRun connect = runCli({QStringLiteral("connect"), QStringLiteral("--json"), server.url()});
    QVERIFY2(connect.finished && connect.exitCode == 3, qPrintable(describe(connect)));
    const QList<QJsonObject> events = jsonLines(connect.out);
    QVERIFY(events.size() >= 3);

    // The diagnosis follows the close; with the catalog's defaults nothing matches 1.5 s, and it says so.
    const QJsonObject live = events.constLast();
    QCOMPARE(live.value(QStringLiteral("event")).toString(), QStringLiteral("diagnosis"));
    QCOMPARE(events.at(events.size() - 2).value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(live.value(QStringLiteral("cause")).toString(), QStringLiteral("unexplained"));
    QCOMPARE(live.value(QStringLiteral("abnormal")).toBool(), true);
    QVERIFY(live.value(QStringLiteral("candidates")).toArray().isEmpty());
    const QString summary = live.value(QStringLiteral("summary")).toString();
    QVERIFY2(summary.contains(QLatin1StringView("nothing in the catalog matches")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1StringView("before the TCP connection closed without a Close frame")),
             qPrintable(summary));
    QVERIFY(live.value(QStringLiteral("fix")).isString());
    QCOMPARE(live.value(QStringLiteral("t")).toDouble(),
             events.at(events.size() - 2).value(QStringLiteral("t")).toDouble());

    // `diagnose` on the saved transcript says the same.
    const QString path = m_dir.filePath(QStringLiteral("cut.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(connect.out);
    }
    const CliRun diagnose = runCli({QStringLiteral("diagnose"), path, QStringLiteral("--json")});
    QVERIFY2(diagnose.finished && diagnose.exitCode == 0, qPrintable(describe(diagnose)));
    const QList<QJsonObject> lines = jsonLines(diagnose.out);
    QCOMPARE(lines.size(), 1);
    const QJsonObject offline = lines.constFirst();
    QCOMPARE(offline.value(QStringLiteral("event")).toString(), QStringLiteral("diagnosis"));
    for (const char *field : {"cause", "abnormal", "summary", "candidates", "fix", "ruled_out"})
        QVERIFY2(offline.value(QLatin1StringView(field)) == live.value(QLatin1StringView(field)), field);

    // Told which nginx is on the path, it names it: the silence is the server's 1.5 s idle timer.
    const CliRun told = runCli({QStringLiteral("diagnose"), path, QStringLiteral("--json"), QStringLiteral("--chain"),
                                QStringLiteral("nginx:proxy_read_timeout=1.5s")});
    QVERIFY2(told.finished && told.exitCode == 0, qPrintable(describe(told)));
    const QJsonObject named = jsonLines(told.out).value(0);
    QCOMPARE(named.value(QStringLiteral("cause")).toString(), QStringLiteral("intermediary_timeout"));
    const QJsonObject candidate = named.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(candidate.value(QStringLiteral("model")).toString(), QStringLiteral("nginx"));
    QCOMPARE(candidate.value(QStringLiteral("knob")).toString(), QStringLiteral("proxy_read_timeout"));
    QCOMPARE(candidate.value(QStringLiteral("direction")).toString(), QStringLiteral("both"));
    const double silence = candidate.value(QStringLiteral("silence_s")).toDouble();
    QVERIFY2(silence >= 1.45 && silence < 2.5, qPrintable(QString::number(silence)));

    const CliRun human = runCli(
        {QStringLiteral("diagnose"), path, QStringLiteral("--chain"), QStringLiteral("nginx:proxy_read_timeout=1.5s")});
    QVERIFY2(human.finished && human.exitCode == 0, qPrintable(describe(human)));
    QVERIFY2(human.out.contains("this matches nginx proxy_read_timeout (1.5 s as given)"), human.out.constData());
    QVERIFY2(human.out.contains("fix: Send a ping"), human.out.constData());

    // This server names itself nowhere: every knob that could be set to that silence is listed.
    QVERIFY2(summary.contains(QLatin1StringView("No intermediary named itself in the upgrade response")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1StringView("HAProxy timeout tunnel (no default)")), qPrintable(summary));

    // The same transcript with the field an nginx in front would have written into the 101: `diagnose` names
    // nginx's proxy_read_timeout with the value the session shows, and the clue.
    QList<QByteArray> transcript = connect.out.split('\n');
    QJsonObject handshake = QJsonDocument::fromJson(transcript.constFirst()).object();
    QCOMPARE(handshake.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
    QJsonObject response = handshake.value(QStringLiteral("response")).toObject();
    QJsonArray fields = response.value(QStringLiteral("headers")).toArray();
    fields.append(QJsonArray{QStringLiteral("Server"), QStringLiteral("nginx/1.22.1")});
    response.insert(QStringLiteral("headers"), fields);
    handshake.insert(QStringLiteral("response"), response);
    transcript.first() = QJsonDocument(handshake).toJson(QJsonDocument::Compact);
    const QString behindNginx = m_dir.filePath(QStringLiteral("behind-nginx.jsonl"));
    {
        QFile file(behindNginx);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(transcript.join('\n'));
    }
    const CliRun fingerprinted = runCli({QStringLiteral("diagnose"), behindNginx, QStringLiteral("--json")});
    QVERIFY2(fingerprinted.finished && fingerprinted.exitCode == 0, qPrintable(describe(fingerprinted)));
    const QJsonObject attributed = jsonLines(fingerprinted.out).value(0);
    QCOMPARE(attributed.value(QStringLiteral("cause")).toString(), QStringLiteral("intermediary_timeout"));
    const QJsonObject inferred = attributed.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(inferred.value(QStringLiteral("model")).toString(), QStringLiteral("nginx"));
    QCOMPARE(inferred.value(QStringLiteral("knob")).toString(), QStringLiteral("proxy_read_timeout"));
    QCOMPARE(inferred.value(QStringLiteral("default_s")).toDouble(), 60.0);
    const double setTo = inferred.value(QStringLiteral("set_to_about_s")).toDouble();
    QVERIFY2(setTo >= 1.4 && setTo < 2.5, qPrintable(QString::number(setTo)));
    QCOMPARE(inferred.value(QStringLiteral("clue")).toString(),
             QStringLiteral("Server: nginx/1.22.1 in the upgrade response"));
    QCOMPARE(attributed.value(QStringLiteral("clues")).toArray().at(0).toObject().value(QStringLiteral("source")),
             QJsonValue(QStringLiteral("https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens")));
}

void tst_CliDiagnose::droppedAfterUpgradeHuman()
{
    // A message, then TCP closes at once: an abnormal end, but no idle timer's doing.
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port > 0);
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port)});
    QVERIFY2(run.finished && run.exitCode == 3, qPrintable(describe(run)));
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(QLatin1StringView("\ndiagnosis: ")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1StringView("no idle timeout")), qPrintable(out));
    // The paragraph comes after the close line.
    QVERIFY(out.indexOf(QLatin1StringView("closed abnormally")) < out.indexOf(QLatin1StringView("diagnosis: ")));
}

void tst_CliDiagnose::noDiagnosisOnCleanClose()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    const QString url = echo.url().toString();
    const CliRun json = runCli({QStringLiteral("connect"), QStringLiteral("--json"), url, QStringLiteral("--send"),
                                QStringLiteral("hi"), QStringLiteral("--close")});
    QVERIFY2(json.finished && json.exitCode == 0, qPrintable(describe(json)));
    QVERIFY(eventsNamed(jsonLines(json.out), QStringLiteral("diagnosis")).isEmpty());
    const CliRun human = runCli({QStringLiteral("connect"), url, QStringLiteral("--close")});
    QVERIFY2(human.finished && human.exitCode == 0, qPrintable(describe(human)));
    QVERIFY(!human.out.contains("diagnosis:"));

    // diagnose on a clean transcript says the client closed it.
    const QString path = m_dir.filePath(QStringLiteral("clean.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json.out);
    }
    const CliRun diagnose = runCli({QStringLiteral("diagnose"), path});
    QVERIFY2(diagnose.finished && diagnose.exitCode == 0, qPrintable(describe(diagnose)));
    QVERIFY2(diagnose.out.contains("The client closed the connection itself (1000 Normal Closure)"),
             diagnose.out.constData());
}

void tst_CliDiagnose::diagnoseRefusesOtherInput()
{
    const QString har = m_dir.filePath(QStringLiteral("session.har"));
    {
        QFile file(har);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"log\": {\"version\": \"1.2\", \"entries\": []}\n}\n");
    }
    const CliRun harRun = runCli({QStringLiteral("diagnose"), har});
    QVERIFY2(harRun.finished && harRun.exitCode == 2, qPrintable(describe(harRun)));
    QVERIFY2(harRun.err.contains("HAR") && harRun.err.contains("connect --json"), harRun.err.constData());

    const CliRun missing = runCli({QStringLiteral("diagnose"), m_dir.filePath(QStringLiteral("nope.jsonl"))});
    QVERIFY2(missing.finished && missing.exitCode == 2, qPrintable(describe(missing)));
    QVERIFY2(missing.err.contains("cannot read"), missing.err.constData());

    const CliRun noFile = runCli({QStringLiteral("diagnose")});
    QVERIFY2(noFile.finished && noFile.exitCode == 2, qPrintable(describe(noFile)));
    QVERIFY2(noFile.err.contains("FILE"), noFile.err.constData());

    const CliRun badChain =
        runCli({QStringLiteral("diagnose"), har, QStringLiteral("--chain"), QStringLiteral("nginz")});
    QVERIFY2(badChain.finished && badChain.exitCode == 2, qPrintable(describe(badChain)));
    QVERIFY2(badChain.err.contains("unknown model 'nginz'"), badChain.err.constData());

    const CliRun help = runCli({QStringLiteral("diagnose"), QStringLiteral("--help")});
    QVERIFY2(help.finished && help.exitCode == 0, qPrintable(describe(help)));
    QVERIFY(help.out.contains("Exit status"));
}

QTEST_GUILESS_MAIN(tst_CliDiagnose)
#include "tst_cli_diagnose.moc"
