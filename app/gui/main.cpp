// SPDX-License-Identifier: GPL-3.0-or-later
#include "EchoServer.h"
#include "MainWindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WS Inspector"));
    QApplication::setOrganizationName(QStringLiteral("WS Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));

    // The embedded default: a first run has a real server to talk to, on 127.0.0.1 and a free port.
    wsi::EchoServer echo;
    const bool listening = echo.listen();
    wsi::MainWindow window(listening ? echo.url() : QUrl());
    window.show();
    return QApplication::exec();
}
