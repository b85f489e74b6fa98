// SPDX-License-Identifier: GPL-3.0-or-later
// wsinspector-cli end to end: the built binary runs as a process against `wsinspector-cli serve` and against small
// servers in this test that refuse the handshake or drop the connection. Everything on 127.0.0.1, every wait
// bounded.
#include "HandshakeRequest.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <signal.h>
#endif

using namespace wsi;

namespace {

constexpr int processTimeoutMs = 20000;

struct CliRun {
    bool finished = false;
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

// Runs the CLI to its end while this thread's event loop keeps running, so the test's own servers can answer.
CliRun runCli(const QStringList &arguments, int timeoutMs = processTimeoutMs)
{
    CliRun run;
    QProcess process;
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral(WSI_CLI_PATH), arguments);
    if (!process.waitForStarted(5000))
        return run;
    run.finished = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.elapsedMs = clock.elapsed();
    run.exitCode = process.exitCode();
    run.exitStatus = process.exitStatus();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString describe(const CliRun &run)
{
    return QStringLiteral("exit %1 (%2), stdout:\n%3\nstderr:\n%4")
        .arg(run.exitCode)
        .arg(run.finished ? QStringLiteral("finished") : QStringLiteral("TIMED OUT"))
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
}

// A server that answers every upgrade request with whatever `respond` returns for the request, then closes.
class ScriptedServer final : public QObject
{
public:
    explicit ScriptedServer(std::function<QByteArray(const QByteArray &request)> respond)
        : m_respond(std::move(respond))
    {
        connect(&m_server, &QTcpServer::newConnection, this, &ScriptedServer::onNewConnection);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/").arg(port()); }

private:
    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                m_requests[socket] += socket->readAll();
                if (!m_requests[socket].contains("\r\n\r\n"))
                    return;
                socket->write(m_respond(m_requests.take(socket)));
                socket->disconnectFromHost();
            });
        }
    }

    QTcpServer m_server;
    std::function<QByteArray(const QByteArray &)> m_respond;
    QHash<QTcpSocket *, QByteArray> m_requests;
};

QByteArray headerValue(const QByteArray &request, QByteArrayView name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void versionAndHelp();
    void serveStopsOnSigterm();
    void serveRejectsBadArguments();
    void humanTranscript();
    void jsonEchoRoundTrip();
    void durationClosesWith1000();
    void interruptClosesCleanly();
    void refusedHandshakeExits1();
    void unreachableServerExits1();
    void usageErrorsExit2_data();
    void usageErrorsExit2();
    void droppedConnectionExits3();

private:
    void startServe();
    // Parses every line of `out` as a JSON object with "event" and a numeric "t".
    static void parseJsonLines(const QByteArray &out, QList<QJsonObject> &events);
    static QList<QJsonObject> select(const QList<QJsonObject> &events, const QString &event, const QString &dir = {});

    std::unique_ptr<QProcess> m_serve;
    QString m_url;
};

void tst_Cli::init()
{
    startServe();
}

void tst_Cli::cleanup()
{
    if (m_serve && m_serve->state() != QProcess::NotRunning) {
        m_serve->terminate();
        if (!m_serve->waitForFinished(5000))
            m_serve->kill();
        m_serve->waitForFinished(5000);
    }
    m_serve.reset();
}

void tst_Cli::startServe()
{
    m_serve = std::make_unique<QProcess>();
    m_serve->start(QStringLiteral(WSI_CLI_PATH), {QStringLiteral("serve")});
    QVERIFY2(m_serve->waitForStarted(5000), qPrintable(m_serve->errorString()));
    QVERIFY2(QTest::qWaitFor([this] { return m_serve->canReadLine(); }, 10000), "serve printed no listening line");
    const QString line = QString::fromUtf8(m_serve->readLine()).trimmed();
    static const QRegularExpression listening(QStringLiteral("^listening ws://127\\.0\\.0\\.1:(\\d+)$"));
    const QRegularExpressionMatch match = listening.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    QVERIFY(match.captured(1).toInt() > 0);
    m_url = QStringLiteral("ws://127.0.0.1:%1/").arg(match.captured(1));
}

void tst_Cli::parseJsonLines(const QByteArray &out, QList<QJsonObject> &events)
{
    const QList<QByteArray> lines = out.split('\n');
    QVERIFY(lines.size() >= 2);
    QVERIFY2(lines.constLast().isEmpty(), "output does not end with a newline");
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(lines.at(i), &error);
        QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(),
                 qPrintable(QStringLiteral("line %1 is no JSON object: %2").arg(i + 1).arg(error.errorString())));
        const QJsonObject object = document.object();
        QVERIFY2(object.value(QStringLiteral("event")).isString(), lines.at(i).constData());
        QVERIFY2(object.value(QStringLiteral("t")).isDouble(), lines.at(i).constData());
        QVERIFY(object.value(QStringLiteral("t")).toDouble() >= 0);
        events.append(object);
    }
}

QList<QJsonObject> tst_Cli::select(const QList<QJsonObject> &events, const QString &event, const QString &dir)
{
    QList<QJsonObject> selected;
    for (const QJsonObject &object : events) {
        if (object.value(QStringLiteral("event")).toString() == event &&
            (dir.isEmpty() || object.value(QStringLiteral("dir")).toString() == dir))
            selected.append(object);
    }
    return selected;
}

void tst_Cli::versionAndHelp()
{
    const CliRun version = runCli({QStringLiteral("--version")});
    QVERIFY2(version.finished && version.exitCode == 0, qPrintable(describe(version)));
    QVERIFY(version.out.startsWith("wsinspector-cli "));

    const CliRun help = runCli({QStringLiteral("connect"), QStringLiteral("--help")});
    QVERIFY2(help.finished && help.exitCode == 0, qPrintable(describe(help)));
    QVERIFY(help.out.contains("--close [CODE [REASON]]"));
    QVERIFY(help.out.contains("Exit status"));
}

void tst_Cli::serveStopsOnSigterm()
{
    // It really serves before it is stopped.
    const CliRun run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--close")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));

    m_serve->terminate(); // SIGTERM
    QVERIFY(m_serve->waitForFinished(10000));
    QCOMPARE(m_serve->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_serve->exitCode(), 0);

#ifdef Q_OS_UNIX
    // Ctrl-C in a terminal.
    startServe();
    if (QTest::currentTestFailed())
        return;
    ::kill(pid_t(m_serve->processId()), SIGINT);
    QVERIFY(m_serve->waitForFinished(10000));
    QCOMPARE(m_serve->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_serve->exitCode(), 0);
#endif
}

void tst_Cli::serveRejectsBadArguments()
{
    for (const QStringList &arguments :
         {QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("x")},
          QStringList{QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("nohost")},
          QStringList{QStringLiteral("serve"), QStringLiteral("--bogus")}}) {
        const CliRun run = runCli(arguments);
        QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
        QVERIFY(!run.err.isEmpty());
    }
}

void tst_Cli::humanTranscript()
{
    const CliRun run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--send"), QStringLiteral("hello"),
                               QStringLiteral("--ping"), QStringLiteral("--close")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(QLatin1StringView("<- HTTP/1.1 101 Switching Protocols")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1StringView("Sec-WebSocket-Accept: ")), qPrintable(out));
    for (const char *pattern :
         {R"(^ +\d+\.\d{3}s -> text   FIN 5 B  "hello"$)", R"(^ +\d+\.\d{3}s <- text   FIN 5 B  "hello"$)",
          R"(^ +\d+\.\d{3}s -> ping   FIN 0 B$)", R"(^ +\d+\.\d{3}s <- pong   FIN 0 B$)",
          R"(^ +\d+\.\d{3}s -> close  FIN 2 B  1000 Normal Closure$)",
          R"(^ +\d+\.\d{3}s <- close  FIN 2 B  1000 Normal Closure$)",
          R"(^closed cleanly .*initiated by the client: 1000 Normal Closure)"}) {
        const QRegularExpression re(QString::fromUtf8(pattern), QRegularExpression::MultilineOption);
        QVERIFY2(re.match(out).hasMatch(),
                 qPrintable(QStringLiteral("no line matches %1 in:\n%2").arg(re.pattern(), out)));
    }
    QVERIFY(run.err.isEmpty());
}

void tst_Cli::jsonEchoRoundTrip()
{
    // "--ping" before the URL: the URL is not taken as the ping's text.
    const CliRun run = runCli({QStringLiteral("connect"),
                               QStringLiteral("--json"),
                               QStringLiteral("--ping"),
                               m_url,
                               QStringLiteral("--send"),
                               QStringLiteral("hello"),
                               QStringLiteral("--send-hex"),
                               QStringLiteral("00 ff:10"),
                               QStringLiteral("--ping"),
                               QStringLiteral("pingtext"),
                               QStringLiteral("--send"),
                               QStringLiteral("zweite Nachricht ü"),
                               QStringLiteral("--close"),
                               QStringLiteral("4001"),
                               QStringLiteral("see you"),
                               QStringLiteral("-H"),
                               QStringLiteral("X-Trace: abc 1"),
                               QStringLiteral("--origin"),
                               QStringLiteral("http://origin.test"),
                               QStringLiteral("--no-deflate")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.err.isEmpty(), run.err.constData());
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;

    // The handshake comes first.
    const QJsonObject handshake = events.constFirst();
    QCOMPARE(handshake.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
    const QJsonObject request = handshake.value(QStringLiteral("request")).toObject();
    QVERIFY(request.value(QStringLiteral("raw")).toString().startsWith(QLatin1StringView("GET / HTTP/1.1\r\n")));
    const QJsonArray requestHeaders = request.value(QStringLiteral("headers")).toArray();
    QVERIFY(!requestHeaders.isEmpty());
    for (const QJsonValue &header : requestHeaders)
        QCOMPARE(header.toArray().size(), 2);
    QCOMPARE(requestHeaders.at(0).toArray().at(0).toString(), QStringLiteral("Host"));
    QVERIFY(requestHeaders.contains(QJsonArray{QStringLiteral("X-Trace"), QStringLiteral("abc 1")}));
    QVERIFY(requestHeaders.contains(QJsonArray{QStringLiteral("Origin"), QStringLiteral("http://origin.test")}));
    for (const QJsonValue &header : requestHeaders) // --no-deflate
        QVERIFY(header.toArray().at(0).toString() != QLatin1StringView("Sec-WebSocket-Extensions"));
    const QJsonObject response = handshake.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 101);
    QCOMPARE(response.value(QStringLiteral("reason")).toString(), QStringLiteral("Switching Protocols"));
    QVERIFY(response.value(QStringLiteral("raw")).toString().startsWith(QLatin1StringView("HTTP/1.1 101")));
    QVERIFY(!response.contains(QStringLiteral("body")));
    bool acceptSeen = false;
    for (const QJsonValue &header : response.value(QStringLiteral("headers")).toArray())
        acceptSeen |= header.toArray().at(0).toString() == QLatin1StringView("Sec-WebSocket-Accept");
    QVERIFY(acceptSeen);
    QVERIFY(handshake.value(QStringLiteral("subprotocol")).isNull());
    QVERIFY(handshake.value(QStringLiteral("extensions")).isArray());
    QVERIFY(handshake.value(QStringLiteral("violations")).toArray().isEmpty());
    const QJsonObject timing = handshake.value(QStringLiteral("timing_ms")).toObject();
    QVERIFY(timing.value(QStringLiteral("dns")).isNull()); // an IP literal needs no lookup
    QVERIFY(timing.value(QStringLiteral("tls")).isNull());
    QVERIFY(timing.value(QStringLiteral("connect")).isDouble());
    QVERIFY(timing.value(QStringLiteral("upgrade")).isDouble());

    // Every frame carries the documented fields; ours are masked, the server's are not.
    for (const QJsonObject &frame : select(events, QStringLiteral("frame"))) {
        for (const char *field :
             {"dir", "opcode", "fin", "rsv1", "rsv2", "rsv3", "masked", "length", "payload", "violations"})
            QVERIFY2(frame.contains(QLatin1StringView(field)), field);
        QCOMPARE(frame.value(QStringLiteral("masked")).toBool(),
                 frame.value(QStringLiteral("dir")).toString() == QLatin1StringView("out"));
        QVERIFY(frame.value(QStringLiteral("violations")).toArray().isEmpty());
    }

    // Sent in command-line order.
    const QList<QJsonObject> out = select(events, QStringLiteral("frame"), QStringLiteral("out"));
    QCOMPARE(out.size(), 6);
    const auto opcode = [](const QJsonObject &o) { return o.value(QStringLiteral("opcode")).toString(); };
    const auto payload = [](const QJsonObject &o) { return o.value(QStringLiteral("payload")).toString(); };
    QCOMPARE(opcode(out[0]), QStringLiteral("ping"));
    QCOMPARE(payload(out[0]), QString());
    QCOMPARE(opcode(out[1]), QStringLiteral("text"));
    QCOMPARE(payload(out[1]), QStringLiteral("hello"));
    QCOMPARE(opcode(out[2]), QStringLiteral("binary"));
    QCOMPARE(payload(out[2]), QStringLiteral("AP8Q")); // 00 ff 10
    QCOMPARE(out[2].value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(out[2].value(QStringLiteral("length")).toInt(), 3);
    QCOMPARE(opcode(out[3]), QStringLiteral("ping"));
    QCOMPARE(payload(out[3]), QStringLiteral("pingtext"));
    QCOMPARE(opcode(out[4]), QStringLiteral("text"));
    QCOMPARE(payload(out[4]), QStringLiteral("zweite Nachricht ü"));
    QCOMPARE(opcode(out[5]), QStringLiteral("close"));
    QCOMPARE(out[5].value(QStringLiteral("close_code")).toInt(), 4001);
    QCOMPARE(out[5].value(QStringLiteral("close_reason")).toString(), QStringLiteral("see you"));

    // The server echoes the messages in order and answers both pings.
    const QList<QJsonObject> inMessages = select(events, QStringLiteral("message"), QStringLiteral("in"));
    QCOMPARE(inMessages.size(), 3);
    QCOMPARE(inMessages[0].value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    QCOMPARE(payload(inMessages[0]), QStringLiteral("hello"));
    QCOMPARE(inMessages[1].value(QStringLiteral("type")).toString(), QStringLiteral("binary"));
    QCOMPARE(payload(inMessages[1]), QStringLiteral("AP8Q"));
    QCOMPARE(inMessages[1].value(QStringLiteral("payload_encoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(payload(inMessages[2]), QStringLiteral("zweite Nachricht ü"));
    QCOMPARE(inMessages[2].value(QStringLiteral("length")).toInt(), 19); // UTF-8 bytes
    for (const QJsonObject &message : inMessages) {
        QCOMPARE(message.value(QStringLiteral("frames")).toInt(), 1);
        QCOMPARE(message.value(QStringLiteral("compressed")).toBool(), false);
    }
    QCOMPARE(select(events, QStringLiteral("message"), QStringLiteral("out")).size(), 3);
    const QList<QJsonObject> pongs = [&] {
        QList<QJsonObject> result;
        for (const QJsonObject &frame : select(events, QStringLiteral("frame"), QStringLiteral("in"))) {
            if (opcode(frame) == QLatin1StringView("pong"))
                result.append(frame);
        }
        return result;
    }();
    QCOMPARE(pongs.size(), 2);
    QCOMPARE(payload(pongs[0]), QString());
    QCOMPARE(payload(pongs[1]), QStringLiteral("pingtext"));

    // Each message event follows the frame that completed it; frame times never go backwards.
    double lastFrameT = 0;
    for (qsizetype i = 1; i < events.size(); ++i) {
        const QJsonObject &event = events[i];
        const QString name = event.value(QStringLiteral("event")).toString();
        if (name == QLatin1StringView("frame")) {
            QVERIFY(event.value(QStringLiteral("t")).toDouble() >= lastFrameT);
            lastFrameT = event.value(QStringLiteral("t")).toDouble();
        } else if (name == QLatin1StringView("message")) {
            const QJsonObject &before = events[i - 1];
            QCOMPARE(before.value(QStringLiteral("event")).toString(), QStringLiteral("frame"));
            QCOMPARE(before.value(QStringLiteral("dir")), event.value(QStringLiteral("dir")));
            QVERIFY(before.value(QStringLiteral("fin")).toBool());
        }
    }

    // The server's Close echoes our code, and the close is clean.
    const QJsonObject close = events.constLast();
    QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 4001);
    QCOMPARE(close.value(QStringLiteral("reason")).toString(), QStringLiteral("see you"));
    QCOMPARE(close.value(QStringLiteral("clean")).toBool(), true);
    QVERIFY(close.value(QStringLiteral("idle_in_s")).isDouble());
    QVERIFY(close.value(QStringLiteral("idle_out_s")).isDouble());
    QVERIFY(select(events, QStringLiteral("error")).isEmpty());
}

void tst_Cli::durationClosesWith1000()
{
    const CliRun run = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--json"), QStringLiteral("--send"),
                               QStringLiteral("x"), QStringLiteral("--duration"), QStringLiteral("0.5")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY(run.elapsedMs >= 500);
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    const QJsonObject close = events.constLast();
    QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1000);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    QVERIFY(close.value(QStringLiteral("clean")).toBool());
    QVERIFY(close.value(QStringLiteral("t")).toDouble() >= 0.5);
    QCOMPARE(select(events, QStringLiteral("message"), QStringLiteral("in")).size(), 1);
}

void tst_Cli::interruptClosesCleanly()
{
    QProcess process;
    process.start(QStringLiteral(WSI_CLI_PATH), {QStringLiteral("connect"), QStringLiteral("--json"), m_url,
                                                 QStringLiteral("--send"), QStringLiteral("still there?")});
    QVERIFY(process.waitForStarted(5000));
    // Wait for the echo: by then the connection is surely open and the signal handler installed.
    QByteArray out;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     out += process.readAllStandardOutput();
                     return out.contains("\"dir\":\"in\"");
                 },
                 10000),
             out.constData());
    process.terminate(); // SIGTERM
    QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 10000));
    out += process.readAllStandardOutput();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, out.constData());
    QList<QJsonObject> events;
    parseJsonLines(out, events);
    if (QTest::currentTestFailed())
        return;
    const QJsonObject close = events.constLast();
    QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1000);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("client"));
    QVERIFY(close.value(QStringLiteral("clean")).toBool());
}

void tst_Cli::refusedHandshakeExits1()
{
    const QByteArray body = "no entry here\n";
    ScriptedServer server([&](const QByteArray &) -> QByteArray {
        return "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    });
    QVERIFY(server.listen());

    const CliRun json = runCli({QStringLiteral("connect"), QStringLiteral("--json"), server.url(),
                                QStringLiteral("--send"), QStringLiteral("never sent")});
    QVERIFY2(json.finished && json.exitCode == 1, qPrintable(describe(json)));
    QList<QJsonObject> events;
    parseJsonLines(json.out, events);
    if (QTest::currentTestFailed())
        return;
    const QJsonObject handshake = events.constFirst();
    QCOMPARE(handshake.value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
    QCOMPARE(handshake.value(QStringLiteral("accepted")).toBool(), false);
    const QJsonObject response = handshake.value(QStringLiteral("response")).toObject();
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 403);
    QCOMPARE(response.value(QStringLiteral("reason")).toString(), QStringLiteral("Forbidden"));
    QCOMPARE(response.value(QStringLiteral("body")).toString(), QString::fromUtf8(body));
    QVERIFY(!handshake.value(QStringLiteral("violations")).toArray().isEmpty());
    QCOMPARE(select(events, QStringLiteral("frame")).size(), 0);
    QCOMPARE(events.constLast().value(QStringLiteral("event")).toString(), QStringLiteral("error"));
    QVERIFY(!events.constLast().value(QStringLiteral("message")).toString().isEmpty());

    const CliRun human = runCli({QStringLiteral("connect"), server.url()});
    QVERIFY2(human.finished && human.exitCode == 1, qPrintable(describe(human)));
    QVERIFY2(human.out.contains("<- HTTP/1.1 403 Forbidden"), human.out.constData());
    QVERIFY2(human.out.contains("no entry here"), human.out.constData());
}

void tst_Cli::unreachableServerExits1()
{
    // A port nobody listens on: bind one, then let it go.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(port)});
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("error: could not connect"), run.out.constData());
}

void tst_Cli::usageErrorsExit2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named"); // what the message on stderr must name

    const QString url = QStringLiteral("ws://127.0.0.1:9/");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--frobnicate")}
                                  << QStringLiteral("--frobnicate");
    QTest::newRow("bad hex") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--send-hex"),
                                            QStringLiteral("0g")}
                             << QStringLiteral("--send-hex");
    QTest::newRow("odd hex") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--send-hex"),
                                            QStringLiteral("abc")}
                             << QStringLiteral("--send-hex");
    QTest::newRow("URL missing") << QStringList{QStringLiteral("connect"), QStringLiteral("--send"),
                                                QStringLiteral("hi")}
                                 << QStringLiteral("URL");
    QTest::newRow("not a ws URL") << QStringList{QStringLiteral("connect"), QStringLiteral("http://127.0.0.1/")}
                                  << QStringLiteral("http://127.0.0.1/");
    QTest::newRow("bad close code") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--close"),
                                                   QStringLiteral("1006")}
                                    << QStringLiteral("--close");
    QTest::newRow("close code not a number")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--close"), QStringLiteral("soon")}
        << QStringLiteral("--close");
    QTest::newRow("value missing") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--send")}
                                   << QStringLiteral("--send");
    QTest::newRow("bad duration") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--duration"),
                                                 QStringLiteral("-1")}
                                  << QStringLiteral("--duration");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("frobnicate");
}

void tst_Cli::usageErrorsExit2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const CliRun run = runCli(arguments);
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(QString::fromUtf8(run.err).contains(named), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

void tst_Cli::droppedConnectionExits3()
{
    // A valid 101, then the TCP connection ends without any Close frame.
    ScriptedServer server([](const QByteArray &request) -> QByteArray {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: " +
               HandshakeRequest::computeAccept(headerValue(request, "Sec-WebSocket-Key")) + "\r\n\r\n";
    });
    QVERIFY(server.listen());

    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), server.url()});
    QVERIFY2(run.finished && run.exitCode == 3, qPrintable(describe(run)));
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(events.constFirst().value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt(),
             101);
    QCOMPARE(events.constFirst().value(QStringLiteral("accepted")).toBool(), true);
    QCOMPARE(select(events, QStringLiteral("error")).size(), 1);
    const QJsonObject close = events.constLast();
    QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(close.value(QStringLiteral("clean")).toBool(), false);
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1006);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("transport"));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
