// SPDX-License-Identifier: GPL-3.0-or-later
// TLS over memory (core/proxy/TlsStream) with real peers on 127.0.0.1: as the intercepting server toward openssl
// s_client and curl (verified with the capture CA, the SNI's certificate, ALPN http/1.1, plaintext intact), as the
// client toward openssl s_server (verified as a browser would, with the specific reason when not), the key log
// compared with s_client's own and read by tshark, and hostile bytes ending in an error.
#include "OpensslCommand.h"
#include "PeerProcess.h"
#include "TlsSocketPump.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/KeyLogFile.h"
#include "core/proxy/TlsContext.h"
#include "core/proxy/TlsStream.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <set>
#include <vector>

using namespace wsi;
using wsi::test::OpensslCommand;
using wsi::test::PeerProcess;
using wsi::test::TlsSocketPump;

namespace {

constexpr int waitMs = 20000;
const QString sniName = QStringLiteral("ws.capture.test");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

QSet<QByteArray> keyLogLines(const QString &path)
{
    QSet<QByteArray> lines;
    for (const QByteArray &line : readFile(path).split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            lines.insert(line);
    }
    return lines;
}

// Waits for a program while the event loop runs (the sockets write what they hold).
bool finishes(QProcess &process)
{
    return QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, waitMs);
}

// Drives two streams against each other in memory until neither has anything more to send.
void exchange(TlsStream &a, TlsStream &b)
{
    for (int round = 0; round < 100; ++round) {
        const QByteArray toB = a.takeEncrypted();
        const QByteArray toA = b.takeEncrypted();
        if (toA.isEmpty() && toB.isEmpty())
            return;
        b.receiveEncrypted(toB);
        a.receiveEncrypted(toA);
    }
}

} // namespace

class tst_TlsStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // The intercepting server.
    void opensslClientIsServedTheSniCertificate_data();
    void opensslClientIsServedTheSniCertificate();
    void clientWithoutSniGetsTheConnectHost();
    void clientOfferingOnlyH2GetsNoAlpn();
    void curlGetsAndPostsIntact_data();
    void curlGetsAndPostsIntact();
    void nodeAndChromiumTrustTheCaptureCa_data();
    void nodeAndChromiumTrustTheCaptureCa();
    // Toward the real server.
    void upstreamIsVerified_data();
    void upstreamIsVerified();
    void unusableCaFileIsRefused();
    // The key log.
    void keyLogDecryptsInTshark_data();
    void keyLogDecryptsInTshark();
    // Memory and hostile bytes.
    void incomingPlaintextIsBounded();
    void hostileBytesEndInAnError_data();
    void hostileBytesEndInAnError();
    void mutatedClientHellosNeverCrash();

private:
    QString file(const QString &name) const { return m_dir.filePath(name); }
    // Accepts the next connection on m_server into a pump with an intercepting stream.
    std::unique_ptr<TlsSocketPump> acceptIntercepted(const std::shared_ptr<TlsContext> &context,
                                                     const QString &connectHost);
    // s_client against m_server with `arguments` added; its stdin is `input`.
    void startOpensslClient(QProcess &process, const QStringList &arguments, const QByteArray &input);
    QByteArray clientHello();

    QTemporaryDir m_dir;
    std::unique_ptr<OpensslCommand> m_openssl;
    std::shared_ptr<CaptureAuthority> m_authority;
    std::shared_ptr<TlsContext> m_intercepting;
    QTcpServer m_server;
    QString m_curl;
};

void tst_TlsStream::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_openssl = std::make_unique<OpensslCommand>(m_dir.path());
    QVERIFY2(m_openssl->isAvailable(), qPrintable(m_openssl->errorString()));
    QString error;
    m_curl = PeerProcess::findProgram({QStringLiteral("curl")}, QStringLiteral("curl"), &error);
    QVERIFY2(!m_curl.isEmpty(), qPrintable(error));
    m_authority = CaptureAuthority::openOrCreate(file(QStringLiteral("capture-ca")), &error);
    QVERIFY2(m_authority, qPrintable(error));
    m_intercepting = TlsContext::intercepting(m_authority, nullptr, &error);
    QVERIFY2(m_intercepting, qPrintable(error));
    QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    // The real server's CA and certificate, made by the openssl command line, not by the code under test.
    QVERIFY2(m_openssl->makeCa(QStringLiteral("upstream-ca"), QStringLiteral("/CN=Upstream Test CA")),
             qPrintable(m_openssl->errorString()));
    QVERIFY2(m_openssl->issueServer(QStringLiteral("upstream"), QStringLiteral("DNS:localhost,IP:127.0.0.1"),
                                    QStringLiteral("upstream-ca")),
             qPrintable(m_openssl->errorString()));
}

std::unique_ptr<TlsSocketPump> tst_TlsStream::acceptIntercepted(const std::shared_ptr<TlsContext> &context,
                                                                const QString &connectHost)
{
    if (!m_server.hasPendingConnections() && !m_server.waitForNewConnection(waitMs))
        return nullptr;
    QTcpSocket *socket = m_server.nextPendingConnection();
    socket->setParent(this);
    return std::make_unique<TlsSocketPump>(socket, TlsStream::accepting(context, connectHost));
}

void tst_TlsStream::startOpensslClient(QProcess &process, const QStringList &arguments, const QByteArray &input)
{
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    // -ign_eof: stay after stdin ends, until the server closes.
    process.start(m_openssl->program(),
                  QStringList{QStringLiteral("s_client"), QStringLiteral("-connect"),
                              QStringLiteral("127.0.0.1:%1").arg(m_server.serverPort()), QStringLiteral("-CAfile"),
                              m_authority->certificateFile(), QStringLiteral("-verify_return_error"),
                              QStringLiteral("-ign_eof")} +
                      arguments);
    QVERIFY(process.waitForStarted(waitMs));
    process.write(input);
    process.closeWriteChannel();
}

void tst_TlsStream::opensslClientIsServedTheSniCertificate_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("expectedVersion");
    QTest::newRow("TLS 1.2") << "-tls1_2"
                             << "TLSv1.2";
    QTest::newRow("TLS 1.3") << "-tls1_3"
                             << "TLSv1.3";
}

void tst_TlsStream::opensslClientIsServedTheSniCertificate()
{
    QFETCH(QString, version);
    QFETCH(QString, expectedVersion);
    QString error;
    const QString ourKeys = file(QStringLiteral("ours-%1.keys").arg(version));
    auto keyLog = KeyLogFile::open(ourKeys, &error);
    QVERIFY2(keyLog, qPrintable(error));
    QCOMPARE(QFileInfo(ourKeys).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    const auto context = TlsContext::intercepting(m_authority, keyLog, &error);
    QVERIFY2(context, qPrintable(error));
    const QString theirKeys = file(QStringLiteral("s_client-%1.keys").arg(version));

    QProcess client;
    const QByteArray request = "hello through the capture proxy\n";
    startOpensslClient(client,
                       {QStringLiteral("-servername"), sniName, QStringLiteral("-verify_hostname"), sniName,
                        QStringLiteral("-alpn"), QStringLiteral("h2,http/1.1"), version, QStringLiteral("-keylogfile"),
                        theirKeys},
                       request);
    const auto pump = acceptIntercepted(context, QStringLiteral("connect.host.test"));
    QVERIFY(pump);
    QVERIFY(pump->waitForEstablishedOrFailure(waitMs));
    QVERIFY2(pump->stream().isEstablished(), qPrintable(pump->stream().errorString()));
    QVERIFY(pump->waitForReceived(request, waitMs));
    QCOMPARE(pump->received(), request);
    pump->write("echo: " + request);
    pump->close();
    QVERIFY(finishes(client));
    const QString output = QString::fromLocal8Bit(client.readAll());

    QVERIFY2(output.contains(QStringLiteral("Verify return code: 0 (ok)")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("ALPN protocol: http/1.1")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("subject=CN = ") + sniName), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("echo: hello through the capture proxy")), qPrintable(output));
    QCOMPARE(pump->stream().serverName(), sniName);
    QCOMPARE(pump->stream().leaf()->host, sniName);
    QCOMPARE(pump->stream().alpn(), QByteArray("http/1.1"));
    QCOMPARE(pump->stream().offeredAlpn(), (QList<QByteArray>{"h2", "http/1.1"}));
    QCOMPARE(pump->stream().protocolVersion(), expectedVersion);

    // The key log holds the same secrets as the client's own, in the NSS key log format.
    const QSet<QByteArray> ours = keyLogLines(ourKeys);
    QCOMPARE(ours, keyLogLines(theirKeys));
    const QRegularExpression line(expectedVersion == QStringLiteral("TLSv1.2")
                                      ? QStringLiteral("^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$")
                                      : QStringLiteral("^(CLIENT|SERVER)_(HANDSHAKE_TRAFFIC_SECRET|TRAFFIC_SECRET_0) "
                                                       "[0-9a-f]{64} [0-9a-f]{64,96}$|^EXPORTER_SECRET [0-9a-f]{64} "
                                                       "[0-9a-f]{64,96}$"));
    QCOMPARE(ours.size(), expectedVersion == QStringLiteral("TLSv1.2") ? 1 : 5);
    for (const QByteArray &secret : ours)
        QVERIFY2(line.match(QString::fromLatin1(secret)).hasMatch(), secret.constData());
}

void tst_TlsStream::clientWithoutSniGetsTheConnectHost()
{
    QProcess client;
    startOpensslClient(client,
                       {QStringLiteral("-noservername"), QStringLiteral("-verify_ip"), QStringLiteral("127.0.0.1")},
                       "no name\n");
    const auto pump = acceptIntercepted(m_intercepting, QStringLiteral("127.0.0.1"));
    QVERIFY(pump);
    QVERIFY(pump->waitForReceived(QByteArray("no name\n"), waitMs));
    pump->close();
    QVERIFY(finishes(client));
    const QString output = QString::fromLocal8Bit(client.readAll());
    QVERIFY2(output.contains(QStringLiteral("Verify return code: 0 (ok)")), qPrintable(output));
    QVERIFY(pump->stream().serverName().isEmpty());
    QCOMPARE(pump->stream().leaf()->host, QStringLiteral("127.0.0.1"));
    QVERIFY(pump->stream().offeredAlpn().isEmpty());
}

void tst_TlsStream::clientOfferingOnlyH2GetsNoAlpn()
{
    QProcess client;
    startOpensslClient(client, {QStringLiteral("-servername"), sniName, QStringLiteral("-alpn"), QStringLiteral("h2")},
                       "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const auto pump = acceptIntercepted(m_intercepting, sniName);
    QVERIFY(pump);
    QVERIFY(pump->waitForReceived(QByteArray("SM\r\n\r\n"), waitMs));
    pump->close();
    QVERIFY(finishes(client));
    const QString output = QString::fromLocal8Bit(client.readAll());
    // The handshake goes on without ALPN: the client learns it will get no h2, the proxy sees what it offered.
    QVERIFY2(output.contains(QStringLiteral("No ALPN negotiated")), qPrintable(output));
    QVERIFY(pump->stream().alpn().isEmpty());
    QCOMPARE(pump->stream().offeredAlpn(), QList<QByteArray>{"h2"});
}

void tst_TlsStream::curlGetsAndPostsIntact_data()
{
    QTest::addColumn<QString>("version");
    QTest::newRow("TLS 1.2") << "--tls-max";
    QTest::newRow("TLS 1.3") << "--tlsv1.3";
}

void tst_TlsStream::curlGetsAndPostsIntact()
{
    QFETCH(QString, version);
    const QByteArray upload = randomBytes(300 * 1024, 16);
    const QByteArray download = randomBytes(1024 * 1024, 61);
    QVERIFY(writeFile(file(QStringLiteral("upload.bin")), upload));
    QStringList versionArguments{version};
    if (version == QStringLiteral("--tls-max"))
        versionArguments << QStringLiteral("1.2");
    QProcess curl;
    curl.setProcessChannelMode(QProcess::SeparateChannels);
    curl.start(m_curl,
               QStringList{QStringLiteral("-sS"), QStringLiteral("--cacert"), m_authority->certificateFile(),
                           QStringLiteral("--resolve"),
                           QStringLiteral("%1:%2:127.0.0.1").arg(sniName).arg(m_server.serverPort()),
                           QStringLiteral("--data-binary"), QStringLiteral("@") + file(QStringLiteral("upload.bin")),
                           QStringLiteral("-H"), QStringLiteral("Content-Type: application/octet-stream"),
                           QStringLiteral("-o"), file(QStringLiteral("download.bin")), QStringLiteral("-w"),
                           QStringLiteral("%{http_version} %{ssl_verify_result}")} +
                   versionArguments +
                   QStringList{QStringLiteral("https://%1:%2/upload").arg(sniName).arg(m_server.serverPort())});
    QVERIFY(curl.waitForStarted(waitMs));
    const auto pump = acceptIntercepted(m_intercepting, sniName);
    QVERIFY(pump);
    QVERIFY(pump->waitForReceived(QByteArray("\r\n\r\n"), waitMs));
    const qsizetype headerEnd = pump->received().indexOf("\r\n\r\n") + 4;
    QVERIFY2(pump->received().startsWith("POST /upload HTTP/1.1\r\n"), pump->received().left(200).constData());
    QVERIFY(pump->received().contains(QByteArray(QByteArray("Host: ") + sniName.toLatin1())));
    QVERIFY(pump->waitForReceived(headerEnd + upload.size(), waitMs));
    QVERIFY(pump->received().mid(headerEnd) == upload);
    pump->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                QByteArray::number(download.size()) + "\r\nConnection: close\r\n\r\n");
    pump->write(download);
    pump->close();
    QVERIFY(finishes(curl));
    QVERIFY2(curl.exitCode() == 0, curl.readAllStandardError().constData());
    QCOMPARE(curl.readAllStandardOutput(), QByteArray("1.1 0"));
    QVERIFY(readFile(file(QStringLiteral("download.bin"))) == download);
    QCOMPARE(pump->stream().protocolVersion(),
             version == QStringLiteral("--tls-max") ? QStringLiteral("TLSv1.2") : QStringLiteral("TLSv1.3"));
    QCOMPARE(pump->stream().alpn(), QByteArray("http/1.1"));
}

void tst_TlsStream::nodeAndChromiumTrustTheCaptureCa_data()
{
    QTest::addColumn<QString>("client");
    QTest::newRow("node https") << "node";
    QTest::newRow("chromium, the CA in its NSS store") << "chromium";
}

void tst_TlsStream::nodeAndChromiumTrustTheCaptureCa()
{
    QFETCH(QString, client);
    QString error;
    const QString url = QStringLiteral("https://%1:%2/").arg(sniName).arg(m_server.serverPort());
    QProcess process;
    if (client == QStringLiteral("node")) {
        const QString node = PeerProcess::findProgram({QStringLiteral("node"), QStringLiteral("nodejs")},
                                                      QStringLiteral("nodejs"), &error);
        QVERIFY2(!node.isEmpty(), qPrintable(error));
        // An app's own request with the CA added as NODE_EXTRA_CA_CERTS would add it; the name resolves to here.
        const QString script = QStringLiteral(R"(
const https = require('https'), fs = require('fs');
const lookup = (h, o, cb) => o.all ? cb(null, [{address: '127.0.0.1', family: 4}]) : cb(null, '127.0.0.1', 4);
https.get(process.argv[1], {ca: fs.readFileSync(process.argv[2]), lookup, ALPNProtocols: ['h2', 'http/1.1']}, res => {
  let body = '';
  res.on('data', d => body += d);
  res.on('end', () => console.log('authorized=' + res.socket.authorized + ' alpn=' + res.socket.alpnProtocol +
                                  ' status=' + res.statusCode + ' body=' + body));
}).on('error', e => { console.log('error=' + e.message); process.exit(1); });
)");
        process.start(node, {QStringLiteral("-e"), script, url, m_authority->certificateFile()});
    } else {
        const QString chromium =
            PeerProcess::findProgram({QStringLiteral("chromium")}, QStringLiteral("chromium"), &error);
        QVERIFY2(!chromium.isEmpty(), qPrintable(error));
        const QString certutil =
            PeerProcess::findProgram({QStringLiteral("certutil")}, QStringLiteral("libnss3-tools"), &error);
        QVERIFY2(!certutil.isEmpty(), qPrintable(error));
        // A home of its own: Chromium on Linux trusts the CAs of $HOME/.pki/nssdb, where the user would import it.
        const QString home = file(QStringLiteral("chromium-home"));
        const QString nssDb = QStringLiteral("sql:") + home + QStringLiteral("/.pki/nssdb");
        QVERIFY(QDir().mkpath(home + QStringLiteral("/.pki/nssdb")));
        QProcess certificates;
        certificates.setProcessChannelMode(QProcess::MergedChannels);
        certificates.start(certutil,
                           {QStringLiteral("-N"), QStringLiteral("-d"), nssDb, QStringLiteral("--empty-password")});
        QVERIFY(certificates.waitForFinished(waitMs) && certificates.exitCode() == 0);
        certificates.start(certutil, {QStringLiteral("-A"), QStringLiteral("-d"), nssDb, QStringLiteral("-n"),
                                      QStringLiteral("WS Inspector capture CA"), QStringLiteral("-t"),
                                      QStringLiteral("C,,"), QStringLiteral("-i"), m_authority->certificateFile()});
        QVERIFY2(certificates.waitForFinished(waitMs) && certificates.exitCode() == 0,
                 certificates.readAll().constData());
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), home);
        process.setProcessEnvironment(environment);
        process.start(chromium, {QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"),
                                 QStringLiteral("--disable-gpu"), QStringLiteral("--no-first-run"),
                                 QStringLiteral("--user-data-dir=") + file(QStringLiteral("chromium-profile")),
                                 QStringLiteral("--host-resolver-rules=MAP %1 127.0.0.1").arg(sniName),
                                 QStringLiteral("--dump-dom"), url});
    }
    QVERIFY(process.waitForStarted(waitMs));

    // Every connection it opens gets the page; a client that does not trust the certificate never asks for it.
    std::vector<std::unique_ptr<TlsSocketPump>> connections;
    std::set<TlsSocketPump *> answered;
    const QByteArray page = "<html><body><p id=\"result\">captured-ok</p></body></html>";
    const bool finished = QTest::qWaitFor(
        [&] {
            while (m_server.hasPendingConnections()) {
                QTcpSocket *socket = m_server.nextPendingConnection();
                socket->setParent(this);
                connections.push_back(
                    std::make_unique<TlsSocketPump>(socket, TlsStream::accepting(m_intercepting, sniName)));
            }
            for (const auto &connection : connections) {
                if (!answered.count(connection.get()) && connection->received().contains("\r\n\r\n")) {
                    answered.insert(connection.get());
                    connection->write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
                                      QByteArray::number(page.size()) + "\r\nConnection: close\r\n\r\n" + page);
                    connection->close();
                }
            }
            return process.state() == QProcess::NotRunning;
        },
        60000);
    const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    QVERIFY2(finished, output.constData());
    QVERIFY2(!answered.empty(), output.constData());
    if (client == QStringLiteral("node"))
        QVERIFY2(output.contains(QByteArray("authorized=true alpn=http/1.1 status=200 body=" + page)),
                 output.constData());
    else
        QVERIFY2(output.contains("<p id=\"result\">captured-ok</p>"), output.constData());
    for (TlsSocketPump *connection : answered) {
        QCOMPARE(connection->stream().alpn(), QByteArray("http/1.1"));
        QCOMPARE(connection->stream().serverName(), sniName);
    }
}

void tst_TlsStream::upstreamIsVerified_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("trustTestCa");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<QString>("problem");
    QTest::newRow("trusted, DNS name") << "localhost" << true << false << "";
    QTest::newRow("trusted, IP address") << "127.0.0.1" << true << false << "";
    QTest::newRow("wrong host name") << "other.example" << true << false
                                     << "certificate for localhost, 127.0.0.1 does not match host other.example";
    QTest::newRow("wrong IP address") << "[::1]" << true << false
                                      << "certificate for localhost, 127.0.0.1 does not match host ::1";
    QTest::newRow("unknown CA") << "localhost" << false << false
                                << "unable to get local issuer certificate: CN=upstream, issued by CN=Upstream Test "
                                   "CA, is not signed by a trusted CA";
    QTest::newRow("unknown CA, insecure")
        << "localhost" << false << true << "unable to get local issuer certificate: CN=upstream";
}

void tst_TlsStream::upstreamIsVerified()
{
    QFETCH(QString, host);
    QFETCH(bool, trustTestCa);
    QFETCH(bool, insecure);
    QFETCH(QString, problem);
    PeerProcess server;
    const quint16 port = PeerProcess::freePort();
    // -rev: each line comes back reversed.
    QVERIFY2(server.startListening(m_openssl->program(), QStringLiteral("openssl"),
                                   {QStringLiteral("s_server"), QStringLiteral("-accept"),
                                    QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-cert"),
                                    file(QStringLiteral("upstream.pem")), QStringLiteral("-key"),
                                    file(QStringLiteral("upstream.key")), QStringLiteral("-alpn"),
                                    QStringLiteral("http/1.1"), QStringLiteral("-rev")},
                                   port),
             qPrintable(server.errorString()));
    UpstreamTlsOptions options;
    if (trustTestCa)
        options.extraCaFile = file(QStringLiteral("upstream-ca.pem"));
    options.insecure = insecure;
    QString error;
    const auto context = TlsContext::upstream(options, nullptr, &error);
    QVERIFY2(context, qPrintable(error));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(waitMs));
    TlsSocketPump pump(&socket, TlsStream::connecting(context, host));
    QVERIFY(pump.waitForEstablishedOrFailure(waitMs));
    const bool connects = problem.isEmpty() || insecure;
    QVERIFY2(pump.stream().isEstablished() == connects, qPrintable(pump.stream().errorString()));
    if (!connects) {
        QCOMPARE(pump.stream().errorString(), problem);
        return;
    }
    const QString verification = pump.stream().verificationProblem();
    QVERIFY2(problem.isEmpty() ? verification.isEmpty() : verification.startsWith(problem), qPrintable(verification));
    QCOMPARE(pump.stream().alpn(), QByteArray("http/1.1"));
    QCOMPARE(pump.stream().serverName(), QHostAddress(host).isNull() ? host : QString());
    pump.write("upstream\n");
    QVERIFY(pump.waitForReceived(QByteArray("maertspu\n"), waitMs));
}

void tst_TlsStream::unusableCaFileIsRefused()
{
    QString error;
    QVERIFY(!TlsContext::upstream({file(QStringLiteral("missing.pem")), false}, nullptr, &error));
    QCOMPARE(error, QStringLiteral("the CA file %1 does not exist").arg(file(QStringLiteral("missing.pem"))));
    QVERIFY(writeFile(file(QStringLiteral("not-pem.pem")), "this is no certificate\n"));
    QVERIFY(!TlsContext::upstream({file(QStringLiteral("not-pem.pem")), false}, nullptr, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot use %1 as a CA file: ").arg(file(QStringLiteral("not-pem.pem")))),
             qPrintable(error));
}

void tst_TlsStream::keyLogDecryptsInTshark_data()
{
    opensslClientIsServedTheSniCertificate_data();
}

void tst_TlsStream::keyLogDecryptsInTshark()
{
    QFETCH(QString, version);
    QString error;
    const QString keys = file(QStringLiteral("tshark-%1.keys").arg(version));
    auto keyLog = KeyLogFile::open(keys, &error);
    QVERIFY2(keyLog, qPrintable(error));
    const auto context = TlsContext::intercepting(m_authority, keyLog, &error);
    QVERIFY2(context, qPrintable(error));

    QProcess client;
    const QByteArray secret = "GET /only-with-the-key-log HTTP/1.1\r\nHost: ws.capture.test\r\n\r\n";
    startOpensslClient(client, {QStringLiteral("-servername"), sniName, version, QStringLiteral("-quiet")}, secret);
    const auto pump = acceptIntercepted(context, sniName);
    QVERIFY(pump);
    QVERIFY(pump->waitForReceived(secret, waitMs));
    pump->write("HTTP/1.1 204 No Content\r\n\r\n");
    pump->close();
    QVERIFY(finishes(client));

    const QByteArray decrypted = pump->decryptedByTshark(keys, m_dir.path(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(decrypted.contains("GET /only-with-the-key-log HTTP/1.1"), decrypted.constData());
    QVERIFY2(decrypted.contains("HTTP/1.1 204 No Content"), decrypted.constData());
    // Without the key log the same capture shows nothing: it is the key log that decrypts.
    QVERIFY(writeFile(file(QStringLiteral("empty.keys")), {}));
    QVERIFY(!pump->decryptedByTshark(file(QStringLiteral("empty.keys")), m_dir.path(), &error)
                 .contains("only-with-the-key-log"));
}

QByteArray tst_TlsStream::clientHello()
{
    QString error;
    const auto context = TlsContext::upstream({}, nullptr, &error);
    auto client = TlsStream::connecting(context, sniName);
    return client->takeEncrypted();
}

void tst_TlsStream::incomingPlaintextIsBounded()
{
    QString error;
    const auto upstreamContext = TlsContext::upstream({m_authority->certificateFile(), false}, nullptr, &error);
    QVERIFY2(upstreamContext, qPrintable(error));
    auto client = TlsStream::connecting(upstreamContext, sniName);
    auto server = TlsStream::accepting(m_intercepting, sniName);
    exchange(*client, *server);
    QVERIFY2(client->isEstablished(), qPrintable(client->errorString()));
    QVERIFY2(server->isEstablished(), qPrintable(server->errorString()));

    // 8 MiB sent at once: the receiver decrypts no more than its read-ahead until the plaintext is taken.
    const QByteArray payload = randomBytes(8 * 1024 * 1024, 7);
    client->writePlain(payload);
    QVERIFY(client->encryptedPending() > payload.size());
    server->receiveEncrypted(client->takeEncrypted());
    QCOMPARE(client->encryptedPending(), 0);
    QVERIFY(server->plainPending() <= TlsStream::plainReadAhead + 16 * 1024);
    QVERIFY(server->incomingPending() > payload.size() - TlsStream::plainReadAhead);
    QByteArray received;
    while (server->plainPending() > 0) {
        received += server->takePlain(100 * 1024);
        QVERIFY(server->plainPending() <= TlsStream::plainReadAhead + 16 * 1024);
    }
    QCOMPARE(server->incomingPending(), 0);
    QVERIFY(received == payload);

    // close_notify reaches the other end as a clean close.
    server->close();
    client->receiveEncrypted(server->takeEncrypted());
    QVERIFY(client->peerClosed());
    QVERIFY(client->closedCleanly());
}

void tst_TlsStream::hostileBytesEndInAnError_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("endOfStream");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain HTTP") << QByteArray("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n") << false
                                << "TLS handshake failed: the peer sent a plain HTTP request, not TLS";
    QTest::newRow("random bytes") << randomBytes(4096, 3) << false
                                  << "TLS handshake failed: the peer does not speak TLS";
    QTest::newRow("SSH banner") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << false
                                << "TLS handshake failed: the peer does not speak TLS";
    QTest::newRow("record claiming 64 KiB") << QByteArray::fromHex("1603010fff") + QByteArray(10, '\0') << true
                                            << "the peer closed the connection during the TLS handshake";
    QTest::newRow("nothing, then the end")
        << QByteArray() << true << "the peer closed the connection during the TLS handshake";
    QTest::newRow("oversized record") << QByteArray::fromHex("16030148ff") + QByteArray(0x48ff, 'x') << false
                                      << "TLS handshake failed";
}

void tst_TlsStream::hostileBytesEndInAnError()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, endOfStream);
    QFETCH(QString, error);
    auto server = TlsStream::accepting(m_intercepting, sniName);
    server->receiveEncrypted(bytes);
    if (endOfStream)
        server->receiveEndOfStream();
    QVERIFY(server->hasFailed());
    QVERIFY2(server->errorString().startsWith(error), qPrintable(server->errorString()));
    QVERIFY(server->takePlain().isEmpty());
    // Whatever comes next changes nothing.
    server->receiveEncrypted(clientHello());
    server->writePlain("ignored");
    QVERIFY(server->hasFailed());
}

void tst_TlsStream::mutatedClientHellosNeverCrash()
{
    const QByteArray hello = clientHello();
    QVERIFY(hello.startsWith("\x16\x03\x01"));
    // Truncated: waits for the rest (the caller's handshake timeout ends it), then fails at the end of the stream.
    {
        auto server = TlsStream::accepting(m_intercepting, sniName);
        server->receiveEncrypted(hello.left(hello.size() / 2));
        QCOMPARE(server->state(), TlsStream::State::Handshaking);
        QVERIFY(server->takeEncrypted().isEmpty());
        server->receiveEndOfStream();
        QCOMPARE(server->errorString(), QStringLiteral("the peer closed the connection during the TLS handshake"));
    }
    QRandomGenerator random(2026);
    QElapsedTimer timer;
    timer.start();
    int failed = 0;
    for (int round = 0; round < 500; ++round) {
        QByteArray mutated = hello;
        const int flips = 1 + random.bounded(8);
        for (int i = 0; i < flips; ++i)
            mutated[random.bounded(int(mutated.size()))] = char(random.bounded(256));
        if (random.bounded(4) == 0)
            mutated.truncate(random.bounded(int(mutated.size())));
        auto server = TlsStream::accepting(m_intercepting, sniName);
        server->receiveEncrypted(mutated);
        server->receiveEncrypted(randomBytes(64, quint32(round)));
        server->receiveEndOfStream();
        // Never still waiting once the stream ended; a flip that OpenSSL tolerates may leave it established.
        QVERIFY(server->state() != TlsStream::State::Handshaking);
        failed += server->hasFailed() ? 1 : 0;
        QVERIFY(!server->hasFailed() || !server->errorString().isEmpty());
    }
    QVERIFY(failed > 400);
    qInfo("500 mutated ClientHellos: %d failed with a reason, in %lld ms", failed, timer.elapsed());
}

QTEST_GUILESS_MAIN(tst_TlsStream)
#include "tst_tlsstream.moc"
