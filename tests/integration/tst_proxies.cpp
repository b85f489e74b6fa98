// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions through real proxies started by the test on 127.0.0.1: HTTP CONNECT through tinyproxy and SOCKS5 through
// microsocks, to the built-in echo server (ws://) or a python websockets peer (wss://); and proxies that refuse.
#include "PeerProcess.h"
#include "core/server/EchoServer.h"
#include "core/session/Session.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;
using wsi::test::PeerProcess;

namespace {

constexpr int waitMs = 20000;

enum class ProxyKind : quint8 { Http, Socks5 };

} // namespace

Q_DECLARE_METATYPE(ProxyKind)

class tst_Proxies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void throughProxy_data();
    void throughProxy();
    void wssThroughProxy_data();
    void wssThroughProxy();
    void refusalIsExplained_data();
    void refusalIsExplained();

private:
    // tinyproxy with a configuration of our own; `extraLines` are added to it (ConnectPort, BasicAuth).
    bool startTinyproxy(const QStringList &extraLines);
    bool startMicrosocks(const QStringList &extraArguments = {});
    bool startProxy(ProxyKind kind, const QString &user, const QString &password, quint16 targetPort);
    QUrl proxyUrl(ProxyKind kind, const QString &user = {}, const QString &password = {}) const;
    Session *openSession(SessionOptions options);
    QString whatHappened();
    // Exchanges messages, then kills the proxy: if the session really went through it, it ends at once.
    void verifyTrafficGoesThroughProxy();

    QTemporaryDir m_dir;
    std::unique_ptr<EchoServer> m_server;
    PeerProcess m_proxy;
    PeerProcess m_peer;
    std::unique_ptr<Session> m_session;
};

void tst_Proxies::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_Proxies::init()
{
    m_server = std::make_unique<EchoServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
}

void tst_Proxies::cleanup()
{
    m_session.reset();
    m_proxy.stop();
    m_peer.stop();
    m_server.reset();
}

bool tst_Proxies::startTinyproxy(const QStringList &extraLines)
{
    const quint16 port = PeerProcess::freePort();
    // Without ConnectPort, tinyproxy allows CONNECT to any port (tinyproxy.conf(5)); the rows that need a
    // restriction add one. It logs to stdout in the foreground (-d), which ends up in failure messages.
    QStringList lines{QStringLiteral("Port %1").arg(port), QStringLiteral("Listen 127.0.0.1"),
                      QStringLiteral("Allow 127.0.0.1"),   QStringLiteral("Timeout 30"),
                      QStringLiteral("MaxClients 20"),     QStringLiteral("LogLevel Info")};
    lines += extraLines;
    const QString path = m_dir.filePath(QStringLiteral("tinyproxy-%1.conf").arg(port));
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly))
        return false;
    config.write((lines.join(u'\n') + u'\n').toUtf8());
    config.close();
    return m_proxy.startListening(QStringLiteral("tinyproxy"), QStringLiteral("tinyproxy"),
                                  {QStringLiteral("-d"), QStringLiteral("-c"), path}, port, waitMs);
}

bool tst_Proxies::startMicrosocks(const QStringList &extraArguments)
{
    const quint16 port = PeerProcess::freePort();
    return m_proxy.startListening(
        QStringLiteral("microsocks"), QStringLiteral("microsocks"),
        QStringList{QStringLiteral("-i"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port)} +
            extraArguments,
        port, waitMs);
}

bool tst_Proxies::startProxy(ProxyKind kind, const QString &user, const QString &password, quint16 targetPort)
{
    if (kind == ProxyKind::Http) {
        QStringList extra{QStringLiteral("ConnectPort %1").arg(targetPort)};
        if (!user.isEmpty())
            extra << QStringLiteral("BasicAuth %1 %2").arg(user, password);
        return startTinyproxy(extra);
    }
    if (!user.isEmpty())
        return startMicrosocks({QStringLiteral("-u"), user, QStringLiteral("-P"), password});
    return startMicrosocks();
}

QUrl tst_Proxies::proxyUrl(ProxyKind kind, const QString &user, const QString &password) const
{
    QUrl url;
    url.setScheme(kind == ProxyKind::Http ? QStringLiteral("http") : QStringLiteral("socks5"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_proxy.port());
    url.setUserName(user);
    url.setPassword(password);
    return url;
}

Session *tst_Proxies::openSession(SessionOptions options)
{
    m_session = std::make_unique<Session>(options);
    m_session->open();
    if (!QTest::qWaitFor([&] { return m_session->state() != Session::State::Connecting; }, waitMs))
        qWarning("session still connecting after %d ms", waitMs);
    return m_session.get();
}

QString tst_Proxies::whatHappened()
{
    QString text;
    if (m_session) {
        text = QStringLiteral("session %1, handshake: %2")
                   .arg(Session::stateName(m_session->state()), m_session->handshake().explanation);
        if (const auto close = m_session->closeRecord())
            text += QStringLiteral(", closed: %1 %2").arg(close->code).arg(close->error);
    }
    return text + QStringLiteral("\n--- proxy output:\n") + QString::fromLocal8Bit(m_proxy.output()) +
           QStringLiteral("\n--- peer output:\n") + QString::fromLocal8Bit(m_peer.output());
}

void tst_Proxies::verifyTrafficGoesThroughProxy()
{
    Session *session = m_session.get();
    QVERIFY2(session->state() == Session::State::Open, qPrintable(whatHappened()));
    const HandshakeRecord h = session->handshake();
    QVERIFY(h.accepted);
    QCOMPARE(h.timings.dnsNs, qint64(-1)); // the proxy resolves names, never us
    QVERIFY(h.timings.connectNs >= 0);

    const QByteArray binary(100000, '\x5a');
    session->sendText(QStringLiteral("through the proxy ✓"));
    session->sendMessage(MessageType::Binary, binary);
    session->sendPing("via proxy");
    const auto log = session->frameLog();
    const auto incoming = [&] {
        QList<QByteArray> payloads;
        for (qsizetype i = 0; i < log->messageCount(); ++i) {
            if (log->message(i).direction == Direction::Incoming)
                payloads << log->messagePayload(i).toByteArray();
        }
        return payloads;
    };
    QVERIFY2(
        QTest::qWaitFor([&] { return incoming().size() >= 2 || session->state() == Session::State::Closed; }, waitMs),
        qPrintable(whatHappened()));
    QCOMPARE(incoming(), (QList<QByteArray>{QStringLiteral("through the proxy ✓").toUtf8(), binary}));

    // The proxy relays the TCP connection: killing it must end the session, which a direct connection would survive.
    QSignalSpy closed(session, &Session::closed);
    m_proxy.stop();
    QVERIFY2(closed.wait(waitMs), "the session outlived its proxy: did it connect directly?");
    QCOMPARE(session->closeRecord()->code, quint16(1006));
    QCOMPARE(session->closeRecord()->initiator, CloseRecord::Initiator::Transport);
}

void tst_Proxies::throughProxy_data()
{
    QTest::addColumn<ProxyKind>("kind");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("HTTP CONNECT (tinyproxy)") << ProxyKind::Http << QString() << QString();
    QTest::newRow("HTTP CONNECT with basic auth (tinyproxy)")
        << ProxyKind::Http << QStringLiteral("inspector") << QStringLiteral("s3cret");
    QTest::newRow("SOCKS5 (microsocks)") << ProxyKind::Socks5 << QString() << QString();
    QTest::newRow("SOCKS5 with username/password (microsocks)")
        << ProxyKind::Socks5 << QStringLiteral("inspector") << QStringLiteral("s3cret");
}

void tst_Proxies::throughProxy()
{
    QFETCH(ProxyKind, kind);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QVERIFY2(startProxy(kind, user, password, m_server->port()), qPrintable(m_proxy.errorString()));
    SessionOptions options;
    options.url = m_server->url();
    options.proxy = proxyUrl(kind, user, password);
    openSession(options);
    verifyTrafficGoesThroughProxy();
    if (kind == ProxyKind::Http) {
        const QString log = QString::fromLocal8Bit(m_proxy.output());
        QVERIFY2(log.contains(QStringLiteral("CONNECT 127.0.0.1:%1").arg(m_server->port())), qPrintable(log));
    }
}

void tst_Proxies::wssThroughProxy_data()
{
    QTest::addColumn<ProxyKind>("kind");
    QTest::newRow("HTTP CONNECT (tinyproxy)") << ProxyKind::Http;
    QTest::newRow("SOCKS5 (microsocks)") << ProxyKind::Socks5;
}

void tst_Proxies::wssThroughProxy()
{
    QFETCH(ProxyKind, kind);
    // A self-signed certificate is enough here: TLS runs end to end through the tunnel, so the certificate the
    // session sees must be the peer's, whatever the proxy.
    QString error;
    const QString openssl = PeerProcess::findProgram({QStringLiteral("openssl")}, QStringLiteral("openssl"), &error);
    QVERIFY2(!openssl.isEmpty(), qPrintable(error));
    const QString key = m_dir.filePath(QStringLiteral("peer.key"));
    const QString certificate = m_dir.filePath(QStringLiteral("peer.pem"));
    if (!QFile::exists(certificate)) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(openssl,
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                       QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), certificate,
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY2(process.waitForFinished(waitMs) && process.exitCode() == 0, process.readAll().constData());
    }
    QVERIFY2(m_peer.startPeer(
                 PeerProcess::Peer::Python,
                 {QStringLiteral("echo"), QStringLiteral("--cert"), certificate, QStringLiteral("--key"), key}, waitMs),
             qPrintable(m_peer.errorString()));
    QVERIFY2(startProxy(kind, {}, {}, m_peer.port()), qPrintable(m_proxy.errorString()));

    SessionOptions options;
    options.url = QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(m_peer.port()));
    options.proxy = proxyUrl(kind);
    options.tls.caFile = certificate; // trusting exactly that certificate
    openSession(options);
    QVERIFY2(m_session->state() == Session::State::Open, qPrintable(whatHappened()));
    const HandshakeRecord h = m_session->handshake();
    QVERIFY2(h.tlsErrors.isEmpty(), qPrintable(h.tlsErrors.join(QStringLiteral("; "))));
    QCOMPARE(h.peerCertificateChain.constFirst(), QSslCertificate::fromPath(certificate).constFirst());
    QVERIFY(h.timings.tlsNs > 0);
    verifyTrafficGoesThroughProxy();
}

void tst_Proxies::refusalIsExplained_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected"); // in the explanation, besides the proxy's URL
    QTest::newRow("HTTP proxy: nothing listens there") << QStringLiteral("http-none") << QStringLiteral("refused");
    QTest::newRow("SOCKS5 proxy: nothing listens there") << QStringLiteral("socks5-none") << QStringLiteral("refused");
    QTest::newRow("HTTP proxy: CONNECT to that port not allowed")
        << QStringLiteral("http-port-denied") << QStringLiteral("denied");
    QTest::newRow("HTTP proxy: the server is not reachable") << QStringLiteral("http-unreachable") << QString();
    QTest::newRow("SOCKS5 proxy: the server is not reachable")
        << QStringLiteral("socks5-unreachable") << QStringLiteral("refused");
    QTest::newRow("HTTP proxy: credentials missing")
        << QStringLiteral("http-auth-missing") << QStringLiteral("authentication");
    // tinyproxy answers wrong credentials with 401 rather than 407, which Qt reports only as a proxy error.
    QTest::newRow("HTTP proxy: wrong credentials") << QStringLiteral("http-auth-wrong") << QString();
    QTest::newRow("SOCKS5 proxy: credentials missing")
        << QStringLiteral("socks5-auth-missing") << QStringLiteral("authentication");
    QTest::newRow("SOCKS5 proxy: wrong credentials")
        << QStringLiteral("socks5-auth-wrong") << QStringLiteral("authentication");
}

void tst_Proxies::refusalIsExplained()
{
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    SessionOptions options;
    options.url = m_server->url();
    const quint16 nobody = PeerProcess::freePort();
    const ProxyKind kind = setup.startsWith(QStringLiteral("http")) ? ProxyKind::Http : ProxyKind::Socks5;
    if (setup.endsWith(QStringLiteral("-none"))) {
        QUrl url;
        url.setScheme(kind == ProxyKind::Http ? QStringLiteral("http") : QStringLiteral("socks5"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(nobody);
        options.proxy = url;
    } else if (setup == QStringLiteral("http-port-denied")) {
        QVERIFY2(startTinyproxy({QStringLiteral("ConnectPort %1").arg(nobody)}), qPrintable(m_proxy.errorString()));
        options.proxy = proxyUrl(kind);
    } else if (setup.endsWith(QStringLiteral("-unreachable"))) {
        options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(nobody));
        QVERIFY2(startProxy(kind, {}, {}, nobody), qPrintable(m_proxy.errorString()));
        options.proxy = proxyUrl(kind);
    } else {
        QVERIFY2(startProxy(kind, QStringLiteral("inspector"), QStringLiteral("s3cret"), m_server->port()),
                 qPrintable(m_proxy.errorString()));
        options.proxy = setup.endsWith(QStringLiteral("-wrong"))
                            ? proxyUrl(kind, QStringLiteral("inspector"), QStringLiteral("wrong"))
                            : proxyUrl(kind);
    }

    Session *session = openSession(options);
    QVERIFY2(session->state() == Session::State::Closed, qPrintable(whatHappened()));
    const HandshakeRecord h = session->handshake();
    QVERIFY(!h.accepted);
    QVERIFY(!h.responseReceived);
    qInfo("%s", qPrintable(h.explanation));
    // Which end failed: the explanation names the proxy.
    QVERIFY2(
        h.explanation.contains(QStringLiteral("through the proxy ") + options.proxy.toString(QUrl::RemoveUserInfo)),
        qPrintable(whatHappened()));
    QVERIFY2(h.explanation.contains(expected, Qt::CaseInsensitive), qPrintable(whatHappened()));
    QCOMPARE(session->closeRecord()->code, quint16(1006));
    QCOMPARE(session->closeRecord()->initiator, CloseRecord::Initiator::Transport);
    QCOMPARE(m_server->connectionCount(), 0);
}

QTEST_GUILESS_MAIN(tst_Proxies)
#include "tst_proxies.moc"
