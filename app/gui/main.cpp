// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/server/EchoServer.h"
#include "core/session/SessionManager.h"
#include "ui/widgets/Theme.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
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
    parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after-ms"),
        QStringLiteral("Quit by itself after <ms> milliseconds (smoke tests of a build or an installed package)."),
        QStringLiteral("ms"));
    parser.addOption(quitAfterOption);
    const QCommandLineOption paletteOption(
        QStringLiteral("palette"),
        QStringLiteral("Draw the window in the Fusion style with a palette of <name>, not the desktop's: light, dark, "
                       "high-contrast (white on black) or high-contrast-light (black on white)."),
        QStringLiteral("name"));
    parser.addOption(paletteOption);
    parser.addPositionalArgument(QStringLiteral("url|file"),
                                 QStringLiteral("ws:// or wss:// URL to connect to, or a recording (.wsirec) or HAR "
                                                "file to open read-only; without one, a session against the "
                                                "built-in echo server opens."),
                                 QStringLiteral("[url|file...]"));

    // --version answers before QApplication exists, so it works without a display (package tests, a terminal
    // over ssh). A command line this early parse rejects, e.g. one with Qt's own -platform, is left to the full
    // parse below, after QApplication has taken its options out.
    QStringList earlyArguments;
    for (int i = 0; i < argc; ++i)
        earlyArguments.append(QString::fromLocal8Bit(argv[i]));
    if (parser.parse(earlyArguments) && parser.isSet(versionOption))
        parser.showVersion();

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
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(wsi::Theme::palette(*variant));
    }

    wsi::SessionManager sessions;
    wsi::EchoServer echo;
    wsi::MainWindow window(&sessions);
    // Each argument is a recording or HAR file to open (an existing file), or a URL to connect to.
    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty()) {
        for (const QString &argument : arguments) {
            if (QFileInfo(argument).isFile())
                window.openFile(argument);
            else
                window.newSession(QUrl::fromUserInput(argument));
        }
    } else if (echo.listen()) {
        // The embedded default: a first run shows real traffic against a server of our own.
        window.newSession(echo.url());
        window.showHint(QObject::tr("Connected to the built-in echo server at %1: type a message below and press "
                                    "Ctrl+Enter, or send a ping.")
                            .arg(echo.url().toString()));
    } else {
        window.newSession();
    }
    window.show();
    return QApplication::exec();
}
