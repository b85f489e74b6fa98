// SPDX-License-Identifier: GPL-3.0-or-later
// `wsinspector-cli capture` intercepting TLS, with clients and servers nobody here wrote, everything on 127.0.0.1:
// headless Chromium trusting the capture CA through its NSS store, Node's `ws` through `https-proxy-agent` with
// NODE_EXTRA_CA_CERTS, and curl with --cacert, toward python websockets and openssl s_server over TLS with
// certificates made by openssl at test time. Checked: messages intact both ways and recorded (the recording read
// back by `export`), an HTTPS body byte-identical, both legs' TLS secrets in the key log (as curl and s_server log
// their own) and tshark decrypting the client's leg with it, a server the proxy cannot verify refused to the client
// with the reason and reported as "tls_error" (and reached with --upstream-insecure), and a client that does not
// trust the CA reported.
#include "CaptureProcess.h"
#include "CliProcess.h"
#include "OpensslCommand.h"
#include "PeerProcess.h"
#include "TlsSocketPump.h"
#include "core/proxy/TlsContext.h"
#include "core/proxy/TlsStream.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace wsi;
using namespace wsi::test;

namespace {

constexpr int waitMs = CaptureProcess::waitMs;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// The secret lines of an NSS key log ("LABEL CLIENT_RANDOM SECRET").
QSet<QByteArray> keyLogLines(const QByteArray &text)
{
    QSet<QByteArray> lines;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty() && !line.startsWith('#'))
            lines.insert(line.trimmed());
    }
    return lines;
}

bool isEvent(const QJsonObject &event, const char *name)
{
    return event.value(QStringLiteral("event")).toString() == QLatin1StringView(name);
}

} // namespace

class tst_CaptureTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void nodeWssIsInterceptedAndRecorded();
    void chromiumWssThroughInterception();
    void curlHttpsBodyIdenticalAndKeysLogged();
    void untrustedServerIsRefusedUnlessInsecure();
    void clientThatDistrustsTheCaIsReported();
    void keyLogDecryptsTheClientLegWithTshark();
    void reverseRelayListensWithTls_data();
    void reverseRelayListensWithTls();

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }
    // openssl s_server -WWW serving the folder "www" with `name`.pem / `name`.key, its TLS secrets in `keyLog`.
    bool startHttpsServer(PeerProcess &server, const QString &name, const QString &keyLog);
    QString program(const QString &name, const QString &package);

    QTemporaryDir m_dir;
    std::unique_ptr<OpensslCommand> m_openssl;
    CaptureProcess m_capture;
    QString m_caPem;   // the capture CA's certificate, which the clients trust
    PeerProcess m_wss; // python websockets over TLS, certificate signed by the upstream CA
    QByteArray m_body; // served by the HTTPS servers as www/random.bin
};

void tst_CaptureTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_openssl = std::make_unique<OpensslCommand>(m_dir.path());
    QVERIFY2(m_openssl->isAvailable(), qPrintable(m_openssl->errorString()));
    // The real servers' certificates: one signed by a CA the proxy is told to trust (--upstream-ca), one self-signed.
    QVERIFY2(m_openssl->makeCa(QStringLiteral("upstream-ca"), QStringLiteral("/CN=Upstream test CA")),
             qPrintable(m_openssl->errorString()));
    QVERIFY2(m_openssl->issueServer(QStringLiteral("server"), QStringLiteral("DNS:localhost,IP:127.0.0.1"),
                                    QStringLiteral("upstream-ca")),
             qPrintable(m_openssl->errorString()));
    QVERIFY2(
        m_openssl->run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                        QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                        QStringLiteral("-keyout"), file(QStringLiteral("self.key")), QStringLiteral("-out"),
                        file(QStringLiteral("self.pem")), QStringLiteral("-days"), QStringLiteral("1"),
                        QStringLiteral("-subj"), QStringLiteral("/CN=self-signed upstream"), QStringLiteral("-addext"),
                        QStringLiteral("subjectAltName=IP:127.0.0.1")}),
        qPrintable(m_openssl->errorString()));
    QVERIFY(QDir().mkpath(file(QStringLiteral("www"))));
    m_body.resize(1024 * 1024 + 7);
    QRandomGenerator generator(42);
    for (char &c : m_body)
        c = char(generator.bounded(256));
    QVERIFY(writeFile(file(QStringLiteral("www/random.bin")), m_body));

    QVERIFY2(m_capture.start({QStringLiteral("--record-dir"), file(QStringLiteral("recordings")),
                              QStringLiteral("--ca-dir"), file(QStringLiteral("ca")), QStringLiteral("--upstream-ca"),
                              file(QStringLiteral("upstream-ca.pem")), QStringLiteral("--keylog"),
                              file(QStringLiteral("proxy.keys"))}),
             qPrintable(m_capture.errorString()));
    m_caPem = m_capture.listening().value(QStringLiteral("ca")).toString();
    QCOMPARE(m_caPem, QDir(file(QStringLiteral("ca"))).filePath(QStringLiteral("ca.pem")));
    QVERIFY(QFileInfo::exists(m_caPem));
    QVERIFY2(m_wss.startPeer(PeerProcess::Peer::Python, {QStringLiteral("echo"), QStringLiteral("--deflate"),
                                                         QStringLiteral("--cert"), file(QStringLiteral("server.pem")),
                                                         QStringLiteral("--key"), file(QStringLiteral("server.key"))}),
             qPrintable(m_wss.errorString()));
}

void tst_CaptureTls::cleanupTestCase()
{
    m_wss.stop();
    QVERIFY(m_capture.stop());
}

QString tst_CaptureTls::program(const QString &name, const QString &package)
{
    QString error;
    const QString path = PeerProcess::findProgram({name}, package, &error);
    if (path.isEmpty())
        qWarning("%s", qPrintable(error));
    return path;
}

bool tst_CaptureTls::startHttpsServer(PeerProcess &server, const QString &name, const QString &keyLog)
{
    // s_server -WWW serves files relative to its working directory, which it inherits.
    const QString previous = QDir::currentPath();
    QDir::setCurrent(file(QStringLiteral("www")));
    const quint16 port = PeerProcess::freePort();
    const bool started = server.startListening(
        m_openssl->program(), QStringLiteral("openssl"),
        {QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
         QStringLiteral("-cert"), file(name + u".pem"), QStringLiteral("-key"), file(name + u".key"),
         QStringLiteral("-keylogfile"), keyLog, QStringLiteral("-WWW"), QStringLiteral("-quiet")},
        port);
    QDir::setCurrent(previous);
    if (!started)
        qWarning("%s", qPrintable(server.errorString()));
    return started;
}

void tst_CaptureTls::nodeWssIsInterceptedAndRecorded()
{
    // By name: Node checks an IP literal against "localhost" when a proxy agent makes the TLS connection.
    const QString url = QStringLiteral("wss://localhost:%1/secure?room=9").arg(m_wss.port());
    QString error;
    QVERIFY2(m_capture.runNodeClient(url, m_caPem, &error).value(QStringLiteral("ok")).toBool(), qPrintable(error));

    const QJsonObject connection = m_capture.waitForEvent(
        "connection", [&url](const QJsonObject &e) { return e.value(QStringLiteral("url")).toString() == url; });
    QVERIFY2(!connection.isEmpty(), "no connection event with the wss:// URL the client asked for");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    const QJsonObject recorded = m_capture.waitForEvent(
        "recorded", [conn](const QJsonObject &e) { return e.value(QStringLiteral("conn")).toInt() == conn; });
    QVERIFY2(!recorded.isEmpty(), "the connection's recording was not completed");

    // Decrypted: frames both ways, compressed on the wire, and the messages as the client sent them.
    int framesFromClient = 0, framesFromServer = 0, compressed = 0;
    QStringList clientTexts, serverTexts;
    for (const QJsonObject &event : m_capture.eventsOf(conn)) {
        const bool fromClient = event.value(QStringLiteral("from")) == QLatin1StringView("client");
        if (isEvent(event, "frame")) {
            (fromClient ? framesFromClient : framesFromServer)++;
            compressed += event.value(QStringLiteral("compressed")).toBool() ? 1 : 0;
        } else if (isEvent(event, "message") && event.value(QStringLiteral("type")) == QLatin1StringView("text")) {
            (fromClient ? clientTexts : serverTexts).append(event.value(QStringLiteral("payload")).toString());
        }
    }
    QCOMPARE(framesFromClient, 5); // four messages and the Close
    QCOMPARE(framesFromServer, 5);
    QVERIFY2(compressed >= 2, "permessage-deflate was not used on the wire");
    QCOMPARE(clientTexts.size(), 3);
    QCOMPARE(clientTexts.at(0), QStringLiteral("hello through the capture proxy"));
    QCOMPARE(clientTexts.at(2), QStringLiteral("caf\u00e9 \u2603 last"));
    QCOMPARE(serverTexts, clientTexts);

    // The recording opens, holding the handshake inside TLS and every message whole, both ways.
    const QString problem = CaptureProcess::nodeClientRecordingProblem(
        recorded.value(QStringLiteral("file")).toString(), file(QStringLiteral("node-wss.jsonl")),
        QStringLiteral("GET /secure?room=9 HTTP/1.1"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_CaptureTls::chromiumWssThroughInterception()
{
    const QString certutil = program(QStringLiteral("certutil"), QStringLiteral("libnss3-tools"));
    QVERIFY(!certutil.isEmpty());

    // The capture CA in a private NSS store, the one Chromium on Linux reads from $HOME/.pki/nssdb.
    const QString home = file(QStringLiteral("chromium-home"));
    const QString nssdb = home + QStringLiteral("/.pki/nssdb");
    QVERIFY(QDir().mkpath(nssdb));
    QByteArray out;
    QString error;
    QVERIFY2(CaptureProcess::runProgram(certutil,
                                        {QStringLiteral("-d"), QStringLiteral("sql:") + nssdb, QStringLiteral("-N"),
                                         QStringLiteral("--empty-password")},
                                        &out, &error),
             qPrintable(error));
    QVERIFY2(CaptureProcess::runProgram(certutil,
                                        {QStringLiteral("-d"), QStringLiteral("sql:") + nssdb, QStringLiteral("-A"),
                                         QStringLiteral("-t"), QStringLiteral("C,,"), QStringLiteral("-n"),
                                         QStringLiteral("WS Inspector capture test CA"), QStringLiteral("-i"), m_caPem},
                                        &out, &error),
             qPrintable(error));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    const QString report =
        m_capture.runChromiumPage(file(QStringLiteral("chromium-profile")),
                                  QStringLiteral("ws=%1&scheme=wss").arg(m_wss.port()), &error, environment);
    QVERIFY2(!report.isEmpty(), qPrintable(error));
    QVERIFY2(report.contains(QStringLiteral("/result?ok=1&why=permessage-deflate")), qPrintable(report));

    const QString url = QStringLiteral("wss://127.0.0.1:%1/chromium").arg(m_wss.port());
    const QJsonObject connection = m_capture.waitForEvent(
        "connection", [&url](const QJsonObject &e) { return e.value(QStringLiteral("url")).toString() == url; });
    QVERIFY2(!connection.isEmpty(), "no connection event for Chromium's wss:// WebSocket");
    const int conn = connection.value(QStringLiteral("conn")).toInt();
    QVERIFY(!m_capture
                 .waitForEvent("closed",
                               [conn](const QJsonObject &e) { return e.value(QStringLiteral("conn")).toInt() == conn; })
                 .isEmpty());
    const QStringList fromClient = m_capture.messagesOf(conn, QStringLiteral("client"));
    QCOMPARE(fromClient.size(), 2);
    QCOMPARE(fromClient.at(0), QStringLiteral("hello from chromium"));
    QCOMPARE(m_capture.messagesOf(conn, QStringLiteral("server")), fromClient);
}

void tst_CaptureTls::curlHttpsBodyIdenticalAndKeysLogged()
{
    const QString curl = program(QStringLiteral("curl"), QStringLiteral("curl"));
    QVERIFY(!curl.isEmpty());
    PeerProcess server;
    const QString serverKeys = file(QStringLiteral("s_server.keys"));
    QVERIFY(startHttpsServer(server, QStringLiteral("server"), serverKeys));
    const QString url = QStringLiteral("https://127.0.0.1:%1/random.bin").arg(server.port());
    const QString downloaded = file(QStringLiteral("curl-https.bin"));
    const QString curlKeys = file(QStringLiteral("curl.keys"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("SSLKEYLOGFILE"), curlKeys);
    QByteArray out;
    QString error;
    QVERIFY2(CaptureProcess::runProgram(curl,
                                        {QStringLiteral("-sS"), QStringLiteral("--fail"), QStringLiteral("--proxy"),
                                         m_capture.proxyUrl(), QStringLiteral("--cacert"), m_caPem, url,
                                         QStringLiteral("-o"), downloaded},
                                        &out, &error, environment),
             qPrintable(error));
    QVERIFY2(readFile(downloaded) == m_body, "the body changed on its way through the interception");
    const QJsonObject http = m_capture.waitForEvent(
        "http", [&url](const QJsonObject &e) { return e.value(QStringLiteral("url")).toString() == url; });
    QVERIFY2(!http.isEmpty(), "no http event with the https:// URL");
    QCOMPARE(http.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));

    // Both legs' secrets are in the proxy's key log: the client's leg as curl logged it, the server's as s_server
    // did (the two legs are different TLS sessions, so neither log holds the other's).
    server.stop();
    const QSet<QByteArray> proxyLines = keyLogLines(readFile(file(QStringLiteral("proxy.keys"))));
    const QSet<QByteArray> curlLines = keyLogLines(readFile(curlKeys));
    const QSet<QByteArray> serverLines = keyLogLines(readFile(serverKeys));
    QVERIFY2(!curlLines.isEmpty(), "curl wrote no key log (SSLKEYLOGFILE)");
    QVERIFY2(!serverLines.isEmpty(), "s_server wrote no key log (-keylogfile)");
    QVERIFY2(proxyLines.contains(curlLines), "the client's leg is missing from --keylog");
    QVERIFY2(proxyLines.contains(serverLines), "the server's leg is missing from --keylog");
    QVERIFY(!curlLines.intersects(serverLines));
}

void tst_CaptureTls::untrustedServerIsRefusedUnlessInsecure()
{
    const QString curl = program(QStringLiteral("curl"), QStringLiteral("curl"));
    QVERIFY(!curl.isEmpty());
    PeerProcess server;
    QVERIFY(startHttpsServer(server, QStringLiteral("self"), file(QStringLiteral("self.keys"))));
    const QString url = QStringLiteral("https://127.0.0.1:%1/random.bin").arg(server.port());
    const QString answer = file(QStringLiteral("refused.txt"));
    QByteArray out;
    QString error;
    QVERIFY2(CaptureProcess::runProgram(curl,
                                        {QStringLiteral("-sS"), QStringLiteral("--proxy"), m_capture.proxyUrl(),
                                         QStringLiteral("--cacert"), m_caPem, url, QStringLiteral("-o"), answer,
                                         QStringLiteral("-w"), QStringLiteral("%{http_code}")},
                                        &out, &error),
             qPrintable(error));
    // The client reached the proxy over TLS it trusts and is told, inside it, why the server was not reached.
    QCOMPARE(out, QByteArray("502"));
    const QByteArray body = readFile(answer);
    QVERIFY2(body.contains(QStringLiteral("TLS to 127.0.0.1:%1 failed").arg(server.port()).toUtf8()), body.constData());
    QVERIFY2(body.contains("is not signed by a trusted CA"), body.constData());
    const QJsonObject tlsError = m_capture.waitForEvent("tls_error", [&server](const QJsonObject &e) {
        return e.value(QStringLiteral("port")).toInt() == server.port();
    });
    QVERIFY2(!tlsError.isEmpty(), "no tls_error event for the unverified server");
    QCOMPARE(tlsError.value(QStringLiteral("host")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(tlsError.value(QStringLiteral("side")).toString(), QStringLiteral("server"));
    QVERIFY2(tlsError.value(QStringLiteral("reason")).toString().contains(QStringLiteral("CN=self-signed upstream")),
             qPrintable(tlsError.value(QStringLiteral("reason")).toString()));

    // --upstream-insecure is the explicit way through (same CA folder, so the client's trust still holds).
    CaptureProcess insecure;
    QVERIFY2(
        insecure.start({QStringLiteral("--ca-dir"), file(QStringLiteral("ca")), QStringLiteral("--upstream-insecure")}),
        qPrintable(insecure.errorString()));
    const QString downloaded = file(QStringLiteral("insecure.bin"));
    QVERIFY2(CaptureProcess::runProgram(curl,
                                        {QStringLiteral("-sS"), QStringLiteral("--fail"), QStringLiteral("--proxy"),
                                         insecure.proxyUrl(), QStringLiteral("--cacert"), m_caPem, url,
                                         QStringLiteral("-o"), downloaded},
                                        &out, &error),
             qPrintable(error));
    QVERIFY2(readFile(downloaded) == m_body, "the body changed on its way through the interception");
    QVERIFY(!insecure
                 .waitForEvent(
                     "http", [&url](const QJsonObject &e) { return e.value(QStringLiteral("url")).toString() == url; })
                 .isEmpty());
    QVERIFY(insecure.stop());
}

void tst_CaptureTls::clientThatDistrustsTheCaIsReported()
{
    const QString curl = program(QStringLiteral("curl"), QStringLiteral("curl"));
    QVERIFY(!curl.isEmpty());
    // curl trusts the system's CAs only: our leaf is refused (exit 60, "SSL certificate problem").
    QByteArray out;
    QString error;
    QVERIFY2(CaptureProcess::runProgram(curl,
                                        {QStringLiteral("-sS"), QStringLiteral("--proxy"), m_capture.proxyUrl(),
                                         QStringLiteral("https://127.0.0.1:%1/").arg(m_wss.port())},
                                        &out, &error, QProcessEnvironment::systemEnvironment(), 60),
             qPrintable(error));
    const QJsonObject tlsError = m_capture.waitForEvent("tls_error", [this](const QJsonObject &e) {
        return e.value(QStringLiteral("port")).toInt() == m_wss.port() &&
               e.value(QStringLiteral("side")).toString() == QLatin1StringView("client");
    });
    QVERIFY2(!tlsError.isEmpty(), "no tls_error event for the client that refused the leaf");
    QVERIFY2(tlsError.value(QStringLiteral("reason")).toString().contains(QStringLiteral("trust the capture CA")),
             qPrintable(tlsError.value(QStringLiteral("reason")).toString()));
}

// A client of the test's own records the TLS bytes of its leg (TlsSocketPump); tshark decrypts them with the
// proxy's --keylog and nothing else.
void tst_CaptureTls::keyLogDecryptsTheClientLegWithTshark()
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_capture.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(
        QStringLiteral("CONNECT 127.0.0.1:%1 HTTP/1.1\r\nHost: 127.0.0.1:%1\r\n\r\n").arg(m_wss.port()).toLatin1());
    QByteArray established;
    QVERIFY(QTest::qWaitFor(
        [&] {
            established += socket.read(1); // byte by byte: nothing of the TLS that follows is taken here
            return established.endsWith("\r\n\r\n");
        },
        waitMs));
    QVERIFY2(established.startsWith("HTTP/1.1 200 "), established.constData());
    QString error;
    const auto context = TlsContext::upstream({m_caPem, false}, nullptr, &error);
    QVERIFY2(context, qPrintable(error));
    TlsSocketPump pump(&socket, TlsStream::connecting(context, QStringLiteral("127.0.0.1")));
    QVERIFY(pump.waitForEstablishedOrFailure(waitMs));
    QVERIFY2(pump.stream().isEstablished(), qPrintable(pump.stream().errorString()));
    pump.write("GET /only-with-the-key-log HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QVERIFY2(pump.waitForReceived(QByteArray("HTTP/1.1 "), waitMs), pump.received().constData());
    pump.close();
    QVERIFY(pump.waitForDisconnected(waitMs));

    const QByteArray decrypted = pump.decryptedByTshark(file(QStringLiteral("proxy.keys")), m_dir.path(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(decrypted.contains("GET /only-with-the-key-log HTTP/1.1"), decrypted.constData());
    QVERIFY(writeFile(file(QStringLiteral("empty.keys")), {}));
    QVERIFY(!pump.decryptedByTshark(file(QStringLiteral("empty.keys")), m_dir.path(), &error)
                 .contains("only-with-the-key-log"));
}

void tst_CaptureTls::reverseRelayListensWithTls_data()
{
    QTest::addColumn<QStringList>("tlsArguments");
    QTest::addColumn<QString>("clientCa");
    QTest::newRow("--tls-local-ca") << QStringList{QStringLiteral("--tls-local-ca"), QStringLiteral("--ca-dir"),
                                                   file(QStringLiteral("ca"))}
                                    << m_caPem;
    QTest::newRow("--tls-cert") << QStringList{QStringLiteral("--tls-cert"), file(QStringLiteral("server.pem")),
                                               QStringLiteral("--tls-key"), file(QStringLiteral("server.key"))}
                                << file(QStringLiteral("upstream-ca.pem"));
}

// `proxy --listen` with a TLS listener in front of the wss:// python server: python websockets connects to its
// wss:// URL trusting only the listener's CA, and the message is relayed (and printed) both ways.
void tst_CaptureTls::reverseRelayListensWithTls()
{
    QFETCH(QStringList, tlsArguments);
    QFETCH(QString, clientCa);
    QProcess proxy;
    proxy.start(cliPath(),
                QStringList{QStringLiteral("proxy"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--upstream"), QStringLiteral("wss://localhost:%1/relay").arg(m_wss.port()),
                            QStringLiteral("--ca-file"), file(QStringLiteral("upstream-ca.pem")),
                            QStringLiteral("--json")} +
                    tlsArguments);
    QVERIFY2(proxy.waitForStarted(5000), qPrintable(proxy.errorString()));
    QByteArray out;
    QVERIFY2(readOutputUntil(proxy, out, "\n", waitMs), proxy.readAllStandardError().constData());
    const QJsonObject listening = jsonLines(out).value(0);
    const QUrl url(listening.value(QStringLiteral("url")).toString());
    QCOMPARE(url.scheme(), QStringLiteral("wss"));

    // Debian's interpreter, for which python3-websockets is installed (another may come first on PATH).
    QString error;
    const QString python = PeerProcess::findProgram({QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")},
                                                    QStringLiteral("python3-websockets"), &error);
    QVERIFY2(!python.isEmpty(), qPrintable(error));
    const QString client = QStringLiteral(R"(
import asyncio, ssl, sys
import websockets
async def main():
    context = ssl.create_default_context(cafile=sys.argv[2])
    async with websockets.connect(sys.argv[1], ssl=context, compression=None) as socket:
        await socket.send("hello through the wss relay")
        print("echo: " + await socket.recv())
asyncio.run(main())
)");
    QByteArray answer;
    QVERIFY2(
        CaptureProcess::runProgram(python, {QStringLiteral("-c"), client, url.toString(), clientCa}, &answer, &error),
        qPrintable(error));
    QCOMPARE(answer.trimmed(), QByteArray("echo: hello through the wss relay"));
    QVERIFY2(readOutputUntil(proxy, out, "\"from\":\"server\"", waitMs), out.constData());
    QVERIFY2(out.contains("hello through the wss relay"), out.constData());
    proxy.terminate();
    QVERIFY(proxy.waitForFinished(waitMs));
    QCOMPARE(proxy.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_CaptureTls)
#include "tst_capture_tls.moc"
