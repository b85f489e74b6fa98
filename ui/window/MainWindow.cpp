// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/MainWindow.h"

#include "core/exchange/HarWriter.h"
#include "core/exchange/JsonLinesWriter.h"
#include "core/exchange/SessionFileFormat.h"
#include "core/exchange/SessionFileReader.h"
#include "core/keepalive/IntermediaryCatalog.h"
#include "core/profiles/ConnectCommandLine.h"
#include "core/proxy/CaptureAuthority.h"
#include "core/recordings/RecordingPaths.h"
#include "core/recordings/RecordingRetention.h"
#include "core/recordings/SessionRecordings.h"
#include "core/session/SessionManager.h"
#include "ui/capture/CaptureDialog.h"
#include "ui/capture/CaptureInstructionsDialog.h"
#include "ui/capture/CapturedList.h"
#include "ui/capture/LiveCapture.h"
#include "ui/keepalive/LiveProxy.h"
#include "ui/keepalive/SimulatorPanel.h"
#include "ui/profiles/ProfileLibraryDialog.h"
#include "ui/profiles/SaveProfileDialog.h"
#include "ui/rules/CaptureRules.h"
#include "ui/rules/HeldMessagesView.h"
#include "ui/rules/RulesPanel.h"
#include "ui/session/Composer.h"
#include "ui/session/ConnectionBar.h"
#include "ui/session/FileSource.h"
#include "ui/session/LiveSource.h"
#include "ui/session/MessageTemplateLibrary.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/Icons.h"
#include "ui/widgets/ThemeChoice.h"
#include "ui/widgets/ThemedStyle.h"
#include "ui/widgets/WheelGuard.h"
#include "ui/window/StartupArgument.h"
#include "ui/window/WelcomePage.h"

#include <QAction>
#include <QActionGroup>
#include <QClipboard>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QThreadPool>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {
namespace {

// Neither a recording nor a HAR file: what it is, as far as its first line tells.
QString notASessionFile(const QString &path, const QByteArray &content)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QByteArray firstLine = content.left(4096).trimmed().split('\n').value(0).trimmed();
    if (firstLine.startsWith('{') && firstLine.contains("\"event\""))
        return MainWindow::tr("%1 is not a recording or a HAR file: it is the JSON lines of 'wsinspector-cli connect "
                              "--json', which 'wsinspector-cli diagnose' and 'simulate --from' read. The window opens "
                              "recordings (.wsirec) and HAR files.")
            .arg(shown);
    QString start = QString::fromUtf8(firstLine.left(60));
    if (firstLine.size() > 60)
        start += QStringLiteral("…");
    return MainWindow::tr("%1 is not a recording or a HAR file: it begins with “%2”. The window opens recordings "
                          "(.wsirec) and HAR files.")
        .arg(shown, start);
}

} // namespace

MainWindow::MainWindow(SessionManager *manager, QWidget *parent)
    : QMainWindow(parent)
    , m_manager(manager)
    , m_recordings(SessionRecordings::of(manager))
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
    , m_templates(new MessageTemplateLibrary(this))
    , m_proxy(new LiveProxy(manager->networkThread(), this))
    , m_capture(new LiveCapture(manager->networkThread(), this))
{
    setWindowTitle(QStringLiteral("WS Inspector"));
    // Values in spin boxes, combo boxes and sliders change under the wheel only once focused, in every window.
    WheelGuard::install();
    m_tabs->setObjectName(QStringLiteral("sessionTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    // Notices stand above the tabs until dismissed.
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    m_noticeArea = new QWidget(central);
    m_noticeArea->setObjectName(QStringLiteral("notices"));
    m_noticeLayout = new QVBoxLayout(m_noticeArea);
    m_noticeLayout->setContentsMargins(6, 4, 6, 0);
    m_noticeArea->setVisible(false);
    centralLayout->addWidget(m_noticeArea);
    // Without any tab the window says how to begin instead of staying blank.
    m_pages = new QStackedWidget(central);
    m_welcome = new WelcomePage(m_pages);
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_tabs);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this](int index) { m_pages->setCurrentWidget(index < 0 ? static_cast<QWidget *>(m_welcome) : m_tabs); });
    connect(m_welcome, &WelcomePage::newSessionRequested, this, [this] { newSession(); });
    connect(m_welcome, &WelcomePage::openFileRequested, this, &MainWindow::askAndOpenFile);
    connect(m_welcome, &WelcomePage::echoServerRequested, this, &MainWindow::openEchoServer);
    m_openFolder = [](const QUrl &url) { return QDesktopServices::openUrl(url); };
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
    QAction *open = file->addAction(tr("&Open recording or HAR…"), this, &MainWindow::askAndOpenFile);
    open->setShortcut(QKeySequence::Open);
    QAction *record = file->addAction(tr("&Record new sessions"));
    record->setObjectName(QStringLiteral("recordNewSessions"));
    record->setCheckable(true);
    connect(record, &QAction::toggled, this, &MainWindow::setRecordingEnabled);
    file->addAction(tr("Show recordings &folder"), this, &MainWindow::showRecordingsFolder);
    file->addAction(tr("&Export session as HAR…"), this,
                    [this] { askExportSession(ExportSessionDialog::Format::Har); });
    file->addAction(tr("Export session as &JSONL…"), this,
                    [this] { askExportSession(ExportSessionDialog::Format::JsonLines); });
    QAction *copyCommand = file->addAction(tr("Copy as &command"), this, &MainWindow::copySessionAsCommand);
    copyCommand->setObjectName(QStringLiteral("copyAsCommand"));
    copyCommand->setShortcut(QKeySequence(tr("Ctrl+Shift+C")));
    copyCommand->setToolTip(tr("The wsinspector-cli connect command line that opens this session's connection"));
    file->addSeparator();
    file->addAction(tr("&Profiles…"), this, [this] {
        profileLibrary()->show();
        profileLibrary()->raise();
        profileLibrary()->activateWindow();
    });
    file->addAction(tr("&Save session as profile…"), this, &MainWindow::saveSessionAsProfile);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *keepalive = menuBar()->addMenu(tr("&Keepalive"));
    keepalive->addAction(tr("Start &timeout proxy…"), this, &MainWindow::askAndStartProxy);
    QAction *stopProxy = keepalive->addAction(tr("&Stop timeout proxy"), m_proxy, &LiveProxy::stop);
    stopProxy->setEnabled(false);
    connect(m_proxy, &LiveProxy::started, this, [this, stopProxy](const QUrl &url) {
        stopProxy->setEnabled(true);
        showHint(tr("Timeout proxy listening on %1 (%2): point any client at it; each connection opens here.")
                     .arg(url.toString(), m_proxy->describe()));
    });
    connect(m_proxy, &LiveProxy::stopped, this, [stopProxy] { stopProxy->setEnabled(false); });
    connect(m_proxy, &LiveProxy::failed, this, [this](const QString &error) {
        showNotice(NoticeBanner::Kind::Failure, tr("The timeout proxy did not start: %1").arg(error));
    });
    connect(m_proxy, &LiveProxy::connectionAccepted, this, &MainWindow::openProxyConnection);
    buildCaptureMenu();
    buildViewMenu();
    buildHelpMenu();

    // A recording that cannot be written (disk full, folder not writable) stops; its session goes on, and the user
    // hears of it here rather than finding a half recording later.
    connect(m_recordings, &SessionRecordings::recordingFailed, this, [this](Session *, const QString &error) {
        showNotice(NoticeBanner::Kind::Failure,
                   tr("Recording stopped: %1. The session goes on unrecorded.").arg(error));
    });
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

    setAcceptDrops(true);
    // 1280x800 the first time, or less on a smaller screen: the whole window, title bar included, on the screen.
    const QSize screenRoom = screen()->availableSize() - QSize(0, style()->pixelMetric(QStyle::PM_TitleBarHeight));
    resize(QSize(1280, 800).boundedTo(screenRoom));
    QSettings settings;
    // Recording is on unless the user turned it off; toggled() applies it to the session manager.
    record->setChecked(settings.value(QStringLiteral("recording/enabled"), true).toBool());
    setRecordingEnabled(record->isChecked());
    if (record->isChecked())
        cleanUpRecordings();
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (const QByteArray saved = settings.value(QStringLiteral("composer/templates")).toByteArray(); !saved.isEmpty()) {
        QString error;
        if (!m_templates->loadJson(saved, &error))
            showNotice(NoticeBanner::Kind::Failure, tr("Saved message templates were not loaded. %1").arg(error));
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
    auto *view = new SessionView(m_tabs);
    applyViewSettings(view);
    view->setSource(new LiveSource(m_manager));
    view->composer()->setTemplateLibrary(m_templates);
    connect(view, &SessionView::reproduceLiveRequested, this, &MainWindow::reproduceLive);
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
        view->connectFillingVariables(options);
    } else {
        view->connectionBar()->focusUrl();
    }
    return view;
}

SessionView *MainWindow::openProxyConnection(ProxyConnection *connection)
{
    return openRelayed(new RelayedSource(connection));
}

SessionView *MainWindow::openRelayed(SessionSource *source)
{
    auto *view = new SessionView(m_tabs);
    view->restoreLayout(QSettings().value(QStringLiteral("window/sessionLayout")).toByteArray());
    applyViewSettings(view);
    view->setSource(source);
    // Opened in the background: the session the user watches keeps the focus.
    addReadOnlyTab(view);
    return view;
}

SessionView *MainWindow::openCapture(const SessionRecords &captured)
{
    auto *view = new SessionView(m_tabs);
    view->restoreLayout(QSettings().value(QStringLiteral("window/sessionLayout")).toByteArray());
    applyViewSettings(view);
    view->setSource(new FileSource(captured));
    addReadOnlyTab(view);
    m_tabs->setCurrentWidget(view);
    return view;
}

QString MainWindow::recordingsDirectory()
{
    return qEnvironmentVariableIsSet("WSI_RECORDING_DIR") ? qEnvironmentVariable("WSI_RECORDING_DIR")
                                                          : RecordingPaths::defaultDirectory();
}

void MainWindow::setRecordingEnabled(bool enabled)
{
    QSettings().setValue(QStringLiteral("recording/enabled"), enabled);
    m_recordings->setDirectory(enabled ? recordingsDirectory() : QString());
}

void MainWindow::cleanUpRecordings()
{
    // Every session is recorded by default: old recordings go, by age and by the folder's size (QSettings
    // recording/keepDays, recording/maxTotalMiB), on a pool thread.
    const QSettings settings;
    RecordingRetention::Policy policy;
    policy.maxAgeDays = settings.value(QStringLiteral("recording/keepDays"), policy.maxAgeDays).toInt();
    policy.maxTotalBytes =
        settings.value(QStringLiteral("recording/maxTotalMiB"), policy.maxTotalBytes / (1024 * 1024)).toLongLong() *
        1024 * 1024;
    const QString directory = m_recordings->directory();
    const QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([self, directory, policy] {
        const RecordingRetention::Result result = RecordingRetention::apply(directory, policy);
        if (result.removed.isEmpty())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, result, directory, policy] {
            if (self)
                self->showHint(tr("Removed %n old recording(s) (%1 MB) from %2: older than %3 days or over %4 MB in "
                                  "all.",
                                  nullptr, int(result.removed.size()))
                                   .arg(double(result.bytesFreed) / 1e6, 0, 'f', 1)
                                   .arg(QDir::toNativeSeparators(directory))
                                   .arg(policy.maxAgeDays)
                                   .arg(policy.maxTotalBytes / 1'000'000));
        });
    });
}

void MainWindow::openFile(const QString &path)
{
    // Reading a large recording or HAR takes a while: on a pool thread, with readers made and used there (Qt SQL
    // connections stay on their thread). The sessions come back as values; their logs are shared, read-only.
    const QPointer<MainWindow> self(this);
    showHint(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    QThreadPool::globalInstance()->start([self, path] {
        SessionFileReader::Result file = SessionFileReader::read(path, FrameLog::Budget{});
        QString error = file.error;
        const QList<SessionRecords> sessions = file.sessions.value_or(QList<SessionRecords>{});
        if (file.sessions && sessions.isEmpty())
            error = tr("%1 holds no WebSocket session (%n HTTP entries)", nullptr, int(file.entries))
                        .arg(QDir::toNativeSeparators(path));
        else if (!file.sessions && file.format == SessionFileFormat::Transcript)
            error = notASessionFile(path, file.transcript);
        else if (!file.sessions && error.isEmpty())
            error = tr("%1 is not a recording or a HAR file (it is %2)")
                        .arg(QDir::toNativeSeparators(path), SessionFileFormats::name(file.format));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, path, sessions, error] {
            if (!self)
                return;
            if (!error.isEmpty()) {
                self->showHint(QString());
                self->showNotice(NoticeBanner::Kind::Failure, error);
                Q_EMIT self->fileOpened(path, 0, error);
                return;
            }
            for (const SessionRecords &captured : sessions)
                self->openCapture(captured);
            self->showHint(tr("Opened %1: %n session(s), read-only.", nullptr, int(sessions.size()))
                               .arg(QDir::toNativeSeparators(path)));
            Q_EMIT self->fileOpened(path, int(sessions.size()), QString());
        });
    });
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            openFile(url.toLocalFile());
    }
    event->acceptProposedAction();
}

void MainWindow::addReadOnlyTab(SessionView *view)
{
    // A relayed, captured or recorded session reproduces live as a session of ours does.
    connect(view, &SessionView::reproduceLiveRequested, this, &MainWindow::reproduceLive);
    m_tabs->addTab(view, Icons::icon(view->stateIcon()), view->title());
    connect(view, &SessionView::stateChanged, this,
            [this, view] { m_tabs->setTabIcon(m_tabs->indexOf(view), Icons::icon(view->stateIcon())); });
    connect(view, &SessionView::statusChanged, this, [this, view](const QString &status) {
        if (view == currentSession())
            m_status->setText(status);
    });
}

void MainWindow::reproduceLive(const QUrl &upstream, const QList<ChainLink> &chain, double timeScale)
{
    ProxyOptions options;
    options.upstream = upstream;
    options.models = chain;
    options.timeScale = timeScale;
    // One session through the proxy once it listens; the connection it makes opens as a proxied tab too.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_proxy, &LiveProxy::started, this, [this, connection, chain, timeScale](const QUrl &url) {
        disconnect(*connection);
        SessionView *view = newSession(url);
        // The session knows what it runs behind, as the relayed tab does: both diagnose the cut against this chain
        // at this time scale, and say so.
        view->source()->setKnownPath(KnownPath{chain, timeScale, tr("the timeout proxy")});
        renameSession(m_tabs->indexOf(view), tr("through the timeout proxy"));
    });
    connect(m_proxy, &LiveProxy::failed, this, [connection] { disconnect(*connection); });
    m_proxy->start(options);
}

ProfileLibraryDialog *MainWindow::profileLibrary()
{
    if (!m_profiles) {
        m_profiles = new ProfileLibraryDialog(qEnvironmentVariable("WSI_PROFILE_DIR"), {}, this);
        connect(m_profiles, &ProfileLibraryDialog::openRequested, this, &MainWindow::openProfile);
        connect(m_profiles, &ProfileLibraryDialog::notice, this, &MainWindow::showHint);
    }
    return m_profiles;
}

SaveProfileDialog *MainWindow::saveSessionAsProfile()
{
    SessionView *view = currentSession();
    if (!view || !view->source()->control()) {
        showHint(tr("Save session as profile: open a session of your own first"));
        return nullptr;
    }
    QString error;
    const auto captured = SaveProfileDialog::capture(view, m_tabs->tabText(m_tabs->currentIndex()), &error);
    if (!captured) {
        showHint(tr("Save session as profile: %1").arg(error));
        return nullptr;
    }
    auto *dialog = new SaveProfileDialog(*captured, m_templates->templates(), &profileLibrary()->store(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { profileLibrary()->saveProfile(dialog->profile()); });
    dialog->open();
    return dialog;
}

SessionView *MainWindow::openProfile(const SessionOptions &options, const SessionProfile &profile)
{
    SessionView *view = newSession();
    QString error;
    if (!profile.simulatorChain.isEmpty() && !view->simulatorPanel()->setChain(profile.simulatorChain, &error))
        showHint(tr("Profile “%1”: the simulator chain was not restored: %2").arg(profile.name, error));
    for (const MessageTemplate &message : profile.messageTemplates) {
        if (!m_templates->find(message.name))
            m_templates->save(message);
    }
    view->connectTo(options);
    renameSession(m_tabs->indexOf(view), profile.name);
    return view;
}

ExportSessionDialog *MainWindow::askExportSession(ExportSessionDialog::Format format)
{
    if (!currentSession() || !currentSession()->records()) {
        showHint(tr("Export: this tab has no session to export"));
        return nullptr;
    }
    const QString fileName =
        format == ExportSessionDialog::Format::Har ? QStringLiteral("session.har") : QStringLiteral("session.jsonl");
    // The documents folder when there is one (a fresh account or a container may have none), else home.
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QDir folder(!documents.isEmpty() && QDir(documents).exists() ? documents : QDir::homePath());
    auto *dialog = new ExportSessionDialog(format, folder.filePath(fileName), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ExportSecrets secrets = dialog->includeSecrets() ? ExportSecrets::Included : ExportSecrets::LeftOut;
        if (dialog->format() == ExportSessionDialog::Format::Har)
            exportSessionAsHar(dialog->path(), secrets);
        else
            exportSessionAsJsonLines(dialog->path(), secrets);
    });
    dialog->open();
    return dialog;
}

SecretRedaction MainWindow::exportRedaction(ExportSecrets secrets) const
{
    if (secrets == ExportSecrets::Included)
        return SecretRedaction::keepingSecrets();
    // The profile's own secret names come with the session's records (SecretRedaction::forSession()).
    return SecretRedaction();
}

void MainWindow::exportSessionAsHar(const QString &path, ExportSecrets secrets)
{
    const std::optional<SessionRecords> session = currentSession() ? currentSession()->records() : std::nullopt;
    if (!session) {
        showHint(tr("Export: this tab has no session to export"));
        return;
    }
    exportInBackground(path, [session = *session, redaction = exportRedaction(secrets)](QIODevice *out) {
        HarWriter writer(out);
        writer.setRedaction(redaction);
        return writer.write({session}, QCoreApplication::applicationVersion()) ? QString() : writer.errorString();
    });
}

void MainWindow::exportSessionAsJsonLines(const QString &path, ExportSecrets secrets)
{
    const std::optional<SessionRecords> session = currentSession() ? currentSession()->records() : std::nullopt;
    if (!session) {
        showHint(tr("Export: this tab has no session to export"));
        return;
    }
    exportInBackground(path, [session = *session, redaction = exportRedaction(secrets)](QIODevice *out) {
        JsonLinesWriter writer(out);
        writer.setRedaction(redaction);
        return writer.write(session, 1) ? QString() : writer.errorString();
    });
}

void MainWindow::exportInBackground(const QString &path, std::function<QString(QIODevice *)> write)
{
    // Writing a long session takes a while (and reads payloads back from its recording): off the GUI thread. The
    // writers open their recording readers there, as Qt SQL connections must be used where they were made.
    QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([self, path, write = std::move(write)] {
        QSaveFile file(path);
        QString error;
        if (!file.open(QIODevice::WriteOnly)) {
            error = file.errorString();
        } else {
            error = write(&file);
            if (error.isEmpty() && !file.commit())
                error = file.errorString();
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, path, error] {
                if (!self)
                    return;
                if (error.isEmpty())
                    self->showHint(tr("Exported to %1").arg(path));
                else
                    self->showNotice(NoticeBanner::Kind::Failure, tr("Export to %1 failed: %2").arg(path, error));
                Q_EMIT self->exportFinished(path, error);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::buildCaptureMenu()
{
    m_captureStatus = new QLabel(this);
    m_captureStatus->setObjectName(QStringLiteral("captureStatus"));
    m_captureStatus->setVisible(false);
    statusBar()->addPermanentWidget(m_captureStatus);

    m_captured = new CapturedList(this);
    m_capturedDock = new QDockWidget(tr("Captured"), this);
    m_capturedDock->setObjectName(QStringLiteral("capturedDock"));
    m_capturedDock->setWidget(m_captured);
    m_capturedDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea | Qt::BottomDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, m_capturedDock);
    m_capturedDock->hide();
    connect(m_captured, &CapturedList::openRequested, this, [this](RelayedSource *source) {
        SessionView *view = openRelayed(source);
        m_captured->setView(source, view);
        m_tabs->setCurrentWidget(view);
    });
    connect(m_captured, &CapturedList::showRequested, this,
            [this](SessionView *view) { m_tabs->setCurrentWidget(view); });
    connect(m_captured, &CapturedList::openFileRequested, this, &MainWindow::openFile);
    connect(m_captured, &CapturedList::notice, this, &MainWindow::showHint);

    // The rules: beside the Captured list, in a scroll area of its own so that its notes never set the window's
    // minimum height.
    m_captureRules = new CaptureRules(this);
    m_rulesPanel = new RulesPanel(m_captureRules, this);
    auto *rulesScroll = new QScrollArea(this);
    rulesScroll->setWidgetResizable(true);
    rulesScroll->setFrameShape(QFrame::NoFrame);
    rulesScroll->setWidget(m_rulesPanel);
    m_rulesDock = new QDockWidget(tr("Rules"), this);
    m_rulesDock->setObjectName(QStringLiteral("rulesDock"));
    m_rulesDock->setWidget(rulesScroll);
    m_rulesDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea | Qt::BottomDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, m_rulesDock);
    tabifyDockWidget(m_capturedDock, m_rulesDock);
    m_rulesDock->hide();
    // The first time it shows, a quarter of the window's height: the session above keeps its table, timeline and
    // composer on a laptop's screen; the user's drag decides after.
    connect(m_rulesDock, &QDockWidget::visibilityChanged, this, [this, sized = false](bool visible) mutable {
        if (!visible || sized || m_rulesDock->isFloating())
            return;
        sized = true;
        resizeDocks({m_rulesDock}, {std::max(160, height() / 4)}, Qt::Vertical);
    });
    connect(m_rulesPanel, &RulesPanel::notice, this, &MainWindow::showHint);
    // The capture's held messages (pause rules) beside the rules; the dock comes forward when one is held, its title
    // counting them, so a waiting peer is never a hidden one.
    m_heldMessages = new HeldMessagesView(this);
    m_heldMessages->setHeldMessages(m_capture->heldMessages());
    m_rulesPanel->setHeldMessagesView(m_heldMessages);
    connect(m_heldMessages, &HeldMessagesView::countChanged, this, [this](int count) {
        m_rulesPanel->setHeldCount(count);
        m_rulesDock->setWindowTitle(count > 0 ? tr("Rules \u00b7 %n held", nullptr, count) : tr("Rules"));
        if (count <= 0)
            return;
        showRulesPanel();
        // Tall enough for the held message's editor and its Forward / Drop / Answer buttons, up to half the window:
        // a decision the user cannot reach is a peer left waiting.
        const int wanted = std::min(height() / 2, m_rulesPanel->sizeHint().height());
        if (!m_rulesDock->isFloating() && m_rulesDock->height() < wanted)
            resizeDocks({m_rulesDock}, {wanted}, Qt::Vertical);
    });
    connect(m_captureRules, &CaptureRules::changed, this, [this] {
        if (!m_capture->isRunning())
            return;
        m_capture->setRules(m_captureRules->ruleSet());
        showHint(tr("Capture rules: %1, for the connections opened from now on").arg(m_captureRules->summary()));
    });

    QMenu *capture = menuBar()->addMenu(tr("&Capture"));
    capture->setObjectName(QStringLiteral("captureMenu"));
    QAction *start = capture->addAction(tr("Start &capture proxy…"), this, &MainWindow::askAndStartCapture);
    start->setObjectName(QStringLiteral("startCapture"));
    start->setToolTip(tr("An HTTP proxy on 127.0.0.1 that shows every WebSocket connection of the applications "
                         "pointed at it"));
    QAction *stop = capture->addAction(tr("S&top capture proxy"), m_capture, &LiveCapture::stop);
    stop->setObjectName(QStringLiteral("stopCapture"));
    stop->setEnabled(false);
    capture->addSeparator();
    QAction *instructions =
        capture->addAction(tr("&Point your app at it…"), this, &MainWindow::showCaptureInstructions);
    instructions->setObjectName(QStringLiteral("captureInstructionsAction"));
    QAction *exportCa = capture->addAction(tr("&Export CA certificate…"), this, &MainWindow::askAndExportCaCertificate);
    exportCa->setObjectName(QStringLiteral("exportCaAction"));
    capture->addSeparator();
    QAction *list = m_capturedDock->toggleViewAction();
    list->setText(tr("Captured connections &list"));
    capture->addAction(list);
    QAction *rules = m_rulesDock->toggleViewAction();
    rules->setObjectName(QStringLiteral("rulesPanelAction"));
    rules->setText(tr("&Rules panel"));
    rules->setToolTip(tr("Rules that rewrite, drop, delay or inject what the capture proxy relays"));
    capture->addAction(rules);

    connect(m_capture, &LiveCapture::started, this, [this, start, stop](const QUrl &url) {
        start->setEnabled(false);
        stop->setEnabled(true);
        m_rulesPanel->setCaptureRunning(true);
        updateCaptureStatus();
        if (m_instructions)
            m_instructions->setProxy(quint16(url.port()), true);
        showHint(tr("Capture proxy listening on %1: point an application at it (Capture > Point your app at it…); "
                    "each WebSocket connection it opens shows here.")
                     .arg(url.toString()));
    });
    connect(m_capture, &LiveCapture::stopped, this, [this, start, stop] {
        start->setEnabled(true);
        stop->setEnabled(false);
        m_rulesPanel->setCaptureRunning(false);
        // The relays go with the proxy: from now on the list opens what the sources kept, or the recordings.
        m_captured->captureStopped();
        updateCaptureStatus();
        if (m_instructions)
            m_instructions->setProxy(m_instructions->port(), false);
        showHint(tr("Capture proxy stopped after %1.").arg(LiveCapture::webSocketsText(m_capture->webSocketCount())));
    });
    connect(m_capture, &LiveCapture::failed, this, [this](const QString &error) {
        // The dialog that started it says why; without one (none is open), the window does.
        if (!m_captureDialog)
            showNotice(NoticeBanner::Kind::Failure, tr("The capture proxy did not start: %1").arg(error));
    });
    connect(m_capture, &LiveCapture::interceptionFailed, this, [this](const QString &problem) {
        if (!m_captureDialog)
            showNotice(NoticeBanner::Kind::Failure, tr("The capture proxy did not start: %1").arg(problem));
    });
    connect(m_capture, &LiveCapture::countsChanged, this, &MainWindow::updateCaptureStatus);
    connect(m_capture, &LiveCapture::tlsFailed, this,
            [this](const QString &host, quint16 port, const QString &side, const QString &reason) {
                showHint(side == QLatin1StringView("client")
                             ? tr("Capture: the application refused the capture CA's certificate for %1:%2 (%3): "
                                  "trust the CA as Capture > Point your app at it… says, or add the host to "
                                  "\"Never intercept\".")
                                   .arg(host)
                                   .arg(port)
                                   .arg(reason)
                             : tr("Capture: %1:%2's certificate did not verify, so the application was refused: %3")
                                   .arg(host)
                                   .arg(port)
                                   .arg(reason));
            });
    connect(m_capture, &LiveCapture::webSocketCaptured, this, &MainWindow::onWebSocketCaptured);
    connect(m_capture, &LiveCapture::recorded, m_captured, &CapturedList::setRecording);
    connect(m_capture, &LiveCapture::recordingFailed, this, [this](int, int id, const QString &error) {
        showNotice(
            NoticeBanner::Kind::Failure,
            tr("Captured connection #%1 was not recorded: %2. Its tab shows it all the same.").arg(id).arg(error));
    });
}

CaptureDialog *MainWindow::askAndStartCapture()
{
    if (m_capture->isRunning()) {
        showHint(tr("The capture proxy already listens on %1").arg(m_capture->url().toString()));
        return nullptr;
    }
    if (m_captureDialog) {
        m_captureDialog->raise();
        return qobject_cast<CaptureDialog *>(m_captureDialog);
    }
    auto *dialog = new CaptureDialog(m_capture, recordingsDirectory(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setRules(m_captureRules);
    connect(dialog, &CaptureDialog::rulesPanelRequested, this, &MainWindow::showRulesPanel);
    m_captureDialog = dialog;
    connect(dialog, &QObject::destroyed, this, [this] { m_captureDialog = nullptr; });
    dialog->open();
    return dialog;
}

void MainWindow::showRulesPanel()
{
    m_rulesDock->show();
    m_rulesDock->raise();
}

CaptureInstructionsDialog *MainWindow::showCaptureInstructions()
{
    if (!m_instructions) {
        const quint16 saved = CaptureDialog::savedPort();
        m_instructions = new CaptureInstructionsDialog(
            m_capture->isRunning() ? quint16(m_capture->url().port()) : (saved ? saved : CaptureDialog::defaultPort),
            m_capture->isRunning(), CaptureAuthority::defaultFolder(), this);
        connect(m_instructions, &CaptureInstructionsDialog::exportCaRequested, this,
                &MainWindow::askAndExportCaCertificate);
    }
    m_instructions->show();
    m_instructions->raise();
    m_instructions->activateWindow();
    return m_instructions;
}

void MainWindow::askAndExportCaCertificate()
{
    const QString path = QFileDialog::getSaveFileName(
        m_instructions && m_instructions->isVisible() ? static_cast<QWidget *>(m_instructions) : this,
        tr("Export the capture CA certificate"), QDir::home().filePath(QStringLiteral("wsinspector-ca.pem")),
        tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (!path.isEmpty())
        exportCaCertificate(path);
}

void MainWindow::exportCaCertificate(const QString &path)
{
    // Opening the CA reads (or, the first time, makes) its files: off the GUI thread, as the write.
    const QString folder = CaptureAuthority::defaultFolder();
    const QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([self, folder, path] {
        QString error;
        QString fingerprint;
        if (const std::shared_ptr<CaptureAuthority> authority = CaptureAuthority::openOrCreate(folder, &error)) {
            QSaveFile file(path);
            const QByteArray pem = authority->certificatePem(); // the certificate only, never the key
            if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit())
                error = tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
            fingerprint =
                QString::fromLatin1(authority->certificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, path, error, fingerprint] {
                if (!self)
                    return;
                if (error.isEmpty())
                    self->showHint(tr("Wrote the capture CA certificate (not its key) to %1. SHA-256 %2")
                                       .arg(QDir::toNativeSeparators(path), fingerprint));
                else
                    self->showNotice(NoticeBanner::Kind::Failure,
                                     tr("The capture CA certificate was not exported: %1").arg(error));
                Q_EMIT self->caExported(path, error);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::onWebSocketCaptured(ProxyConnection *connection, const QUrl &url)
{
    RelayedSource *source = m_captured->add(connection, url, m_capture->captureNumber());
    if (m_captured->openTabCount() < maxCapturedTabs) {
        m_captured->setView(source, openRelayed(source));
    } else if (!m_capturedDock->isVisible()) {
        m_capturedDock->show();
        showHint(tr("%1 captured connections have tabs: the next ones wait in the Captured list; double-click one to "
                    "open it.")
                     .arg(maxCapturedTabs));
    }
}

void MainWindow::updateCaptureStatus()
{
    m_captureStatus->setVisible(m_capture->isRunning());
    if (!m_capture->isRunning())
        return;
    const QUrl url = m_capture->url();
    m_captureStatus->setText(tr("Capturing on %1:%2 — %3")
                                 .arg(url.host())
                                 .arg(url.port())
                                 .arg(LiveCapture::webSocketsText(m_capture->webSocketCount())));
    QString tip = tr("Other connections passed through untouched (plain HTTP, or TLS to hosts not intercepted): %1")
                      .arg(m_capture->passedThroughCount());
    if (m_capture->refusedCount() > 0)
        tip += QLatin1Char('\n') + tr("Requests refused: %1").arg(m_capture->refusedCount());
    if (m_capture->tlsFailureCount() > 0)
        tip += QLatin1Char('\n') + tr("TLS handshakes failed: %1").arg(m_capture->tlsFailureCount());
    if (!m_capture->recordDirectory().isEmpty())
        tip += QLatin1Char('\n') + tr("Recording into %1").arg(QDir::toNativeSeparators(m_capture->recordDirectory()));
    m_captureStatus->setToolTip(tip);
}

void MainWindow::askAndStartProxy()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Start the timeout proxy"));
    auto *upstream = new QLineEdit(&dialog);
    upstream->setPlaceholderText(QStringLiteral("ws://server.example:8080/socket"));
    if (SessionView *view = currentSession(); view && view->source()->serverUrl().isValid())
        upstream->setText(view->source()->serverUrl().toString());
    auto *chainText = new QLineEdit(QStringLiteral("nginx"), &dialog);
    chainText->setToolTip(tr("Models from client to server, separated by spaces, each MODEL[:knob=value,...] as "
                             "on the command line, e.g. \"nginx:proxy_read_timeout=30s aws-alb\""));
    auto *scale = new QDoubleSpinBox(&dialog);
    scale->setRange(1, 1000);
    scale->setValue(20);
    scale->setPrefix(tr("time ÷ "));
    auto *error = new QLabel(&dialog);
    ThemedStyle::apply(error, ThemedStyle::Look::Text, Theme::Color::Failure);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Upstream:"), upstream);
    form->addRow(tr("Models:"), chainText);
    form->addRow(tr("Time scale:"), scale);
    form->addRow(error);
    form->addRow(buttons);
    QList<ChainLink> chain;
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        chain.clear();
        for (const QString &text : chainText->text().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            QString why;
            const auto link = ChainLink::parse(text, IntermediaryCatalog::builtIn(), &why);
            if (!link) {
                error->setText(why);
                return;
            }
            chain.append(*link);
        }
        const QUrl url(upstream->text().trimmed());
        if (url.scheme() != QLatin1StringView("ws") && url.scheme() != QLatin1StringView("wss")) {
            error->setText(tr("The upstream must be a ws:// or wss:// URL"));
            return;
        }
        dialog.accept();
    });
    // A modal dialog runs its own event loop: the network thread and the other sessions keep going.
    if (dialog.exec() != QDialog::Accepted)
        return;
    ProxyOptions options;
    options.upstream = QUrl(upstream->text().trimmed());
    options.models = chain;
    options.timeScale = scale->value();
    m_proxy->start(options);
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

NoticeBanner *MainWindow::showNotice(NoticeBanner::Kind kind, const QString &text)
{
    for (NoticeBanner *shown : notices()) {
        if (shown->text() == text)
            return shown;
    }
    auto *notice = new NoticeBanner(kind, text, m_noticeArea);
    m_noticeLayout->addWidget(notice);
    notice->show();
    m_noticeArea->setVisible(true);
    connect(notice, &NoticeBanner::dismissed, this, [this, notice] {
        m_noticeLayout->removeWidget(notice);
        m_noticeArea->setVisible(m_noticeLayout->count() > 0);
    });
    return notice;
}

QList<NoticeBanner *> MainWindow::notices() const
{
    QList<NoticeBanner *> shown;
    for (int i = 0; i < m_noticeLayout->count(); ++i) {
        if (auto *notice = qobject_cast<NoticeBanner *>(m_noticeLayout->itemAt(i)->widget()))
            shown.append(notice);
    }
    return shown;
}

void MainWindow::openArgument(const QString &argument)
{
    const StartupArgument target = StartupArgument::classify(argument);
    switch (target.kind) {
    case StartupArgument::Kind::Url:
        newSession(target.url);
        break;
    case StartupArgument::Kind::File:
        openFile(target.path);
        break;
    case StartupArgument::Kind::Invalid:
        showNotice(NoticeBanner::Kind::Failure, target.problem);
        break;
    }
}

void MainWindow::askAndOpenFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open recording or HAR"), RecordingPaths::defaultDirectory(),
                                     tr("Recordings and HAR files (*.wsirec *.har *.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

SessionView *MainWindow::openEchoServer(const QUrl &url)
{
    m_welcome->setEchoServer(url);
    SessionView *view = newSession(url);
    const int index = m_tabs->indexOf(view);
    renameSession(index, tr("built-in echo server"));
    m_tabs->setTabToolTip(index, tr("WS Inspector's own echo server at %1").arg(url.toString()));
    const QString hintKey = QStringLiteral("hints/echoServer");
    if (QSettings().value(hintKey, true).toBool()) {
        NoticeBanner *hint = showNotice(
            NoticeBanner::Kind::Hint,
            tr("This first tab is connected to WS Inspector's built-in echo server (%1), which sends every message "
               "back. Try: write a message below and press Ctrl+Enter, send a Ping, or open a recording or HAR file "
               "with Ctrl+O.")
                .arg(url.toString()));
        connect(hint, &NoticeBanner::dismissed, this, [hintKey] { QSettings().setValue(hintKey, false); });
    }
    return view;
}

void MainWindow::showRecordingsFolder()
{
    const QString directory =
        m_recordings->directory().isEmpty() ? RecordingPaths::defaultDirectory() : m_recordings->directory();
    QDir().mkpath(directory);
    if (m_openFolder(QUrl::fromLocalFile(directory)))
        return;
    // No file manager (a minimal desktop, a container): the path itself, to paste wherever the user works.
    const QString shown = QDir::toNativeSeparators(directory);
    NoticeBanner *notice = showNotice(NoticeBanner::Kind::Failure,
                                      tr("No file manager opened the recordings folder. It is %1").arg(shown));
    notice->addButton(tr("Copy path"), [shown] { QGuiApplication::clipboard()->setText(shown); });
}

QString MainWindow::copySessionAsCommand()
{
    SessionView *view = currentSession();
    if (!view) {
        showHint(tr("Copy as command: open a session first"));
        return {};
    }
    std::optional<SessionOptions> options;
    QString why;
    if (view->source()->control()) {
        options = view->connectionBar()->options(&why);
    } else if (view->source()->serverUrl().isValid()) {
        // A relayed connection or a file: its server is known, not the options it was opened with.
        options = SessionOptions{};
        options->url = view->source()->serverUrl();
    }
    if (!options) {
        showHint(tr("Copy as command: %1").arg(why.isEmpty() ? tr("this tab has no server to connect to") : why));
        return {};
    }
    const QString line = ConnectCommandLine::build(*options);
    QGuiApplication::clipboard()->setText(line);
    showHint(tr("Copied: %1").arg(line));
    return line;
}

void MainWindow::setTheme(std::optional<Theme::Variant> variant)
{
    ThemeChoice::apply(variant);
    ThemeChoice::save(variant);
}

void MainWindow::setWallClockVisible(bool visible)
{
    m_wallClock = visible;
    QSettings().setValue(QStringLiteral("view/wallClock"), visible);
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *view = qobject_cast<SessionView *>(m_tabs->widget(i)))
            view->setWallClockVisible(visible);
    }
}

void MainWindow::applyViewSettings(SessionView *view) const
{
    view->setWallClockVisible(m_wallClock);
}

void MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *find = view->addAction(tr("&Filter…"), this, [this] {
        if (SessionView *session = currentSession())
            session->focusFilter();
    });
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence::Find);
    QAction *frames = view->addAction(tr("F&rames"), this, [this] {
        if (SessionView *session = currentSession())
            session->showMessages(false);
    });
    frames->setShortcut(QKeySequence(tr("Ctrl+1")));
    QAction *messages = view->addAction(tr("&Messages (reassembled, inflated)"), this, [this] {
        if (SessionView *session = currentSession())
            session->showMessages(true);
    });
    messages->setShortcut(QKeySequence(tr("Ctrl+2")));
    QAction *wallClock = view->addAction(tr("&Wall-clock time column"));
    wallClock->setObjectName(QStringLiteral("wallClockAction"));
    wallClock->setCheckable(true);
    m_wallClock = QSettings().value(QStringLiteral("view/wallClock"), false).toBool();
    wallClock->setChecked(m_wallClock);
    connect(wallClock, &QAction::toggled, this, &MainWindow::setWallClockVisible);

    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(QStringLiteral("themeMenu"));
    auto *themes = new QActionGroup(theme);
    const QList<std::pair<QString, std::optional<Theme::Variant>>> choices{
        {tr("&System"), std::nullopt},
        {tr("&Light"), Theme::Variant::Light},
        {tr("&Dark"), Theme::Variant::Dark},
        {tr("&High contrast (white on black)"), Theme::Variant::HighContrastDark},
        {tr("High contrast (&black on white)"), Theme::Variant::HighContrastLight},
    };
    for (const auto &[text, variant] : choices) {
        QAction *action = theme->addAction(text, this, [this, variant] { setTheme(variant); });
        action->setObjectName(QStringLiteral("theme-") + ThemeChoice::name(variant));
        action->setCheckable(true);
        themes->addAction(action);
    }
    // Checked as applied now (main() applies the saved one, or --palette's for this run).
    connect(theme, &QMenu::aboutToShow, this, [theme] {
        for (QAction *action : theme->actions())
            action->setChecked(action->objectName() ==
                               QStringLiteral("theme-") + ThemeChoice::name(ThemeChoice::current()));
    });
}

void MainWindow::buildHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    QAction *about = help->addAction(tr("&About WS Inspector"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
}

QList<QPair<QString, QString>> MainWindow::shortcutList() const
{
    QList<QPair<QString, QString>> list;
    const auto add = [&list](const QList<QKeySequence> &keys, const QString &what) {
        QStringList written;
        for (const QKeySequence &key : keys)
            written.append(key.toString(QKeySequence::NativeText));
        if (written.isEmpty())
            return;
        for (auto &[shownKeys, shownWhat] : list) {
            if (shownWhat == what) { // one row per thing done, with all its keys
                for (const QString &key : std::as_const(written)) {
                    if (!shownKeys.split(QStringLiteral(", ")).contains(key))
                        shownKeys += QStringLiteral(", ") + key;
                }
                return;
            }
        }
        list.append({written.join(QStringLiteral(", ")), what});
    };
    const auto plain = [](QString text) { return text.remove(u'&'); };
    // The menus, in their order: "File › Open recording or HAR…".
    std::function<void(const QMenu *, const QString &)> walk = [&](const QMenu *menu, const QString &path) {
        for (const QAction *action : menu->actions()) {
            if (action->menu())
                walk(action->menu(), path + plain(action->menu()->title()) + QStringLiteral(" › "));
            else if (!action->shortcuts().isEmpty())
                add(action->shortcuts(), path + plain(action->text()));
        }
    };
    for (const QAction *top : menuBar()->actions()) {
        if (top->menu())
            walk(top->menu(), plain(top->menu()->title()) + QStringLiteral(" › "));
    }
    // Shortcuts of the widgets themselves (the composer's Ctrl+Enter, the connection bar's Ctrl+L), described by
    // their whatsThis; every tab has them, so each is listed once.
    for (const QShortcut *shortcut : findChildren<QShortcut *>()) {
        if (!shortcut->whatsThis().isEmpty())
            add({shortcut->key()}, shortcut->whatsThis());
    }
    return list;
}

QDialog *MainWindow::showShortcuts()
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTreeWidget(dialog);
    table->setObjectName(QStringLiteral("shortcuts"));
    table->setHeaderLabels({tr("Keys"), tr("What it does")});
    table->setRootIsDecorated(false);
    table->setAlternatingRowColors(true);
    for (const auto &[keys, what] : shortcutList())
        new QTreeWidgetItem(table, {keys, what});
    table->resizeColumnToContents(0);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(560, 420);
    dialog->open();
    return dialog;
}

QDialog *MainWindow::showAbout()
{
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About WS Inspector"));
    if (!QGuiApplication::windowIcon().isNull())
        box->setIconPixmap(QGuiApplication::windowIcon().pixmap(64, 64));
    const QString version = QCoreApplication::applicationVersion();
    box->setText(
        tr("<b>WS Inspector %1</b>").arg(version.isEmpty() ? tr("(development build)") : version.toHtmlEscaped()));
    box->setInformativeText(tr("A WebSocket inspector: every frame on the wire in both directions, control frames and "
                               "header bits included; "
                               "heartbeats; a keepalive simulator of proxies, load balancers and NATs; and why a "
                               "connection dropped.<br><br>"
                               "Built with Qt %1, running on Qt %2.<br>Licensed under the GNU General Public License, "
                               "version 3 or later.<br><br>"
                               "The command line: <tt>wsinspector-cli --help</tt>.")
                                .arg(QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
    box->setStandardButtons(QMessageBox::Close);
    box->open();
    return box;
}

} // namespace wsi
