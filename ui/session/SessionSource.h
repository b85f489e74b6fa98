// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/KnownPath.h"
#include "core/records/SessionRecords.h"
#include "core/session/Session.h"
#include "ui/widgets/Icons.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <optional>

namespace wsi {

class SessionControl;

// Where a session view's records come from: a live session of ours (LiveSource), a connection the timeout proxy
// relays (RelayedSource), or a session read from a file (FileSource). The view shows what the source gives and
// follows its signals, the same way for all three: it never asks which kind it has. What a user can do to a session
// (connect, send, disconnect) is the source's SessionControl, which only a live source has.
class SessionSource : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionSource)

public:
    ~SessionSource() override;

    // The records as they are now, of its latest connection; none before a live source's first connection.
    virtual std::optional<SessionRecords> records() const = 0;
    // Connecting, open, closing, closed (Idle before a live source's first connection).
    virtual Session::State state() const = 0;
    // "127.0.0.1:9001/chat", for the tab.
    virtual QString title() const = 0;
    // Where the frames come from, in a sentence above them ("Relayed by the timeout proxy ..."); empty when the
    // view needs none (a live session says it in its connection bar).
    virtual QString origin() const { return {}; }
    // The server, for "Reproduce live"; empty before a live source's first connection.
    virtual QUrl serverUrl() const = 0;
    // Which connection the records are of: 1, then 2 after the first automatic reconnect (or Connect again), and so on.
    virtual int connectionNumber() const { return 1; }
    // Every connection it keeps, oldest first, the last being the one records() gives: one for a relayed connection
    // or a file; a live source keeps each connection of its tab, each reconnect's too, with how it ended.
    virtual int connectionCount() const { return records() ? 1 : 0; }
    // The records of the connection numbered `number` (connectionNumber()'s numbering); none when it is not kept.
    virtual std::optional<SessionRecords> connectionRecords(int number) const
    {
        return number == connectionNumber() ? records() : std::nullopt;
    }
    // The number of the oldest connection kept (a long reconnect loop lets the oldest go).
    int firstConnectionNumber() const { return connectionNumber() - connectionCount() + 1; }
    // Connect, send and disconnect; null for a source that only shows (relayed, from a file).
    virtual SessionControl *control() { return nullptr; }

    // The tab's icon: open, connecting or closing, closed cleanly (or as a file that does not say), or failed.
    Icons::Name stateIcon() const;
    // Now on the session's own clock, for the silence counters: wall time since its start while it runs, its end
    // once it is over.
    qint64 nowNs() const;
    static qint64 nowNs(const SessionRecords &records, bool running);

    // The intermediaries the session is known to run behind, at the time scale they run at: a session Reproduce live
    // made through the timeout proxy, or a connection that proxy relays. The diagnosis weighs those, as they ran.
    void setKnownPath(const KnownPath &path);
    const std::optional<KnownPath> &knownPath() const noexcept { return m_knownPath; }

Q_SIGNALS:
    // There are records to show that replace the ones before (the first connection, each reconnect).
    void recordsReplaced();
    // A connection was added, or an earlier one ended (connectionCount(), connectionRecords()).
    void connectionsChanged();
    // Coalesced, never one per frame.
    void framesAppended(qsizetype frameCount);
    void heartbeatUpdated();
    void handshakeChanged();
    void stateChanged(wsi::Session::State state);
    // The records now say how it ended.
    void ended();
    // Something happened at `atNs` on the session's clock that the timeline marks (a cut by the timeout proxy).
    void markerAdded(qint64 atNs, const QString &label);
    // A relayed message was held by a pause rule or let go (SessionRecords::holds).
    void holdsChanged();
    void originChanged();
    void titleChanged();
    // A passing message for the status bar ("Connection 1 ended: reconnecting in 2.0 s").
    void statusMessage(const QString &message);
    // Automatic reconnect: the next connection opens in delayMs (attempt k of maxAttempts in a row, 0: unlimited),
    // or none will ("gave up after 5 attempts", "reconnecting stopped"; empty when there is nothing to say, as after
    // the user's own clean close).
    void reconnectScheduled(int attempt, int maxAttempts, qint64 delayMs);
    void reconnectFinished(const QString &why);

protected:
    explicit SessionSource(QObject *parent = nullptr);

private:
    std::optional<KnownPath> m_knownPath;
};

} // namespace wsi
