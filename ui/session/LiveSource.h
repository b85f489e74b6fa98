// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session/SessionControl.h"
#include "ui/session/SessionSource.h"

#include <QPointer>

namespace wsi {

class Reconnector;
class SessionManager;

// A session of our own: each connectTo() makes a new Session in the SessionManager (a Session is one connection),
// and with "reconnect automatically" a Reconnector makes one per reconnect; the source follows the latest, and
// says so with recordsReplaced(). Commands go to the network thread through SessionManager::post().
class LiveSource final
    : public SessionSource
    , public SessionControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveSource)

public:
    explicit LiveSource(SessionManager *manager, QObject *parent = nullptr);
    ~LiveSource() override; // the session it follows goes with it

    // The connection it follows now; null before the first connectTo().
    Session *session() const noexcept { return m_session; }

    std::optional<SessionRecords> records() const override;
    Session::State state() const override;
    QString title() const override;
    QUrl serverUrl() const override { return m_options.url; }
    int connectionNumber() const override { return m_connection; }
    SessionControl *control() override { return this; }

    void connectTo(const SessionOptions &options) override;
    void disconnect() override;
    void sendMessage(MessageType type, const QByteArray &payload, int fragments) override;
    void sendPing(const QByteArray &payload) override;
    void sendPong(const QByteArray &payload) override;
    void sendClose(quint16 code, const QString &reason) override;
    SessionOptions options() const override { return m_options; }

private:
    void follow(Session *session, int connection);
    void post(std::function<void(Session *)> command);

    SessionManager *m_manager;
    SessionOptions m_options;
    QPointer<Session> m_session;
    Reconnector *m_reconnector = nullptr; // with "reconnect automatically": makes each connection's Session
    int m_connection = 0;
};

} // namespace wsi
