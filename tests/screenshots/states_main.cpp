// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_window_states: the main window in every state a user meets, one PNG each, to be looked at before a change to
// the window is called done.
//
//   wsi_window_states OUTPUT_DIR [--size WxH] [--palette light|dark|high-contrast]
//
// Under a real X server (Xvfb :N -screen 0 1024x700x24; QT_QPA_PLATFORM=xcb) the window fills the screen and the
// whole screen is grabbed, dialogs included, as `import -window root` would; offscreen, the window is grabbed at
// --size. States, each in a window of its own: empty (no tab), live (the built-in echo server with traffic and a
// frame selected), options (the connection options shown), options-rules (the bar with a session's rule switches;
// options-rules-loaded and options-rules-refused: a rule file loaded in the options' Rules row, then one refused),
// keepalive-setup (its Setup page as it starts),
// keepalive-suggested (pre-filled with a chain suggested from an ALB and nginx that named themselves, and the
// reasons), keepalive (the session replayed behind an AWS ALB and nginx), reconnecting (the server gone, the bar
// counting down), closed (the server dropped the connection, the diagnosis shown), failed (connection refused),
// recording and har (the live session's recording, and its HAR export, opened from disk); capture-dialog (Capture >
// Start capture proxy…), capture-instructions and capture-ca (Point your app at it, on Chrome's page and the CA's),
// captured (a session of ours through the capture proxy: the captured tab with its frames, the status bar's count) and
// capture-list (past eight connections, the Captured list); decoded (a Socket.IO session through the echo server:
// the Protocol column, its filters, and a reply's decoded tree with its request and latency), decoded-binary (a
// binary message no protocol claims, read as MessagePack), decoded-proto (a binary message read with a .proto) and
// messages-protocol (the Messages view of a JSON-RPC session with a batch: its Protocol column); captured-rules and
// captured-rules-handshake (a session through the capture proxy with relay rules: a replaced message's detail with its
// rule, the timeline's marks, and the handshake view saying why compression is off); rules-empty (the
// Rules dock without rules: the explanation and the example, beside a live session), rules-editor-bad (the rule
// editor refusing a wrong document with RuleFile's error), rules-capture-dialog (the capture dialog naming the rules it
// starts with) and rules (the capture running them: a session of ours through it, each rule's count, one switched off).
#include "core/keepalive/SessionEvidence.h"
#include "core/keepalive/SuggestedChain.h"
#include "core/rules/RuleFile.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/capture/CaptureDialog.h"
#include "ui/capture/CaptureInstructionsDialog.h"
#include "ui/capture/LiveCapture.h"
#include "ui/capture/SnippetView.h"
#include "ui/frames/FrameDetailView.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/FrameTableView.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/rules/CaptureRules.h"
#include "ui/rules/HeldMessagesView.h"
#include "ui/rules/RuleEditorDialog.h"
#include "ui/rules/RuleListModel.h"
#include "ui/rules/RulesPanel.h"
#include "ui/session/Composer.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/HandshakeView.h"
#include "ui/session/ProtocolComposer.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionControl.h"
#include "ui/session/SessionRulesRow.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/Theme.h"
#include "ui/window/MainWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGuiApplication>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <functional>

using namespace wsi;

namespace {

struct Look {
    QSize size;
    QString palette;
    QString outputDir;
};

bool onRealDisplay()
{
    return QGuiApplication::platformName() == QLatin1String("xcb");
}

// What a user would see: the whole X screen (dialogs and popups included), or offscreen the window, or the dialog
// that is the state.
bool grab(MainWindow &window, const Look &look, const QString &state, QWidget *dialog = nullptr)
{
    QTest::qWait(300); // coalesced refreshes, the timeline, pending layouts
    const QPixmap picture =
        onRealDisplay() ? window.screen()->grabWindow(0) : (dialog ? dialog->grab() : window.grab());
    const QString path = QDir(look.outputDir)
                             .filePath(QStringLiteral("%1-%2x%3-%4.png")
                                           .arg(state)
                                           .arg(look.size.width())
                                           .arg(look.size.height())
                                           .arg(look.palette));
    if (!picture.save(path)) {
        std::fprintf(stderr, "wsi_window_states: cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("wrote %s\n", qPrintable(path));
    return true;
}

void place(MainWindow &window, const Look &look)
{
    QSettings().clear(); // the first-run layout every time
    window.move(0, 0);
    window.resize(look.size);
    window.show();
    QTest::qWait(100);
}

bool waitForState(SessionView *view, Session::State state, int ms = 10000)
{
    return QTest::qWaitFor([&] { return view->source()->state() == state; }, ms);
}

// A market feed's worth of JSON, a ping and a binary frame, through the echo server.
bool sendTraffic(SessionView *view)
{
    Composer *composer = view->composer();
    for (int i = 0; i < 12; ++i) {
        composer->setFormat(Composer::Format::Json);
        composer->setText(QStringLiteral(R"({"type":"ticker","sym":"BTC-USD","px":%1,"seq":%2})")
                              .arg(64000.5 + i * 13.25, 0, 'f', 2)
                              .arg(1000 + i));
        composer->send();
        QTest::qWait(30);
        if (i == 5) {
            composer->setControlPayload(QStringLiteral("hb-1"));
            composer->findChild<QAbstractButton *>(QStringLiteral("ping"))->click();
        }
    }
    composer->setFormat(Composer::Format::Hex);
    composer->setText(QStringLiteral("00 01 de ad be ef"));
    composer->send();
    const auto log = view->records()->log;
    return QTest::qWaitFor([&] { return log->messageCount() >= 2 * 13; }, 5000);
}

// A session that crossed an AWS ALB and nginx (both name themselves in the upgrade response) and was cut after 5 s
// of silence.
SessionEvidence suggestingEvidence()
{
    SessionEvidence evidence;
    evidence.accepted = true;
    evidence.status = 101;
    evidence.secure = true;
    evidence.host = QStringLiteral("feed.example.com");
    evidence.responseHeaders = {{"Server", "nginx/1.22.1"}, {"Set-Cookie", "AWSALB=abc; Path=/"}};
    evidence.addFrame(1000, Direction::Outgoing, SessionEvidence::FrameKind::Data);
    evidence.addFrame(1010, Direction::Incoming, SessionEvidence::FrameKind::Data);
    CloseRecord cut;
    cut.initiator = CloseRecord::Initiator::Transport;
    cut.code = 1006;
    cut.atNs = 6010 * 1'000'000LL;
    evidence.finish(cut, 6010);
    return evidence;
}

SessionOptions optionsFor(const QUrl &url)
{
    SessionOptions options;
    options.url = url;
    return options;
}

// A session of ours to `url` through the window's capture proxy (CONNECT), with traffic; then its captured tab in
// front with its second frame selected. The captured tab, or null when it did not come.
SessionView *showCapturedSession(MainWindow &window, const QUrl &url)
{
    SessionView *client = window.newSession();
    SessionOptions options = optionsFor(url);
    options.proxy = window.liveCapture()->url();
    client->connectTo(options);
    if (!waitForState(client, Session::State::Open) || !sendTraffic(client))
        return nullptr;
    QTest::qWait(500); // what the relay sends of its own meanwhile
    for (int i = 0; i < window.sessionTabs()->count(); ++i) {
        auto *view = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
        if (view && qobject_cast<RelayedSource *>(view->source())) {
            window.sessionTabs()->setCurrentWidget(view);
            view->frameTable()->selectRow(1);
            return view;
        }
    }
    return nullptr;
}

QString newestFile(const QString &directory, const QString &suffix)
{
    QString newest;
    QDateTime newestTime;
    QDirIterator it(directory, {QStringLiteral("*.") + suffix}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo file(it.next());
        if (newest.isEmpty() || file.lastModified() > newestTime) {
            newest = file.filePath();
            newestTime = file.lastModified();
        }
    }
    return newest;
}

// The echo server at the path and query a Socket.IO 4 client uses: the window recognises Socket.IO from it.
QUrl socketIoUrl(const EchoServer &echo)
{
    QUrl url = echo.url();
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    return url;
}

// Capture > Start capture proxy… as a user does, on any free port, the dialog grabbed as `state` on the way.
bool startCapture(MainWindow &window, const Look &look, const QString &state)
{
    CaptureDialog *dialog = window.askAndStartCapture();
    if (!dialog || !grab(window, look, state, dialog))
        return false;
    dialog->findChild<QAbstractButton *>(QStringLiteral("captureAnyPort"))->click();
    dialog->start();
    return QTest::qWaitFor([&] { return window.liveCapture()->isRunning(); }, 10000);
}

bool renderAll(const Look &look, SessionManager &manager, EchoServer &echo, const QString &recordingsDir)
{
    bool ok = true;
    const auto state = [&](const char *name, const std::function<bool(MainWindow &)> &setUp) {
        MainWindow window(&manager);
        place(window, look);
        if (!setUp(window)) {
            std::fprintf(stderr, "wsi_window_states: %s: the window did not reach that state\n", name);
            ok = false;
            return;
        }
        ok = grab(window, look, QString::fromLatin1(name)) && ok;
    };

    state("empty", [](MainWindow &) { return true; });

    QString recording;
    state("closed-by-user", [&](MainWindow &window) { // live, options and keepalive on the way
        SessionView *view = window.newSession(echo.url());
        if (!waitForState(view, Session::State::Open) || !sendTraffic(view))
            return false;
        view->frameTable()->selectRow(2);
        if (!grab(window, look, QStringLiteral("live")))
            return false;

        view->connectionBar()->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();
        if (!grab(window, look, QStringLiteral("options")))
            return false;
        view->connectionBar()->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();

        auto *sideTabs = view->findChild<QTabWidget *>(QStringLiteral("sideTabs"));
        sideTabs->setCurrentIndex(sideTabs->count() - 1); // Keepalive
        SimulatorPanel *panel = view->simulatorPanel();
        if (!grab(window, look, QStringLiteral("keepalive-setup"))) // nothing named itself: the starting chain
            return false;
        // As a session behind an ALB and nginx that cut it after 5 s of silence would suggest it: the longest
        // reasons the Setup page shows.
        panel->suggestChain(SuggestedChain::fromEvidence(suggestingEvidence()));
        if (!grab(window, look, QStringLiteral("keepalive-suggested")))
            return false;
        panel->setChain({QStringLiteral("aws-alb"), QStringLiteral("nginx")});
        panel->setUseSessionTraffic(true);
        panel->setDuration(QStringLiteral("10m"));
        QSignalSpy finished(panel, &SimulatorPanel::finished);
        if (!panel->run() || !finished.wait(5000))
            return false;
        if (!grab(window, look, QStringLiteral("keepalive")))
            return false;

        view->source()->control()->disconnect(); // the user closes: the recording is complete
        if (!waitForState(view, Session::State::Closed))
            return false;
        recording = newestFile(recordingsDir, QStringLiteral("wsirec"));
        const QString har = QDir(recordingsDir).filePath(QStringLiteral("live.har"));
        QSignalSpy exported(&window, &MainWindow::exportFinished);
        window.exportSessionAsHar(har);
        return exported.wait(5000) && exported.first().at(1).toString().isEmpty();
    });

    state("reconnecting", [&](MainWindow &window) {
        EchoServer doomed;
        if (!doomed.listen())
            return false;
        SessionOptions options = optionsFor(doomed.url());
        options.reconnect.enabled = true;
        options.reconnect.initialDelayMs = 60'000; // long enough to be seen counting down
        SessionView *view = window.newSession();
        view->connectTo(options);
        if (!waitForState(view, Session::State::Open) || !sendTraffic(view))
            return false;
        doomed.close();
        return QTest::qWaitFor(
            [&] { return view->connectionBar()->stateText().startsWith(QStringLiteral("reconnecting in ")); }, 10000);
    });

    state("closed", [&](MainWindow &window) {
        EchoServer doomed;
        if (!doomed.listen())
            return false;
        SessionView *view = window.newSession(doomed.url());
        if (!waitForState(view, Session::State::Open) || !sendTraffic(view))
            return false;
        QTest::qWait(1500); // a silence before the drop, for the diagnosis to weigh
        doomed.close();
        return waitForState(view, Session::State::Closed);
    });

    // Socket.IO as the URL names it; the echo server sends each packet back, so the client's ACK of the echoed
    // "hello" answers it, and the echo of that ACK answers the client's own "hello".
    state("decoded", [&](MainWindow &window) {
        SessionView *view = window.newSession(socketIoUrl(echo));
        if (!waitForState(view, Session::State::Open))
            return false;
        Composer *composer = view->composer();
        composer->setFormat(Composer::Format::Text);
        for (const char *packet :
             {"40", R"(42["chat","hello from the window"])", R"(421["hello","inspector"])", R"(431["hi inspector"])",
              R"(42["price",{"sym":"BTC-USD","px":64000.5}])", R"(42["price",{"sym":"ETH-USD","px":3120.25}])", "3",
              R"(42/admin,["status",{"users":3}])", R"(4212["subscribe",{"topic":"prices"}])"}) {
            composer->setText(QString::fromUtf8(packet));
            composer->send();
            QTest::qWait(40);
        }
        const auto log = view->records()->log;
        if (!QTest::qWaitFor([&] { return log->messageCount() >= 18 && view->frameModel()->rowCount() >= 18; }, 5000))
            return false;
        if (!QTest::qWaitFor([&] { return !view->frameTable()->isColumnHidden(FrameTableModel::Protocol); }, 5000))
            return false;
        // The echoed ACK: a reply, with its request and the latency.
        for (int row = 0; row < view->frameModel()->rowCount(); ++row) {
            const QString cell =
                view->frameModel()->data(view->frameModel()->index(row, FrameTableModel::Protocol)).toString();
            if (cell.startsWith(QStringLiteral("socket.io ACK 1")) &&
                view->frameModel()->data(view->frameModel()->index(row, 0), FrameTableModel::DirectionRole).toInt() ==
                    int(Direction::Incoming)) {
                view->frameTable()->selectRow(row);
                break;
            }
        }
        return QTest::qWaitFor([&] { return !view->frameDetail()->isDecoding(); }, 5000);
    });
    // The connection options with a protocol chosen: only its handshake rows, and the Options button names it.
    state("options-protocol", [&](MainWindow &window) {
        SessionView *view = window.newSession();
        ConnectionBar *bar = view->connectionBar();
        bar->findChild<QLineEdit *>(QStringLiteral("url"))->setText(QStringLiteral("wss://broker.example.com/mqtt"));
        auto *choice = bar->findChild<QComboBox *>(QStringLiteral("protocolChoice"));
        choice->setCurrentIndex(choice->findData(int(AppProtocol::Mqtt)));
        bar->findChild<QLineEdit *>(QStringLiteral("mqttClientId"))->setText(QStringLiteral("inspector-1"));
        bar->findChild<QLineEdit *>(QStringLiteral("mqttUsername"))->setText(QStringLiteral("sensor"));
        bar->findChild<QLineEdit *>(QStringLiteral("mqttPassword"))->setText(QStringLiteral("secret"));
        bar->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();
        // On a small screen the form scrolls: to the protocol's box, as the user would.
        auto *scroll = bar->findChild<QScrollArea *>(QStringLiteral("optionsScroll"));
        scroll->ensureWidgetVisible(bar->findChild<QWidget *>(QStringLiteral("protocolBox")));
        if (!grab(window, look, QStringLiteral("options-protocol-mqtt")))
            return false;
        choice->setCurrentIndex(choice->findData(int(AppProtocol::SocketIo)));
        bar->findChild<QPlainTextEdit *>(QStringLiteral("socketIoAuth"))
            ->setPlainText(QStringLiteral("{\"token\": \"abc\"}"));
        if (!grab(window, look, QStringLiteral("options-protocol-socketio")))
            return false;
        bar->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();
        return true;
    });
    // The connection options' Rules row: rules loaded (and their switches in the bar), then a file refused for a rule
    // a session cannot follow, its reason under the row.
    state("options-rules", [&](MainWindow &window) {
        QTemporaryDir files;
        const auto write = [&files](const QString &name, const QByteArray &json) {
            QFile file(files.filePath(name));
            return file.open(QIODevice::WriteOnly) && file.write(json) == json.size() ? file.fileName() : QString();
        };
        const QString good = write(QStringLiteral("slow-client.json"),
                                   R"({"rules": [{"name": "slow replies", "from": "client", "action": "delay",
                                                  "ms": 800},
                                                 {"name": "hung", "action": "no-pong"},
                                                 {"name": "slow reader", "action": "stall", "to": "client",
                                                  "ms": 5000, "after_ms": 2000}]})");
        const QString relay = write(QStringLiteral("relay.json"), R"({"rules": [{"action": "blackhole"}]})");
        SessionView *view = window.newSession();
        ConnectionBar *bar = view->connectionBar();
        bar->findChild<QLineEdit *>(QStringLiteral("url"))->setText(QStringLiteral("wss://api.example.com/feed"));
        auto *row = bar->findChild<SessionRulesRow *>(QStringLiteral("rules"));
        if (!row->loadFile(good))
            return false;
        bar->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();
        auto *scroll = bar->findChild<QScrollArea *>(QStringLiteral("optionsScroll"));
        scroll->ensureWidgetVisible(row);
        if (!grab(window, look, QStringLiteral("options-rules-loaded")))
            return false;
        if (row->loadFile(relay))
            return false;
        scroll->ensureWidgetVisible(row);
        if (!grab(window, look, QStringLiteral("options-rules-refused")))
            return false;
        bar->findChild<QAbstractButton *>(QStringLiteral("optionsToggle"))->click();
        return true;
    });
    // The composer in protocol mode: a Socket.IO event with arguments and an ack, on a connection recognised as
    // Socket.IO (the echo server sends the event back).
    state("composer-protocol", [&](MainWindow &window) {
        SessionView *view = window.newSession(socketIoUrl(echo));
        if (!waitForState(view, Session::State::Open))
            return false;
        Composer *composer = view->composer();
        composer->setFormat(Composer::Format::Text);
        composer->setText(QStringLiteral("40"));
        composer->send();
        if (!QTest::qWaitFor([&] { return composer->protocol().has_value(); }, 5000))
            return false;
        composer->setFormat(Composer::Format::Protocol);
        ProtocolComposer *form = composer->protocolComposer();
        form->setTarget(QStringLiteral("chat"));
        form->setAck(true);
        composer->setText(QStringLiteral("[\"hello from the window\", {\"room\": 1}]"));
        composer->send();
        return QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 4; }, 5000);
    });
    state("composer-protocol-mqtt", [&](MainWindow &window) {
        SessionView *view = window.newSession();
        Composer *composer = view->composer();
        composer->setProtocol(AppProtocol::Mqtt);
        composer->setFormat(Composer::Format::Protocol);
        ProtocolComposer *form = composer->protocolComposer();
        form->setTarget(QStringLiteral("sensors/kitchen/temperature"));
        form->setQos(1);
        form->setRetain(true);
        composer->setText(QStringLiteral("{\"celsius\": 21.5}"));
        return true;
    });
    state("decoded-binary", [&](MainWindow &window) {
        SessionView *view = window.newSession(echo.url());
        if (!waitForState(view, Session::State::Open))
            return false;
        Composer *composer = view->composer();
        composer->setFormat(Composer::Format::Hex);
        composer->setText(
            QStringLiteral("83 a4 74 79 70 65 a5 74 72 61 64 65 a3 73 79 6d a7 42 54 43 2d 55 53 44 a2 70 "
                           "78 cb 40 ef 40 10 00 00 00 00"));
        composer->send();
        if (!QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 2; }, 5000))
            return false;
        view->frameTable()->selectRow(1);
        return QTest::qWaitFor([&] { return !view->frameDetail()->isDecoding(); }, 5000);
    });
    state("decoded-proto", [&](MainWindow &window) {
        QTemporaryDir dir;
        QFile proto(dir.filePath(QStringLiteral("trade.proto")));
        if (!proto.open(QIODevice::WriteOnly))
            return false;
        proto.write(R"(syntax = "proto3";
package market;
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; SELL = 2; }
message Trade {
  string symbol = 1;
  Side side = 2;
  repeated double prices = 3;
  map<string, string> tags = 4;
  Venue venue = 5;
  int64 sequence = 6;
}
message Venue { string name = 1; string country = 2; }
)");
        proto.close();
        SessionView *view = window.newSession(echo.url());
        if (!waitForState(view, Session::State::Open))
            return false;
        Composer *composer = view->composer();
        composer->setFormat(Composer::Format::Hex);
        // market.Trade as protoc --encode writes it: ACME, SELL, two prices, two tags, the venue, a sequence.
        composer->setText(QStringLiteral("0a0441434d4510021a1000000000006059400000000000705940220a0a046465736b12026678"
                                         "220a0a04626f6f6b120241372a0a0a04585041521202465230808040"));
        composer->send();
        if (!QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 2; }, 5000))
            return false;
        view->frameDetail()->loadProtoFile(proto.fileName());
        if (!QTest::qWaitFor([&] { return !view->frameDetail()->isLoadingProto(); }, 5000))
            return false;
        view->frameTable()->selectRow(1);
        return QTest::qWaitFor([&] { return !view->frameDetail()->isDecoding(); }, 5000);
    });
    state("messages-protocol", [&](MainWindow &window) {
        QUrl url = echo.url();
        url.setPath(QStringLiteral("/rpc"));
        SessionView *view = window.newSession(url);
        if (!waitForState(view, Session::State::Open))
            return false;
        Composer *composer = view->composer();
        composer->setFormat(Composer::Format::Text);
        for (const char *message : {R"({"jsonrpc":"2.0","method":"login","params":{"user":"ada"},"id":0})",
                                    R"([{"jsonrpc":"2.0","method":"subscribe","params":["prices"],"id":1},)"
                                    R"({"jsonrpc":"2.0","method":"subscribe","params":["trades"],"id":2},)"
                                    R"({"jsonrpc":"2.0","method":"hello","params":[]}])",
                                    R"({"jsonrpc":"2.0","method":"get_quote","params":["ACME"],"id":3})"}) {
            composer->setText(QString::fromUtf8(message));
            composer->send();
            QTest::qWait(40);
        }
        if (!QTest::qWaitFor([&] { return view->records()->log->messageCount() >= 6; }, 5000))
            return false;
        view->showMessages(true);
        if (!QTest::qWaitFor([&] { return !view->messageTable()->isColumnHidden(MessageTableModel::Protocol); }, 5000))
            return false;
        if (!QTest::qWaitFor([&] { return view->messageModel()->rowCount() >= 6; }, 5000))
            return false;
        view->messageTable()->selectRow(3); // the echoed batch: every message of it in the detail
        return QTest::qWaitFor(
            [&] { return !view->findChild<FrameDetailView *>(QStringLiteral("messageDetail"))->isDecoding(); }, 5000);
    });
    state("failed", [&](MainWindow &window) {
        SessionView *view = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/feed")));
        return QTest::qWaitFor([&] { return view->source()->state() != Session::State::Connecting; }, 10000);
    });

    state("recording", [&](MainWindow &window) {
        if (recording.isEmpty())
            return false;
        QSignalSpy opened(&window, &MainWindow::fileOpened);
        window.openFile(recording);
        return (!opened.isEmpty() || opened.wait(10000)) && opened.first().at(2).toString().isEmpty();
    });

    state("har", [&](MainWindow &window) {
        QSignalSpy opened(&window, &MainWindow::fileOpened);
        window.openFile(QDir(recordingsDir).filePath(QStringLiteral("live.har")));
        return (!opened.isEmpty() || opened.wait(10000)) && opened.first().at(2).toString().isEmpty();
    });

    state("capture-list", [&](MainWindow &window) { // the dialog, the instructions and a captured tab on the way
        if (!startCapture(window, look, QStringLiteral("capture-dialog")))
            return false;
        CaptureInstructionsDialog *instructions = window.showCaptureInstructions();
        instructions->showSection(QStringLiteral("chrome"));
        if (!grab(window, look, QStringLiteral("capture-instructions"), instructions))
            return false;
        // The CA's own page, once its fingerprint (read on a pool thread) is in.
        instructions->showSection(QStringLiteral("ca"));
        const auto fingerprintShown = [instructions] {
            for (const auto &[view, copy] : instructions->snippets()) {
                if (view->text().count(u':') == 31)
                    return true;
            }
            return false;
        };
        if (!QTest::qWaitFor(fingerprintShown, 10000) ||
            !grab(window, look, QStringLiteral("capture-ca"), instructions))
            return false;
        instructions->close();
        // A session of ours through the proxy (CONNECT), with traffic: its captured tab in front.
        if (!showCapturedSession(window, QUrl(echo.url().toString() + QStringLiteral("market/feed"))) ||
            !grab(window, look, QStringLiteral("captured")))
            return false;
        // Past eight: the Captured list shows.
        for (int i = 0; i < MainWindow::maxCapturedTabs + 2; ++i) {
            SessionOptions more = optionsFor(QUrl(echo.url().toString() + QStringLiteral("stream/%1").arg(i)));
            more.proxy = window.liveCapture()->url();
            window.newSession()->connectTo(more);
        }
        if (!QTest::qWaitFor([&] { return window.liveCapture()->webSocketCount() == MainWindow::maxCapturedTabs + 3; },
                             10000))
            return false;
        return true;
    });

    state("captured-rules-handshake", [&](MainWindow &window) { // captured-rules on the way
        // The capture proxy with rules: the client's prices replaced, the relay's own beat every 400 ms.
        QString error;
        CaptureOptions capture;
        capture.relay.rules =
            RuleFile::parse(R"({"rules": [{"name": "redact", "from": "client", "match": "BTC", "action": "replace",
                                "with": "XXX"},
                               {"name": "beat", "action": "inject", "to": "client", "text": "relay beat",
                                "every_ms": 400}]})",
                            &error);
        if (!capture.relay.rules)
            return false;
        window.liveCapture()->start(capture, QString());
        if (!QTest::qWaitFor([&] { return window.liveCapture()->isRunning(); }, 10000))
            return false;
        // Row 1: the relay's replacement of the first message.
        SessionView *captured =
            showCapturedSession(window, QUrl(echo.url().toString() + QStringLiteral("market/feed")));
        if (!captured || !grab(window, look, QStringLiteral("captured-rules")))
            return false;
        captured->showSidePage(captured->handshakeView());
        return true;
    });

    state("held", [&](MainWindow &window) { // a pause rule holding a session's orders beside the Rules panel's rules
        QString error;
        CaptureOptions capture;
        capture.relay.rules = RuleFile::parse(R"json({"rules": [{"name": "hold orders", "from": "client",
            "match": "\"seq\":100[3579]", "action": "pause"}]})json",
                                              &error);
        window.liveCapture()->start(capture, QString());
        if (!capture.relay.rules || !QTest::qWaitFor([&] { return window.liveCapture()->isRunning(); }, 10000))
            return false;
        SessionView *client = window.newSession();
        SessionOptions options = optionsFor(QUrl(echo.url().toString() + QStringLiteral("orders")));
        options.proxy = window.liveCapture()->url();
        client->connectTo(options);
        if (!waitForState(client, Session::State::Open))
            return false;
        for (int i = 0; i < 12; ++i) {
            client->composer()->setFormat(Composer::Format::Json);
            client->composer()->setText(
                QStringLiteral(R"({"type":"order","sym":"BTC-USD","qty":%1,"seq":%2})").arg(i + 1).arg(1000 + i));
            client->composer()->send();
            QTest::qWait(30);
        }
        HeldMessagesView *held = window.heldMessagesView();
        if (!QTest::qWaitFor([&] { return held->count() == 4; }, 10000))
            return false;
        // The first one edited and forwarded: a decided hold on the timeline, three still waiting.
        held->editor()->setPlainText(QStringLiteral("{\n  \"type\": \"order\",\n  \"qty\": 40\n}"));
        if (!held->forwardEdited())
            return false;
        QTest::qWait(600);
        for (int i = 0; i < window.sessionTabs()->count(); ++i) {
            auto *view = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
            if (view && qobject_cast<RelayedSource *>(view->source()))
                window.sessionTabs()->setCurrentWidget(view);
        }
        return QTest::qWaitFor([&] { return held->count() == 3; }, 5000);
    });

    state("rules", [&](MainWindow &window) { // rules-empty, rules-editor-bad and rules-capture-dialog on the way
        SessionView *live = window.newSession(echo.url());
        if (!waitForState(live, Session::State::Open) || !sendTraffic(live))
            return false;
        window.showRulesPanel();
        if (!grab(window, look, QStringLiteral("rules-empty")))
            return false;
        RuleEditorDialog *editor = window.rulesPanel()->edit(CaptureRules::exampleDocument());
        editor->setDocument(R"({"rules": [
  {"name": "redact", "from": "client", "match": "secret", "action": "replace", "with": "public"},
  {"name": "boom", "from": "server", "action": "explode"}
]}
)");
        if (!grab(window, look, QStringLiteral("rules-editor-bad"), editor))
            return false;
        editor->setDocument(R"({"rules": [
  {"name": "rename symbol", "from": "client", "match": "BTC-USD", "action": "replace", "with": "ETH-USD"},
  {"name": "bye closes", "from": "server", "match": "^bye$", "action": "close", "to": "client", "code": 4000,
   "reason": "injected"},
  {"name": "slow server", "from": "server", "match": "^slow-", "action": "delay", "ms": 600, "enabled": false},
  {"name": "no pongs", "from": "server", "action": "no-pong"},
  {"name": "heartbeat", "action": "inject", "to": "client", "text": "tick", "every_ms": 5000}
]}
)");
        if (!editor->apply())
            return false;
        if (!startCapture(window, look, QStringLiteral("rules-capture-dialog")) ||
            !showCapturedSession(window, QUrl(echo.url().toString() + QStringLiteral("market/feed"))))
            return false;
        window.rulesPanel()->ruleModel()->refreshCounts();
        return true;
    });
    return ok;
}

std::optional<Theme::Variant> paletteNamed(const QString &name)
{
    if (name == QLatin1String("light"))
        return Theme::Variant::Light;
    if (name == QLatin1String("dark"))
        return Theme::Variant::Dark;
    if (name == QLatin1String("high-contrast"))
        return Theme::Variant::HighContrastDark;
    return std::nullopt;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WS Inspector window states"));
    QApplication::setOrganizationName(QStringLiteral("WS Inspector window states")); // not the user's settings
    QTemporaryDir recordings;
    qputenv("WSI_RECORDING_DIR", recordings.path().toLocal8Bit());
    QTemporaryDir dataHome; // the capture CA the instructions show is made here, not in the user's data folder
    qputenv("XDG_DATA_HOME", dataHome.path().toLocal8Bit());

    Look look{QSize(1024, 700), QStringLiteral("light"), QString()};
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--size") && i + 1 < args.size()) {
            const QStringList parts = args.at(++i).split(QLatin1Char('x'));
            look.size = parts.size() == 2 ? QSize(parts.at(0).toInt(), parts.at(1).toInt()) : QSize();
        } else if (arg == QLatin1String("--palette") && i + 1 < args.size()) {
            look.palette = args.at(++i);
        } else if (look.outputDir.isEmpty() && !arg.startsWith(QLatin1String("--"))) {
            look.outputDir = arg;
        } else {
            look.outputDir.clear();
            break;
        }
    }
    const std::optional<Theme::Variant> palette = paletteNamed(look.palette);
    if (look.outputDir.isEmpty() || !palette || look.size.width() < 320 || look.size.height() < 240) {
        std::fprintf(stderr, "usage: wsi_window_states OUTPUT_DIR [--size WxH] [--palette light|dark|high-contrast]\n");
        return 2;
    }
    if (onRealDisplay() && QGuiApplication::primaryScreen())
        look.size = QGuiApplication::primaryScreen()->size(); // the window fills the screen it is grabbed from
    if (!QDir().mkpath(look.outputDir)) {
        std::fprintf(stderr, "wsi_window_states: cannot create %s\n", qPrintable(look.outputDir));
        return 1;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(Theme::palette(*palette));

    SessionManager manager;
    EchoServer echo;
    if (!echo.listen()) {
        std::fprintf(stderr, "wsi_window_states: the echo server could not listen\n");
        return 1;
    }
    return renderAll(look, manager, echo, recordings.path()) ? 0 : 1;
}
