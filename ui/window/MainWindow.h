// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/exchange/SecretRedaction.h"
#include "core/keepalive/ChainLink.h"
#include "core/profiles/SessionProfile.h"
#include "core/records/SessionRecords.h"
#include "core/session/SessionOptions.h"
#include "ui/widgets/NoticeBanner.h"
#include "ui/widgets/Theme.h"
#include "ui/window/ExportSessionDialog.h"

#include <QMainWindow>
#include <QUrl>

#include <functional>
#include <optional>

class QDialog;
class QDockWidget;
class QIODevice;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QVBoxLayout;

namespace wsi {

class CaptureDialog;
class CaptureInstructionsDialog;
class CaptureRules;
class CapturedList;
class HeldMessagesView;
class LiveCapture;
class LiveProxy;
class MessageTemplateLibrary;
class ProfileLibraryDialog;
class SaveProfileDialog;
class ProxyConnection;
class RelayedSource;
class RulesPanel;
class SessionManager;
class SessionSource;
class SessionRecordings;
class SessionView;
class WelcomePage;

// The inspector's main window: one tab per session (Ctrl+N opens one, Ctrl+W closes it), each a SessionView, and
// a status bar with the current session's traffic. Window geometry and splitter positions persist (QSettings).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(SessionManager *manager, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a session tab; with a URL it connects at once.
    SessionView *newSession(const QUrl &url = {});
    SessionView *currentSession() const;
    QTabWidget *sessionTabs() const noexcept { return m_tabs; }
    // Names a session's tab; an empty name goes back to the session's URL.
    void renameSession(int index, const QString &name);
    // A passing message in the status bar.
    void showHint(const QString &text);
    // A sentence above the tabs that stays until dismissed: what failed and where (a file that did not open, an
    // export that failed, a folder that could not be shown), or a first hint. The same text is not shown twice.
    NoticeBanner *showNotice(NoticeBanner::Kind kind, const QString &text);
    QList<NoticeBanner *> notices() const;

    // `wsinspector URL|FILE...`: a ws:// or wss:// URL or host[:port] opens a connected session, anything else is a
    // file to open (a missing one is said so); what is neither is said too.
    void openArgument(const QString &argument);
    // The embedded default: a session on the built-in echo server, its tab named after it, and a first hint of what
    // to try (until dismissed once).
    SessionView *openEchoServer(const QUrl &url);
    // File > Show recordings folder: the desktop's file manager, else a notice with the folder's path and a button
    // that copies it. `opener` replaces QDesktopServices::openUrl (tests).
    void showRecordingsFolder();
    void setFolderOpener(std::function<bool(const QUrl &)> opener) { m_openFolder = std::move(opener); }
    // File > Copy as command: the `wsinspector-cli connect` line that opens the current session's connection again
    // (ConnectCommandLine: secrets as shell variables), put on the clipboard; returned, empty when there is none.
    QString copySessionAsCommand();
    // View > Theme: the desktop's palette (nullopt) or one of Theme's, applied at once and kept in QSettings.
    void setTheme(std::optional<Theme::Variant> variant);
    // View > Wall-clock time column, for every session (kept in QSettings).
    void setWallClockVisible(bool visible);
    // Help > Keyboard shortcuts and Help > About; open, non-modal.
    QDialog *showShortcuts();
    QDialog *showAbout();
    // Every keyboard shortcut the window has, as (keys, what it does), read from its menus' actions and its
    // widgets' shortcuts, so the list cannot go stale.
    QList<QPair<QString, QString>> shortcutList() const;

    // The timeout proxy: every connection it relays opens as a read-only tab.
    LiveProxy *liveProxy() const noexcept { return m_proxy; }
    SessionView *openProxyConnection(ProxyConnection *connection);
    // Capture: the capture proxy any application can be pointed at. Each WebSocket connection through it opens as a
    // read-only tab named by the URL the application asked for while fewer than maxCapturedTabs are open, and is
    // listed in the Captured dock, which shows itself once there are more.
    static constexpr int maxCapturedTabs = 8;
    LiveCapture *liveCapture() const noexcept { return m_capture; }
    CapturedList *capturedList() const noexcept { return m_captured; }
    QDockWidget *capturedDock() const noexcept { return m_capturedDock; }
    HeldMessagesView *heldMessagesView() const noexcept { return m_heldMessages; }
    // Capture > Rules panel: the capture proxy's rules (kept from one run to the next), in the Rules dock. The
    // capture starts with them, and rules applied while it runs are handed to it for the connections opened after.
    CaptureRules *captureRules() const noexcept { return m_captureRules; }
    RulesPanel *rulesPanel() const noexcept { return m_rulesPanel; }
    QDockWidget *rulesDock() const noexcept { return m_rulesDock; }
    void showRulesPanel();
    // Capture > Start capture proxy…: the dialog, already open (window modal, no nested event loop).
    CaptureDialog *askAndStartCapture();
    // Capture > Point your app at it…: the pages with the port filled in; open, non-modal, one at a time.
    CaptureInstructionsDialog *showCaptureInstructions();
    // Capture > Export CA certificate…: writes the capture CA's certificate (never its key) to `path` on a pool
    // thread, making the CA the first time; caExported() follows.
    void exportCaCertificate(const QString &path);
    // File > Open, drag and drop, `wsinspector FILE`: a recording or a HAR file, read on a pool thread; each of
    // its sessions opens as a read-only tab. fileOpened() follows (error empty on success).
    void openFile(const QString &path);
    SessionView *openCapture(const SessionRecords &captured);
    // File > Record new sessions (on by default, kept in QSettings): each new session is recorded to
    // RecordingPaths::defaultDirectory(), or $WSI_RECORDING_DIR when set.
    void setRecordingEnabled(bool enabled);
    // At start: removes old recordings from the recordings folder (RecordingRetention), off the GUI thread.
    void cleanUpRecordings();
    // Write the current session (live, or read from a file) as HAR (Chrome's WebSocket format) or as the JSON
    // lines of `wsinspector-cli connect --json`, with whole payloads (read back from its recording), on a pool
    // thread; exportFinished() follows. The handshake's credentials are left out (SecretRedaction, with the secret
    // headers of the profile the session was opened from) unless `secrets` says to include them.
    enum class ExportSecrets : quint8 { LeftOut, Included };
    void exportSessionAsHar(const QString &path, ExportSecrets secrets = ExportSecrets::LeftOut);
    void exportSessionAsJsonLines(const QString &path, ExportSecrets secrets = ExportSecrets::LeftOut);
    // File > Export session as …: the dialog asking where and whether to include secrets, already open (window
    // modal, no nested event loop); accepting it exports. nullptr when the tab has no session to export.
    ExportSessionDialog *askExportSession(ExportSessionDialog::Format format);
    // Starts the proxy in front of `upstream` with `chain`, then opens a session through it.
    void reproduceLive(const QUrl &upstream, const QList<ChainLink> &chain, double timeScale);
    // File > Profiles…: the library over $WSI_PROFILE_DIR (as the CLI), else the default profile directory.
    ProfileLibraryDialog *profileLibrary();
    // File > Save session as profile…: the form for the current session, already open (nullptr: nothing to save).
    SaveProfileDialog *saveSessionAsProfile();
    // A new tab connected with a profile's options, its simulator chain, and its message templates added to the
    // composer's library (templates of the same name already there are kept).
    SessionView *openProfile(const SessionOptions &options, const SessionProfile &profile);

Q_SIGNALS:
    void exportFinished(const QString &path, const QString &error);
    void fileOpened(const QString &path, int sessions, const QString &error);
    void caExported(const QString &path, const QString &error);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void closeSession(int index);
    void onCurrentChanged();
    void buildViewMenu();
    void buildHelpMenu();
    // What the View menu sets for every session, given to a new tab.
    void applyViewSettings(SessionView *view) const;
    void askAndStartProxy();
    void buildCaptureMenu();
    void askAndExportCaCertificate();
    void onWebSocketCaptured(ProxyConnection *connection, const QUrl &url);
    void updateCaptureStatus();
    // A tab for a connection a proxy relays (the timeout proxy's or the capture proxy's), opened in the background.
    SessionView *openRelayed(SessionSource *source);
    // Where sessions and captured connections are recorded: $WSI_RECORDING_DIR, else the shared recordings folder.
    static QString recordingsDirectory();
    void askAndOpenFile();
    void addReadOnlyTab(SessionView *view);
    // Writes to `path` (atomically, QSaveFile) on a pool thread with `write`, which returns an error or nothing.
    void exportInBackground(const QString &path, std::function<QString(QIODevice *)> write);
    // What leaves the current session's secrets out of an export, or keeps them.
    SecretRedaction exportRedaction(ExportSecrets secrets) const;

    SessionManager *m_manager;
    SessionRecordings *m_recordings; // the manager's: deleted with it
    QTabWidget *m_tabs;
    QStackedWidget *m_pages = nullptr;
    WelcomePage *m_welcome = nullptr;
    QLabel *m_status;
    MessageTemplateLibrary *m_templates; // shared by every session's composer, kept in QSettings
    LiveProxy *m_proxy;
    LiveCapture *m_capture;
    CapturedList *m_captured = nullptr;
    QDockWidget *m_capturedDock = nullptr;
    HeldMessagesView *m_heldMessages = nullptr;
    CaptureRules *m_captureRules = nullptr;
    RulesPanel *m_rulesPanel = nullptr;
    QDockWidget *m_rulesDock = nullptr;
    QLabel *m_captureStatus = nullptr;
    QDialog *m_captureDialog = nullptr;                  // while open
    CaptureInstructionsDialog *m_instructions = nullptr; // made on first use
    ProfileLibraryDialog *m_profiles = nullptr;          // made on first use
    QWidget *m_noticeArea = nullptr;
    QVBoxLayout *m_noticeLayout = nullptr;
    std::function<bool(const QUrl &)> m_openFolder;
    bool m_wallClock = false;
};

} // namespace wsi
