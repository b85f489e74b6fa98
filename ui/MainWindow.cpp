// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include <QCoreApplication>
#include <QLabel>

namespace wsi {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("WS Inspector"));
    auto *placeholder = new QLabel(this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setTextFormat(Qt::RichText);
    placeholder->setText(
        QStringLiteral("<h2>WS Inspector %1</h2>"
                       "<p>The RFC 6455 / RFC 7692 protocol layer is built and tested.</p>"
                       "<p>Sessions, the frame table and the built-in echo server come with the wire engine.</p>")
            .arg(QCoreApplication::applicationVersion()));
    setCentralWidget(placeholder);
    resize(900, 600);
}

} // namespace wsi
