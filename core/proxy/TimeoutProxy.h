// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/ProxyConnection.h"
#include "core/proxy/ProxyOptions.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <atomic>

class QTcpServer;

namespace wsi {

// The live timeout proxy: a relay on 127.0.0.1 in front of a ws:// or wss:// server that records both directions
// of every connection frame by frame and enforces intermediary models' timers in real time (ProxyConnection), with
// the same ChainLink definitions the KeepaliveSimulator runs, divided by a time scale. Any client can point at it:
// the app's own sessions, a browser, the user's application.
//
// A QObject for the network thread (SessionManager::networkThread() or a thread of its own), never the GUI thread:
// create it, moveToThread(), then call listen() there (e.g. QMetaObject::invokeMethod with
// Qt::BlockingQueuedConnection) and delete it there (deleteLater()). Connections are children of the proxy; their
// FrameLogs, like a Session's, are readable from any thread.
class TimeoutProxy final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeoutProxy)

public:
    explicit TimeoutProxy(ProxyOptions options, QObject *parent = nullptr);
    ~TimeoutProxy() override; // aborts every connection

    // Any thread.
    const ProxyOptions &options() const noexcept { return m_options; }
    quint16 port() const noexcept { return m_port.load(std::memory_order_acquire); }
    // What a client connects to: ws://127.0.0.1:PORT plus the upstream's path and query.
    QUrl url() const;
    // Why options cannot run (no ws:// or wss:// upstream, time scale <= 0, TLS files for a wss:// upstream that
    // cannot be read or hold nothing usable), empty when they can. listen() checks it.
    static QString optionsProblem(const ProxyOptions &options);

public Q_SLOTS:
    // The proxy's thread. False with errorString() when the options are unusable or the port cannot be bound.
    bool listen();
    // Stops accepting and aborts every connection that still runs.
    void close();

public:
    // The proxy's thread.
    QString errorString() const { return m_error; }
    bool isListening() const;
    // Every connection accepted so far, closed ones included unless removeClosedConnections is on.
    QList<ProxyConnection *> connections() const;
    // A long-running command-line proxy forgets connections once they closed (and their signals were delivered);
    // the GUI keeps them to show as read-only sessions.
    void setRemoveClosedConnections(bool remove) { m_removeClosed = remove; }

Q_SIGNALS:
    // A client connected; connect to the connection's own signals (upgraded, framesAppended, cutHappened, closed)
    // right away, from any thread (they are queued across threads).
    void connectionAccepted(wsi::ProxyConnection *connection);

private:
    void onNewConnection();

    ProxyOptions m_options;
    QTcpServer *m_server = nullptr;
    std::atomic<quint16> m_port{0};
    QString m_error;
    int m_nextId = 1;
    bool m_removeClosed = false;
    QList<QPointer<ProxyConnection>> m_connections;
};

} // namespace wsi
