// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_screenshots: renders the main window with real traffic into PNG files, for the README and docs.
//
//   wsi_screenshots OUTPUT_DIR      (run with QT_QPA_PLATFORM=offscreen; docs/render-screenshots.sh does)
//
// It starts the built-in echo server, opens the window on it, sends what a developer would (a subscription in
// JSON, ticker updates, a binary frame, a ping, a fragmented message), selects a JSON frame, and grabs the window
// in the Fusion style with each palette `wsinspector --palette` knows (Theme::palette): light, dark and high
// contrast, as the app looks on a light, dark or high-contrast desktop.
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/frames/FrameTableView.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/session/Composer.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/Theme.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QDir>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace wsi;

namespace {

bool waitFor(const std::function<bool()> &condition, int ms = 5000)
{
    return QTest::qWaitFor(condition, ms);
}

void send(SessionView *view, const QString &text, Composer::Format format = Composer::Format::Text, int fragments = 1)
{
    Composer *composer = view->composer();
    composer->setFormat(format);
    composer->setText(text);
    composer->setFragments(fragments);
    composer->send();
    QTest::qWait(40); // spread the frames a little on the timeline
}

// Everything on screen for one palette: a new window, real traffic, a JSON frame selected.
bool render(const QString &path, const QString &keepalivePath, SessionManager &manager, const QUrl &echoUrl)
{
    QSettings().clear(); // the first-run layout every time, not what the last render left behind
    MainWindow window(&manager);
    window.resize(1280, 800); // the window's own first-run size
    SessionView *view = window.newSession(echoUrl);
    // A second tab shows what a failed session looks like next to a live one.
    window.newSession(QUrl(QStringLiteral("ws://127.0.0.1:9/refused")));
    window.renameSession(1, QStringLiteral("staging (refused)"));
    window.sessionTabs()->setCurrentIndex(0);
    window.renameSession(0, QStringLiteral("market feed (echo)"));
    window.show();
    if (!waitFor([&] { return view->source()->state() == Session::State::Open; }))
        return false;

    send(view, QStringLiteral(R"({"op":"subscribe","channels":["ticker:BTC-USD","ticker:ETH-USD"],"id":1})"),
         Composer::Format::Json);
    const char *symbols[] = {"BTC-USD", "ETH-USD", "SOL-USD"};
    for (int i = 0; i < 14; ++i) {
        send(view,
             QStringLiteral(R"({"type":"ticker","sym":"%1","px":%2,"qty":%3,"seq":%4})")
                 .arg(QLatin1StringView(symbols[i % 3]))
                 .arg(64000.5 + i * 13.25, 0, 'f', 2)
                 .arg(0.01 * (i + 1), 0, 'f', 2)
                 .arg(1000 + i),
             Composer::Format::Json);
        if (i == 5) {
            view->composer()->setControlPayload(QStringLiteral("hb-17")); // a ping's own payload: up to 125 bytes
            view->composer()->findChild<QPushButton *>(QStringLiteral("ping"))->click();
        }
        if (i == 9)
            send(view, QStringLiteral("00 01 de ad be ef 7f 45 4c 46"), Composer::Format::Hex);
    }
    send(view, QStringLiteral("a long status report split across three frames on purpose"), Composer::Format::Text, 3);
    // 17 messages each way (the echo server answers each whole message in one frame), and the ping's pong.
    const auto log = view->records()->log;
    if (!waitFor([&] { return log->messageCount() >= 2 * 17 && log->frameCount() >= 19 + 17 + 2; })) {
        std::fprintf(stderr, "wsi_screenshots: %lld messages and %lld frames so far\n",
                     static_cast<long long>(log->messageCount()), static_cast<long long>(log->frameCount()));
        return false;
    }
    QTest::qWait(400); // the window's coalesced refresh, the RTT, the timeline
    view->frameTable()->selectRow(4);
    QTest::qWait(200);
    if (!window.grab().save(path))
        return false;
    if (!keepalivePath.isEmpty()) {
        // The Keepalive tab: this session's traffic replayed behind nginx and an AWS ALB.
        SimulatorPanel *panel = view->simulatorPanel();
        view->showSidePage(panel);
        panel->setChain({QStringLiteral("aws-alb"), QStringLiteral("nginx")});
        panel->setUseSessionTraffic(true);
        panel->setDuration(QStringLiteral("10m"));
        QSignalSpy finished(panel, &SimulatorPanel::finished);
        if (!panel->run() || !finished.wait(5000))
            return false;
        QTest::qWait(200);
        return window.grab().save(keepalivePath);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WS Inspector screenshots"));
    QApplication::setOrganizationName(QStringLiteral("WS Inspector screenshots")); // not the user's settings
    QTemporaryDir recordings; // the window records its sessions; not into the user's recordings
    qputenv("WSI_RECORDING_DIR", recordings.path().toLocal8Bit());
    const QStringList args = app.arguments();
    if (args.size() != 2) {
        std::fprintf(stderr, "usage: wsi_screenshots OUTPUT_DIR\n");
        return 2;
    }
    const QDir out(args.at(1));
    if (!out.exists() && !QDir().mkpath(out.path())) {
        std::fprintf(stderr, "wsi_screenshots: cannot create %s\n", qPrintable(out.path()));
        return 1;
    }
    SessionManager manager;
    EchoServer echo;
    if (!echo.listen()) {
        std::fprintf(stderr, "wsi_screenshots: the echo server could not listen\n");
        return 1;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const struct {
        const char *file;
        const char *keepaliveFile;
        Theme::Variant palette;
    } looks[] = {{"main-window-light.png", "keepalive-light.png", Theme::Variant::Light},
                 {"main-window-dark.png", nullptr, Theme::Variant::Dark},
                 {"main-window-high-contrast.png", nullptr, Theme::Variant::HighContrastDark}};
    for (const auto &look : looks) {
        QApplication::setPalette(Theme::palette(look.palette));
        const QString path = out.filePath(QString::fromLatin1(look.file));
        const QString keepalivePath =
            look.keepaliveFile ? out.filePath(QString::fromLatin1(look.keepaliveFile)) : QString();
        if (!render(path, keepalivePath, manager, echo.url())) {
            std::fprintf(stderr, "wsi_screenshots: %s: the session did not show the expected traffic\n",
                         qPrintable(path));
            return 1;
        }
        std::printf("wrote %s\n", qPrintable(path));
    }
    return 0;
}
