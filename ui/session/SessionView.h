// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/records/SessionRecords.h"
#include "core/session/Session.h"
#include "core/session/SessionOptions.h"
#include "ui/widgets/Icons.h"
#include "ui/widgets/RateMeter.h"
#include "ui/widgets/RefreshPacer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTimer;

namespace wsi {

class Composer;
class ConnectionBar;
class FrameDetailView;
class FrameTableModel;
class FrameTableView;
class HandshakeView;
class HeartbeatView;
class ProxyConnection;
class Reconnector;
class SessionManager;
class SimulatorPanel;
class TimelineWidget;

// One session in the window: the connection bar, the frame table with its filter, the frame detail and handshake
// views, the timeline, and the composer. Each Connect creates a new Session in the SessionManager (a Session is
// one connection); the views then follow its FrameLog, refreshed by its coalesced framesAppended signal.
class SessionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionView)

public:
    explicit SessionView(SessionManager *manager, QWidget *parent = nullptr);
    ~SessionView() override;

    ConnectionBar *connectionBar() const noexcept { return m_bar; }
    Composer *composer() const noexcept { return m_composer; }
    // Which state icon the session's tab shows: open, connecting/closing, closed cleanly, or failed.
    Icons::Name stateIcon() const;
    FrameTableView *frameTable() const noexcept { return m_table; }
    FrameTableModel *frameModel() const noexcept { return m_model; }
    TimelineWidget *timeline() const noexcept { return m_timeline; }
    HandshakeView *handshakeView() const noexcept { return m_handshake; }
    SimulatorPanel *simulatorPanel() const noexcept { return m_simulator; }
    HeartbeatView *heartbeatView() const noexcept { return m_heartbeat; }
    FrameDetailView *frameDetail() const noexcept { return m_detail; }
    Session *session() const noexcept { return m_session; }
    // Which connection the view shows: 1, then 2 after the first automatic reconnect, and so on.
    int connectionNumber() const noexcept { return m_connection; }
    // "127.0.0.1:9001/chat", for the tab.
    QString title() const;
    // Whether the table follows new frames (paused while the user scrolls up or selects a row).
    bool isFollowing() const noexcept { return m_following; }

    void connectTo(const SessionOptions &options);
    // Shows, read-only, a connection relayed by the timeout proxy (no connection bar, no composer).
    void showProxyConnection(ProxyConnection *connection);
    bool isProxyView() const noexcept { return m_isProxyView; }
    // Shows, read-only, a session read from a file (a recording, or a HAR entry): every view works on it, the
    // diagnosis included; payloads the log did not keep are read back from the recording.
    void showCapture(const SessionRecords &captured);
    bool isCaptureView() const noexcept { return m_isCaptureView; }
    // What the view shows, as it is now (for the exports); none before a first connect.
    std::optional<SessionRecords> records() const;
    // Proxied or captured: nothing to connect or send.
    bool isReadOnly() const noexcept { return m_isProxyView || m_isCaptureView; }
    void disconnectSession();

    // Splitter positions, for the window's saved layout.
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

protected:
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    void titleChanged(const QString &title);
    void stateChanged(wsi::Session::State state);
    void statusChanged(const QString &status);
    // The simulator's "Reproduce live": this session's server behind the timeout proxy with that chain.
    void reproduceLiveRequested(const QUrl &upstream, const QList<wsi::ChainLink> &chain, double timeScale);

private:
    // After an abnormal end: the diagnosis, computed off the GUI thread, shown if the view still shows `log`.
    void showDiagnosis(const SessionRecords &records);
    void attachSession(Session *session, int connection);
    void attachLog(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt);
    // Frames arrived: the views take them in at RefreshPacer's pace (refreshViews()).
    void onFramesAppended();
    void refreshViews();
    void onStateChanged(Session::State state);
    void onRowSelected();
    void onTimelineFrameClicked(qsizetype frameIndex);
    void applyFilter();
    void resumeFollowing();
    void updateStatus();
    void refreshHeartbeat();

    SessionManager *m_manager;
    QPointer<Session> m_session;
    std::shared_ptr<const FrameLog> m_log;
    ConnectionBar *m_bar;
    QLineEdit *m_filterText;
    QCheckBox *m_filterRegex;
    QComboBox *m_filterDirection;
    QCheckBox *m_foldPingPong;
    FrameTableView *m_table;
    FrameTableModel *m_model = nullptr;
    QPushButton *m_newFrames;
    QTabWidget *m_sideTabs;
    FrameDetailView *m_detail;
    HandshakeView *m_handshake;
    HeartbeatView *m_heartbeat;
    SimulatorPanel *m_simulator;
    QLabel *m_proxyNote;                  // what a proxied view shows instead of the connection bar
    QLabel *m_diagnosis;                  // after an abnormal end: what most likely cut the connection, and the fix
    Reconnector *m_reconnector = nullptr; // with "reconnect automatically": makes each connection's Session
    int m_connection = 0;                 // 1 for the first connection, 2 after the first reconnect ...
    bool m_isProxyView = false;
    bool m_isCaptureView = false;
    Icons::Name m_readOnlyIcon = Icons::Name::StateConnecting; // proxied and captured views: no Session to ask
    QString m_readOnlyTitle;
    std::optional<SessionRecords> m_captured; // a captured view's session
    QUrl m_capturedUrl;                        // a captured view's server, for "Reproduce live"
    qint64 m_capturedEndNs = 0;                // and when its session ended, on its clock
    QTimer *m_clockTimer;                      // ticks the silence counters while nothing arrives
    TimelineWidget *m_timeline;
    Composer *m_composer;
    QSplitter *m_vertical;
    QSplitter *m_horizontal;
    bool m_following = true;
    qsizetype m_unseen = 0;
    struct Traffic {
        qsizetype frames = 0;
        quint64 bytes = 0;
    };
    qsizetype m_counted = 0; // frames already in m_in / m_out
    Traffic m_in;
    Traffic m_out;
    RateMeter m_messageRate;
    RefreshPacer *m_pacer = nullptr;     // made first thing in the constructor
    bool m_layoutRestored = false;       // the user's splitter sizes from the last run
    bool m_defaultLayoutApplied = false; // or the first-run ones
    QElapsedTimer m_sinceShown;          // the rate meter's clock
};

} // namespace wsi
