// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/records/SessionRecords.h"
#include "core/session/Session.h"
#include "core/session/SessionOptions.h"
#include "ui/session/SessionSource.h"
#include "ui/widgets/Icons.h"
#include "ui/widgets/RateMeter.h"
#include "ui/widgets/RefreshPacer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabBar;
class QTabWidget;
class QTimer;

namespace wsi {

class Composer;
class ConnectionBar;
class ConnectionPicker;
class DiagnosisBanner;
class FrameDetailView;
class FrameTableModel;
class FrameTableView;
class HandshakeView;
class HeartbeatView;
class MessageTableModel;
class SessionSource;
class SimulatorPanel;
class TimelineWidget;

// One session in the window: the frame table with its filter, the frame detail, handshake, heartbeat and keepalive
// views and the timeline, for whatever SessionSource it is given: a live session of ours, a connection the timeout
// proxy relays, or a session read from a file, all shown the same way. When the source has a SessionControl (a
// live session), the connection bar and the composer drive it. The views follow the source's records, refreshed on
// its coalesced framesAppended signal.
class SessionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionView)

public:
    explicit SessionView(QWidget *parent = nullptr);
    ~SessionView() override;

    ConnectionBar *connectionBar() const noexcept { return m_bar; }
    Composer *composer() const noexcept { return m_composer; }
    // Which state icon the session's tab shows: open, connecting/closing, closed cleanly, or failed.
    Icons::Name stateIcon() const { return m_source ? m_source->stateIcon() : Icons::Name::StateClosed; }
    FrameTableView *frameTable() const noexcept { return m_table; }
    FrameTableModel *frameModel() const noexcept { return m_model; }
    TimelineWidget *timeline() const noexcept { return m_timeline; }
    HandshakeView *handshakeView() const noexcept { return m_handshake; }
    SimulatorPanel *simulatorPanel() const noexcept { return m_simulator; }
    HeartbeatView *heartbeatView() const noexcept { return m_heartbeat; }
    FrameDetailView *frameDetail() const noexcept { return m_detail; }
    // The side tabs (frame or message detail, handshake, heartbeat, keepalive): each page scrolls inside its tab.
    // The page shown, the tab of a page (-1: none), and showing one.
    QWidget *shownSidePage() const;
    int sideTabIndex(const QWidget *page) const;
    void showSidePage(const QWidget *page);
    // The Messages view beside the frames: the session's messages reassembled and inflated, and the detail of the
    // one selected (a side tab that replaces the frame detail while the messages are shown).
    FrameTableView *messageTable() const noexcept { return m_messageTable; }
    MessageTableModel *messageModel() const noexcept { return m_messages; }
    FrameDetailView *messageDetail() const noexcept { return m_messageDetail; }
    void showMessages(bool messages);
    bool isShowingMessages() const;
    // Ctrl+F: the cursor to the payload filter.
    void focusFilter();
    // "12 of 345 shown" while a filter is active, or why a regex does not compile; empty otherwise.
    QString filterStatus() const;
    // The wall-clock column of the frame table (View menu); hidden by default.
    void setWallClockVisible(bool visible);
    // What the view shows; it takes ownership. Set once, right after construction.
    void setSource(SessionSource *source);
    SessionSource *source() const noexcept { return m_source; }
    // The source's latest connection: 1, then 2 after the first automatic reconnect, and so on.
    int connectionNumber() const;
    // The connection the view shows: the latest's number while it follows the latest, else the one picked.
    int shownConnection() const;
    // Shows an earlier connection of the tab (its frames, handshake, heartbeat, end and diagnosis, its recording for
    // cut payloads); 0 or the latest's number follows the latest again. The connection picker does this.
    void showConnection(int number);
    ConnectionPicker *connectionPicker() const noexcept { return m_picker; }
    // "127.0.0.1:9001/chat", for the tab.
    QString title() const;
    // Whether the table follows new frames (paused while the user scrolls up or selects a row).
    bool isFollowing() const noexcept { return m_following; }

    // Connects through the source's control, as the connection bar's Connect does; nothing when it has none.
    void connectTo(const SessionOptions &options);
    // The connection bar's Connect: first asks for the values of the "{{variables}}" the options use
    // (ConnectValuesDialog), then connects with them filled in; nothing when the dialog is cancelled.
    void connectFillingVariables(const SessionOptions &options);
    // What the view shows, as it is now (for the exports): the connection shown; none before a first connect.
    std::optional<SessionRecords> records() const;

    // Splitter positions, for the window's saved layout.
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

protected:
    void resizeEvent(QResizeEvent *event) override;

Q_SIGNALS:
    void titleChanged(const QString &title);
    void stateChanged(wsi::Session::State state);
    void statusChanged(const QString &status);
    // The simulator's "Reproduce live": this session's server behind the timeout proxy with that chain.
    void reproduceLiveRequested(const QUrl &upstream, const QList<wsi::ChainLink> &chain, double timeScale);

private:
    // After an abnormal end: the diagnosis, computed off the GUI thread, shown if the view still shows `log`.
    // Diagnoses the session's end off the GUI thread and suggests the Keepalive tab's chain from its evidence; with
    // `ended`, an unclean end shows the diagnosis over the frames.
    void readEvidence(const SessionRecords &records, bool ended);
    // The source has new records to show (its first, or a reconnect's): every view starts over on them, unless the
    // user is looking at an earlier connection.
    void attachRecords();
    // Every view starts over on this connection's records.
    void attach(const SessionRecords &records, bool running);
    // The connection shown is over: the timeline marks its end, the heartbeat says it ended, and the diagnosis.
    void showEnd(const SessionRecords &records);
    // The messages a pause rule held, as spans on the timeline.
    void showHolds(const SessionRecords &records);
    bool showsLatest() const;
    // The shown connection's clock now: its end once it is over.
    qint64 shownNowNs() const;
    void onClockTick();
    void attachLog(std::shared_ptr<const FrameLog> log, const QDateTime &startedAt);
    void onHandshakeChanged();
    void onEnded();
    // Frames arrived: the views take them in at RefreshPacer's pace (refreshViews()).
    void onFramesAppended();
    void refreshViews();
    void onStateChanged(Session::State state);
    void onRowSelected();
    void onTimelineFrameClicked(qsizetype frameIndex);
    void applyFilter();
    // The connection's application protocol became known: its column and filters show.
    void onProtocolRecognised();
    // The kinds seen so far in the kind filter, the choice kept.
    void updateKindChoices();
    // A decoded view's "Go to reply" / "Go to request".
    void showMessageAt(qsizetype message);
    // The handshake settles what the connection speaks: decoding starts from it.
    void startDecoding(const SessionRecords &records, bool running);
    void updateFilterStatus();
    // The splitters' first-run sizes for the view's real size.
    void applyDefaultLayout();
    // `page` as a side tab, in a scroll area of its own.
    void addSideTab(QWidget *page, const QString &title);
    // The Frames | Messages choice over the table area, made once by the constructor.
    void setUpMessagesView();
    // The message table's model for a new log, following the frame table's filter.
    void attachMessages(const QDateTime &startedAt);
    void onMessageSelected();
    void resumeFollowing();
    void updateStatus();
    void refreshHeartbeat();

    SessionSource *m_source = nullptr; // child
    quint64 m_evidenceRuns = 0;        // readEvidence runs started
    quint64 m_evidenceApplied = 0;     // the latest run whose result was applied
    std::shared_ptr<const FrameLog> m_log;
    ConnectionBar *m_bar;
    QLineEdit *m_filterText;
    QCheckBox *m_filterRegex;
    QComboBox *m_filterDirection;
    QCheckBox *m_foldPingPong;
    QWidget *m_protocolRow;      // the filters on decoded messages, once the protocol is known
    QComboBox *m_protocolFilter; // every message / the protocol's only / one kind
    QLineEdit *m_subjectFilter;  // event, topic or method
    QLabel *m_protocolName;
    ConnectionPicker *m_picker;
    FrameTableView *m_table;
    FrameTableModel *m_model = nullptr;
    QTabBar *m_tableChoice;   // Frames | Messages
    QStackedWidget *m_tables; // the frame table or the message table
    FrameTableView *m_messageTable;
    MessageTableModel *m_messages = nullptr;
    FrameDetailView *m_messageDetail;
    QLabel *m_filterStatus; // "N of M shown"
    QLabel *m_filterError;  // under the filter: why the regex does not compile
    bool m_wallClock = false;
    QPushButton *m_newFrames;
    QTabWidget *m_sideTabs;
    FrameDetailView *m_detail;
    HandshakeView *m_handshake;
    HeartbeatView *m_heartbeat;
    SimulatorPanel *m_simulator;
    QLabel *m_origin;             // where the frames come from, when the source says (relayed, a file)
    DiagnosisBanner *m_diagnosis; // after an abnormal end: what most likely cut the connection, and the fix
    QTimer *m_clockTimer;         // ticks the silence counters while nothing arrives
    TimelineWidget *m_timeline;
    Composer *m_composer;
    QSplitter *m_horizontal; // the column of frames | the side tabs
    QSplitter *m_vertical;   // in the column: the table | the timeline | the composer
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
    RefreshPacer *m_pacer = nullptr; // made first thing in the constructor
    bool m_layoutRestored = false;   // the user's splitter sizes from the last run
    bool m_layoutChosen = false;     // a splitter handle dragged in this run
    QElapsedTimer m_sinceShown;      // the rate meter's clock
};

} // namespace wsi
