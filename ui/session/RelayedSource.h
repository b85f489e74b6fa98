// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session/SessionSource.h"

#include <QPointer>

namespace wsi {

class ProxyConnection;
struct ProxyCut;

// A connection a proxy of the window relays, between a client of anyone's and its server: the timeout proxy in front
// of one server, or the capture proxy an application was pointed at. Its frames both ways (the client's are
// Outgoing, as in a session of ours), the client's request and the server's answer as its handshake, and how it
// ended. Read-only. The connection lives on the network thread and goes with its proxy; the source keeps the last
// records it had, so the view outlives it.
class RelayedSource final : public SessionSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayedSource)

public:
    // Which proxy relays it: what the tab is named after and what the sentence above the frames says.
    enum class Relay : quint8 {
        TimeoutProxy, // "proxied #3 (127.0.0.1:50412)": one server, many clients
        CaptureProxy, // the URL the application asked for: "wss://api.example.com/socket"
    };

    explicit RelayedSource(ProxyConnection *connection, Relay relay = Relay::TimeoutProxy, QObject *parent = nullptr);
    ~RelayedSource() override;

    std::optional<SessionRecords> records() const override;
    Session::State state() const override { return m_state; }
    QString title() const override { return m_title; }
    QString origin() const override { return m_origin; }
    QUrl serverUrl() const override { return m_records.url; }

private:
    void refresh();
    void onCut(const ProxyCut &cut);
    void setState(Session::State state);

    QPointer<ProxyConnection> m_connection;
    SessionRecords m_records; // as of the last signal: the connection may be gone since
    Session::State m_state = Session::State::Connecting;
    QString m_title;
    QString m_origin;
};

} // namespace wsi
