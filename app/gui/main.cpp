// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SignalWatcher.h"
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/widgets/Theme.h"
#include "ui/widgets/ThemeChoice.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>
#include <QTimer>

int main(int argc, char *argv[])
{
    // Static setters, usable before the application object exists: --version below needs them.
    QApplication::setApplicationName(QStringLiteral("WS Inspector"));
    QApplication::setOrganizationName(QStringLiteral("WS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A WebSocket inspector."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after-ms"),
        QStringLiteral("Quit by itself after <ms> milliseconds (smoke tests of a build or an installed package)."),
        QStringLiteral("ms"));
    parser.addOption(quitAfterOption);
    const QCommandLineOption paletteOption(
        QStringLiteral("palette"),
        QStringLiteral("Draw the window in the Fusion style with a palette of <name>, not the desktop's: light, dark, "
                       "high-contrast (white on black) or high-contrast-light (black on white). For this run only; "
                       "View > Theme chooses for good."),
        QStringLiteral("name"));
    parser.addOption(paletteOption);
    parser.addPositionalArgument(QStringLiteral("url|file"),
                                 QStringLiteral("A ws:// or wss:// URL, or host[:port] (over ws://), to connect to; or "
                                                "a recording (.wsirec) or HAR file to open read-only. Without one, a "
                                                "session against the built-in echo server opens."),
                                 QStringLiteral("[url|file...]"));

    // --help and --version answer before QApplication exists, so they work without a display (package tests, a
    // terminal over ssh). The help's usage line needs an application object: a QCoreApplication, which needs no
    // display, stands in for it. A command line this early parse rejects, e.g. one with Qt's own -platform, is left
    // to the full parse below, after QApplication has taken its options out.
    QStringList earlyArguments;
    for (int i = 0; i < argc; ++i)
        earlyArguments.append(QString::fromLocal8Bit(argv[i]));
    if (parser.parse(earlyArguments)) {
        if (parser.isSet(versionOption))
            parser.showVersion();
        if (parser.isSet(helpOption)) {
            const QCoreApplication helpOnly(argc, argv);
            parser.showHelp();
        }
    }

    QApplication app(argc, argv);
    // Wayland's app id: the compositor finds the desktop entry, and with it the icon, by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.wsinspector.WSInspector"));
    parser.process(app);

    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        const int quitAfterMs = parser.value(quitAfterOption).toInt(&ok);
        if (!ok || quitAfterMs < 0) {
            QTextStream(stderr) << "--quit-after-ms needs a number of milliseconds, not '"
                                << parser.value(quitAfterOption) << "'\n";
            return 2;
        }
        QTimer::singleShot(quitAfterMs, &app, &QCoreApplication::quit);
    }
    // For a desktop whose dark or high-contrast scheme Qt does not follow, and to see the window in each.
    if (parser.isSet(paletteOption)) {
        const auto variant = wsi::Theme::variantNamed(parser.value(paletteOption));
        if (!variant) {
            QTextStream(stderr) << "--palette is light, dark, high-contrast or high-contrast-light, not '"
                                << parser.value(paletteOption) << "'\n";
            return 2;
        }
        wsi::ThemeChoice::apply(variant); // for this run only: View > Theme keeps the user's own choice
    } else if (const auto saved = wsi::ThemeChoice::saved()) {
        wsi::ThemeChoice::apply(saved);
    }

    // SIGTERM (a logout, `kill`, a service manager) and Ctrl-C in the terminal quit as the window's own Quit does:
    // the sessions end and their recordings are written and closed, their WAL files checkpointed and removed,
    // instead of the process dying mid-write.
    wsi::cli::SignalWatcher terminationSignals;
    QObject::connect(&terminationSignals, &wsi::cli::SignalWatcher::terminationRequested, &app,
                     &QCoreApplication::quit);

    wsi::SessionManager sessions;
    wsi::EchoServer echo;
    wsi::MainWindow window(&sessions);
    // Each argument is a URL to connect to or a file to open (StartupArgument tells them apart).
    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty()) {
        for (const QString &argument : arguments)
            window.openArgument(argument);
    } else if (echo.listen()) {
        // The embedded default: a first run shows real traffic against a server of our own.
        window.openEchoServer(echo.url());
    } else {
        window.newSession();
    }
    window.show();
    return QApplication::exec();
}
