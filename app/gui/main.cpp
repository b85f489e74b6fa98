// SPDX-License-Identifier: GPL-3.0-or-later
#include "EchoServer.h"
#include "MainWindow.h"
#include "SessionManager.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WS Inspector"));
    QApplication::setOrganizationName(QStringLiteral("WS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A WebSocket inspector."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QStringLiteral("ws:// or wss:// URL to open; without one, a session against the "
                                                "built-in echo server opens."));
    parser.process(app);

    wsi::SessionManager sessions;
    wsi::EchoServer echo;
    wsi::MainWindow window(&sessions);
    const QStringList urls = parser.positionalArguments();
    if (!urls.isEmpty()) {
        for (const QString &url : urls)
            window.newSession(QUrl::fromUserInput(url));
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
