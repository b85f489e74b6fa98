// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QString>
#include <QUrl>
#include <QWidget>

#include <map>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace wsi {

class ProxyConnection;
class RelayedSource;
class SessionView;

// The "Captured" list: every WebSocket connection the capture proxy handed over, named by the URL the application
// asked for, with its state. A connection opens as a tab while few are open; the rest wait here, each with the
// source that will show it, until opened (double-click, Enter or Open). A connection whose tab was closed opens
// again from its relay while the capture runs, or from its recording after.
//
// It follows each connection's state changes only, never its frames.
class CapturedList final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CapturedList)

public:
    explicit CapturedList(QWidget *parent = nullptr);
    ~CapturedList() override;

    // A connection the capture proxy handed over (GUI thread): listed, and the source that shows it, kept here until
    // a tab takes it (setView()).
    RelayedSource *add(ProxyConnection *connection, const QUrl &url, int run);
    // `view` took `source` (add()'s, or one openRequested() asked for).
    void setView(RelayedSource *source, SessionView *view);
    // Connection `connectionId` of capture `run` (LiveCapture::captureNumber()) is recorded into `path`.
    void setRecording(int run, int connectionId, const QString &path);
    // The capture stopped: its connections are no longer read (they go with the proxy).
    void captureStopped();

    int count() const { return int(m_entries.size()); }
    // Connections shown in a tab now.
    int openTabCount() const;
    QTreeWidget *list() const noexcept { return m_list; }
    // Opens the connection of `row` (a tab, or the one it has).
    void open(int row);
    // Forgets connections that ended and have no tab (their frames go with them).
    void removeEnded();

Q_SIGNALS:
    // A tab is wanted for `source` (which the tab takes).
    void openRequested(wsi::RelayedSource *source);
    // The connection has a tab already: bring it forward.
    void showRequested(wsi::SessionView *view);
    // Only its recording is left.
    void openFileRequested(const QString &path);
    // Why a connection cannot be opened.
    void notice(const QString &text);

private:
    struct Entry {
        QTreeWidgetItem *item = nullptr;
        int run = 0;
        int connectionId = 0;
        QPointer<ProxyConnection> connection; // null once the capture stopped
        QPointer<RelayedSource> waiting;      // the source no tab took yet
        QPointer<SessionView> view;           // the tab that shows it
        QString recording;
        bool ended = false;
    };

    RelayedSource *watch(quint64 key, RelayedSource *source);
    void refresh(quint64 key, const RelayedSource *source);
    void updateSummary();

    QTreeWidget *m_list;
    QLabel *m_summary;
    QPushButton *m_open;
    QPushButton *m_removeEnded;
    std::map<quint64, Entry> m_entries;
    // Recordings said before their connection was added (the proxy names the file as it starts the relay).
    std::map<std::pair<int, int>, QString> m_earlyRecordings;
    quint64 m_nextKey = 1;
};

} // namespace wsi
