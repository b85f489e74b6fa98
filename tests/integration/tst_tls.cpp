// SPDX-License-Identifier: GPL-3.0-or-later
// wss:// against real TLS servers (python websockets with an ssl context, node ws over https), with certificates
// the test makes at run time with the openssl command: a trusted chain, a self-signed certificate, one for the
// wrong host name, and mutual TLS with client certificates.
#include "PeerProcess.h"
#include "core/protocol/Opcode.h"
#include "core/session/Session.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using wsi::test::PeerProcess;
using Peer = PeerProcess::Peer;

Q_DECLARE_METATYPE(wsi::test::PeerProcess::Peer)

namespace {

constexpr int waitMs = 20000;

// Extensions for each kind of certificate; `openssl req` and `openssl x509 -req` pick a section by name.
constexpr char opensslConfig[] = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[wrong_host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
)";

void addPeerRows()
{
    QTest::addColumn<Peer>("peer");
    QTest::newRow("python websockets") << Peer::Python;
    QTest::newRow("node ws") << Peer::Node;
}

} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void trustedChainOpens_data();
    void trustedChainOpens();
    void selfSignedIsRefusedUnlessIgnored_data();
    void selfSignedIsRefusedUnlessIgnored();
    void wrongHostNameIsRefused_data();
    void wrongHostNameIsRefused();
    void mutualTls_data();
    void mutualTls();
    void peerEndsTlsWithoutClosing_data();
    void peerEndsTlsWithoutClosing();

private:
    bool openssl(const QStringList &arguments);
    // A key and a certificate for `subject` signed by `issuer` (a name made here before), with the extensions of
    // section `extensions`; "name.key" and "name.pem" in the temporary directory.
    bool issue(const QString &name, const QString &subject, const QString &extensions, const QString &issuer,
               bool rsa = false);
    bool selfSign(const QString &name, const QString &subject, const QString &extensions);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    static QStringList newKey(bool rsa);

    // Starts an echo peer serving `certificate` ("name" made by initTestCase), requiring client certificates
    // signed by `clientCa` if given.
    bool startTlsPeer(Peer peer, const QString &certificate, const QString &clientCa = {});
    Session *openSession(SessionOptions options, const QString &host = QStringLiteral("127.0.0.1"));
    QString whatHappened();
    // Sends a text message and waits for the echo: the TLS connection carries data both ways.
    void verifyEcho();

    QTemporaryDir m_dir;
    QString m_openssl;
    QString m_opensslError;
    int m_serial = 1000;
    PeerProcess m_peer;
    std::unique_ptr<Session> m_session;
};

QStringList tst_Tls::newKey(bool rsa)
{
    if (rsa)
        return {QStringLiteral("-newkey"), QStringLiteral("rsa:2048")};
    return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1")};
}

bool tst_Tls::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(m_openssl, arguments);
    const bool finished = process.waitForStarted(10000) && process.waitForFinished(waitMs);
    if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    m_opensslError = QStringLiteral("openssl %1 failed: %2\n%3")
                         .arg(arguments.join(u' '), process.errorString(), QString::fromLocal8Bit(process.readAll()));
    process.kill();
    process.waitForFinished(1000);
    return false;
}

bool tst_Tls::selfSign(const QString &name, const QString &subject, const QString &extensions)
{
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-config"),
                               file(QStringLiteral("openssl.cnf")), QStringLiteral("-extensions"), extensions} +
                   newKey(false) +
                   QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), file(name + u".key"),
                               QStringLiteral("-out"), file(name + u".pem"), QStringLiteral("-days"),
                               QStringLiteral("2"), QStringLiteral("-subj"), subject});
}

bool tst_Tls::issue(const QString &name, const QString &subject, const QString &extensions, const QString &issuer,
                    bool rsa)
{
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-config"),
                               file(QStringLiteral("openssl.cnf"))} +
                   newKey(rsa) +
                   QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), file(name + u".key"),
                               QStringLiteral("-out"), file(name + u".csr"), QStringLiteral("-subj"), subject}) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), file(name + u".csr"),
                    QStringLiteral("-CA"), file(issuer + u".pem"), QStringLiteral("-CAkey"), file(issuer + u".key"),
                    QStringLiteral("-set_serial"), QString::number(++m_serial), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), file(QStringLiteral("openssl.cnf")),
                    QStringLiteral("-extensions"), extensions, QStringLiteral("-out"), file(name + u".pem")});
}

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_openssl = PeerProcess::findProgram({QStringLiteral("openssl")}, QStringLiteral("openssl"), &error);
    QVERIFY2(!m_openssl.isEmpty(), qPrintable(error));
    QFile config(file(QStringLiteral("openssl.cnf")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(opensslConfig);
    config.close();

    // QVERIFY2 reads its message after the statement: the error of the openssl run that failed.
    QVERIFY2(selfSign(QStringLiteral("ca"), QStringLiteral("/CN=WS Inspector Test CA"), QStringLiteral("ca")),
             qPrintable(m_opensslError));
    QVERIFY2(issue(QStringLiteral("server"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("server"),
                   QStringLiteral("ca")),
             qPrintable(m_opensslError));
    QVERIFY2(selfSign(QStringLiteral("selfsigned"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("server")),
             qPrintable(m_opensslError));
    QVERIFY2(issue(QStringLiteral("wronghost"), QStringLiteral("/CN=wrong.example"), QStringLiteral("wrong_host"),
                   QStringLiteral("ca")),
             qPrintable(m_opensslError));
    QVERIFY2(
        selfSign(QStringLiteral("clientca"), QStringLiteral("/CN=WS Inspector Test Client CA"), QStringLiteral("ca")),
        qPrintable(m_opensslError));
    QVERIFY2(issue(QStringLiteral("client-ec"), QStringLiteral("/CN=wsi test client (EC)"), QStringLiteral("client"),
                   QStringLiteral("clientca")),
             qPrintable(m_opensslError));
    QVERIFY2(issue(QStringLiteral("client-rsa"), QStringLiteral("/CN=wsi test client (RSA)"), QStringLiteral("client"),
                   QStringLiteral("clientca"), true),
             qPrintable(m_opensslError));
    // A client certificate from a CA the server does not trust.
    QVERIFY2(issue(QStringLiteral("client-stranger"), QStringLiteral("/CN=stranger"), QStringLiteral("client"),
                   QStringLiteral("ca")),
             qPrintable(m_opensslError));
}

void tst_Tls::cleanup()
{
    m_session.reset();
    m_peer.stop();
}

bool tst_Tls::startTlsPeer(Peer peer, const QString &certificate, const QString &clientCa)
{
    QStringList arguments{QStringLiteral("echo"), QStringLiteral("--cert"), file(certificate + u".pem"),
                          QStringLiteral("--key"), file(certificate + u".key")};
    if (!clientCa.isEmpty())
        arguments << QStringLiteral("--client-ca") << file(clientCa + u".pem");
    return m_peer.startPeer(peer, arguments, waitMs);
}

Session *tst_Tls::openSession(SessionOptions options, const QString &host)
{
    options.url = QUrl(QStringLiteral("wss://%1:%2/").arg(host).arg(m_peer.port()));
    m_session = std::make_unique<Session>(options);
    m_session->open();
    if (!QTest::qWaitFor([&] { return m_session->state() != Session::State::Connecting; }, waitMs))
        qWarning("session still connecting after %d ms", waitMs);
    return m_session.get();
}

QString tst_Tls::whatHappened()
{
    QString text;
    if (m_session) {
        const HandshakeRecord h = m_session->handshake();
        text = QStringLiteral("session %1, handshake: %2; TLS errors: %3")
                   .arg(Session::stateName(m_session->state()), h.explanation, h.tlsErrors.join(QStringLiteral("; ")));
    }
    return text + QStringLiteral("\n--- peer output:\n") + QString::fromLocal8Bit(m_peer.output());
}

void tst_Tls::verifyEcho()
{
    const QByteArray payload = QByteArrayLiteral("over TLS ✓ ").repeated(10000); // several TLS records
    m_session->sendMessage(MessageType::Text, payload);
    const auto log = m_session->frameLog();
    const auto echoed = [&] {
        for (qsizetype i = 0; i < log->messageCount(); ++i) {
            if (log->message(i).direction == Direction::Incoming)
                return true;
        }
        return false;
    };
    QVERIFY2(QTest::qWaitFor([&] { return echoed() || m_session->state() == Session::State::Closed; }, waitMs),
             qPrintable(whatHappened()));
    QVERIFY2(echoed(), qPrintable(whatHappened()));
    for (qsizetype i = 0; i < log->messageCount(); ++i) {
        if (log->message(i).direction == Direction::Incoming)
            QCOMPARE(log->messagePayload(i), QByteArrayView(payload));
    }
}

void tst_Tls::trustedChainOpens_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<QString>("host");
    for (const Peer peer : {Peer::Python, Peer::Node}) {
        const QString name = PeerProcess::peerName(peer);
        QTest::newRow(qPrintable(name + QStringLiteral(": 127.0.0.1"))) << peer << QStringLiteral("127.0.0.1");
        QTest::newRow(qPrintable(name + QStringLiteral(": localhost"))) << peer << QStringLiteral("localhost");
    }
}

void tst_Tls::trustedChainOpens()
{
    QFETCH(Peer, peer);
    QFETCH(QString, host);
    QVERIFY2(startTlsPeer(peer, QStringLiteral("server")), qPrintable(m_peer.errorString()));
    SessionOptions options;
    options.tls.caFile = file(QStringLiteral("ca.pem"));
    options.closeTimeoutMs = 10000;
    Session *session = openSession(options, host);
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    const HandshakeRecord h = session->handshake();
    QVERIFY(h.accepted);
    QVERIFY2(h.tlsErrors.isEmpty(), qPrintable(h.tlsErrors.join(QStringLiteral("; "))));
    QVERIFY(!h.peerCertificateChain.isEmpty());
    const QSslCertificate &leaf = h.peerCertificateChain.constFirst();
    QCOMPARE(leaf, QSslCertificate::fromPath(file(QStringLiteral("server.pem"))).constFirst());
    QCOMPARE(leaf.issuerInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("WS Inspector Test CA")});
    QVERIFY2(h.timings.tlsNs > 0, qPrintable(QString::number(h.timings.tlsNs)));
    QVERIFY(h.timings.connectNs >= 0);
    QVERIFY(h.timings.upgradeNs >= 0);
    QCOMPARE(h.timings.dnsNs >= 0, host == QStringLiteral("localhost"));
    QVERIFY2(h.tlsProtocol.startsWith(QStringLiteral("TLS 1.")), qPrintable(h.tlsProtocol));
    QVERIFY(!h.tlsCipher.isEmpty());
    verifyEcho();
    if (QTest::currentTestFailed())
        return;

    QSignalSpy closed(session, &Session::closed);
    QElapsedTimer closing;
    closing.start();
    session->sendClose(1000, QStringLiteral("done"));
    QVERIFY(closed.wait(waitMs));
    QVERIFY2(session->closeRecord()->clean, qPrintable(session->closeRecord()->error));
    // The server's TLS close_notify ends the connection at once; python websockets waits for ours before it
    // closes TCP, so a client that ignored it would only end at its close timeout.
    QVERIFY2(closing.elapsed() < options.closeTimeoutMs / 2, qPrintable(QString::number(closing.elapsed())));
}

void tst_Tls::selfSignedIsRefusedUnlessIgnored_data()
{
    addPeerRows();
}

void tst_Tls::selfSignedIsRefusedUnlessIgnored()
{
    QFETCH(Peer, peer);
    QVERIFY2(startTlsPeer(peer, QStringLiteral("selfsigned")), qPrintable(m_peer.errorString()));

    Session *session = openSession({});
    QVERIFY2(session->state() == Session::State::Closed, qPrintable(whatHappened()));
    HandshakeRecord h = session->handshake();
    QVERIFY(!h.accepted);
    QVERIFY(!h.responseReceived);
    QVERIFY2(h.explanation.contains(QStringLiteral("self-signed")), qPrintable(h.explanation));
    QVERIFY2(h.explanation.contains(QStringLiteral("ignore TLS errors")), qPrintable(h.explanation));
    QVERIFY(!h.tlsErrors.isEmpty());
    QVERIFY(!h.peerCertificateChain.isEmpty()); // what was refused stays inspectable
    QCOMPARE(session->closeRecord()->code, quint16(1006));
    QCOMPARE(session->closeRecord()->initiator, CloseRecord::Initiator::Transport);

    SessionOptions ignoring;
    ignoring.tls.ignoreErrors = true;
    session = openSession(ignoring);
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    h = session->handshake();
    QVERIFY(h.accepted);
    // Ignored, yet recorded.
    QVERIFY(!h.tlsErrors.isEmpty());
    QVERIFY2(h.tlsErrors.join(u' ').contains(QStringLiteral("self-signed")),
             qPrintable(h.tlsErrors.join(QStringLiteral("; "))));
    QCOMPARE(h.peerCertificateChain.constFirst(),
             QSslCertificate::fromPath(file(QStringLiteral("selfsigned.pem"))).constFirst());
    QVERIFY(h.timings.tlsNs > 0);
    verifyEcho();
}

void tst_Tls::wrongHostNameIsRefused_data()
{
    addPeerRows();
}

void tst_Tls::wrongHostNameIsRefused()
{
    QFETCH(Peer, peer);
    QVERIFY2(startTlsPeer(peer, QStringLiteral("wronghost")), qPrintable(m_peer.errorString()));
    SessionOptions options;
    options.tls.caFile = file(QStringLiteral("ca.pem"));
    Session *session = openSession(options);
    QVERIFY2(session->state() == Session::State::Closed, qPrintable(whatHappened()));
    const HandshakeRecord h = session->handshake();
    QVERIFY(!h.accepted);
    // The chain is trusted: the name is the only problem.
    QCOMPARE(h.tlsErrors.size(), 1);
    QVERIFY2(h.explanation.contains(QStringLiteral("host name")), qPrintable(h.explanation));
    QCOMPARE(session->closeRecord()->code, quint16(1006));
}

void tst_Tls::mutualTls_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<QString>("clientCertificate");
    QTest::addColumn<bool>("accepted");
    for (const Peer peer : {Peer::Python, Peer::Node}) {
        const QString name = PeerProcess::peerName(peer);
        QTest::newRow(qPrintable(name + QStringLiteral(": no client certificate"))) << peer << QString() << false;
        QTest::newRow(qPrintable(name + QStringLiteral(": EC client certificate")))
            << peer << QStringLiteral("client-ec") << true;
        QTest::newRow(qPrintable(name + QStringLiteral(": RSA client certificate")))
            << peer << QStringLiteral("client-rsa") << true;
        QTest::newRow(qPrintable(name + QStringLiteral(": certificate from an untrusted CA")))
            << peer << QStringLiteral("client-stranger") << false;
    }
}

void tst_Tls::mutualTls()
{
    QFETCH(Peer, peer);
    QFETCH(QString, clientCertificate);
    QFETCH(bool, accepted);
    QVERIFY2(startTlsPeer(peer, QStringLiteral("server"), QStringLiteral("clientca")),
             qPrintable(m_peer.errorString()));
    SessionOptions options;
    options.tls.caFile = file(QStringLiteral("ca.pem"));
    if (!clientCertificate.isEmpty()) {
        options.tls.clientCertificateFile = file(clientCertificate + u".pem");
        options.tls.clientKeyFile = file(clientCertificate + u".key");
    }
    Session *session = openSession(options);
    const HandshakeRecord h = session->handshake();
    if (accepted) {
        QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
        QVERIFY(h.accepted);
        QVERIFY(h.tlsErrors.isEmpty());
        verifyEcho();
        return;
    }
    QVERIFY2(session->state() == Session::State::Closed, qPrintable(whatHappened()));
    QVERIFY(!h.accepted);
    QVERIFY(!h.responseReceived);
    // Our side saw nothing wrong with the server: the refusal is the server's.
    QVERIFY(h.tlsErrors.isEmpty());
    QVERIFY(!h.explanation.isEmpty());
    qInfo("refused: %s", qPrintable(h.explanation));
    QCOMPARE(session->closeRecord()->code, quint16(1006));
}

void tst_Tls::peerEndsTlsWithoutClosing_data()
{
    addPeerRows();
}

void tst_Tls::peerEndsTlsWithoutClosing()
{
    QFETCH(Peer, peer);
    QVERIFY2(m_peer.startPeer(peer,
                              {QStringLiteral("drop"), QStringLiteral("--cert"), file(QStringLiteral("server.pem")),
                               QStringLiteral("--key"), file(QStringLiteral("server.key"))},
                              waitMs),
             qPrintable(m_peer.errorString()));
    SessionOptions options;
    options.tls.caFile = file(QStringLiteral("ca.pem"));
    Session *session = openSession(options);
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));

    // The peer sends a TLS close_notify and no Close frame. Python's asyncio then waits (30 s) for ours before it
    // closes TCP: the session must take the close_notify as the end, not wait for TCP.
    QSignalSpy closed(session, &Session::closed);
    QElapsedTimer timer;
    timer.start();
    session->sendText(QStringLiteral("the peer hangs up on this"));
    QVERIFY2(closed.wait(waitMs), qPrintable(whatHappened()));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    const auto close = session->closeRecord();
    QCOMPARE(close->code, quint16(1006));
    QCOMPARE(close->initiator, CloseRecord::Initiator::Transport);
    QVERIFY(!close->clean);
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
