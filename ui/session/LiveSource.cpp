// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/LiveSource.h"

#include "core/protocol/HostPort.h"
#include "core/session/Reconnector.h"
#include "core/session/SessionManager.h"

namespace wsi {

LiveSource::LiveSource(SessionManager *manager, QObject *parent)
    : SessionSource(parent)
    , m_manager(manager)
{}

LiveSource::~LiveSource()
{
    delete m_reconnector; // before the sessions: no reconnect may start while they go
    for (const Connection &connection : std::as_const(m_connections)) {
        if (connection.session)
            m_manager->removeSession(connection.session);
    }
}

Session *LiveSource::session() const
{
    return m_connections.isEmpty() ? nullptr : m_connections.constLast().session.data();
}

std::optional<SessionRecords> LiveSource::records() const
{
    if (m_connections.isEmpty())
        return std::nullopt;
    return connectionRecords(m_connections.constLast().number);
}

std::optional<SessionRecords> LiveSource::connectionRecords(int number) const
{
    for (const Connection &connection : m_connections) {
        if (connection.number == number)
            return connection.session ? connection.session->records() : connection.records;
    }
    return std::nullopt;
}

int LiveSource::connectionNumber() const
{
    return m_connections.isEmpty() ? 0 : m_connections.constLast().number;
}

Session::State LiveSource::state() const
{
    const Session *latest = session();
    if (latest)
        return latest->state();
    return m_connections.isEmpty() ? Session::State::Idle : Session::State::Closed;
}

QString LiveSource::title() const
{
    if (m_options.url.isEmpty())
        return tr("New session");
    return HostPort::ofUrl(m_options.url) + m_options.url.path();
}

QString LiveSource::origin() const
{
    // A session of ours says where it connects in its connection bar; one that runs behind a known path (Reproduce
    // live) says what that path does to time.
    if (const std::optional<KnownPath> &path = knownPath())
        return tr("Through %1: %2.").arg(path->ranBy, path->describe());
    return {};
}

void LiveSource::connectTo(const SessionOptions &options)
{
    delete m_reconnector; // a new connection of the user's: the old reconnect loop ends
    m_reconnector = nullptr;
    m_options = options;
    Q_EMIT titleChanged();
    if (options.reconnect.enabled) {
        // Each reconnect is a new Session (its own handshake, frames and close); the source follows the latest.
        m_reconnector = new Reconnector(
            options, [manager = m_manager](const SessionOptions &o) { return manager->createSession(o); }, this);
        connect(m_reconnector, &Reconnector::sessionStarted, this, [this](Session *session) { follow(session); });
        connect(m_reconnector, &Reconnector::reconnectScheduled, this, [this](int attempt, qint64 delayMs) {
            // Numbered by the tab, not the loop: a Connect again goes on counting.
            Q_EMIT statusMessage(tr("Connection %1 ended; reconnect attempt %3 after a %2 s wait")
                                     .arg(connectionNumber())
                                     .arg(double(delayMs) / 1000.0, 0, 'f', 1)
                                     .arg(attempt)); // the wait as chosen; the bar counts it down
            Q_EMIT reconnectScheduled(attempt, m_options.reconnect.maxAttempts, delayMs);
        });
        connect(m_reconnector, &Reconnector::finished, this, &LiveSource::onReconnectFinished);
        m_reconnector->start();
        return;
    }
    Session *session = m_manager->createSession(options);
    follow(session);
    SessionManager::post(session, [](Session *s) { s->open(); });
}

void LiveSource::follow(Session *session)
{
    if (!m_connections.isEmpty()) {
        Connection &previous = m_connections.last();
        if (previous.session && previous.session->state() == Session::State::Closed)
            release(previous);
        else if (previous.session) // still running (Connect again): released once it has closed
            SessionManager::post(previous.session, [](Session *s) { s->abort(); });
    }
    m_connections.append(Connection{m_nextNumber++, session, {}});
    while (m_connections.size() > maxEarlierConnections + 1) {
        const Connection oldest = m_connections.takeFirst();
        if (oldest.session)
            m_manager->removeSession(oldest.session);
    }
    // Only signals and what they carry from here on: the session lives on the network thread. A signal from a
    // session this source no longer follows (queued before it moved on) is dropped.
    connect(session, &Session::framesAppended, this, [this, session](qsizetype count) {
        if (session == this->session())
            Q_EMIT framesAppended(count);
    });
    connect(session, &Session::heartbeatUpdated, this, [this, session] {
        if (session == this->session())
            Q_EMIT heartbeatUpdated();
    });
    connect(session, &Session::handshakeFinished, this, [this, session] {
        if (session == this->session())
            Q_EMIT handshakeChanged();
        Q_EMIT connectionsChanged();
    });
    connect(session, &Session::stateChanged, this, [this, session](Session::State state) {
        // Closed is said by ended(), once the close record is there.
        if (session == this->session() && state != Session::State::Closed)
            Q_EMIT stateChanged(state);
    });
    connect(session, &Session::closed, this, [this, session] { onSessionClosed(session); });
    Q_EMIT recordsReplaced();
    Q_EMIT connectionsChanged();
    Q_EMIT titleChanged();
}

void LiveSource::onSessionClosed(Session *session)
{
    const bool latest = session == this->session();
    if (!latest) {
        // An earlier connection that was still running when a later one started: its records are complete now.
        for (Connection &connection : m_connections) {
            if (connection.session == session)
                release(connection);
        }
    }
    Q_EMIT connectionsChanged();
    if (!latest)
        return;
    Q_EMIT ended();
    Q_EMIT stateChanged(Session::State::Closed);
}

void LiveSource::release(Connection &connection)
{
    // The records hold the shared log and heartbeat history, the close and the recording path: all a view needs
    // once the Session is gone.
    connection.records = connection.session->records();
    m_manager->removeSession(connection.session);
    connection.session = nullptr;
}

void LiveSource::onReconnectFinished()
{
    QString why;
    switch (m_reconnector->finishKind()) {
    case Reconnector::Finish::GaveUp: {
        const int attempts = m_reconnector->attemptsInARow();
        why = attempts == 1 ? tr("gave up after 1 reconnect attempt")
                            : tr("gave up after %1 reconnect attempts").arg(attempts);
        break;
    }
    case Reconnector::Finish::Stopped:
        why = tr("reconnecting stopped");
        break;
    case Reconnector::Finish::Running:
    case Reconnector::Finish::ReconnectOff:
    case Reconnector::Finish::ClientClosed:
        break; // the user closed it: nothing to recover, nothing to say
    }
    if (!why.isEmpty())
        Q_EMIT statusMessage(tr("Connection %1: %2").arg(connectionNumber()).arg(why));
    Q_EMIT reconnectFinished(why);
}

void LiveSource::post(std::function<void(Session *)> command)
{
    if (Session *latest = session())
        SessionManager::post(latest, std::move(command));
}

void LiveSource::disconnect()
{
    if (m_reconnector)
        m_reconnector->stop(); // the user ends it: no reconnect after this
    const Session *latest = session();
    if (!latest)
        return;
    if (latest->state() == Session::State::Open)
        post([](Session *s) { s->sendClose(quint16(1000), QString()); });
    else
        post([](Session *s) { s->abort(); });
}

void LiveSource::sendMessage(MessageType type, const QByteArray &payload, int fragments)
{
    post([=](Session *s) { s->sendMessage(type, payload, fragments); });
}

void LiveSource::sendPing(const QByteArray &payload)
{
    post([=](Session *s) { s->sendPing(payload); });
}

void LiveSource::sendPong(const QByteArray &payload)
{
    post([=](Session *s) { s->sendPong(payload); });
}

void LiveSource::sendClose(quint16 code, const QString &reason)
{
    post([=](Session *s) { s->sendClose(code, reason); });
}

void LiveSource::sendProtocolMessage(const ProtocolMessage &message, AppProtocol protocol)
{
    post([=](Session *s) { s->sendProtocolMessage(message, protocol); });
}

} // namespace wsi
