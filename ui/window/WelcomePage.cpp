// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/WelcomePage.h"

#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace wsi {

namespace {

QString withShortcut(const QString &text, QKeySequence::StandardKey key)
{
    const QString shortcut = QKeySequence(key).toString(QKeySequence::NativeText);
    return shortcut.isEmpty() ? text : QStringLiteral("%1   (%2)").arg(text, shortcut);
}

} // namespace

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_echo(new QPushButton(this))
{
    setObjectName(QStringLiteral("welcome"));
    auto *heading = new QLabel(tr("No session is open"), this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);
    auto *newSession =
        new QPushButton(withShortcut(tr("New session: connect to a ws:// or wss:// URL"), QKeySequence::New), this);
    newSession->setObjectName(QStringLiteral("welcomeNewSession"));
    auto *open =
        new QPushButton(withShortcut(tr("Open a recording (.wsirec) or a HAR file"), QKeySequence::Open), this);
    open->setObjectName(QStringLiteral("welcomeOpen"));
    m_echo->setObjectName(QStringLiteral("welcomeEcho"));
    m_echo->setText(tr("Connect to the built-in echo server"));
    m_echo->setVisible(false);
    auto *drop = new QLabel(tr("or drop a recording or HAR file on this window"), this);
    drop->setEnabled(false); // the palette's quieter text

    auto *column = new QVBoxLayout;
    column->addWidget(heading, 0, Qt::AlignHCenter);
    column->addSpacing(12);
    for (QPushButton *button : {newSession, open, m_echo}) {
        button->setMinimumWidth(360);
        column->addWidget(button, 0, Qt::AlignHCenter);
    }
    column->addSpacing(6);
    column->addWidget(drop, 0, Qt::AlignHCenter);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(column);
    layout->addStretch(2);

    connect(newSession, &QPushButton::clicked, this, &WelcomePage::newSessionRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openFileRequested);
    connect(m_echo, &QPushButton::clicked, this, [this] { Q_EMIT echoServerRequested(m_echoUrl); });
}

void WelcomePage::setEchoServer(const QUrl &url)
{
    m_echoUrl = url;
    m_echo->setVisible(url.isValid());
    m_echo->setToolTip(url.toString());
}

} // namespace wsi
