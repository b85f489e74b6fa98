// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include <QCoreApplication>
#include <QLabel>

namespace wsi {

MainWindow::MainWindow(const QUrl &echoServer, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("WS Inspector"));
    auto *placeholder = new QLabel(this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setTextFormat(Qt::RichText);
    placeholder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString server =
        echoServer.isValid() ? QStringLiteral("<p>The built-in echo server listens on <b><tt>%1</tt></b>. Try:</p>"
                                              "<p><tt>wsinspector-cli connect %1 --send hello --ping --close</tt></p>")
                                   .arg(echoServer.toString().toHtmlEscaped())
                             : QStringLiteral("<p>The built-in echo server could not start.</p>");
    placeholder->setText(QStringLiteral("<h2>WS Inspector %1</h2>"
                                        "<p>The wire engine and <tt>wsinspector-cli</tt> are ready; this window's "
                                        "session views (handshake, frames, timeline) are not built yet.</p>")
                             .arg(QCoreApplication::applicationVersion()) +
                         server);
    setCentralWidget(placeholder);
    resize(900, 600);
}

} // namespace wsi
