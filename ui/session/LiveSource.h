// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session/SessionControl.h"
#include "ui/session/SessionSource.h"

#include <QList>
#include <QPointer>

namespace wsi {

class Reconnector;
class SessionManager;

// A session of our own: each connectTo() makes a new Session in the SessionManager (a Session is one connection),
// and with "reconnect automatically" a Reconnector makes one per reconnect; the source follows the latest, and
// says so with recordsReplaced(). Every connection of the tab stays reachable (connectionRecords()): an earlier
// connection's records are kept as they were at its close (its log is shared, its recording path kept), and its
// Session is removed once it has closed and a later one is followed. Commands go to the network thread through
// SessionManager::post().
class LiveSource final
    : public SessionSource
    , public SessionControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveSource)

public:
    // Earlier connections kept beside the latest: a reconnect loop that runs for days lets the oldest go (their
    // recordings stay on disk).
    static constexpr int maxEarlierConnections = 50;

    explicit LiveSource(SessionManager *manager, QObject *parent = nullptr);
    ~LiveSource() override; // the sessions it holds go with it

    // The connection it follows now; null before the first connectTo().
    Session *session() const;

    std::optional<SessionRecords> records() const override;
    Session::State state() const override;
    QString title() const override;
    QString origin() const override;
    QUrl serverUrl() const override { return m_options.url; }
    int connectionNumber() const override;
    int connectionCount() const override { return int(m_connections.size()); }
    std::optional<SessionRecords> connectionRecords(int number) const override;
    SessionControl *control() override { return this; }

    void connectTo(const SessionOptions &options) override;
    void disconnect() override;
    void sendMessage(MessageType type, const QByteArray &payload, int fragments) override;
    void sendPing(const QByteArray &payload) override;
    void sendPong(const QByteArray &payload) override;
    void sendClose(quint16 code, const QString &reason) override;
    void sendProtocolMessage(const ProtocolMessage &message, AppProtocol protocol) override;
    SessionOptions options() const override { return m_options; }

private:
    struct Connection {
        int number = 0;
        QPointer<Session> session; // until it has closed and a later connection is followed
        SessionRecords records;    // as at its close, once its session is gone
    };

    void follow(Session *session);
    void onSessionClosed(Session *session);
    void onReconnectFinished();
    // Keeps the connection's records as they are and removes its Session.
    void release(Connection &connection);
    void post(std::function<void(Session *)> command);

    SessionManager *m_manager;
    SessionOptions m_options;
    QList<Connection> m_connections; // oldest first; the last is the one followed
    int m_nextNumber = 1;
    Reconnector *m_reconnector = nullptr; // with "reconnect automatically": makes each connection's Session
};

} // namespace wsi
