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
    delete m_reconnector; // before the session: no reconnect may start while it goes
    if (m_session)
        m_manager->removeSession(m_session);
}

std::optional<SessionRecords> LiveSource::records() const
{
    if (!m_session)
        return std::nullopt;
    return m_session->records();
}

Session::State LiveSource::state() const
{
    return m_session ? m_session->state() : Session::State::Idle;
}

QString LiveSource::title() const
{
    if (m_options.url.isEmpty())
        return tr("New session");
    return HostPort::ofUrl(m_options.url) + m_options.url.path();
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
        connect(m_reconnector, &Reconnector::sessionStarted, this,
                [this](Session *session, int connection) { follow(session, connection); });
        connect(m_reconnector, &Reconnector::reconnectScheduled, this,
                [this](int attempt, qint64 delayMs, int connection) {
                    Q_EMIT statusMessage(tr("Connection %1 ended: reconnecting in %2 s (attempt %3)")
                                             .arg(connection)
                                             .arg(double(delayMs) / 1000.0, 0, 'f', 1)
                                             .arg(attempt));
                });
        m_reconnector->start();
        return;
    }
    Session *session = m_manager->createSession(options);
    follow(session, 1);
    SessionManager::post(session, [](Session *s) { s->open(); });
}

void LiveSource::follow(Session *session, int connection)
{
    if (m_session)
        m_manager->removeSession(m_session);
    m_session = session;
    m_connection = connection;
    // Only signals and what they carry from here on: the session lives on the network thread. A signal from a
    // session this source no longer follows (queued before it moved on) is dropped.
    connect(session, &Session::framesAppended, this, [this, session](qsizetype count) {
        if (session == m_session)
            Q_EMIT framesAppended(count);
    });
    connect(session, &Session::heartbeatUpdated, this, [this, session] {
        if (session == m_session)
            Q_EMIT heartbeatUpdated();
    });
    connect(session, &Session::handshakeFinished, this, [this, session] {
        if (session == m_session)
            Q_EMIT handshakeChanged();
    });
    connect(session, &Session::stateChanged, this, [this, session](Session::State state) {
        // Closed is said by ended(), once the close record is there.
        if (session == m_session && state != Session::State::Closed)
            Q_EMIT stateChanged(state);
    });
    connect(session, &Session::closed, this, [this, session] {
        if (session != m_session)
            return;
        Q_EMIT ended();
        Q_EMIT stateChanged(Session::State::Closed);
    });
    Q_EMIT recordsReplaced();
    Q_EMIT titleChanged();
}

void LiveSource::post(std::function<void(Session *)> command)
{
    if (m_session)
        SessionManager::post(m_session, std::move(command));
}

void LiveSource::disconnect()
{
    if (m_reconnector)
        m_reconnector->stop(); // the user ends it: no reconnect after this
    if (!m_session)
        return;
    if (m_session->state() == Session::State::Open)
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

} // namespace wsi
