// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli capture` end to end with clients nobody here wrote, everything on 127.0.0.1: curl through the
// proxy for plain HTTP (absolute form, to python3's http.server) and HTTPS (CONNECT to localhost, which
// --no-intercept keeps a blind tunnel, to openssl s_server with a certificate made by openssl at test time), with
// byte-identical bodies; Node's `ws` through `https-proxy-agent` (CONNECT) to a node ws echo server with
// permessage-deflate, recorded, and the recording read by export, diagnose and simulate --from; an absolute-form
// WebSocket upgrade; bad requests; loopback-only listening; a timeout model (nginx) cutting a silent Node client.
// tst_capture_tls covers TLS interception.
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "PeerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi::test;

namespace {

constexpr int waitMs = 20000;

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(16);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

// What the proxy answers a raw request from a client of the test's own: everything it writes until it closes.
QByteArray answerTo(quint16 port, const QByteArray &request, bool closeEarly = false)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return "not connected";
    socket.write(request);
    socket.flush();
    if (closeEarly) {
        socket.waitForBytesWritten(2000);
        socket.abort();
        return {};
    }
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        waitMs);
    return answer + socket.readAll();
}

// A masked client frame (FIN set) of `opcode` with `payload` shorter than 126 bytes.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload)
{
    const char key[4] = {0x11, 0x22, 0x33, 0x44};
    QByteArray frame;
    frame += char(0x80 | opcode);
    frame += char(0x80 | payload.size());
    frame += QByteArray(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame += char(payload.at(i) ^ key[i % 4]);
    return frame;
}

} // namespace

class tst_Capture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listensOnLoopbackOnly();
    void refusesNonLoopbackWithoutAllowRemote();
    void warnsWithAllowRemote();
    void plainHttpThroughCurl();
    void httpsTunnelledBlindlyThroughCurl();
    void nodeWsThroughConnectIsCapturedAndRecorded();
    void absoluteFormUpgrade();
    void chromiumThroughProxy();
    void badRequests();
    void exportsTheCaCertificateNeverItsKey();
    void modelledNginxCutsASilentApp();

private:
    QTemporaryDir m_dir;
    CaptureProcess m_capture;
    PeerProcess m_echo;
};

void tst_Capture::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // TLS to localhost stays a blind tunnel here (tst_capture_tls intercepts it); the CA is the test's own.
    QVERIFY2(m_capture.start({QStringLiteral("--record-dir"), m_dir.filePath(QStringLiteral("recordings")),
                              QStringLiteral("--ca-dir"), m_dir.filePath(QStringLiteral("ca")),
                              QStringLiteral("--no-intercept"), QStringLiteral("localhost")}),
             qPrintable(m_capture.errorString()));
    QVERIFY2(m_echo.startPeer(PeerProcess::Peer::Node, {QStringLiteral("echo"), QStringLiteral("--deflate")}),
             qPrintable(m_echo.errorString()));
}

void tst_Capture::cleanupTestCase()
{
    m_echo.stop();
    QVERIFY(m_capture.stop());
}

void tst_Capture::listensOnLoopbackOnly()
{
    const QJsonObject listening = m_capture.waitForEvent(
        [](const QJsonObject &e) { return e.value(QStringLiteral("event")) == QLatin1StringView("listening"); });
    // The bound socket's own address, as the proxy read it back from the kernel.
    QCOMPARE(listening.value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1"));
    // Another loopback address of this machine reaches nothing: the socket is bound to 127.0.0.1 alone, not to
    // every interface.
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.2"), m_capture.port());
    QVERIFY2(!socket.waitForConnected(2000), "the proxy accepted a connection to 127.0.0.2");
}

void tst_Capture::refusesNonLoopbackWithoutAllowRemote()
{
    const CliRun run = runCli({QStringLiteral("capture"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
    QVERIFY2(run.finished && run.exitCode == 2, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("--listen '0.0.0.0:0' is not a loopback address: anyone on that network could use the "
                              "proxy"),
             run.err.constData());
}

void tst_Capture::warnsWithAllowRemote()
{
    QProcess process;
    process.start(cliPath(), {QStringLiteral("capture"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"),
                              QStringLiteral("--allow-remote")});
    QVERIFY(process.waitForStarted(5000));
    QByteArray out;
    QVERIFY2(readOutputUntil(process, out, "capturing on", waitMs), out.constData());
    const QByteArray err = process.readAllStandardError();
    process.terminate();
    QVERIFY(process.waitForFinished(waitMs));
    QVERIFY2(err.contains("warning: listening on 0.0.0.0: this is an open proxy"), err.constData());
    QCOMPARE(process.exitCode(), 0);
}

void tst_Capture::plainHttpThroughCurl()
{
    QString error;
    const QString curl = PeerProcess::findProgram({QStringLiteral("curl")}, QStringLiteral("curl"), &error);
    QVERIFY2(!curl.isEmpty(), qPrintable(error));
    const QString python = PeerProcess::findProgram({QStringLiteral("python3")}, QStringLiteral("python3"), &error);
    QVERIFY2(!python.isEmpty(), qPrintable(error));
    const QString served = m_dir.filePath(QStringLiteral("www"));
    QVERIFY(QDir().mkpath(served));
    const QByteArray body = randomBytes(3 * 1024 * 1024 + 17);
    QFile file(served + QStringLiteral("/random.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(body) == body.size());
    file.close();

    PeerProcess http;
    const quint16 port = PeerProcess::freePort();
    QVERIFY2(
        http.startListening(python, QStringLiteral("python3"),
                            {QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("--bind"),
                             QStringLiteral("127.0.0.1"), QString::number(port), QStringLiteral("--directory"), served},
                            port),
        qPrintable(http.errorString()));
    const QString url = QStringLiteral("http://127.0.0.1:%1/random.bin").arg(port);
    const QString downloaded = m_dir.filePath(QStringLiteral("curl-http.bin"));
    QByteArray out;
    QVERIFY2(CaptureProcess::runProgram(curl,
                                        {QStringLiteral("-sS"), QStringLiteral("--fail"), QStringLiteral("--proxy"),
                                         m_capture.proxyUrl(), url, QStringLiteral("-o"), downloaded},
                                        &out, &error),
             qPrintable(error));
    QFile got(downloaded);
    QVERIFY(got.open(QIODevice::ReadOnly));
    QVERIFY2(got.readAll() == body, "the body changed on its way through the proxy");
    const QJsonObject event = m_capture.waitForEvent([&url](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("http") && e.value(QStringLiteral("url")) == url;
    });
    QVERIFY2(!event.isEmpty(), "no http event for the request");
    QCOMPARE(event.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
}

void tst_Capture::httpsTunnelledBlindlyThroughCurl()
{
    QString error;
    const QString curl = PeerProcess::findProgram({QStringLiteral("curl")}, QStringLiteral("curl"), &error);
    QVERIFY2(!curl.isEmpty(), qPrintable(error));
    const QString openssl = PeerProcess::findProgram({QStringLiteral("openssl")}, QStringLiteral("openssl"), &error);
    QVERIFY2(!openssl.isEmpty(), qPrintable(error));
    const QString tls = m_dir.filePath(QStringLiteral("tls"));
    QVERIFY(QDir().mkpath(tls));
    const QString cert = tls + QStringLiteral("/cert.pem");
    const QString key = tls + QStringLiteral("/key.pem");
    QByteArray out;
    QVERIFY2(
        CaptureProcess::runProgram(openssl,
                                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                    key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                                    QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                                    QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")},
                                   &out, &error),
        qPrintable(error));
    const QByteArray body = randomBytes(1024 * 1024 + 5);
    QFile file(tls + QStringLiteral("/random.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(body) == body.size());
    file.close();

    // openssl s_server -WWW serves files relative to its working directory, which it inherits.
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(tls));
    PeerProcess server;
    const quint16 port = PeerProcess::freePort();
    const bool started = server.startListening(
        openssl, QStringLiteral("openssl"),
        {QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
         QStringLiteral("-cert"), cert, QStringLiteral("-key"), key, QStringLiteral("-WWW"), QStringLiteral("-quiet")},
        port);
    QDir::setCurrent(previous);
    QVERIFY2(started, qPrintable(server.errorString()));

    const QString downloaded = m_dir.filePath(QStringLiteral("curl-https.bin"));
    QVERIFY2(CaptureProcess::runProgram(
                 curl,
                 {QStringLiteral("-sS"), QStringLiteral("--proxy"), m_capture.proxyUrl(), QStringLiteral("--cacert"),
                  cert, QStringLiteral("https://localhost:%1/random.bin").arg(port), QStringLiteral("-o"), downloaded},
                 &out, &error),
             qPrintable(error));
    QFile got(downloaded);
    QVERIFY(got.open(QIODevice::ReadOnly));
    QVERIFY2(got.readAll() == body, "the body changed on its way through the tunnel");
    const QJsonObject tunnel = m_capture.waitForEvent([port](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("tunnel") &&
               e.value(QStringLiteral("port")).toInt() == port;
    });
    QVERIFY2(!tunnel.isEmpty(), "no tunnel event");
    QCOMPARE(tunnel.value(QStringLiteral("host")).toString(), QStringLiteral("localhost"));
    QVERIFY2(tunnel.value(QStringLiteral("why")).toString().startsWith(QStringLiteral("TLS, not intercepted")),
             qPrintable(tunnel.value(QStringLiteral("why")).toString()));
}

void tst_Capture::nodeWsThroughConnectIsCapturedAndRecorded()
{
    const QString url = QStringLiteral("ws://127.0.0.1:%1/chat?room=7").arg(m_echo.port());
    QString error;
    const QJsonObject result = m_capture.runNodeClient(url, {}, &error);
    QVERIFY2(result.value(QStringLiteral("ok")).toBool(), qPrintable(error));
    const QByteArray out = QJsonDocument(result).toJson();
    QVERIFY2(result.value(QStringLiteral("extensions")).toString().contains(QStringLiteral("permessage-deflate")),
             out.constData());

    const QJsonObject connection = m_capture.waitForEvent([&url](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("connection") &&
               e.value(QStringLiteral("url")) == url;
    });
    QVERIFY2(!connection.isEmpty(), "no connection event with the URL the client asked for");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    const QJsonObject recorded = m_capture.waitForEvent([conn](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("recorded") &&
               e.value(QStringLiteral("conn")).toInt() == conn;
    });
    QVERIFY2(!recorded.isEmpty(), "the connection's recording was not completed");

    // Frames both ways, compressed on the wire; messages inflated, as the client sent them, both ways.
    const QString large = QStringLiteral("compressible ").repeated(5000);
    int framesFromClient = 0, framesFromServer = 0, compressedFrames = 0;
    QStringList clientTexts, serverTexts;
    for (const QJsonObject &event : m_capture.eventsOf(conn)) {
        const QString name = event.value(QStringLiteral("event")).toString();
        const bool fromClient = event.value(QStringLiteral("from")) == QLatin1StringView("client");
        if (name == QLatin1StringView("frame")) {
            (fromClient ? framesFromClient : framesFromServer)++;
            compressedFrames += event.value(QStringLiteral("compressed")).toBool() ? 1 : 0;
        } else if (name == QLatin1StringView("message") &&
                   event.value(QStringLiteral("type")) == QLatin1StringView("text")) {
            (fromClient ? clientTexts : serverTexts).append(event.value(QStringLiteral("payload")).toString());
        }
    }
    QCOMPARE(framesFromClient, 5); // four messages and the Close
    QCOMPARE(framesFromServer, 5);
    QVERIFY2(compressedFrames >= 2, "permessage-deflate was not used on the wire");
    const QStringList texts = {QStringLiteral("hello through the capture proxy"), large.left(4096),
                               QStringLiteral("caf\u00e9 \u2603 last")};
    QCOMPARE(clientTexts.size(), 3);
    QCOMPARE(clientTexts.at(0), texts.at(0));
    QVERIFY(large.startsWith(clientTexts.at(1)) && clientTexts.at(1).size() >= 4000); // --json keeps 4 KiB
    QCOMPARE(clientTexts.at(2), texts.at(2));
    QCOMPARE(serverTexts, clientTexts);

    // The recording opens everywhere a session's does.
    const QString file = recorded.value(QStringLiteral("file")).toString();
    QVERIFY2(QFileInfo(file).fileName().contains(QStringLiteral("127.0.0.1-%1").arg(m_echo.port())), qPrintable(file));
    const QString problem = CaptureProcess::nodeClientRecordingProblem(
        file, m_dir.filePath(QStringLiteral("export.jsonl")), QStringLiteral("GET /chat?room=7 HTTP/1.1"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    CliRun run = runCli({QStringLiteral("diagnose"), file});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(!run.out.isEmpty(), qPrintable(describe(run)));
    run = runCli({QStringLiteral("simulate"), QStringLiteral("--from"), file, QStringLiteral("--chain"),
                  QStringLiteral("nginx")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
}

void tst_Capture::absoluteFormUpgrade()
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_capture.port());
    QVERIFY(socket.waitForConnected(5000));
    const QString url = QStringLiteral("ws://127.0.0.1:%1/absolute").arg(m_echo.port());
    socket.write(QStringLiteral("GET http://127.0.0.1:%1/absolute HTTP/1.1\r\n"
                                "Host: 127.0.0.1:%1\r\n"
                                "Proxy-Connection: keep-alive\r\n"
                                "Connection: Upgrade\r\n"
                                "Upgrade: websocket\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\n\r\n")
                     .arg(m_echo.port())
                     .toLatin1() +
                 clientFrame(0x1, "absolute hello"));
    QByteArray received;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     received += socket.readAll();
                     return received.contains("absolute hello");
                 },
                 waitMs),
             received.constData());
    QVERIFY2(received.startsWith("HTTP/1.1 101 "), received.constData());
    QVERIFY(received.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")); // the key's accept: the server saw the client's key
    socket.write(clientFrame(0x8, QByteArray("\x03\xe8", 2)));
    QVERIFY(socket.state() == QAbstractSocket::UnconnectedState || socket.waitForDisconnected(waitMs));
    const QJsonObject connection = m_capture.waitForEvent([&url](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("connection") &&
               e.value(QStringLiteral("url")) == url;
    });
    QVERIFY2(!connection.isEmpty(), "no connection event for the absolute-form upgrade");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    const QJsonObject recorded = m_capture.waitForEvent([conn](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("recorded") &&
               e.value(QStringLiteral("conn")).toInt() == conn;
    });
    QVERIFY(!recorded.isEmpty());
    // Recorded: the message both ways.
    const QString jsonl = m_dir.filePath(QStringLiteral("absolute.jsonl"));
    const CliRun run = runCli({QStringLiteral("export"), recorded.value(QStringLiteral("file")).toString(),
                               QStringLiteral("--jsonl"), jsonl});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QFile exported(jsonl);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QJsonObject> lines = jsonLines(exported.readAll());
    QCOMPARE(eventsNamed(lines, QStringLiteral("message")).size(), 2);
}

void tst_Capture::chromiumThroughProxy()
{
    QString error;
    const QString report = m_capture.runChromiumPage(m_dir.filePath(QStringLiteral("chromium")),
                                                     QStringLiteral("ws=%1").arg(m_echo.port()), &error);
    QVERIFY2(!report.isEmpty(), qPrintable(error));
    QVERIFY2(report.contains(QStringLiteral("/result?ok=1&why=permessage-deflate")), qPrintable(report));

    const QString url = QStringLiteral("ws://127.0.0.1:%1/chromium").arg(m_echo.port());
    const QJsonObject connection = m_capture.waitForEvent([&url](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("connection") &&
               e.value(QStringLiteral("url")) == url;
    });
    QVERIFY2(!connection.isEmpty(), "no connection event for Chromium's WebSocket");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    QVERIFY(!m_capture
                 .waitForEvent([conn](const QJsonObject &e) {
                     return e.value(QStringLiteral("event")) == QLatin1StringView("closed") &&
                            e.value(QStringLiteral("conn")).toInt() == conn;
                 })
                 .isEmpty());
    for (const QJsonObject &event : m_capture.eventsOf(conn)) {
        if (event.value(QStringLiteral("event")) == QLatin1StringView("message"))
            QVERIFY(event.value(QStringLiteral("compressed")).toBool());
    }
    const QStringList fromClient = m_capture.messagesOf(conn, QStringLiteral("client"));
    QCOMPARE(fromClient.size(), 2);
    QCOMPARE(fromClient.at(0), QStringLiteral("hello from chromium"));
    QCOMPARE(m_capture.messagesOf(conn, QStringLiteral("server")), fromClient);
}

void tst_Capture::badRequests()
{
    QByteArray answer = answerTo(m_capture.port(), "hello there\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer.constData());
    QVERIFY2(answer.endsWith("the request line 'hello there' is not METHOD TARGET HTTP/1.x\n"), answer.constData());

    answer = answerTo(m_capture.port(), "GET http://127.0.0.1/ HTTP/1.1\r\nX-Big: " + QByteArray(70 * 1024, 'x'));
    QVERIFY2(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer.left(200).constData());
    QVERIFY2(answer.endsWith("the request head is longer than 65536 bytes\n"), answer.constData());

    const quint16 closed = PeerProcess::freePort();
    answer =
        answerTo(m_capture.port(),
                 QStringLiteral("CONNECT 127.0.0.1:%1 HTTP/1.1\r\nHost: 127.0.0.1:%1\r\n\r\n").arg(closed).toLatin1());
    QVERIFY2(answer.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), answer.constData());
    QVERIFY2(answer.contains(QStringLiteral("cannot reach 127.0.0.1:%1: Connection refused").arg(closed).toUtf8()),
             answer.constData());

    answer = answerTo(m_capture.port(), "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer.constData());

    // Clients that leave mid-head, many times over: the proxy stays up and answers the next one.
    for (int i = 0; i < 50; ++i)
        answerTo(m_capture.port(), "GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127", true);
    answer = answerTo(m_capture.port(), "nonsense\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
    QCOMPARE(m_capture.process().state(), QProcess::Running);
    const QJsonObject refused = m_capture.waitForEvent([](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("refused") &&
               e.value(QStringLiteral("status")).toInt() == 431;
    });
    QVERIFY2(!refused.isEmpty(), "no refused event for the oversized head");
}

// `capture --export-ca`: the CA is made on first use in --ca-dir (its key owner-only), the certificate written is
// that CA's, without any key, and a second export gives the same certificate (the CA is kept, not remade).
void tst_Capture::exportsTheCaCertificateNeverItsKey()
{
    QTemporaryDir dir;
    const QString caDir = dir.filePath(QStringLiteral("ca"));
    const QString first = dir.filePath(QStringLiteral("first.pem"));
    const QString second = dir.filePath(QStringLiteral("second.pem"));
    CliRun run =
        runCli({QStringLiteral("capture"), QStringLiteral("--ca-dir"), caDir, QStringLiteral("--export-ca"), first});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("Made the CA now in"), run.out.constData());
    run = runCli({QStringLiteral("capture"), QStringLiteral("--ca-dir"), caDir, QStringLiteral("--export-ca"), second});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("The CA is kept in"), run.out.constData());

    QFile firstFile(first), secondFile(second), caFile(caDir + QStringLiteral("/ca.pem"));
    QVERIFY(firstFile.open(QIODevice::ReadOnly) && secondFile.open(QIODevice::ReadOnly) &&
            caFile.open(QIODevice::ReadOnly));
    const QByteArray pem = firstFile.readAll();
    QCOMPARE(secondFile.readAll(), pem);
    QCOMPARE(caFile.readAll(), pem);
    QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    QVERIFY2(!pem.contains("PRIVATE KEY"), pem.constData());
    const QFile::Permissions others =
        QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFile::permissions(caDir + QStringLiteral("/ca-key.pem")) & others, QFile::Permissions());

    // openssl reads it as a CA certificate.
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("x509"), QStringLiteral("-in"), first, QStringLiteral("-noout"),
                   QStringLiteral("-ext"), QStringLiteral("basicConstraints")});
    QVERIFY(openssl.waitForFinished(waitMs));
    const QByteArray text = openssl.readAllStandardOutput();
    QVERIFY2(openssl.exitCode() == 0 && text.contains("CA:TRUE"), text.constData());

    // A folder whose CA files are damaged is named, and nothing is written.
    QFile damaged(caDir + QStringLiteral("/ca.pem"));
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("not a certificate\n");
    damaged.close();
    const QString third = dir.filePath(QStringLiteral("third.pem"));
    run = runCli({QStringLiteral("capture"), QStringLiteral("--ca-dir"), caDir, QStringLiteral("--export-ca"), third});
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("ca.pem"), run.err.constData());
    QVERIFY(!QFile::exists(third));

    // An unwritable destination is said so.
    run = runCli({QStringLiteral("capture"), QStringLiteral("--ca-dir"), dir.filePath(QStringLiteral("other")),
                  QStringLiteral("--export-ca"), dir.filePath(QStringLiteral("missing/folder/ca.pem"))});
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(describe(run)));
    QVERIFY2(run.err.contains("cannot write the CA certificate to"), run.err.constData());
}

QTEST_GUILESS_MAIN(tst_Capture)
#include "tst_capture.moc"

void tst_Capture::modelledNginxCutsASilentApp()
{
    // The real app behind a simulated nginx: proxy_read_timeout's 60 s at 1/60 cut a connection silent for 1 s,
    // with nginx's FIN, and the app sees what it would see behind the real nginx: the connection gone, no Close.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CaptureProcess capture;
    QVERIFY2(capture.start({QStringLiteral("--record-dir"), dir.path(), QStringLiteral("--ca-dir"), dir.path(),
                            QStringLiteral("--model"), QStringLiteral("nginx"), QStringLiteral("--time-scale"),
                            QStringLiteral("60")}),
             qPrintable(capture.errorString()));
    QCOMPARE(capture.listening().value(QStringLiteral("time_scale")).toDouble(), 60.0);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/quiet").arg(m_echo.port());
    QString error;
    const QJsonObject result = capture.runNodeClient(url, {}, &error, {QStringLiteral("--hold")});
    QVERIFY2(result.value(QStringLiteral("ok")).toBool(), qPrintable(error));
    QCOMPARE(result.value(QStringLiteral("code")).toInt(), 1006);
    const int silentMs = result.value(QStringLiteral("silentMs")).toInt();
    QVERIFY2(silentMs >= 900 && silentMs < 10000, qPrintable(QString::number(silentMs)));

    const QJsonObject cut = capture.waitForEvent(
        [](const QJsonObject &e) { return e.value(QStringLiteral("event")) == QLatin1StringView("cut"); });
    QVERIFY2(!cut.isEmpty(), "no cut event");
    const QByteArray text = QJsonDocument(cut).toJson(QJsonDocument::Compact);
    QCOMPARE(cut.value(QStringLiteral("by")).toString(), QStringLiteral("nginx"));
    QCOMPARE(cut.value(QStringLiteral("timer")).toString(), QStringLiteral("proxy_read_timeout"));
    QCOMPARE(cut.value(QStringLiteral("action")).toString(), QStringLiteral("fin"));
    QVERIFY2(cut.value(QStringLiteral("value_s")).toDouble() == 60.0 &&
                 cut.value(QStringLiteral("scaled_s")).toDouble() == 1.0,
             text.constData());

    // Its recording says so, and the diagnosis of it names the modelled nginx's timer.
    const int conn = cut.value(QStringLiteral("conn")).toInt();
    const QJsonObject recorded = capture.waitForEvent([conn](const QJsonObject &e) {
        return e.value(QStringLiteral("event")) == QLatin1StringView("recorded") &&
               e.value(QStringLiteral("conn")).toInt() == conn;
    });
    QVERIFY2(!recorded.isEmpty(), "the cut connection was not recorded");
    const CliRun run = runCli({QStringLiteral("diagnose"), recorded.value(QStringLiteral("file")).toString()});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(describe(run)));
    QVERIFY2(run.out.contains("proxy_read_timeout"), run.out.constData());
    QVERIFY(capture.stop());
}
