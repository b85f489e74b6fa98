// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "Composer.h"
#include "ConnectionBar.h"
#include "Icons.h"
#include "MessageTemplateLibrary.h"
#include "SessionManager.h"
#include "SessionView.h"

#include <QAction>
#include <QCoreApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace wsi {

MainWindow::MainWindow(SessionManager *manager, QWidget *parent)
    : QMainWindow(parent)
    , m_manager(manager)
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
    , m_templates(new MessageTemplateLibrary(this))
{
    setWindowTitle(QStringLiteral("WS Inspector"));
    m_tabs->setObjectName(QStringLiteral("sessionTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);
    m_status->setObjectName(QStringLiteral("status"));
    statusBar()->addPermanentWidget(m_status, 1);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newSession = file->addAction(tr("&New session"), this, [this] { this->newSession(); });
    newSession->setIcon(Icons::icon(Icons::Name::NewSession));
    newSession->setShortcut(QKeySequence::New);
    QAction *closeSession = file->addAction(tr("&Close session"), this, [this] {
        if (m_tabs->count() > 0)
            this->closeSession(m_tabs->currentIndex());
    });
    closeSession->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeSession);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onCurrentChanged);
    connect(m_tabs, &QTabWidget::tabBarDoubleClicked, this, [this](int index) {
        if (index < 0)
            return;
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Rename session"), tr("Name (empty: the URL)"),
                                                   QLineEdit::Normal, m_tabs->tabText(index), &ok);
        if (ok)
            renameSession(index, name);
    });

    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (const QByteArray saved = settings.value(QStringLiteral("composer/templates")).toByteArray(); !saved.isEmpty()) {
        QString error;
        if (!m_templates->loadJson(saved, &error))
            showHint(tr("Saved message templates were not loaded. %1").arg(error));
    }
    connect(m_templates, &MessageTemplateLibrary::changed, this,
            [this] { QSettings().setValue(QStringLiteral("composer/templates"), m_templates->toJson()); });
}

MainWindow::~MainWindow()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (SessionView *view = currentSession())
        settings.setValue(QStringLiteral("window/sessionLayout"), view->saveLayout());
}

SessionView *MainWindow::newSession(const QUrl &url)
{
    auto *view = new SessionView(m_manager, m_tabs);
    view->composer()->setTemplateLibrary(m_templates);
    view->restoreLayout(QSettings().value(QStringLiteral("window/sessionLayout")).toByteArray());
    const int index = m_tabs->addTab(view, Icons::icon(view->stateIcon()), view->title());
    m_tabs->setCurrentIndex(index);
    connect(view, &SessionView::titleChanged, this, [this, view](const QString &title) {
        // A name the user gave stays; otherwise the tab follows the session's URL.
        if (!view->property("userNamed").toBool())
            m_tabs->setTabText(m_tabs->indexOf(view), title);
    });
    connect(view, &SessionView::stateChanged, this,
            [this, view] { m_tabs->setTabIcon(m_tabs->indexOf(view), Icons::icon(view->stateIcon())); });
    connect(view, &SessionView::statusChanged, this, [this, view](const QString &status) {
        if (view == currentSession())
            m_status->setText(status);
    });
    if (url.isValid()) {
        SessionOptions options;
        options.url = url;
        view->connectTo(options);
    } else {
        view->connectionBar()->focusUrl();
    }
    return view;
}

void MainWindow::renameSession(int index, const QString &name)
{
    auto *view = qobject_cast<SessionView *>(m_tabs->widget(index));
    if (!view)
        return;
    const QString trimmed = name.trimmed();
    view->setProperty("userNamed", !trimmed.isEmpty());
    m_tabs->setTabText(index, trimmed.isEmpty() ? view->title() : trimmed);
}

SessionView *MainWindow::currentSession() const
{
    return qobject_cast<SessionView *>(m_tabs->currentWidget());
}

void MainWindow::showHint(const QString &text)
{
    statusBar()->showMessage(text, 15000);
}

void MainWindow::closeSession(int index)
{
    QWidget *view = m_tabs->widget(index);
    m_tabs->removeTab(index);
    delete view; // its session is removed from the manager and aborted
}

void MainWindow::onCurrentChanged()
{
    m_status->clear();
}

} // namespace wsi
