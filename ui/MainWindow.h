// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QUrl>

namespace wsi {

// The inspector's main window. For now a placeholder: it shows where the built-in echo server listens and how to
// talk to it with wsinspector-cli; the session views (handshake, frame table, timeline) come next.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const QUrl &echoServer, QWidget *parent = nullptr);
};

} // namespace wsi
