// SPDX-License-Identifier: GPL-3.0-or-later
// The real window against the built-in echo server: type the URL, connect, send from the composer, and check the
// frame table, the timeline, the handshake view and following.
#include "HostileServer.h"
#include "PeerProcess.h"
#include "RealNginx.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/protocol/Opcode.h"
#include "core/recordings/SessionRecordings.h"
#include "core/records/HeartbeatHistory.h"
#include "core/rules/RuleFile.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/frames/FrameDetailView.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/FrameTableView.h"
#include "ui/frames/MessageTableModel.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/keepalive/HeartbeatView.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/session/Composer.h"
#include "ui/session/ConnectValuesDialog.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/ConnectionPicker.h"
#include "ui/session/FileSource.h"
#include "ui/session/HandshakeView.h"
#include "ui/session/LiveSource.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionControl.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/NoticeBanner.h"
#include "ui/widgets/Theme.h"
#include "ui/widgets/ThemeChoice.h"
#include "ui/window/ExportSessionDialog.h"
#include "ui/window/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QWheelEvent>
#include <QtTest/qtestspontaneevent.h>

using namespace wsi;

namespace {

// The connection a view of a live session follows; null for other views (relayed, from a file).
Session *liveSession(const SessionView *view)
{
    const auto *live = qobject_cast<const LiveSource *>(view->source());
    return live ? live->session() : nullptr;
}

// Automatic reconnect to a server of ours on `port`: the first reconnect after initialDelayMs (with jitter).
SessionOptions reconnectingTo(quint16 port, int initialDelayMs, int maxAttempts = 0)
{
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.reconnect.enabled = true;
    options.reconnect.initialDelayMs = initialDelayMs;
    options.reconnect.maxAttempts = maxAttempts;
    return options;
}

// The connection bar's elapsed time for a connection that ended `ns` after it started: to the tenth.
QString elapsedAtTheEnd(qint64 ns)
{
    const qint64 tenths = (ns + 50'000'000) / 100'000'000;
    return QStringLiteral("%1:%2:%3.%4")
        .arg(tenths / 36000, 2, 10, QLatin1Char('0'))
        .arg(tenths / 600 % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths / 10 % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths % 10);
}

// Whether the whole of `widget` is on screen inside its window: shown, not clipped by a parent, not past the window's
// edges. What is, a user can see and use.
bool wholeInView(const QWidget *widget)
{
    if (!widget->isVisible())
        return false;
    const QRect inWindow(widget->mapTo(widget->window(), QPoint(0, 0)), widget->size());
    return widget->window()->rect().contains(inWindow) && widget->visibleRegion().boundingRect() == widget->rect();
}

// A laptop screen less its window decorations and a panel: the most the window's minimum may be.
constexpr QSize laptopRoom(1000, 620);

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpMenuListsEveryShortcut();
    void ctrlFFocusesTheFilterThatCountsWhatItShows();
    void messagesViewShowsWholeMessages();
    void variablesOfAnUnsavedSessionAreAskedFor();
    void failedOpenSaysWhatAndWhereUntilDismissed();
    void startupArgumentsTellFilesFromUrls();
    void recordingsFolderIsNamedWhenNothingShowsIt();
    void themeMenuRepaintsTheWindow();
    void wallClockColumnFromTheViewMenu();
    void echoServerIsNamedWithAHint();
    void copyAsCommandReproducesTheSession();
    void typeConnectSendAndSee();
    void followingPausesAndResumes();
    void refusedHandshakeIsShown();
    void serverRefusingWith403IsShown();
    void serverDroppingWithoutCloseShows1006();
    void newAndCloseSessions();
    void withoutTabsTheWindowSaysHowToBegin();
    void reproduceLiveThroughTheTimeoutProxy();
    void reconnectsAfterTheServerDrops();
    void stopReconnectingFromTheBar();
    void heartbeatFromTheOptionsRuns();
    void exportsTheSessionAsHar();
    void exportsLiveAndCapturedSessionsAsJsonLines();
    void exportLeavesSecretsOutUnlessAsked();
    void recordsSessionsAndOpensTheRecording();
    void ownSessionsRulesMarkItsFrames();
    void abnormalRecordingOpensWithItsDiagnosis();
    void keepaliveTabStartsFromTheChainTheSessionSuggests();
    void opensHarFilesByDropAndRefusesOthers();
    void fitsALaptopScreenWithEveryPanelInView();
    void optionsNeverGrowTheWindow();
    void keepaliveResultShowsWithoutScrolling_data();
    void keepaliveResultShowsWithoutScrolling();
    void passingWheelChangesNoValue();

private:
    // Every window records its sessions (on by default) into this directory, not the user's.
    QTemporaryDir m_recordings;
    static QList<QPair<QString, QString>> rows(SessionView *view);
    static bool waitForOpen(SessionView *view);
};

void tst_MainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("WS Inspector tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_recordings.isValid());
    qputenv("WSI_RECORDING_DIR", m_recordings.path().toLocal8Bit());
    QSettings().remove(QStringLiteral("recording/enabled"));
}

// (direction arrow, opcode name) per row, as the table shows them.
QList<QPair<QString, QString>> tst_MainWindow::rows(SessionView *view)
{
    QList<QPair<QString, QString>> out;
    FrameTableModel *model = view->frameModel();
    for (int r = 0; r < model->rowCount(); ++r) {
        const auto direction = Direction(model->data(model->index(r, 0), FrameTableModel::DirectionRole).toInt());
        const auto opcode = quint8(model->data(model->index(r, 0), FrameTableModel::OpcodeRole).toInt());
        out.append(
            {direction == Direction::Outgoing ? QStringLiteral("out") : QStringLiteral("in"), Opcodes::name(opcode)});
    }
    return out;
}

bool tst_MainWindow::waitForOpen(SessionView *view)
{
    return QTest::qWaitFor([view] { return liveSession(view) && liveSession(view)->state() == Session::State::Open; },
                           10000);
}

// Help: the shortcut list is read from the window's own actions and shortcuts, so every one is in it; About says
// which version this is and links nowhere.
void tst_MainWindow::helpMenuListsEveryShortcut()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.newSession();
    const QList<QPair<QString, QString>> list = window.shortcutList();
    const auto has = [&list](const QKeySequence &keys, const QString &what) {
        const QString written = keys.toString(QKeySequence::NativeText);
        for (const auto &[shownKeys, shownWhat] : list) {
            if (shownKeys.split(QStringLiteral(", ")).contains(written) && shownWhat.contains(what))
                return true;
        }
        return false;
    };
    QVERIFY(has(QKeySequence::Find, QStringLiteral("View › Filter…")));
    QVERIFY(has(QKeySequence::New, QStringLiteral("File › New session")));
    QVERIFY(has(QKeySequence::Open, QStringLiteral("File › Open recording or HAR")));
    QVERIFY(has(QKeySequence(QStringLiteral("Ctrl+Shift+C")), QStringLiteral("File › Copy as command")));
    QVERIFY(has(QKeySequence::HelpContents, QStringLiteral("Help › Keyboard shortcuts")));
    QVERIFY(has(QKeySequence(QStringLiteral("Ctrl+L")), QStringLiteral("URL")));
    QVERIFY(has(QKeySequence(QStringLiteral("Ctrl+Return")), QStringLiteral("composer")));
    QVERIFY(has(QKeySequence(QStringLiteral("Ctrl+Enter")), QStringLiteral("composer")));
    // Every action of the menus with a shortcut is listed.
    std::function<void(QMenu *)> walk = [&](QMenu *menu) {
        for (QAction *action : menu->actions()) {
            if (action->menu())
                walk(action->menu());
            else if (!action->shortcut().isEmpty())
                QVERIFY2(has(action->shortcut(), action->text().remove(u'&')), qPrintable(action->text()));
        }
    };
    for (QAction *top : window.menuBar()->actions())
        walk(top->menu());

    QDialog *dialog = window.showShortcuts();
    QCOMPARE(dialog->findChild<QTreeWidget *>(QStringLiteral("shortcuts"))->topLevelItemCount(), list.size());
    dialog->close();
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    auto *about = qobject_cast<QMessageBox *>(window.showAbout());
    QVERIFY(about->text().contains(QStringLiteral("WS Inspector 9.8.7")));
    QVERIFY(about->informativeText().contains(QString::fromLatin1(qVersion())));
    QVERIFY(!about->informativeText().contains(QStringLiteral("http")));
    about->close();
}

// Ctrl+F puts the cursor in the filter; while a filter is active the view says how many rows of how many it shows;
// a regex that does not compile says why there and leaves the rows of the last valid filter.
void tst_MainWindow::ctrlFFocusesTheFilterThatCountsWhatItShows()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionView *view = window.newSession(echo.url());
    QVERIFY(waitForOpen(view));
    for (const char *text : {"one", "two", "three"}) {
        view->composer()->setText(QString::fromLatin1(text));
        view->composer()->send();
    }
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() == 6; }, 10000));
    QCOMPARE(view->filterStatus(), QString()); // no filter, nothing to count

    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    auto *filter = view->findChild<QLineEdit *>(QStringLiteral("filterText"));
    QVERIFY(QTest::qWaitFor([&] { return filter->hasFocus(); }, 5000));
    QTest::keyClicks(filter, QStringLiteral("tw"));
    QVERIFY(QTest::qWaitFor([&] { return view->filterStatus() == QStringLiteral("2 of 6 shown"); }, 5000));

    view->findChild<QCheckBox *>(QStringLiteral("filterRegex"))->setChecked(true);
    QVERIFY(QTest::qWaitFor([&] { return view->filterStatus() == QStringLiteral("2 of 6 shown"); }, 5000));
    QTest::keyClicks(filter, QStringLiteral("(")); // "tw(": a group never closed
    QVERIFY2(view->filterStatus().startsWith(QStringLiteral("Regex: ")), qPrintable(view->filterStatus()));
    QCOMPARE(view->frameModel()->rowCount(), 2); // the last valid filter's rows, not every row
    QTest::keyClick(filter, Qt::Key_Backspace);
    QVERIFY(QTest::qWaitFor([&] { return view->filterStatus() == QStringLiteral("2 of 6 shown"); }, 5000));

    // The messages follow the same filter.
    view->showMessages(true);
    QCOMPARE(view->messageModel()->rowCount(), 2);
    QCOMPARE(view->filterStatus(), QStringLiteral("2 of 6 shown"));
    filter->clear();
    QVERIFY(QTest::qWaitFor([&] { return view->messageModel()->rowCount() == 6; }, 5000));
    QCOMPARE(view->filterStatus(), QString());
}

// Beside the frames, the messages: a message sent in three fragments is one row, and its detail is the whole
// message.
void tst_MainWindow::messagesViewShowsWholeMessages()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession(echo.url());
    QVERIFY(waitForOpen(view));
    view->composer()->setFormat(Composer::Format::Json);
    view->composer()->setText(QStringLiteral(R"({"op":"subscribe","channel":"ticker"})"));
    view->composer()->setFragments(3);
    view->composer()->send();
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() == 4; }, 10000));
    view->showMessages(true);
    QVERIFY(view->isShowingMessages());
    QVERIFY(view->messageTable()->isVisible());
    QVERIFY(!view->frameTable()->isVisible());
    MessageTableModel *messages = view->messageModel();
    QCOMPARE(messages->rowCount(), 2);
    QCOMPARE(messages->data(messages->index(0, MessageTableModel::Frames)).toString(), QStringLiteral("3"));
    QCOMPARE(messages->data(messages->index(1, MessageTableModel::Frames)).toString(), QStringLiteral("1"));
    view->messageTable()->selectRow(0);
    QCOMPARE(view->messageDetail()->currentPayload(), QByteArrayLiteral(R"({"op":"subscribe","channel":"ticker"})"));
    auto *sideTabs = view->findChild<QTabWidget *>(QStringLiteral("sideTabs"));
    QCOMPARE(view->shownSidePage(), view->messageDetail());
    QVERIFY(!sideTabs->isTabVisible(view->sideTabIndex(view->frameDetail())));
    // Ctrl+1 goes back to the frames.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QVERIFY(QTest::qWaitFor([&] { return !view->isShowingMessages(); }, 5000));
    QVERIFY(sideTabs->isTabVisible(view->sideTabIndex(view->frameDetail())));
}

// "{{name}}" in a session's own options (no profile) is asked for before connecting and never sent as written.
void tst_MainWindow::variablesOfAnUnsavedSessionAreAskedFor()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession();
    ConnectionBar *bar = view->connectionBar();
    bar->findChild<QLineEdit *>(QStringLiteral("url"))
        ->setText(QStringLiteral("ws://127.0.0.1:%1/{{room}}").arg(echo.url().port()));
    bar->findChild<QPlainTextEdit *>(QStringLiteral("headers"))->setPlainText(QStringLiteral("X-Token: {{token}}"));
    bar->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    ConnectValuesDialog *ask = nullptr;
    QVERIFY(QTest::qWaitFor([&] { return (ask = view->findChild<ConnectValuesDialog *>()) != nullptr; }, 5000));
    QCOMPARE(ask->questions().size(), 2);
    QCOMPARE(liveSession(view), nullptr); // nothing sent while asking
    ask->field(0)->setText(QStringLiteral("lobby"));
    ask->field(1)->setText(QStringLiteral("s3cr3t"));
    ask->accept();
    QVERIFY(waitForOpen(view));
    const QByteArray request = liveSession(view)->handshake().requestBytes;
    QVERIFY2(request.contains("X-Token: s3cr3t\r\n"), request.constData());
    QVERIFY2(request.contains("GET /lobby "), request.constData());
    QVERIFY(!request.contains("{{"));
    QVERIFY(!request.contains("%7B"));
}

// A file that does not open says what and where, above the tabs, until the user dismisses it; no tab opens.
void tst_MainWindow::failedOpenSaysWhatAndWhereUntilDismissed()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    const int tabs = window.sessionTabs()->count();
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    QTemporaryDir dir;
    const QString transcript = dir.filePath(QStringLiteral("capture.jsonl"));
    QFile file(transcript);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"event":"handshake","t":0,"url":"ws://h.test/","status":101})"
               "\n");
    file.close();
    const QString malformed = QStringLiteral(WSI_TEST_DATA_DIR "/har/malformed/missing-comma.har");
    const QString missing = dir.filePath(QStringLiteral("missing.har"));
    const QList<QPair<QString, QString>> cases{
        {malformed, QStringLiteral("line ")},
        {transcript, QStringLiteral("JSON lines of 'wsinspector-cli connect --json'")},
        {missing, QStringLiteral("No such file")},
        // Not JSON at all: what it begins with, not a guess at what it is.
        {QStringLiteral(WSI_TEST_DATA_DIR "/har/malformed/not-json.har"),
         QStringLiteral("it begins with “<!DOCTYPE html>”")},
    };
    for (const auto &[path, says] : cases) {
        opened.clear();
        window.openFile(path);
        QVERIFY(opened.wait(10000));
        QCOMPARE(opened.first().at(1).toInt(), 0);
        const QString error = opened.first().at(2).toString();
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
    }
    QCOMPARE(window.sessionTabs()->count(), tabs);
    QList<NoticeBanner *> notices = window.notices();
    QCOMPARE(notices.size(), 4);
    for (NoticeBanner *notice : notices) {
        QCOMPARE(notice->kind(), NoticeBanner::Kind::Failure);
        QVERIFY(notice->isVisible());
    }
    QVERIFY2(notices.at(0)->text().contains(QStringLiteral("missing-comma.har")), qPrintable(notices.at(0)->text()));
    // Nothing takes them away but the user.
    QTest::qWait(100);
    QCOMPARE(window.notices().size(), 4);
    notices.at(1)->findChild<QToolButton *>(QStringLiteral("dismissNotice"))->click();
    QCOMPARE(window.notices().size(), 3);
}

// `wsinspector FILE`: a path is a file even when it is missing (said so), never a URL; ws://, wss:// and
// host[:port] are addresses, and a bad port is said in a plain sentence.
void tst_MainWindow::startupArgumentsTellFilesFromUrls()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openArgument(QStringLiteral("/nonexistent/missing.har"));
    QVERIFY(opened.wait(10000));
    QVERIFY2(opened.first().at(2).toString().contains(QStringLiteral("/nonexistent/missing.har")),
             qPrintable(opened.first().at(2).toString()));
    QCOMPARE(window.sessionTabs()->count(), 0); // no session tried to connect to it
    window.openArgument(QStringLiteral("ws://127.0.0.1:99999/"));
    QCOMPARE(window.sessionTabs()->count(), 0);
    QVERIFY(window.notices().constLast()->text().contains(QStringLiteral("port 99999 is out of range 1-65535")));
    window.openArgument(QStringLiteral("127.0.0.1:9"));
    QCOMPARE(window.sessionTabs()->count(), 1);
    QCOMPARE(window.currentSession()->connectionBar()->options()->url, QUrl(QStringLiteral("ws://127.0.0.1:9")));
}

void tst_MainWindow::recordingsFolderIsNamedWhenNothingShowsIt()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QList<QUrl> asked;
    window.setFolderOpener([&asked](const QUrl &url) {
        asked.append(url);
        return false; // no file manager
    });
    window.showRecordingsFolder();
    QCOMPARE(asked.size(), 1);
    const QString folder = QDir::toNativeSeparators(asked.first().toLocalFile());
    QCOMPARE(folder, QDir::toNativeSeparators(m_recordings.path()));
    QCOMPARE(window.notices().size(), 1);
    NoticeBanner *notice = window.notices().first();
    QVERIFY2(notice->text().contains(folder), qPrintable(notice->text()));
    auto *copy = notice->findChild<QPushButton *>();
    QCOMPARE(copy->text(), QStringLiteral("Copy path"));
    copy->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), folder);
    // Opened: nothing to say.
    window.setFolderOpener([](const QUrl &) { return true; });
    notice->dismiss();
    window.showRecordingsFolder();
    QVERIFY(window.notices().isEmpty());
}

// View > Theme switches the palette at run time, keeps the choice, and what the window paints follows.
void tst_MainWindow::themeMenuRepaintsTheWindow()
{
    const QPalette before = QApplication::palette();
    SessionManager manager;
    MainWindow window(&manager);
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionView *view = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/refused")));
    QVERIFY(QTest::qWaitFor([&] { return view->connectionBar()->stateText().startsWith(QStringLiteral("closed")); },
                            10000));
    auto *chip = view->connectionBar()->findChild<QLabel *>(QStringLiteral("stateChip"));
    const QRgb lightTimeline = view->timeline()->grab().toImage().pixel(5, 5);

    window.findChild<QAction *>(QStringLiteral("theme-dark"))->trigger();
    QCOMPARE(QApplication::palette().color(QPalette::Window),
             Theme::palette(Theme::Variant::Dark).color(QPalette::Window));
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
    QCOMPARE(ThemeChoice::current(), std::optional<Theme::Variant>(Theme::Variant::Dark));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return chip->palette().color(QPalette::Window) ==
                   Theme::palette(Theme::Variant::Dark).color(QPalette::Window);
        },
        5000));
    QTRY_VERIFY_WITH_TIMEOUT(view->timeline()->grab().toImage().pixel(5, 5) != lightTimeline, 5000);

    window.findChild<QAction *>(QStringLiteral("theme-high-contrast"))->trigger();
    QCOMPARE(Theme::variantOf(QApplication::palette()), Theme::Variant::HighContrastDark);
    window.findChild<QAction *>(QStringLiteral("theme-system"))->trigger();
    QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("system"));
    // Widgets take the application's palette from posted events.
    QTRY_COMPARE_WITH_TIMEOUT(view->timeline()->grab().toImage().pixel(5, 5), lightTimeline, 5000);
}

void tst_MainWindow::wallClockColumnFromTheViewMenu()
{
    QSettings().remove(QStringLiteral("view/wallClock"));
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *first = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/")));
    QVERIFY(QTest::qWaitFor([&] { return first->frameModel() != nullptr; }, 10000));
    QVERIFY(first->frameTable()->isColumnHidden(FrameTableModel::WallClock)); // hidden by default
    auto *toggle = window.findChild<QAction *>(QStringLiteral("wallClockAction"));
    toggle->trigger();
    QVERIFY(!first->frameTable()->isColumnHidden(FrameTableModel::WallClock));
    SessionView *second = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/")));
    QVERIFY(QTest::qWaitFor([&] { return second->frameModel() != nullptr; }, 10000));
    QVERIFY(!second->frameTable()->isColumnHidden(FrameTableModel::WallClock));
    QVERIFY(QSettings().value(QStringLiteral("view/wallClock")).toBool());
    toggle->trigger();
    QVERIFY(first->frameTable()->isColumnHidden(FrameTableModel::WallClock));
    QVERIFY(second->frameTable()->isColumnHidden(FrameTableModel::WallClock));
}

void tst_MainWindow::echoServerIsNamedWithAHint()
{
    QSettings().remove(QStringLiteral("hints/echoServer"));
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    {
        MainWindow window(&manager);
        window.show();
        SessionView *view = window.openEchoServer(echo.url());
        QCOMPARE(window.sessionTabs()->tabText(window.sessionTabs()->indexOf(view)),
                 QStringLiteral("built-in echo server"));
        QCOMPARE(window.notices().size(), 1);
        QCOMPARE(window.notices().first()->kind(), NoticeBanner::Kind::Hint);
        QVERIFY(window.notices().first()->text().contains(echo.url().toString()));
        QVERIFY(window.notices().first()->text().contains(QStringLiteral("Ctrl+Enter")));
        window.notices().first()->dismiss();
    }
    // Dismissed once: the next start names the tab without the hint.
    MainWindow window(&manager);
    window.openEchoServer(echo.url());
    QVERIFY(window.notices().isEmpty());
}

// File > Copy as command: the line wsinspector-cli connect takes to open the same connection, secrets as variables.
void tst_MainWindow::copyAsCommandReproducesTheSession()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession();
    ConnectionBar *bar = view->connectionBar();
    SessionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:9/feed"));
    options.headers.append("Authorization", "Bearer s3cr3t");
    options.subprotocols = {QStringLiteral("v2.chat")};
    options.reconnect.enabled = true;
    bar->setOptions(options);
    window.findChild<QAction *>(QStringLiteral("copyAsCommand"))->trigger();
    const QString line = QGuiApplication::clipboard()->text();
    QCOMPARE(line,
             QStringLiteral("wsinspector-cli connect -H \"Authorization: ${AUTHORIZATION}\" --subprotocol v2.chat "
                            "--reconnect ws://127.0.0.1:9/feed"));
}

void tst_MainWindow::typeConnectSendAndSee()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionView *view = window.newSession();
    auto *url = view->connectionBar()->findChild<QLineEdit *>(QStringLiteral("url"));
    QTest::keyClicks(url, echo.url().toString());
    QTest::keyClick(url, Qt::Key_Return);
    QVERIFY(waitForOpen(view));
    // The chip follows the session's queued stateChanged signal.
    QVERIFY(QTest::qWaitFor([&] { return view->connectionBar()->stateText() == QStringLiteral("open"); }, 5000));

    Composer *composer = view->composer();
    auto *editor = composer->findChild<QPlainTextEdit *>(QStringLiteral("editor"));
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("hello from the window"));
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    composer->setFormat(Composer::Format::Hex);
    composer->setText(QStringLiteral("de ad be ef"));
    composer->send();
    composer->setFormat(Composer::Format::Text);
    composer->setText(QStringLiteral("p"));
    composer->findChild<QPushButton *>(QStringLiteral("ping"))->click();
    composer->setText(QStringLiteral("in three parts"));
    composer->setFragments(3);
    composer->send();

    // Out: text, binary, ping, text + 2 continuations; in: text, binary, pong, text (echoed whole).
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 10; }, 10000));
    const auto shown = rows(view);
    QCOMPARE(shown.count({QStringLiteral("out"), QStringLiteral("continuation")}), 2);
    QCOMPARE(shown.count({QStringLiteral("in"), QStringLiteral("pong")}), 1);
    QCOMPARE(shown.count({QStringLiteral("out"), QStringLiteral("ping")}), 1);
    QCOMPARE(shown.count({QStringLiteral("in"), QStringLiteral("binary")}), 1);
    QCOMPARE(shown.count({QStringLiteral("in"), QStringLiteral("text")}), 2);
    QCOMPARE(shown.first(), qMakePair(QStringLiteral("out"), QStringLiteral("text")));

    // The handshake reached the handshake view, the timeline has every frame, the status bar counts them.
    QVERIFY(liveSession(view)->handshake().accepted);
    QCOMPARE(view->timeline()->frameLog()->frameCount(), view->frameModel()->rowCount());
    QVERIFY(QTest::qWaitFor(
        [&] {
            return window.findChild<QLabel *>(QStringLiteral("status"))
                ->text()
                .contains(QStringLiteral("in: 4 frames"));
        },
        5000));

    // Disconnect: a clean close, shown on the chip.
    view->connectionBar()->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    QVERIFY(QTest::qWaitFor([&] { return liveSession(view)->state() == Session::State::Closed; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return view->connectionBar()->stateText() == QStringLiteral("closed 1000"); }, 5000));
}

void tst_MainWindow::followingPausesAndResumes()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SessionView *view = window.newSession(echo.url());
    QVERIFY(waitForOpen(view));
    auto send = [&](int count) {
        for (int i = 0; i < count; ++i) {
            view->composer()->setText(QStringLiteral("message %1").arg(i));
            view->composer()->send();
        }
    };
    send(100);
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 200; }, 10000));
    QTest::qWait(50);
    QVERIFY(view->isFollowing());
    QScrollBar *bar = view->frameTable()->verticalScrollBar();
    QVERIFY(QTest::qWaitFor([&] { return bar->value() == bar->maximum(); }, 5000));

    // Selecting a row pauses following: new frames do not scroll it away, a button counts them.
    view->frameTable()->selectRow(10);
    QVERIFY(!view->isFollowing());
    const int positionBefore = bar->value();
    send(20);
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 240; }, 10000));
    auto *newFrames = view->findChild<QPushButton *>(QStringLiteral("newFrames"));
    QVERIFY(QTest::qWaitFor([&] { return newFrames->isVisible(); }, 5000));
    QCOMPARE(bar->value(), positionBefore);
    QVERIFY(newFrames->text().contains(QStringLiteral("new frame")));

    newFrames->click();
    QVERIFY(view->isFollowing());
    QVERIFY(!newFrames->isVisible());
    QVERIFY(QTest::qWaitFor([&] { return bar->value() == bar->maximum(); }, 5000));
}

void tst_MainWindow::refusedHandshakeIsShown()
{
    SessionManager manager;
    MainWindow window(&manager);
    // Nothing listens on port 9 of 127.0.0.1 here: the connection is refused.
    SessionView *view = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/")));
    QVERIFY(QTest::qWaitFor([&] { return liveSession(view)->state() == Session::State::Closed; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return view->connectionBar()->stateText() == QStringLiteral("closed 1006"); }, 5000));
    QVERIFY(!liveSession(view)->handshake().explanation.isEmpty());
}

void tst_MainWindow::serverRefusingWith403IsShown()
{
    test::HostileServer server(QStringLiteral("refused-403"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QVERIFY(
        QTest::qWaitFor([&] { return view->connectionBar()->stateText() == QStringLiteral("closed 1006"); }, 10000));
    HandshakeView *handshake = view->handshakeView();
    // The handshake tab comes forward by itself, with the status line, why it failed, and the server's body.
    QVERIFY(handshake->isVisible());
    auto *status = handshake->findChild<QLabel *>(QStringLiteral("handshakeStatus"));
    QVERIFY(status->text().contains(QStringLiteral("403")));
    auto *explanation = handshake->findChild<QLabel *>(QStringLiteral("handshakeExplanation"));
    QVERIFY2(explanation->text().contains(QStringLiteral("403")), qPrintable(explanation->text()));
    auto *body = handshake->findChild<QPlainTextEdit *>(QStringLiteral("refusalBody"));
    QVERIFY(body->toPlainText().contains(QStringLiteral("origin not allowed")));
    QCOMPARE(view->frameTable()->model()->rowCount(), 0);
}

void tst_MainWindow::serverDroppingWithoutCloseShows1006()
{
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QVERIFY(
        QTest::qWaitFor([&] { return view->connectionBar()->stateText() == QStringLiteral("closed 1006"); }, 10000));
    // The message that came before the end is on the table; the chip's tooltip says nobody sent a Close frame.
    QVERIFY(QTest::qWaitFor([&] { return view->frameTable()->model()->rowCount() == 1; }, 5000));
    const QString tip = view->connectionBar()->findChild<QLabel *>(QStringLiteral("stateChip"))->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("without a Close frame"), Qt::CaseInsensitive), qPrintable(tip));
    // And the diagnosis says what it looked like: no idle timeout (the server sent a message and hung up at once).
    auto *diagnosis = view->findChild<QLabel *>(QStringLiteral("diagnosis"));
    QVERIFY(QTest::qWaitFor([&] { return diagnosis->isVisible(); }, 5000));
    QVERIFY2(diagnosis->text().contains(QStringLiteral("Close frame")), qPrintable(diagnosis->text()));

    // The diagnosis' red bar and the failed chip are the failure colour of the palette in use, and follow it when
    // the desktop goes dark or high contrast.
    auto *chip = view->connectionBar()->findChild<QLabel *>(QStringLiteral("stateChip"));
    const QPalette before = QApplication::palette();
    for (const auto variant : {Theme::Variant::Dark, Theme::Variant::HighContrastDark, Theme::Variant::Light}) {
        QApplication::setPalette(Theme::palette(variant)); // delivered to the widgets by events
        const QColor failure = Theme::color(Theme::Color::Failure, variant);
        QTRY_COMPARE(diagnosis->grab().toImage().pixelColor(1, diagnosis->height() / 2), failure);
        QCOMPARE(chip->grab().toImage().pixelColor(chip->width() / 2, 1), failure);
    }
    QApplication::setPalette(before);
}

void tst_MainWindow::newAndCloseSessions()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.newSession();
    window.newSession();
    QCOMPARE(window.sessionTabs()->count(), 2);
    QTest::keySequence(&window, QKeySequence::Close);
    QCOMPARE(window.sessionTabs()->count(), 1);
    QTest::keySequence(&window, QKeySequence::New);
    QCOMPARE(window.sessionTabs()->count(), 2);

    // A name the user gives replaces the URL on the tab; an empty one restores it.
    window.renameSession(0, QStringLiteral("  staging feed "));
    QCOMPARE(window.sessionTabs()->tabText(0), QStringLiteral("staging feed"));
    window.renameSession(0, QString());
    QCOMPARE(window.sessionTabs()->tabText(0), QStringLiteral("New session"));
}

// With no tab (all closed, or nothing opened at start) the window offers the ways to begin instead of a blank page.
void tst_MainWindow::withoutTabsTheWindowSaysHowToBegin()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *welcome = window.findChild<QWidget *>(QStringLiteral("welcome"));
    QVERIFY(welcome);
    QVERIFY(welcome->isVisible());
    QVERIFY(!window.sessionTabs()->isVisible());
    auto *echoButton = welcome->findChild<QPushButton *>(QStringLiteral("welcomeEcho"));
    QVERIFY(!echoButton->isVisible()); // no echo server known yet

    welcome->findChild<QPushButton *>(QStringLiteral("welcomeNewSession"))->click();
    QCOMPARE(window.sessionTabs()->count(), 1);
    QVERIFY(window.sessionTabs()->isVisible());
    QVERIFY(!welcome->isVisible());

    window.openEchoServer(echo.url());
    QTest::keySequence(&window, QKeySequence::Close);
    QTest::keySequence(&window, QKeySequence::Close);
    QCOMPARE(window.sessionTabs()->count(), 0);
    QVERIFY(welcome->isVisible());
    QVERIFY(echoButton->isVisible());
    echoButton->click();
    QCOMPARE(window.sessionTabs()->count(), 1);
    QCOMPARE(window.sessionTabs()->tabText(0), QStringLiteral("built-in echo server"));
    QVERIFY(waitForOpen(window.currentSession()));
}

void tst_MainWindow::reproduceLiveThroughTheTimeoutProxy()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QString error;
    const auto nginx = ChainLink::parse(u"nginx", IntermediaryCatalog::builtIn(), &error);
    QVERIFY2(nginx, qPrintable(error));
    // nginx's 60 s proxy_read_timeout divided by 60: a silent session is cut after about a second.
    window.reproduceLive(echo.url(), {*nginx}, 60);
    QVERIFY(QTest::qWaitFor([&] { return window.sessionTabs()->count() == 2; }, 10000));
    SessionView *through = nullptr;
    SessionView *proxied = nullptr;
    for (int i = 0; i < window.sessionTabs()->count(); ++i) {
        auto *view = qobject_cast<SessionView *>(window.sessionTabs()->widget(i));
        (qobject_cast<RelayedSource *>(view->source()) ? proxied : through) = view;
    }
    QVERIFY(through && proxied);
    QVERIFY(liveSession(through)->options().url.toString().startsWith(QStringLiteral("ws://127.0.0.1:")));
    QVERIFY(liveSession(through)->options().url.port() != echo.url().port());
    QVERIFY(QTest::qWaitFor([&] { return liveSession(through)->state() == Session::State::Closed; }, 10000));
    QCOMPARE(liveSession(through)->closeRecord()->code, quint16(1006)); // nginx closes TCP without a Close frame
    // The relayed connection's tab marks the cut on its timeline, named after the model's real knob.
    QVERIFY(QTest::qWaitFor([&] { return !proxied->timeline()->markers().isEmpty(); }, 5000));
    QVERIFY2(proxied->timeline()->markers().constFirst().label.contains(QStringLiteral("proxy_read_timeout")),
             qPrintable(proxied->timeline()->markers().constFirst().label));
    QCOMPARE(proxied->stateIcon(), Icons::Name::StateFailed);

    // One story in both tabs: the cut was the timeout proxy's nginx proxy_read_timeout, at its time scale; the
    // client's tab knows it ran behind that proxy and does not call it a crash.
    for (SessionView *view : {through, proxied}) {
        auto *diagnosis = view->findChild<QLabel *>(QStringLiteral("diagnosis"));
        QTRY_VERIFY_WITH_TIMEOUT(diagnosis->isVisibleTo(view) && !diagnosis->text().isEmpty(), 5000);
        QVERIFY2(diagnosis->text().startsWith(QStringLiteral("Cut by the timeout proxy's nginx proxy_read_timeout, "
                                                             "60 s run as 1 s (time scale 60): ")),
                 qPrintable(diagnosis->text()));
        QVERIFY2(!diagnosis->text().contains(QStringLiteral("crash")), qPrintable(diagnosis->text()));
        const QString origin = view->findChild<QLabel *>(QStringLiteral("origin"))->text();
        QVERIFY2(origin.contains(QStringLiteral("time scale 60")), qPrintable(origin));
        // The timeline reaches the end, marked with its code; the heartbeat panel says it ended.
        QVERIFY(view->timeline()->end());
        QCOMPARE(view->timeline()->end()->label, QStringLiteral("closed 1006"));
        QVERIFY(view->timeline()->visibleRange().endNs >= view->timeline()->end()->timeNs);
        QCOMPARE(view->heartbeatView()->health(), HeartbeatView::Health::Ended);
    }
    // About a second of silence, then the cut: the client's elapsed time is its close record's.
    QCOMPARE(through->connectionBar()->elapsedText(), elapsedAtTheEnd(liveSession(through)->closeRecord()->atNs));
}

void tst_MainWindow::reconnectsAfterTheServerDrops()
{
    // A server that sends one message and hangs up, every time: with "reconnect automatically" the view follows
    // each new connection, and stops after the allowed attempts.
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession();
    view->connectTo(reconnectingTo(port, 50, 2));
    QVERIFY(QTest::qWaitFor([&] { return view->connectionNumber() == 3; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return liveSession(view)->state() == Session::State::Closed; }, 10000));
    // The bar says the loop is over, and why.
    QTRY_COMPARE_WITH_TIMEOUT(view->connectionBar()->stateText(),
                              QStringLiteral("closed 1006 · gave up after 2 reconnect attempts"), 5000);
    QCOMPARE(view->connectionNumber(), 3);       // no fourth connection: two attempts in a row were allowed
    QCOMPARE(view->frameModel()->rowCount(), 1); // the latest connection's message
    QVERIFY(view->connectionBar()->findChild<QCheckBox *>(QStringLiteral("reconnect"))->isChecked());

    // Every connection of the chain stays: the picker lists them with how each ended...
    ConnectionPicker *picker = view->connectionPicker();
    QTRY_VERIFY_WITH_TIMEOUT(picker->isVisible() && picker->count() == 3, 5000);
    QVERIFY2(picker->itemText(0).startsWith(QStringLiteral("Connection 1 of 3: closed 1006 after")),
             qPrintable(picker->itemText(0)));
    const QString latestRecording = view->records()->recordingPath;
    QVERIFY(!latestRecording.isEmpty());
    // ...and an earlier one shows its frames, its end, its heartbeat ended, its diagnosis and its own recording.
    picker->setCurrentIndex(0);
    Q_EMIT picker->activated(0);
    QCOMPARE(view->shownConnection(), 1);
    QCOMPARE(view->connectionNumber(), 3);
    QCOMPARE(view->frameModel()->rowCount(), 1);
    QCOMPARE(view->records()->close->code, quint16(1006));
    QVERIFY(!view->records()->recordingPath.isEmpty());
    QVERIFY(view->records()->recordingPath != latestRecording);
    QVERIFY(view->timeline()->end());
    QCOMPARE(view->heartbeatView()->health(), HeartbeatView::Health::Ended);
    auto *diagnosis = view->findChild<QLabel *>(QStringLiteral("diagnosis"));
    QTRY_VERIFY_WITH_TIMEOUT(diagnosis->isVisibleTo(view) && !diagnosis->text().isEmpty(), 5000);
    QVERIFY2(diagnosis->text().contains(QStringLiteral("without a Close frame")), qPrintable(diagnosis->text()));
    // The tab's state stays the latest connection's.
    QCOMPARE(view->connectionBar()->stateText(), QStringLiteral("closed 1006 · gave up after 2 reconnect attempts"));
    // Back to the latest.
    view->showConnection(0);
    QCOMPARE(view->shownConnection(), 3);
    QCOMPARE(view->records()->recordingPath, latestRecording);
}

// While a reconnect waits, the bar counts down to it; Stop reconnecting ends the loop, and the bar says so.
void tst_MainWindow::stopReconnectingFromTheBar()
{
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession();
    view->connectTo(reconnectingTo(port, 60'000)); // 30 to 60 s with jitter: the test stops it long before
    ConnectionBar *bar = view->connectionBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->stateText().startsWith(QStringLiteral("reconnecting in ")), 10000);
    QVERIFY2(bar->stateText().endsWith(QStringLiteral(" s, attempt 1")), qPrintable(bar->stateText()));
    auto *button = bar->findChild<QPushButton *>(QStringLiteral("connect"));
    QCOMPARE(button->text(), QStringLiteral("Stop reconnecting"));
    button->click();
    QTRY_COMPARE_WITH_TIMEOUT(bar->stateText(), QStringLiteral("closed 1006 · reconnecting stopped"), 5000);
    QCOMPARE(button->text(), QStringLiteral("Connect"));
    QCOMPARE(view->connectionNumber(), 1);
    auto *live = qobject_cast<LiveSource *>(view->source());
    QVERIFY(live);
    // The elapsed time is the connection's length from its close record, not a timer's last tick.
    QCOMPARE(bar->elapsedText(), elapsedAtTheEnd(live->records()->close->atNs));
}

void tst_MainWindow::heartbeatFromTheOptionsRuns()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    SessionView *view = window.newSession();
    view->connectionBar()->setOptions([&] {
        SessionOptions options;
        options.url = echo.url();
        return options;
    }());
    view->connectionBar()
        ->findChild<QLineEdit *>(QStringLiteral("heartbeat"))
        ->setText(QStringLiteral("ping:0.1,timeout=1"));
    view->connectionBar()->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    QVERIFY(waitForOpen(view));
    // The engine pings every 100 ms; the echo server's pongs come back; the panel shows the engine's settings.
    auto *heartbeat = view->findChild<HeartbeatView *>();
    QVERIFY(QTest::qWaitFor([&] { return heartbeat->lastRttNs() > 0; }, 5000));
    QVERIFY(
        QTest::qWaitFor([&] { return liveSession(view)->heartbeatHistory()->status().repliesReceived >= 3; }, 5000));
    QCOMPARE(heartbeat->health(), HeartbeatView::Health::Healthy);
    const QString engine = heartbeat->findChild<QLabel *>(QStringLiteral("engine"))->text();
    QVERIFY2(engine.contains(QStringLiteral("every 0.1 s")), qPrintable(engine));
}

void tst_MainWindow::exportsTheSessionAsHar()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.newSession(echo.url());
    QVERIFY(waitForOpen(view));
    view->composer()->setText(QStringLiteral("to the archive"));
    view->composer()->send();
    QVERIFY(QTest::qWaitFor([&] { return liveSession(view)->frameLog()->messageCount() == 2; }, 5000));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.har"));
    QSignalSpy finished(&window, &MainWindow::exportFinished);
    window.exportSessionAsHar(path);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject entry = QJsonDocument::fromJson(file.readAll())
                                  .object()[QStringLiteral("log")][QStringLiteral("entries")][0]
                                  .toObject();
    const QJsonArray messages = entry[QStringLiteral("_webSocketMessages")].toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[0][QStringLiteral("data")].toString(), QStringLiteral("to the archive"));
}

// File > Export session as JSONL: the events of `wsinspector-cli connect --json`, for a live session and for one
// read from a file (a captured tab has no live Session; HAR export works there too).
void tst_MainWindow::exportsLiveAndCapturedSessionsAsJsonLines()
{
    const auto readLines = [](const QString &path) {
        QList<QJsonObject> lines;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return lines;
        while (!file.atEnd())
            lines.append(QJsonDocument::fromJson(file.readLine()).object());
        return lines;
    };
    const auto eventsNamed = [](const QList<QJsonObject> &lines, const QString &event) {
        QList<QJsonObject> kept;
        for (const QJsonObject &line : lines) {
            if (line[QStringLiteral("event")].toString() == event)
                kept.append(line);
        }
        return kept;
    };

    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    bool menuHasIt = false;
    for (const QAction *action : window.findChildren<QAction *>())
        menuHasIt = menuHasIt || action->text() == QStringLiteral("Export session as &JSONL…");
    QVERIFY(menuHasIt);
    SessionView *view = window.newSession(echo.url());
    QVERIFY(waitForOpen(view));
    view->composer()->setText(QStringLiteral("to the lines"));
    view->composer()->send();
    QVERIFY(QTest::qWaitFor([&] { return liveSession(view)->frameLog()->messageCount() == 2; }, 5000));
    QTemporaryDir dir;
    const QString live = dir.filePath(QStringLiteral("live.jsonl"));
    QSignalSpy finished(&window, &MainWindow::exportFinished);
    window.exportSessionAsJsonLines(live);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(1).toString(), QString());
    QList<QJsonObject> lines = readLines(live);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.first()[QStringLiteral("event")].toString(), QStringLiteral("handshake"));
    QCOMPARE(lines.first()[QStringLiteral("url")].toString(), echo.url().toString());
    QList<QJsonObject> messages = eventsNamed(lines, QStringLiteral("message"));
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[0][QStringLiteral("dir")].toString(), QStringLiteral("out"));
    QCOMPARE(messages[1][QStringLiteral("payload")].toString(), QStringLiteral("to the lines"));
    QCOMPARE(eventsNamed(lines, QStringLiteral("frame")).size(), 2);

    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(QStringLiteral(WSI_TEST_DATA_DIR "/har/chrome-ticker.har"));
    QVERIFY(opened.wait(10000));
    auto *captured = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(captured && qobject_cast<FileSource *>(captured->source()) && !liveSession(captured));
    const QString fromFile = dir.filePath(QStringLiteral("captured.jsonl"));
    finished.clear();
    window.exportSessionAsJsonLines(fromFile);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(1).toString(), QString());
    lines = readLines(fromFile);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.first()[QStringLiteral("url")].toString(), QStringLiteral("wss://ticker.example.com/stream?v=2"));
    QCOMPARE(eventsNamed(lines, QStringLiteral("message")).size(), 5);
    QCOMPARE(lines.last()[QStringLiteral("event")].toString(), QStringLiteral("close"));

    const QString har = dir.filePath(QStringLiteral("captured.har"));
    finished.clear();
    window.exportSessionAsHar(har);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(1).toString(), QString());
    QFile file(har);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject entry = QJsonDocument::fromJson(file.readAll())
                                  .object()[QStringLiteral("log")][QStringLiteral("entries")][0]
                                  .toObject();
    QCOMPARE(entry[QStringLiteral("_webSocketMessages")].toArray().size(), 5);
}

// File > Export session as …: the dialog's "Include secrets" is unticked, so the bearer token, the token in the URL
// and a header the profile marked secret are written as the placeholder; ticked, they are written as they were. The
// session's recording, opened later, knows the profile's secret names too, so its export leaves them out as well.
void tst_MainWindow::exportLeavesSecretsOutUnlessAsked()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QSignalSpy recorded(SessionRecordings::of(&manager), &SessionRecordings::recordingFinished);
    SessionView *view = window.newSession();
    SessionOptions options;
    options.url = echo.url();
    options.url.setQuery(QStringLiteral("token=xyz&room=7"));
    options.headers.append("Authorization", "Bearer abc");
    options.headers.append("X-Tenant", "acme");
    options.secretHeaders = {QStringLiteral("x-tenant")}; // as a profile marks it
    view->connectionBar()->setOptions(options);
    view->connectionBar()->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    QVERIFY(waitForOpen(view));

    QTemporaryDir dir;
    QSignalSpy finished(&window, &MainWindow::exportFinished);
    const auto exportThroughDialog = [&](ExportSessionDialog::Format format, const QString &name, bool include) {
        ExportSessionDialog *dialog = window.askExportSession(format);
        if (!dialog || !dialog->isVisible() || dialog->includeSecretsBox()->isChecked())
            return QByteArray("dialog not shown, or secrets ticked by default");
        dialog->pathField()->setText(dir.filePath(name));
        dialog->includeSecretsBox()->setChecked(include);
        finished.clear();
        dialog->exportButton()->click();
        if (!finished.wait(5000) || !finished.first().at(1).toString().isEmpty())
            return QByteArray("export failed");
        QFile file(dir.filePath(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("not written");
    };
    const auto checkBothFormats = [&] {
        for (const auto format : {ExportSessionDialog::Format::Har, ExportSessionDialog::Format::JsonLines}) {
            const QByteArray safe = exportThroughDialog(format, QStringLiteral("safe"), false);
            QVERIFY2(safe.contains("Bearer [redacted]") && safe.contains("token=[redacted]&room=7"), safe.constData());
            QVERIFY2(!safe.contains("Bearer abc") && !safe.contains("token=xyz") && !safe.contains("acme"),
                     safe.constData());
            const QByteArray full = exportThroughDialog(format, QStringLiteral("full"), true);
            QVERIFY2(full.contains("Bearer abc") && full.contains("token=xyz") && full.contains("acme"),
                     full.constData());
            QVERIFY(!full.contains("[redacted]"));
        }
    };
    checkBothFormats();
    if (QTest::currentTestFailed())
        return;

    view->source()->control()->disconnect();
    QVERIFY(recorded.wait(10000));
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(recorded.first().first().toString());
    QVERIFY(opened.wait(10000));
    QVERIFY2(opened.first().at(2).toString().isEmpty(), qPrintable(opened.first().at(2).toString()));
    const std::optional<SessionRecords> reopened = window.currentSession()->records();
    QVERIFY(reopened && reopened->isFromFile());
    QCOMPARE(reopened->secretHeaders, QStringList{QStringLiteral("x-tenant")});
    checkBothFormats();
}

// A rule on the window's own session marks the frames it acted on as a relay's rules do: the frame detail of a
// message of ours that a delay rule held names the rule, and the timeline has its "rule" legend; the same in the
// session's recording opened again.
void tst_MainWindow::ownSessionsRulesMarkItsFrames()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QSignalSpy recorded(SessionRecordings::of(&manager), &SessionRecordings::recordingFinished);
    SessionOptions options;
    options.url = echo.url();
    QString error;
    options.rules = RuleFile::parse(
        R"({"rules": [{"name": "slow", "from": "client", "match": "^slow", "action": "delay", "ms": 200}]})", &error);
    QVERIFY2(options.rules, qPrintable(error));
    SessionView *live = window.newSession();
    live->connectionBar()->setOptions(options);
    live->connectionBar()->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    QVERIFY(waitForOpen(live));
    for (const char *text : {"slow one", "fast two"}) {
        live->composer()->setText(QString::fromLatin1(text));
        live->composer()->send();
    }
    QVERIFY(QTest::qWaitFor([&] { return live->frameModel()->rowCount() == 4; }, 10000));

    // The four messages' rows as "direction payload:the detail's Rule field", and whether the timeline's legend has
    // "rule".
    const auto shownRules = [](SessionView *view) {
        QStringList shown;
        auto *fields = view->frameDetail()->findChild<QTreeWidget *>(QStringLiteral("frameHeaderFields"));
        for (int row = 0; row < std::min(view->frameModel()->rowCount(), 4); ++row) {
            view->frameTable()->selectRow(row);
            const QList<QTreeWidgetItem *> rule =
                fields ? fields->findItems(QStringLiteral("Rule"), Qt::MatchExactly, 0) : QList<QTreeWidgetItem *>();
            const bool outgoing = view->frameModel()->data(view->frameModel()->index(row, 0),
                                                           FrameTableModel::DirectionRole) == int(Direction::Outgoing);
            const QString direction = outgoing ? QStringLiteral("out") : QStringLiteral("in");
            shown.append(direction + u' ' + QString::fromUtf8(view->frameDetail()->currentPayload()) + u':' +
                         (rule.isEmpty() ? QStringLiteral("no Rule field") : rule.first()->text(1)));
        }
        shown.sort();
        const QList<TimelineWidget::LegendEntry> legend = view->timeline()->legend();
        if (std::any_of(legend.begin(), legend.end(),
                        [](const TimelineWidget::LegendEntry &entry) { return entry.text == QStringLiteral("rule"); }))
            shown.append(QStringLiteral("timeline legend: rule"));
        return shown;
    };
    const QStringList expected{QStringLiteral("in fast two:none: no rule acted on it"),
                               QStringLiteral("in slow one:none: no rule acted on it"),
                               QStringLiteral("out fast two:none: no rule acted on it"),
                               QStringLiteral("out slow one:slow (delay)"), QStringLiteral("timeline legend: rule")};
    QCOMPARE(shownRules(live), expected);

    live->source()->control()->disconnect();
    QVERIFY(recorded.wait(10000));
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(recorded.first().first().toString());
    QVERIFY(opened.wait(10000));
    auto *reopened = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(reopened && reopened != live && qobject_cast<FileSource *>(reopened->source()));
    QCOMPARE(shownRules(reopened), expected);
}

// Recording is on by default: a session of the window lands in the recordings directory, and File > Open shows it
// again, read-only, with the same frames, handshake and heartbeat history.
void tst_MainWindow::recordsSessionsAndOpensTheRecording()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QCOMPARE(SessionRecordings::of(&manager)->directory(), m_recordings.path());
    QVERIFY(window.findChild<QAction *>(QStringLiteral("recordNewSessions"))->isChecked());
    QSignalSpy recorded(SessionRecordings::of(&manager), &SessionRecordings::recordingFinished);
    SessionView *live = window.newSession(echo.url());
    QVERIFY(waitForOpen(live));
    live->composer()->setText(QStringLiteral("{\"kept\": true}"));
    live->composer()->send();
    QVERIFY(QTest::qWaitFor([&] { return live->frameModel()->rowCount() == 2; }, 5000));
    live->source()->control()->disconnect();
    QVERIFY(recorded.wait(10000));
    const QString path = recorded.first().first().toString();
    QVERIFY2(path.startsWith(m_recordings.path()) && path.endsWith(QStringLiteral(".wsirec")), qPrintable(path));

    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(path);
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.first().at(1).toInt(), 1);
    QVERIFY2(opened.first().at(2).toString().isEmpty(), qPrintable(opened.first().at(2).toString()));
    auto *captured = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(captured && captured != live);
    QVERIFY(qobject_cast<FileSource *>(captured->source()));
    QVERIFY(!captured->source()->control());
    QVERIFY(!captured->connectionBar()->isVisible());
    QVERIFY(!captured->composer()->isVisible());
    QCOMPARE(rows(captured), rows(live));
    QCOMPARE(captured->title(), live->title() + QStringLiteral(" · recording"));
    auto *note = captured->findChild<QLabel *>(QStringLiteral("origin"));
    QVERIFY2(note->text().contains(QStringLiteral("Recording")), qPrintable(note->text()));
    // The handshake as it was, and the frame detail of the message.
    QVERIFY(captured->handshakeView()->findChildren<QLabel *>().size() > 0);
    captured->frameTable()->selectRow(0);
    QCOMPARE(captured->frameDetail()->currentPayload(), QByteArray("{\"kept\": true}"));
    QVERIFY(QTest::qWaitFor([&] { return captured->timeline()->isCaughtUp(); }, 5000));

    // A recording that cannot be written is reported; the session itself goes on.
    const QString blocked = m_recordings.filePath(QStringLiteral("not-a-directory"));
    QFile blocker(blocked);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    SessionRecordings::of(&manager)->setDirectory(blocked + QStringLiteral("/inside"));
    SessionView *unrecorded = window.newSession(echo.url());
    QVERIFY(waitForOpen(unrecorded));
    QVERIFY(liveSession(unrecorded)->recordingPath().isEmpty());
    // Said above the tabs until dismissed, not in the status bar where it would pass unread.
    QVERIFY(!window.notices().isEmpty());
    const QString hint = window.notices().constLast()->text();
    QVERIFY2(hint.contains(QStringLiteral("Recording stopped")) && hint.contains(QStringLiteral("recordings folder")),
             qPrintable(hint));
    window.setRecordingEnabled(true);

    // Turned off, new sessions are not recorded.
    window.findChild<QAction *>(QStringLiteral("recordNewSessions"))->setChecked(false);
    QVERIFY(SessionRecordings::of(&manager)->directory().isEmpty());
    window.findChild<QAction *>(QStringLiteral("recordNewSessions"))->setChecked(true);
}

// A recording of a connection the server dropped: opened, it shows 1006 and the same diagnosis the live view did.
void tst_MainWindow::abnormalRecordingOpensWithItsDiagnosis()
{
    test::HostileServer server(QStringLiteral("drop-after-upgrade"));
    const quint16 port = server.listen();
    QVERIFY(port != 0);
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QSignalSpy recorded(SessionRecordings::of(&manager), &SessionRecordings::recordingFinished);
    window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QVERIFY(recorded.wait(10000));
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(recorded.first().first().toString());
    QVERIFY(opened.wait(10000));
    auto *captured = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(captured && qobject_cast<FileSource *>(captured->source()));
    QCOMPARE(captured->stateIcon(), Icons::Name::StateFailed);
    QCOMPARE(captured->frameModel()->rowCount(), 1);
    auto *diagnosis = captured->findChild<QLabel *>(QStringLiteral("diagnosis"));
    QVERIFY(QTest::qWaitFor([&] { return diagnosis->isVisible(); }, 5000));
    QVERIFY2(diagnosis->text().contains(QStringLiteral("Close frame")), qPrintable(diagnosis->text()));
}

// Through the real nginx (proxy_read_timeout 2s) to a server that stays silent: the live session's Keepalive tab
// starts from nginx as soon as the upgrade response names it, and the recording, opened, starts from nginx with
// proxy_read_timeout set to the silence before the cut, saying why. The user's own chain is never replaced by later
// evidence.
void tst_MainWindow::keepaliveTabStartsFromTheChainTheSessionSuggests()
{
    test::HostileServer silent(QStringLiteral("silent-after-upgrade"));
    const quint16 upstream = silent.listen();
    QVERIFY(upstream != 0);
    QTemporaryDir nginxDir;
    test::PeerProcess nginx;
    QVERIFY2(test::RealNginx::start(nginx, nginxDir.path(), upstream, 2000), qPrintable(nginx.errorString()));

    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    QSignalSpy recorded(SessionRecordings::of(&manager), &SessionRecordings::recordingFinished);
    SessionView *live = window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(nginx.port())));
    SimulatorPanel *liveSimulator = live->simulatorPanel();
    // The handshake names nginx, before any cut: nginx at its defaults, with the reason.
    QVERIFY(QTest::qWaitFor([&] { return liveSimulator->showsSuggestion(); }, 5000));
    QCOMPARE(liveSimulator->chain(), QStringList{QStringLiteral("nginx")});
    QVERIFY2(liveSimulator->suggestionText().contains(QStringLiteral("nginx: from Server: nginx/")),
             qPrintable(liveSimulator->suggestionText()));
    // The user adds a box of their own before the cut; the cut's evidence must not undo it.
    auto *models = liveSimulator->findChild<QComboBox *>(QStringLiteral("models"));
    models->setCurrentIndex(models->findData(QStringLiteral("aws-alb")));
    QTest::mouseClick(liveSimulator->findChild<QPushButton *>(QStringLiteral("addModel")), Qt::LeftButton);
    const QStringList usersChain{QStringLiteral("nginx"), QStringLiteral("aws-alb")};
    QCOMPARE(liveSimulator->chain(), usersChain);
    QVERIFY(recorded.wait(10000)); // nginx cut it after 2 s of silence
    auto *diagnosis = live->findChild<QLabel *>(QStringLiteral("diagnosis"));
    QVERIFY(QTest::qWaitFor([&] { return diagnosis->isVisible(); }, 5000));
    QTest::qWait(100); // any later evidence lands
    QCOMPARE(liveSimulator->chain(), usersChain);

    // The recording opens with the chain its evidence suggests.
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(recorded.first().first().toString());
    QVERIFY(opened.wait(10000));
    auto *captured = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(captured && captured != live);
    SimulatorPanel *simulator = captured->simulatorPanel();
    QVERIFY(QTest::qWaitFor([&] { return simulator->showsSuggestion(); }, 5000));
    const QRegularExpressionMatch link =
        QRegularExpression(QStringLiteral("^nginx:proxy_read_timeout=([0-9.]+)s$")).match(simulator->chain().value(0));
    QVERIFY2(simulator->chain().size() == 1 && link.hasMatch(), qPrintable(simulator->chain().join(u',')));
    QVERIFY2(link.captured(1).toDouble() >= 1.5 && link.captured(1).toDouble() <= 2.6, qPrintable(link.captured(0)));
    const QString reason = simulator->suggestionText();
    QVERIFY2(reason.contains(QStringLiteral(": from Server: nginx/")) &&
                 reason.contains(QStringLiteral("silence before the cut")),
             qPrintable(reason));
    captured->showSidePage(simulator);
    const auto *reasonLabel = simulator->findChild<QLabel *>(QStringLiteral("chainSuggestion"));
    QVERIFY(QTest::qWaitFor([&] { return reasonLabel->isVisible(); }, 2000));
    QVERIFY(reasonLabel->wordWrap());

    // The user edits the suggested chain: theirs from then on.
    auto *remove = simulator->findChild<QPushButton *>(QStringLiteral("removeLink"));
    QTest::mouseClick(remove, Qt::LeftButton);
    QVERIFY(simulator->chain().isEmpty());
    QVERIFY(!simulator->showsSuggestion());
    QVERIFY2(simulator->suggestionText().startsWith(QStringLiteral("You changed the suggested chain.")),
             qPrintable(simulator->suggestionText()));
}

// Files dropped on the window open like File > Open: each WebSocket entry of a HAR file becomes a tab; a file that
// is neither a recording nor HAR is refused with a message that says what it is.
void tst_MainWindow::opensHarFilesByDropAndRefusesOthers()
{
    SessionManager manager;
    MainWindow window(&manager);
    window.show();
    const int tabsBefore = window.sessionTabs()->count();
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QStringLiteral(WSI_TEST_DATA_DIR "/har/chrome-ticker.har"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(opened.wait(10000));
    QVERIFY2(opened.first().at(2).toString().isEmpty(), qPrintable(opened.first().at(2).toString()));
    const int sessions = opened.first().at(1).toInt();
    QVERIFY(sessions >= 1);
    QCOMPARE(window.sessionTabs()->count(), tabsBefore + sessions);
    auto *captured = qobject_cast<SessionView *>(window.sessionTabs()->currentWidget());
    QVERIFY(qobject_cast<FileSource *>(captured->source()));
    QVERIFY(captured->frameModel()->rowCount() > 0);
    auto *note = captured->findChild<QLabel *>(QStringLiteral("origin"));
    QVERIFY2(note->text().contains(QStringLiteral("HAR")), qPrintable(note->text()));

    QTemporaryDir dir;
    const QString notes = dir.filePath(QStringLiteral("notes.txt"));
    QFile file(notes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("just some notes\n");
    file.close();
    opened.clear();
    window.openFile(notes);
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.first().at(1).toInt(), 0);
    QVERIFY2(opened.first().at(2).toString().contains(QStringLiteral("not a recording or a HAR file")),
             qPrintable(opened.first().at(2).toString()));
    QCOMPARE(window.sessionTabs()->count(), tabsBefore + sessions);
}

// On a 1024x700 laptop screen: the window's minimum leaves room for its decorations and a panel, and at that size
// every panel is there to use: the connection bar, the filter row, the frame table with its Preview column, the side
// tabs (none cut on the right), the timeline, the composer with Send, the status bar.
void tst_MainWindow::fitsALaptopScreenWithEveryPanelInView()
{
    QSettings().clear(); // the first-run layout, not one a test before left behind
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.openEchoServer(echo.url()); // with its first-run hint above the tabs
    window.showNotice(NoticeBanner::Kind::Failure, QStringLiteral("A failure said in a banner, as files that do not "
                                                                  "open are, for the layout to make room for"));
    window.resize(1024, 700);
    window.show();
    QVERIFY(waitForOpen(view));
    view->composer()->setText(QStringLiteral(R"({"op":"subscribe","channel":"ticker:BTC-USD"})"));
    view->composer()->send();
    QVERIFY(QTest::qWaitFor([&] { return view->frameModel()->rowCount() >= 2; }, 5000));
    QTest::qWait(50);

    const QSize minimum = window.minimumSizeHint();
    QVERIFY2(minimum.width() <= laptopRoom.width() && minimum.height() <= laptopRoom.height(),
             qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));
    QVERIFY(window.minimumSize().width() <= laptopRoom.width() && window.minimumSize().height() <= laptopRoom.height());
    QCOMPARE(window.size(), QSize(1024, 700));

    const QList<QPair<const char *, QWidget *>> panels = {
        {"connection bar", view->connectionBar()},
        {"URL", view->connectionBar()->findChild<QLineEdit *>(QStringLiteral("url"))},
        {"Options", view->connectionBar()->findChild<QToolButton *>(QStringLiteral("optionsToggle"))},
        {"filter", view->findChild<QLineEdit *>(QStringLiteral("filterText"))},
        {"filter direction", view->findChild<QComboBox *>(QStringLiteral("filterDirection"))},
        {"frame table", view->frameTable()},
        {"side tabs", view->findChild<QTabWidget *>(QStringLiteral("sideTabs"))},
        {"timeline", view->timeline()},
        {"composer", view->composer()},
        {"Send", view->composer()->findChild<QPushButton *>(QStringLiteral("send"))},
        {"Close", view->composer()->findChild<QPushButton *>(QStringLiteral("close"))},
        {"status bar", window.statusBar()},
    };
    for (const auto &[name, widget] : panels) {
        QVERIFY2(widget, name);
        QVERIFY2(wholeInView(widget), name);
    }
    // Room to use them, not a sliver: rows of frames, a side tab a third of the width, the timeline with its legend.
    QVERIFY(view->frameTable()->viewport()->height() >= 5 * view->frameTable()->verticalHeader()->defaultSectionSize());
    QVERIFY(view->findChild<QTabWidget *>(QStringLiteral("sideTabs"))->width() >= 300);
    QVERIFY(!view->timeline()->legendRect().isEmpty());
    // The frame table's Preview column starts on screen, with room for some of the payload.
    FrameTableView *table = view->frameTable();
    const int preview = table->columnViewportPosition(FrameTableModel::Preview);
    QVERIFY2(preview >= 0 && preview + 100 <= table->viewport()->width(),
             qPrintable(QStringLiteral("Preview at %1 of %2").arg(preview).arg(table->viewport()->width())));
    // Each side tab fits its width: nothing scrolls sideways, nothing is cut on the right, a frame's long summary
    // ("Frame #0: outgoing text frame, 46 payload bytes") included.
    view->frameTable()->selectRow(0);
    auto *sideTabs = view->findChild<QTabWidget *>(QStringLiteral("sideTabs"));
    for (int i = 0; i < sideTabs->count(); ++i) {
        if (!sideTabs->isTabVisible(i))
            continue;
        sideTabs->setCurrentIndex(i);
        QTest::qWait(20);
        const auto *page = qobject_cast<QScrollArea *>(sideTabs->currentWidget());
        QVERIFY(page);
        QVERIFY2(page->horizontalScrollBar()->maximum() == 0, qPrintable(sideTabs->tabText(i)));
    }
}

// Options open in their own dialog: the window's minimum is the same with them open or closed, its size does not
// change, and the composer stays where it was.
void tst_MainWindow::optionsNeverGrowTheWindow()
{
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.openEchoServer(echo.url());
    SessionView *other = window.newSession();
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QSize minimum = window.minimumSizeHint();
    auto *send = other->composer()->findChild<QPushButton *>(QStringLiteral("send"));
    const QRect sendAt(send->mapTo(&window, QPoint(0, 0)), send->size());
    other->connectionBar()->findChild<QToolButton *>(QStringLiteral("optionsToggle"))->click();
    QVERIFY(other->connectionBar()->isShowingOptions());
    QTest::qWait(20);
    QCOMPARE(window.minimumSizeHint(), minimum);
    QCOMPARE(window.size(), QSize(1024, 700));
    QCOMPARE(QRect(send->mapTo(&window, QPoint(0, 0)), send->size()), sendAt);
    QVERIFY(wholeInView(send));
    // Another tab's options stay closed with it; this tab's come back with it.
    window.sessionTabs()->setCurrentWidget(view);
    QVERIFY(!other->connectionBar()->isShowingOptions());
    QCOMPARE(window.minimumSizeHint(), minimum);
    window.sessionTabs()->setCurrentWidget(other);
    QVERIFY(other->connectionBar()->isShowingOptions());
    // The window shrinks back to the laptop's size with the options open.
    window.resize(window.minimumSizeHint());
    QTest::qWait(20);
    QCOMPARE(window.size(), minimum);
}

void tst_MainWindow::keepaliveResultShowsWithoutScrolling_data()
{
    QTest::addColumn<QSize>("windowSize");
    QTest::newRow("1280x800, the default") << QSize(1280, 800);
    QTest::newRow("1024x700, a laptop") << QSize(1024, 700);
}

// The Keepalive tab after a run: the verdict and the explanation in view without scrolling, the events wrapped in
// the tab's width, the predicted timeline over the whole run.
void tst_MainWindow::keepaliveResultShowsWithoutScrolling()
{
    QFETCH(QSize, windowSize);
    QSettings().clear();
    EchoServer echo;
    QVERIFY(echo.listen());
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.openEchoServer(echo.url());
    window.resize(windowSize);
    window.show();
    QVERIFY(waitForOpen(view));
    SimulatorPanel *panel = view->simulatorPanel();
    view->showSidePage(panel);
    panel->setUseSessionTraffic(true); // the session's own traffic replayed: its cut is marked on the session too
    QSignalSpy finished(panel, &SimulatorPanel::finished);
    QVERIFY(panel->run());
    QVERIFY(finished.wait(5000));
    QTest::qWait(50);
    // On the session's own timeline the cut is the simulator's, never to be taken for one that happened.
    QCOMPARE(view->timeline()->markers().size(), 1);
    QVERIFY2(view->timeline()->markers().constFirst().label.startsWith(QStringLiteral("Simulator: Cut at ")),
             qPrintable(view->timeline()->markers().constFirst().label));
    for (const char *name : {"outcome", "explanation"}) {
        const auto *label = panel->findChild<QLabel *>(QLatin1StringView(name));
        QVERIFY2(label->text().contains(QStringLiteral("nginx")), name);
        QVERIFY2(wholeInView(label), name);
    }
    const auto *page =
        qobject_cast<QScrollArea *>(view->findChild<QTabWidget *>(QStringLiteral("sideTabs"))->currentWidget());
    QCOMPARE(page->widget(), panel);
    QCOMPARE(page->verticalScrollBar()->value(), 0);
    QCOMPARE(page->horizontalScrollBar()->maximum(), 0);
    const auto *events = panel->findChild<QPlainTextEdit *>(QStringLiteral("events"));
    QCOMPARE(events->horizontalScrollBar()->maximum(), 0);
    const TimelineWidget::TimeRange range = panel->predictedTimeline()->visibleRange();
    QVERIFY(range.startNs <= 0 && range.endNs >= qint64(60) * 1'000'000'000);
}

// A wheel passing over a spin box or a combo box anywhere in the window changes nothing; once focused, it does.
void tst_MainWindow::passingWheelChangesNoValue()
{
    SessionManager manager;
    MainWindow window(&manager);
    SessionView *view = window.newSession();
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    view->showSidePage(view->simulatorPanel());
    auto *timeScale = view->simulatorPanel()->findChild<QDoubleSpinBox *>(QStringLiteral("timeScale"));
    auto *direction = view->findChild<QComboBox *>(QStringLiteral("filterDirection"));
    const auto wheelUp = [](QWidget *widget) {
        // As the window system delivers it (spontaneous): focus by policy first, then on to the parent if ignored.
        const QPointF at = QRectF(widget->rect()).center();
        QWheelEvent event(at, widget->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QSpontaneKeyEvent::setSpontaneous(&event);
        qApp->notify(widget, &event);
    };
    direction->setCurrentIndex(1); // the wheel up would pick the first
    view->focusFilter();
    const double scale = timeScale->value();
    const int directionIndex = direction->currentIndex();
    wheelUp(timeScale);
    wheelUp(direction);
    QCOMPARE(timeScale->value(), scale);
    QCOMPARE(direction->currentIndex(), directionIndex);
    timeScale->setFocus();
    wheelUp(timeScale);
    QVERIFY(timeScale->value() != scale);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
