// SPDX-License-Identifier: GPL-3.0-or-later
// The window's Capture menu against real peers on 127.0.0.1: the capture proxy started through its dialog, a Node
// `ws` client (https-proxy-agent, CONNECT) and sessions of our own through it to the built-in echo server, each
// captured connection a tab that fills with its frames, the Captured list past eight, Stop, a port in use, and the
// CA certificate exported without its key, and a wss:// session whose TLS the capture proxy intercepts with that CA.
#include "OpensslCommand.h"
#include "PeerProcess.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/proxy/ProxyConnection.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/capture/CaptureDialog.h"
#include "ui/capture/CaptureInstructionsDialog.h"
#include "ui/capture/CapturedList.h"
#include "ui/capture/LiveCapture.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/keepalive/LiveProxy.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/session/LiveSource.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/NoticeBanner.h"
#include "ui/window/MainWindow.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace wsi;

namespace {

QList<SessionView *> capturedViews(const MainWindow &window)
{
    QList<SessionView *> views;
    for (int i = 0; i < window.sessionTabs()->count(); ++i) {
        auto *view = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
        if (view && qobject_cast<RelayedSource *>(view->source()))
            views.append(view);
    }
    return views;
}

QAction *action(const MainWindow &window, const QString &name)
{
    return window.findChild<QAction *>(name);
}

} // namespace

class tst_CaptureWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void nodeClientThroughTheMenuStartedProxyFillsItsTab();
    void stopClosesWhatIsStillOpen();
    void portInUseIsSaidInTheDialog();
    void pastEightConnectionsWaitInTheCapturedList();
    void exportsTheCaCertificateNeverItsKey();
    void wssIsReadThroughTheCaptureCa();

private:
    // Starts the capture proxy as a user does: Capture > Start capture proxy…, the port, Start.
    // `upstreamCa`: the dialog's servers' CA file.
    static bool startThroughTheMenu(MainWindow &window, quint16 port, QString *why, const QString &upstreamCa = {});
    // The built-in echo server, and a window whose capture proxy was started through its menu.
    struct CapturingWindow {
        EchoServer echo;
        SessionManager manager;
        MainWindow window{&manager};
        bool start(QString *why)
        {
            if (!echo.listen()) {
                *why = QStringLiteral("the echo server did not listen");
                return false;
            }
            window.show();
            return startThroughTheMenu(window, test::PeerProcess::freePort(), why);
        }
    };
    QTemporaryDir m_home;
    QTemporaryDir m_recordings;
};

void tst_CaptureWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_capturewindow"));
    QVERIFY(m_home.isValid() && m_recordings.isValid());
    // The capture CA is made in this test's own data folder, never the user's.
    qputenv("XDG_DATA_HOME", m_home.path().toLocal8Bit());
    qputenv("WSI_RECORDING_DIR", m_recordings.path().toLocal8Bit());
}

void tst_CaptureWindow::init()
{
    QSettings().remove(QStringLiteral("capture"));
}

bool tst_CaptureWindow::startThroughTheMenu(MainWindow &window, quint16 port, QString *why, const QString &upstreamCa)
{
    action(window, QStringLiteral("startCapture"))->trigger();
    auto *dialog = window.findChild<CaptureDialog *>();
    if (!dialog || !dialog->isVisible()) {
        *why = QStringLiteral("Capture > Start capture proxy… opened no dialog");
        return false;
    }
    dialog->findChild<QSpinBox *>(QStringLiteral("capturePort"))->setValue(port);
    dialog->findChild<QLineEdit *>(QStringLiteral("captureUpstreamCa"))->setText(upstreamCa);
    dialog->findChild<QPushButton *>(QStringLiteral("captureStart"))->click();
    if (!QTest::qWaitFor([&] { return window.liveCapture()->isRunning() || !dialog->errorText().isEmpty(); }, 10000)) {
        *why = QStringLiteral("the capture proxy neither started nor failed");
        return false;
    }
    if (!window.liveCapture()->isRunning()) {
        *why = dialog->errorText();
        return false;
    }
    return QTest::qWaitFor([&] { return window.findChild<CaptureDialog *>() == nullptr; }, 5000);
}

void tst_CaptureWindow::nodeClientThroughTheMenuStartedProxyFillsItsTab()
{
    QString error;
    const QString node = test::PeerProcess::findProgram({QStringLiteral("node"), QStringLiteral("nodejs")},
                                                        QStringLiteral("nodejs"), &error);
    QVERIFY2(!node.isEmpty(), qPrintable(error));
    const QString modules = QStringLiteral(WSI_INTEGRATION_DIR "/node/node_modules");
    QVERIFY2(QFileInfo::exists(modules + QStringLiteral("/https-proxy-agent")),
             "tests/integration/node/node_modules lacks https-proxy-agent: run ./dev.sh test (npm ci there)");
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    const quint16 port = test::PeerProcess::freePort();
    QVERIFY2(startThroughTheMenu(window, port, &error), qPrintable(error));
    QCOMPARE(window.liveCapture()->url().toString(), QStringLiteral("http://127.0.0.1:%1").arg(port));
    auto *status = window.findChild<QLabel *>(QStringLiteral("captureStatus"));
    QVERIFY(status->isVisible());
    QCOMPARE(status->text(), QStringLiteral("Capturing on 127.0.0.1:%1 — 0 WebSocket connections").arg(port));
    QVERIFY(!action(window, QStringLiteral("startCapture"))->isEnabled());
    QVERIFY(action(window, QStringLiteral("stopCapture"))->isEnabled());

    // A client nobody here wrote, through the proxy with CONNECT, as browsers and proxy agents do; the GUI thread
    // keeps running while it does.
    const QString url = QStringLiteral("ws://127.0.0.1:%1/chat?room=7").arg(echo.url().port());
    QProcess client;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NODE_PATH"), modules + QStringLiteral(":/usr/share/nodejs"));
    client.setProcessEnvironment(environment);
    client.start(node, {QStringLiteral(WSI_INTEGRATION_DIR "/peers/node_proxy_client.js"),
                        window.liveCapture()->url().toString(), url});
    QVERIFY(QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, 30000));
    const QByteArray out = client.readAllStandardOutput();
    QVERIFY2(client.exitCode() == 0 && out.contains("\"ok\":true"), out.constData());

    // Its tab: named by the URL the application asked for (without the query), every frame both ways, the
    // handshake as the server answered it, and how it ended.
    QVERIFY(QTest::qWaitFor([&] { return capturedViews(window).size() == 1; }, 5000));
    SessionView *view = capturedViews(window).constFirst();
    const QString title = QStringLiteral("ws://127.0.0.1:%1/chat").arg(echo.url().port());
    QCOMPARE(window.sessionTabs()->tabText(window.sessionTabs()->indexOf(view)), title);
    QVERIFY(QTest::qWaitFor([&] { return view->source()->state() == Session::State::Closed; }, 10000));
    // Four messages and the Close each way.
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() == 10; }, 5000));
    QCOMPARE(view->messageModel()->rowCount(), 8);
    const std::optional<SessionRecords> records = view->records();
    QVERIFY(records);
    QCOMPARE(records->handshake.response.statusCode, 101);
    QVERIFY(records->close && records->close->clean);
    QCOMPARE(records->close->code, quint16(1000));
    const QString origin = view->findChild<QLabel *>(QStringLiteral("origin"))->text();
    QVERIFY2(origin.startsWith(QStringLiteral("Captured by the capture proxy: the application at 127.0.0.1:")),
             qPrintable(origin));
    QVERIFY2(origin.contains(title), qPrintable(origin));
    QCOMPARE(status->text(), QStringLiteral("Capturing on 127.0.0.1:%1 — 1 WebSocket connection").arg(port));

    // Simulated like any session: its own traffic behind nginx.
    SimulatorPanel *simulator = view->simulatorPanel();
    QVERIFY(simulator->setChain({QStringLiteral("nginx")}));
    simulator->setUseSessionTraffic(true);
    QVERIFY(simulator->run());
    QVERIFY(QTest::qWaitFor([&] { return simulator->lastResult().has_value(); }, 10000));
    QVERIFY2(!simulator->outcomeText().isEmpty(), "the simulation of the captured traffic said nothing");

    // Reproduced live like any session: the timeout proxy in front of the server the application reached, and a
    // session of ours through it.
    const int tabs = window.sessionTabs()->count();
    simulator->findChild<QPushButton *>(QStringLiteral("reproduceLive"))->click();
    QVERIFY(QTest::qWaitFor([&] { return window.liveProxy()->isRunning(); }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return window.sessionTabs()->count() >= tabs + 1; }, 10000));
    auto *through = qobject_cast<SessionView *>(window.sessionTabs()->widget(tabs));
    QVERIFY(through && through->source()->control());
    QCOMPARE(window.sessionTabs()->tabText(tabs), QStringLiteral("through the timeout proxy"));
    QVERIFY(QTest::qWaitFor([&] { return through->source()->state() == Session::State::Open; }, 10000));
    QCOMPARE(window.liveProxy()->describe(), QStringLiteral("nginx → %1, time ÷ 20").arg(url));
    window.liveProxy()->stop();

    // Recorded in the recordings folder, named after the host it went to.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return !QDir(m_recordings.path())
                        .entryList({QStringLiteral("*127.0.0.1-%1*.wsirec").arg(echo.url().port())}, QDir::Files)
                        .isEmpty();
        },
        5000));
    action(window, QStringLiteral("stopCapture"))->trigger();
    QVERIFY(!status->isVisible());
    QVERIFY(action(window, QStringLiteral("startCapture"))->isEnabled());
}

void tst_CaptureWindow::stopClosesWhatIsStillOpen()
{
    CapturingWindow capturing;
    QString error;
    QVERIFY2(capturing.start(&error), qPrintable(error));
    MainWindow &window = capturing.window;
    const EchoServer &echo = capturing.echo;
    // A session of ours through the capture proxy (its HTTP proxy option: CONNECT), which stays open.
    SessionView *client = window.newSession();
    SessionOptions options;
    options.url = echo.url();
    options.proxy = window.liveCapture()->url();
    client->connectTo(options);
    QVERIFY(QTest::qWaitFor([&] { return capturedViews(window).size() == 1; }, 10000));
    SessionView *captured = capturedViews(window).constFirst();
    QVERIFY(QTest::qWaitFor([&] { return captured->source()->state() == Session::State::Open; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return client->source()->state() == Session::State::Open; }, 10000));

    action(window, QStringLiteral("stopCapture"))->trigger();
    QVERIFY(QTest::qWaitFor([&] { return captured->source()->state() == Session::State::Closed; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return client->source()->state() == Session::State::Closed; }, 10000));
    // The captured tab keeps what it showed, the end included, after its relay is gone.
    QTest::qWait(200);
    const std::optional<SessionRecords> records = captured->records();
    QVERIFY(records && records->close);
    QCOMPARE(records->handshake.response.statusCode, 101);
    QVERIFY(!window.findChild<QLabel *>(QStringLiteral("captureStatus"))->isVisible());
    // The session and its captured connection were both recorded into the one recordings folder, in the same
    // second, under names of their own: neither recording lost its file to the other.
    const QStringList recorded =
        QDir(m_recordings.path())
            .entryList({QStringLiteral("*127.0.0.1-%1*.wsirec").arg(echo.url().port())}, QDir::Files);
    QVERIFY2(recorded.size() == 2, qPrintable(recorded.join(u' ')));
    for (const NoticeBanner *notice : window.notices())
        QFAIL(qPrintable(notice->text()));
}

void tst_CaptureWindow::portInUseIsSaidInTheDialog()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QString error;
    QVERIFY(!startThroughTheMenu(window, taken.serverPort(), &error));
    auto *dialog = window.findChild<CaptureDialog *>();
    QVERIFY(dialog && dialog->isVisible()); // still open, to choose another port
    QVERIFY2(
        error.startsWith(QStringLiteral("The capture proxy did not start on 127.0.0.1:%1: ").arg(taken.serverPort())),
        qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("in use")), qPrintable(error));
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("captureError"))->isVisible());
    QVERIFY(window.notices().isEmpty()); // said once, where the user is
    // Any free port: it starts.
    dialog->findChild<QCheckBox *>(QStringLiteral("captureAnyPort"))->setChecked(true);
    dialog->findChild<QPushButton *>(QStringLiteral("captureStart"))->click();
    QVERIFY(QTest::qWaitFor([&] { return window.liveCapture()->isRunning(); }, 10000));
    QVERIFY(window.liveCapture()->url().port() != taken.serverPort());
    window.liveCapture()->stop();
}

void tst_CaptureWindow::pastEightConnectionsWaitInTheCapturedList()
{
    CapturingWindow capturing;
    QString error;
    QVERIFY2(capturing.start(&error), qPrintable(error));
    MainWindow &window = capturing.window;
    const EchoServer &echo = capturing.echo;
    constexpr int connections = MainWindow::maxCapturedTabs + 2;
    for (int i = 0; i < connections; ++i) {
        SessionOptions options;
        options.url = QUrl(echo.url().toString() + QStringLiteral("feed/%1").arg(i));
        options.proxy = window.liveCapture()->url();
        window.newSession()->connectTo(options);
    }
    CapturedList *list = window.capturedList();
    QVERIFY(QTest::qWaitFor([&] { return list->count() == connections; }, 60000));
    QCOMPARE(capturedViews(window).size(), MainWindow::maxCapturedTabs);
    QCOMPARE(list->openTabCount(), MainWindow::maxCapturedTabs);
    QVERIFY(window.capturedDock()->isVisible());
    QCOMPARE(list->list()->topLevelItemCount(), connections);
    // One that waits opens from the list, as the user's double-click does, and is brought forward.
    const int waiting = connections - 1;
    QTreeWidgetItem *item = list->list()->topLevelItem(waiting);
    QVERIFY2(item->text(0).startsWith(QStringLiteral("ws://127.0.0.1:")), qPrintable(item->text(0)));
    list->open(waiting);
    QCOMPARE(capturedViews(window).size(), MainWindow::maxCapturedTabs + 1);
    auto *shown = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(shown && qobject_cast<RelayedSource *>(shown->source()));
    QCOMPARE(window.sessionTabs()->tabText(window.sessionTabs()->currentIndex()), item->text(0));
    QCOMPARE(shown->source()->serverUrl().path(), QStringLiteral("/feed/%1").arg(waiting));
    // The list follows its state as the tab does.
    QVERIFY(QTest::qWaitFor([&] { return shown->source()->state() != Session::State::Connecting; }, 30000));
    const bool isOpen = shown->source()->state() == Session::State::Open;
    QVERIFY2(isOpen ? item->text(1) == QStringLiteral("open") : item->text(1).startsWith(QStringLiteral("closed")),
             qPrintable(item->text(1)));
    // Closed, its tab opens again from the relay while the capture runs.
    window.sessionTabs()->tabCloseRequested(window.sessionTabs()->currentIndex());
    QCOMPARE(list->openTabCount(), MainWindow::maxCapturedTabs);
    list->open(waiting);
    QCOMPARE(list->openTabCount(), MainWindow::maxCapturedTabs + 1);
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("captureStatus"))->text(),
             QStringLiteral("Capturing on 127.0.0.1:%1 — %2 WebSocket connections")
                 .arg(window.liveCapture()->url().port())
                 .arg(connections));
    window.liveCapture()->stop();

    // After the stop, its recording is complete; closed now, the connection opens from it.
    QVERIFY(QTest::qWaitFor([&] { return item->toolTip(1).startsWith(QStringLiteral("Recorded in ")); }, 20000));
    window.sessionTabs()->tabCloseRequested(window.sessionTabs()->currentIndex());
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    list->open(waiting);
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.constFirst().at(1).toInt(), 1);
    QCOMPARE(opened.constFirst().at(2).toString(), QString());
    QVERIFY2(item->toolTip(1).endsWith(QFileInfo(opened.constFirst().at(0).toString()).fileName()),
             qPrintable(item->toolTip(1)));
}

void tst_CaptureWindow::exportsTheCaCertificateNeverItsKey()
{
    SessionManager manager;
    MainWindow window(&manager);
    QTemporaryDir out;
    QVERIFY(out.isValid());
    const QString path = out.filePath(QStringLiteral("exported-ca.pem"));
    QSignalSpy exported(&window, &MainWindow::caExported);
    window.exportCaCertificate(path);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.constFirst().at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray pem = file.readAll();
    QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    QVERIFY(!pem.contains("PRIVATE KEY"));
    QString error;
    const auto authority = CaptureAuthority::openOrCreate(CaptureAuthority::defaultFolder(), &error);
    QVERIFY2(authority, qPrintable(error));
    QVERIFY(authority->folder().startsWith(m_home.path())); // the test's, not the user's
    QCOMPARE(pem, authority->certificatePem());

    // Somewhere it cannot be written: said, not silent.
    window.exportCaCertificate(out.filePath(QStringLiteral("missing/folder/ca.pem")));
    QVERIFY(exported.wait(10000));
    QVERIFY(!exported.constLast().at(1).toString().isEmpty());
    QVERIFY(!window.notices().isEmpty());
}

// A wss:// session of ours through the menu-started capture proxy: the proxy answers its TLS with a leaf of the
// capture CA (which the session trusts, as a user would after exporting it), verifies the real server (python
// websockets, its certificate from a test CA given in the dialog's servers' CA file), and the captured tab, named by
// the wss:// URL, fills with the decrypted frames. A servers' CA file that does not exist is said in the dialog.
void tst_CaptureWindow::wssIsReadThroughTheCaptureCa()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    wsi::test::OpensslCommand openssl(dir.path());
    QVERIFY2(openssl.isAvailable(), qPrintable(openssl.errorString()));
    QVERIFY2(openssl.makeCa(QStringLiteral("upstream-ca"), QStringLiteral("/CN=Upstream test CA")),
             qPrintable(openssl.errorString()));
    QVERIFY2(
        openssl.issueServer(QStringLiteral("server"), QStringLiteral("IP:127.0.0.1"), QStringLiteral("upstream-ca")),
        qPrintable(openssl.errorString()));
    wsi::test::PeerProcess server;
    QVERIFY2(
        server.startPeer(wsi::test::PeerProcess::Peer::Python,
                         {QStringLiteral("echo"), QStringLiteral("--cert"), dir.filePath(QStringLiteral("server.pem")),
                          QStringLiteral("--key"), dir.filePath(QStringLiteral("server.key"))}),
        qPrintable(server.errorString()));
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QString error;
    const QString missing = dir.filePath(QStringLiteral("missing-ca.pem"));
    QVERIFY(!startThroughTheMenu(window, test::PeerProcess::freePort(), &error, missing));
    QVERIFY2(error.contains(QStringLiteral("the CA file %1 does not exist").arg(QDir::toNativeSeparators(missing))) &&
                 !error.contains(QLatin1StringView("port")),
             qPrintable(error));
    window.findChild<CaptureDialog *>()->reject();
    QVERIFY(QTest::qWaitFor([&] { return window.findChild<CaptureDialog *>() == nullptr; }, 5000));
    QVERIFY2(startThroughTheMenu(window, test::PeerProcess::freePort(), &error,
                                 dir.filePath(QStringLiteral("upstream-ca.pem"))),
             qPrintable(error));
    SessionView *client = window.newSession();
    SessionOptions options;
    options.url = QUrl(QStringLiteral("wss://127.0.0.1:%1/secure").arg(server.port()));
    options.proxy = window.liveCapture()->url();
    options.tls.caFile =
        QDir(CaptureAuthority::defaultFolder()).filePath(QLatin1StringView(CaptureAuthority::certificateFileName));
    client->connectTo(options);
    QVERIFY(QTest::qWaitFor([&] { return client->source()->state() == Session::State::Open; }, 20000));
    QVERIFY(QTest::qWaitFor([&] { return capturedViews(window).size() == 1; }, 10000));
    SessionView *captured = capturedViews(window).constFirst();
    QCOMPARE(captured->source()->serverUrl().scheme(), QStringLiteral("wss"));
    QVERIFY2(window.sessionTabs()->tabText(window.sessionTabs()->indexOf(captured)).startsWith(u"wss://127.0.0.1:"),
             qPrintable(window.sessionTabs()->tabText(window.sessionTabs()->indexOf(captured))));
    client->source()->control()->sendMessage(MessageType::Text, "through the capture CA", 1);
    QVERIFY(QTest::qWaitFor([&] { return captured->frameModel()->rowCount() >= 2; }, 10000));
    const std::optional<SessionRecords> records = captured->records();
    QVERIFY(records && records->log);
    bool sawBothWays[2] = {false, false};
    for (qsizetype i = 0; i < records->log->frameCount(); ++i) {
        if (records->log->framePayload(i) == QByteArrayView("through the capture CA"))
            sawBothWays[records->log->frame(i).direction() == Direction::Outgoing ? 0 : 1] = true;
    }
    QVERIFY2(sawBothWays[0] && sawBothWays[1], "the message, decrypted, both ways");
    QCOMPARE(window.liveCapture()->tlsFailureCount(), 0);
    action(window, QStringLiteral("stopCapture"))->trigger();
    QVERIFY(QTest::qWaitFor([&] { return client->source()->state() == Session::State::Closed; }, 10000));
    for (const NoticeBanner *notice : window.notices())
        QFAIL(qPrintable(notice->text()));
}

QTEST_MAIN(tst_CaptureWindow)
#include "tst_capturewindow.moc"
