// SPDX-License-Identifier: GPL-3.0-or-later
// wsinspector-cli end to end: the built binary runs as a process against `wsinspector-cli serve` and against small
// servers in this test that refuse the handshake or drop the connection. Everything on 127.0.0.1, every wait
// bounded.
#include "CliProcess.h"
#include "core/protocol/HandshakeRequest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <signal.h>
#endif

using namespace wsi;
using namespace wsi::test;

namespace {

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
    // Keep each connection open after the response and ignore whatever the client sends (a peer that never
    // answers a ping).
    void setKeepOpen(bool keepOpen) { m_keepOpen = keepOpen; }
    int connections() const { return m_connections; }

private:
    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            ++m_connections;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                if (m_answered.contains(socket)) {
                    socket->readAll();
                    return;
                }
                m_requests[socket] += socket->readAll();
                if (!m_requests[socket].contains("\r\n\r\n"))
                    return;
                socket->write(m_respond(m_requests.take(socket)));
                if (m_keepOpen)
                    m_answered.insert(socket);
                else
                    socket->disconnectFromHost();
            });
        }
    }

    QTcpServer m_server;
    std::function<QByteArray(const QByteArray &)> m_respond;
    QHash<QTcpSocket *, QByteArray> m_requests;
    QSet<QTcpSocket *> m_answered;
    bool m_keepOpen = false;
    int m_connections = 0;
};

QByteArray headerValue(const QByteArray &request, QByteArrayView name);

// A valid 101 for the request.
QByteArray switchingProtocols(const QByteArray &request)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           HandshakeRequest::computeAccept(headerValue(request, "Sec-WebSocket-Key")) + "\r\n\r\n";
}

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
    void heartbeatPingsReportRoundTrips();
    void heartbeatDeadAgainstSilentServer();
    void appHeartbeatMessage();
    void reconnectAfterDrops();
    void proxyPrintsEveryFrame_data();
    void proxyPrintsEveryFrame();
    void proxyRecordsEachConnection();

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
    m_serve->start(cliPath(), {QStringLiteral("serve")});
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
    process.start(cliPath(), {QStringLiteral("connect"), QStringLiteral("--json"), m_url, QStringLiteral("--send"),
                              QStringLiteral("still there?")});
    QVERIFY(process.waitForStarted(5000));
    // Wait for the echo: by then the connection is surely open and the signal handler installed.
    QByteArray out;
    QVERIFY2(readOutputUntil(process, out, "\"dir\":\"in\"", 10000), out.constData());
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
    QTest::newRow("bad ping interval") << QStringList{QStringLiteral("connect"), url, QStringLiteral("--ping-interval"),
                                                      QStringLiteral("soon")}
                                       << QStringLiteral("--ping-interval");
    QTest::newRow("ping interval too short")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--ping-interval"), QStringLiteral("1ms")}
        << QStringLiteral("--ping-interval");
    QTest::newRow("pong timeout without heartbeat")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--pong-timeout"), QStringLiteral("1")}
        << QStringLiteral("--pong-timeout");
    QTest::newRow("heartbeat message without interval")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--heartbeat-message"), QStringLiteral("hb")}
        << QStringLiteral("--heartbeat-interval");
    QTest::newRow("ping and app heartbeat") << QStringList{QStringLiteral("connect"),
                                                           url,
                                                           QStringLiteral("--ping-interval"),
                                                           QStringLiteral("1"),
                                                           QStringLiteral("--heartbeat-message"),
                                                           QStringLiteral("hb"),
                                                           QStringLiteral("--heartbeat-interval"),
                                                           QStringLiteral("1")}
                                            << QStringLiteral("choose one");
    QTest::newRow("bad stop answering count")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--stop-answering-pings-after"),
                       QStringLiteral("-3")}
        << QStringLiteral("--stop-answering-pings-after");
    QTest::newRow("bad reconnect max") << QStringList{QStringLiteral("connect"), url,
                                                      QStringLiteral("--reconnect=many")}
                                       << QStringLiteral("--reconnect");
    QTest::newRow("unknown heartbeat preset")
        << QStringList{QStringLiteral("connect"), url, QStringLiteral("--heartbeat"), QStringLiteral("carrier-pigeon")}
        << QStringLiteral("--heartbeat");
    // A CA file that is not there is refused before the proxy listens, as connect --ca refuses it.
    QTest::newRow("proxy CA file missing") << QStringList{QStringLiteral("proxy"),
                                                          QStringLiteral("--listen"),
                                                          QStringLiteral("127.0.0.1:0"),
                                                          QStringLiteral("--upstream"),
                                                          QStringLiteral("wss://127.0.0.1:9/"),
                                                          QStringLiteral("--ca-file"),
                                                          QStringLiteral("/nonexistent/ca.pem")}
                                           << QStringLiteral("--ca-file '/nonexistent/ca.pem': no such file");
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
    // The close, then the diagnosis of the abnormal end (tst_cli_diagnose checks what it says).
    QCOMPARE(events.constLast().value(QStringLiteral("event")).toString(), QStringLiteral("diagnosis"));
    const QJsonObject close = events.at(events.size() - 2);
    QCOMPARE(close.value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    QCOMPARE(close.value(QStringLiteral("clean")).toBool(), false);
    QCOMPARE(close.value(QStringLiteral("code")).toInt(), 1006);
    QCOMPARE(close.value(QStringLiteral("initiator")).toString(), QStringLiteral("transport"));
}

void tst_Cli::heartbeatPingsReportRoundTrips()
{
    const CliRun run =
        runCli({QStringLiteral("connect"), m_url, QStringLiteral("--json"), QStringLiteral("--ping-interval"),
                QStringLiteral("0.1"), QStringLiteral("--duration"), QStringLiteral("0.75")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    const QList<QJsonObject> heartbeats = select(events, QStringLiteral("heartbeat"));
    QVERIFY2(heartbeats.size() >= 4, run.out.constData());
    for (const QJsonObject &heartbeat : heartbeats) {
        QCOMPARE(heartbeat.value(QStringLiteral("what")).toString(), QStringLiteral("reply"));
        QVERIFY(heartbeat.value(QStringLiteral("rtt_ms")).isDouble());
        QVERIFY(heartbeat.value(QStringLiteral("rtt_ms")).toDouble() >= 0);
        QCOMPARE(heartbeat.value(QStringLiteral("missed")).toInt(), 0);
        QCOMPARE(heartbeat.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
    }
    // Each reply follows its pong frame.
    int pingFrames = 0;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].value(QStringLiteral("opcode")).toString() == QStringLiteral("ping"))
            ++pingFrames;
        if (events[i].value(QStringLiteral("event")).toString() == QStringLiteral("heartbeat")) {
            QVERIFY(i > 0);
            QCOMPARE(events[i - 1].value(QStringLiteral("opcode")).toString(), QStringLiteral("pong"));
        }
    }
    QVERIFY(pingFrames >= heartbeats.size());

    const CliRun human = runCli({QStringLiteral("connect"), m_url, QStringLiteral("--ping-interval"),
                                 QStringLiteral("100ms"), QStringLiteral("--duration"), QStringLiteral("0.35")});
    QVERIFY2(human.finished && human.exitCode == 0, qPrintable(describe(human)));
    QVERIFY2(human.out.contains("** heartbeat pong 1 after"), human.out.constData());
    QVERIFY2(human.out.contains(": healthy"), human.out.constData());
}

void tst_Cli::heartbeatDeadAgainstSilentServer()
{
    ScriptedServer server(switchingProtocols);
    server.setKeepOpen(true);
    QVERIFY(server.listen());
    const CliRun run =
        runCli({QStringLiteral("connect"), QStringLiteral("--json"), server.url(), QStringLiteral("--ping-interval"),
                QStringLiteral("0.1"), QStringLiteral("--pong-timeout"), QStringLiteral("0.1"),
                QStringLiteral("--dead-after"), QStringLiteral("2")});
    QVERIFY2(run.finished && run.exitCode == 3, qPrintable(describe(run)));
    QVERIFY(run.elapsedMs < 10000);
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    const QList<QJsonObject> heartbeats = select(events, QStringLiteral("heartbeat"));
    QCOMPARE(heartbeats.size(), 2);
    QCOMPARE(heartbeats[0].value(QStringLiteral("what")).toString(), QStringLiteral("missed"));
    QCOMPARE(heartbeats[0].value(QStringLiteral("missed")).toInt(), 1);
    QCOMPARE(heartbeats[0].value(QStringLiteral("state")).toString(), QStringLiteral("late"));
    QVERIFY(heartbeats[0].value(QStringLiteral("rtt_ms")).isNull());
    QCOMPARE(heartbeats[1].value(QStringLiteral("missed")).toInt(), 2);
    QCOMPARE(heartbeats[1].value(QStringLiteral("state")).toString(), QStringLiteral("dead"));
    const QList<QJsonObject> closeFrames = [&] {
        QList<QJsonObject> frames;
        for (const QJsonObject &frame : select(events, QStringLiteral("frame"), QStringLiteral("out"))) {
            if (frame.value(QStringLiteral("opcode")).toString() == QStringLiteral("close"))
                frames << frame;
        }
        return frames;
    }();
    QCOMPARE(closeFrames.size(), 1);
    QCOMPARE(closeFrames[0].value(QStringLiteral("close_code")).toInt(), 1011);
    const QList<QJsonObject> errors = select(events, QStringLiteral("error"));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].value(QStringLiteral("message")).toString().contains(QStringLiteral("heartbeat dead")),
             run.out.constData());
    QCOMPARE(select(events, QStringLiteral("close")).size(), 1);
}

void tst_Cli::appHeartbeatMessage()
{
    const CliRun run =
        runCli({QStringLiteral("connect"), m_url, QStringLiteral("--json"), QStringLiteral("--heartbeat-message"),
                QStringLiteral(R"({"op":"hb","n":{{seq}}})"), QStringLiteral("--heartbeat-interval"),
                QStringLiteral("0.1"), QStringLiteral("--duration"), QStringLiteral("0.45")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    const QList<QJsonObject> out = select(events, QStringLiteral("message"), QStringLiteral("out"));
    QList<QJsonObject> textsOut;
    for (const QJsonObject &frame : select(events, QStringLiteral("frame"), QStringLiteral("out"))) {
        if (frame.value(QStringLiteral("opcode")).toString() == QStringLiteral("text"))
            textsOut << frame;
    }
    QVERIFY2(textsOut.size() >= 3, run.out.constData());
    QCOMPARE(textsOut[0].value(QStringLiteral("payload")).toString(), QStringLiteral(R"({"op":"hb","n":1})"));
    QCOMPARE(textsOut[2].value(QStringLiteral("payload")).toString(), QStringLiteral(R"({"op":"hb","n":3})"));
    // Without --pong-timeout no reply is awaited: no heartbeat events, just the messages.
    QVERIFY(select(events, QStringLiteral("heartbeat")).isEmpty());
}

void tst_Cli::reconnectAfterDrops()
{
    // Every connection: a valid 101, then the server drops it.
    ScriptedServer server(switchingProtocols);
    QVERIFY(server.listen());
    const CliRun run = runCli({QStringLiteral("connect"), QStringLiteral("--json"), server.url(),
                               QStringLiteral("--send"), QStringLiteral("auth"), QStringLiteral("--reconnect"),
                               QStringLiteral("2"), QStringLiteral("--reconnect-delay"), QStringLiteral("0.1")});
    QVERIFY2(run.finished && run.exitCode == 3, qPrintable(describe(run)));
    QList<QJsonObject> events;
    parseJsonLines(run.out, events);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(server.connections(), 3);
    QCOMPARE(select(events, QStringLiteral("handshake")).size(), 3);
    QCOMPARE(select(events, QStringLiteral("close")).size(), 3);
    const QList<QJsonObject> reconnects = select(events, QStringLiteral("reconnect"));
    QCOMPARE(reconnects.size(), 2);
    QCOMPARE(reconnects[0].value(QStringLiteral("attempt")).toInt(), 1);
    QCOMPARE(reconnects[1].value(QStringLiteral("attempt")).toInt(), 2);
    QCOMPARE(reconnects[1].value(QStringLiteral("connection")).toInt(), 3);
    QCOMPARE(reconnects[1].value(QStringLiteral("max_attempts")).toInt(), 2);
    // Equal jitter: 50-100 ms, then 100-200 ms.
    const double first = reconnects[0].value(QStringLiteral("delay_ms")).toDouble();
    const double second = reconnects[1].value(QStringLiteral("delay_ms")).toDouble();
    QVERIFY2(first >= 50 && first <= 100, qPrintable(QString::number(first)));
    QVERIFY2(second >= 100 && second <= 200, qPrintable(QString::number(second)));
    // "t" moves forward across connections, and each reconnect is followed by the next handshake.
    double last = 0;
    for (const QJsonObject &event : events) {
        const double t = event.value(QStringLiteral("t")).toDouble();
        QVERIFY2(t >= last - 0.005, qPrintable(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact))));
        last = std::max(last, t);
    }
    const QList<QJsonObject> handshakes = select(events, QStringLiteral("handshake"));
    QVERIFY(handshakes[2].value(QStringLiteral("t")).toDouble() - reconnects[1].value(QStringLiteral("t")).toDouble() >=
            second / 1000.0 - 0.02);
    // The --send message went out on every connection that opened.
    int auths = 0;
    for (const QJsonObject &frame : select(events, QStringLiteral("frame"), QStringLiteral("out")))
        auths += frame.value(QStringLiteral("payload")).toString() == QStringLiteral("auth") ? 1 : 0;
    QCOMPARE(auths, 3);
}

void tst_Cli::proxyPrintsEveryFrame_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("for people") << false;
    QTest::newRow("json") << true;
}

// `proxy` in front of `serve`, `connect` through it: every frame both ways is printed, with the payload's start as
// it was sent, whatever part of each payload the relay keeps in memory.
void tst_Cli::proxyPrintsEveryFrame()
{
    QFETCH(bool, json);
    QProcess proxy;
    QStringList arguments{QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--upstream"), m_url};
    if (json)
        arguments << QStringLiteral("--json");
    proxy.start(cliPath(), arguments);
    QVERIFY2(proxy.waitForStarted(5000), qPrintable(proxy.errorString()));
    QByteArray out;
    QVERIFY2(readOutputUntil(proxy, out, "\n", 10000), out.constData());
    // "listening ws://127.0.0.1:PORT/ -> UPSTREAM", or the JSON event's "url".
    static const QRegularExpression listening(QStringLiteral("^listening (ws://127\\.0\\.0\\.1:\\d+/) "));
    const QString through = json ? QJsonDocument::fromJson(out).object().value(QStringLiteral("url")).toString()
                                 : listening.match(QString::fromUtf8(out)).captured(1);
    QVERIFY2(through.startsWith(QLatin1StringView("ws://127.0.0.1:")) && through != m_url, out.constData());

    // A text whose JSON cut (4096 bytes) falls inside its "é", so the cut moves back to the character's start.
    const QString longText = QString(4095, u'a') + QStringLiteral("\u00e9") + QString(100, u'b');
    const CliRun run = runCli(
        {QStringLiteral("connect"), through, QStringLiteral("--send"), QStringLiteral("zwei\nZeilen \u00fc"),
         QStringLiteral("--send"), QStringLiteral("plain\nascii"), QStringLiteral("--send"), longText,
         QStringLiteral("--send-hex"), QStringLiteral("000102030405060708090a0b0c0d0e0f1011"),
         QStringLiteral("--close"), QStringLiteral("4001"), QStringLiteral("see you"), QStringLiteral("--no-deflate")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(readOutputUntil(proxy, out, json ? QByteArrayView("\"event\":\"closed\"") : QByteArrayView(" closed (by "),
                             10000),
             out.constData());
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(10000));

    const QString text = QString::fromUtf8(out);
    if (!json) {
        for (const QString &direction : {QStringLiteral("client -> server"), QStringLiteral("server -> client")}) {
            for (const QString &line : QStringList{
                     QStringLiteral("text 14 B zwei\\nZeilen \u00fc"), QStringLiteral("text 11 B plain\\nascii"),
                     QString(QStringLiteral("text 4197 B ") + QString(80, u'a')),
                     QStringLiteral("binary 18 B 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"),
                     // 4001 is 0f a1: not UTF-8, so its byte shows as U+FFFD.
                     QStringLiteral("close 9 B \u000f\ufffdsee you")}) {
                const QRegularExpression frame(QStringLiteral("(^|\\n)#1 +\\d+\\.\\d{3}s ") +
                                               QRegularExpression::escape(direction + u' ' + line) +
                                               QStringLiteral("(\\n|$)"));
                QVERIFY2(frame.match(text).hasMatch(), qPrintable(direction + u' ' + line + u'\n' + text));
            }
        }
        return;
    }
    const QList<QJsonObject> events = jsonLines(out);
    QCOMPARE(select(events, QStringLiteral("frame")).size(), 10); // four messages and a Close each way
    // Each way ("out": the client's frames, "in": the server's echoes), in the order they were sent.
    for (const QString &dir : {QStringLiteral("out"), QStringLiteral("in")}) {
        const QList<QJsonObject> frames = select(events, QStringLiteral("frame"), dir);
        QCOMPARE(frames.size(), 5);
        QCOMPARE(frames.at(0).value(QStringLiteral("payload")).toString(), QStringLiteral("zwei\nZeilen \u00fc"));
        QCOMPARE(frames.at(1).value(QStringLiteral("payload")).toString(), QStringLiteral("plain\nascii"));
        QCOMPARE(frames.at(2).value(QStringLiteral("length")).toInt(), 4197);
        QCOMPARE(frames.at(2).value(QStringLiteral("payload")).toString(), QString(4095, u'a'));
        QVERIFY(frames.at(2).value(QStringLiteral("truncated")).toBool());
        QCOMPARE(frames.at(3).value(QStringLiteral("payload")).toString(),
                 QString::fromLatin1(QByteArray::fromHex("000102030405060708090a0b0c0d0e0f1011").toBase64()));
        QCOMPARE(frames.at(4).value(QStringLiteral("close_code")).toInt(), 4001);
        QCOMPARE(frames.at(4).value(QStringLiteral("close_reason")).toString(), QStringLiteral("see you"));
        QCOMPARE(frames.at(4).value(QStringLiteral("from")).toString(),
                 dir == QLatin1StringView("out") ? QStringLiteral("client") : QStringLiteral("server"));
    }
}

// `proxy --record-dir`: each relayed connection is a recording of its own, complete when the connection ends, that
// `export` reads back with the handshake and every message both ways; the events say where it went.
void tst_Cli::proxyRecordsEachConnection()
{
    QTemporaryDir recordings;
    QVERIFY(recordings.isValid());
    QProcess proxy;
    proxy.start(cliPath(), {QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--upstream"), m_url, QStringLiteral("--record-dir"), recordings.path(),
                            QStringLiteral("--json")});
    QVERIFY2(proxy.waitForStarted(5000), qPrintable(proxy.errorString()));
    QByteArray out;
    QVERIFY2(readOutputUntil(proxy, out, "\n", 10000), out.constData());
    const QJsonObject listening = QJsonDocument::fromJson(out).object();
    QCOMPARE(listening.value(QStringLiteral("record_dir")).toString(), recordings.path());
    const QString through = listening.value(QStringLiteral("url")).toString();
    for (const char *message : {"first", "second"}) {
        const CliRun run = runCli({QStringLiteral("connect"), through, QStringLiteral("--send"),
                                   QLatin1StringView(message), QStringLiteral("--close")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    }
    QVERIFY2(readOutputUntil(proxy, out, "\"conn\":2,\"event\":\"recorded\"", 10000) ||
                 out.count("\"event\":\"recorded\"") == 2,
             out.constData());
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(10000));

    QList<QJsonObject> recorded;
    for (const QJsonObject &event : jsonLines(out)) {
        if (event.value(QStringLiteral("event")).toString() == QLatin1StringView("recorded"))
            recorded.append(event);
    }
    QCOMPARE(recorded.size(), 2);
    QCOMPARE(QDir(recordings.path()).entryList({QStringLiteral("*.wsirec")}, QDir::Files).size(), 2);
    for (const QJsonObject &event : std::as_const(recorded)) {
        const QString file = event.value(QStringLiteral("file")).toString();
        const CliRun exported =
            runCli({QStringLiteral("export"), file, QStringLiteral("--jsonl"), QStringLiteral("-")});
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(describe(exported)));
        const QList<QJsonObject> lines = jsonLines(exported.out);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first().value(QStringLiteral("event")).toString(), QStringLiteral("handshake"));
        const QString expected =
            event.value(QStringLiteral("conn")).toInt() == 1 ? QStringLiteral("first") : QStringLiteral("second");
        QCOMPARE(select(lines, QStringLiteral("message"), QStringLiteral("out")).size(), 1);
        QCOMPARE(select(lines, QStringLiteral("message"), QStringLiteral("in")).size(), 1);
        QCOMPARE(
            select(lines, QStringLiteral("message"), QStringLiteral("in")).first().value(QStringLiteral("payload")),
            QJsonValue(expected));
        QCOMPARE(lines.last().value(QStringLiteral("event")).toString(), QStringLiteral("close"));
    }
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
