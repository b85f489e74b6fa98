// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/profiles/SessionProfile.h"
#include "core/records/SessionRecords.h"
#include "core/session/SessionOptions.h"

#include <QMainWindow>
#include <QUrl>

#include <functional>

class QIODevice;
class QLabel;
class QTabWidget;

namespace wsi {

class LiveProxy;
class MessageTemplateLibrary;
class ProfileLibraryDialog;
class SaveProfileDialog;
class ProxyConnection;
class SessionManager;
class SessionRecordings;
class SessionView;

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
    // A short hint under the tabs ("this is the built-in echo server: try sending...").
    void showHint(const QString &text);

    // The timeout proxy: every connection it relays opens as a read-only tab.
    LiveProxy *liveProxy() const noexcept { return m_proxy; }
    SessionView *openProxyConnection(ProxyConnection *connection);
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
    // thread; exportFinished() follows.
    void exportSessionAsHar(const QString &path);
    void exportSessionAsJsonLines(const QString &path);
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

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void closeSession(int index);
    void onCurrentChanged();
    void askAndStartProxy();
    void addReadOnlyTab(SessionView *view);
    // Writes to `path` (atomically, QSaveFile) on a pool thread with `write`, which returns an error or nothing.
    void exportInBackground(const QString &path, std::function<QString(QIODevice *)> write);

    SessionManager *m_manager;
    SessionRecordings *m_recordings; // the manager's: deleted with it
    QTabWidget *m_tabs;
    QLabel *m_status;
    MessageTemplateLibrary *m_templates; // shared by every session's composer, kept in QSettings
    LiveProxy *m_proxy;
    ProfileLibraryDialog *m_profiles = nullptr; // made on first use
};

} // namespace wsi
