// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QUrl>
#include <QWidget>

class QPushButton;

namespace wsi {

// What the window shows when no session tab is open (all closed, or started with nothing to open): the ways to
// begin, as buttons with their shortcuts, instead of a blank window.
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // The built-in echo server's address, when the app runs one; without it the echo button is hidden.
    void setEchoServer(const QUrl &url);

Q_SIGNALS:
    void newSessionRequested();
    void openFileRequested();
    void echoServerRequested(const QUrl &url);

private:
    QPushButton *m_echo;
    QUrl m_echoUrl;
};

} // namespace wsi
