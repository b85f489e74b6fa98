// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/RelayedSource.h"

#include "core/proxy/ProxyConnection.h"

namespace wsi {

RelayedSource::RelayedSource(ProxyConnection *connection, Relay relay, QObject *parent)
    : SessionSource(parent)
    , m_connection(connection)
    , m_records(connection->records())
{
    // The proxy's chain and time scale: the diagnosis weighs those timers as they ran, and the sentence above the
    // frames says what ran.
    const ProxyOptions &options = connection->options();
    const QString proxy = relay == Relay::CaptureProxy ? tr("the capture proxy") : tr("the timeout proxy");
    QString chain;
    if (!options.models.isEmpty()) {
        const KnownPath path{options.models, options.timeScale, proxy};
        setKnownPath(path);
        chain = QStringLiteral(" (%1)").arg(path.chainAndScale());
    }
    if (relay == Relay::CaptureProxy) {
        // Named by where the application went; the query often carries a token, so it stays out of the tab.
        m_title = options.upstream.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
        m_origin = tr("Captured by the capture proxy%1: the application at %2 and %3, frame by frame. Read-only.")
                       .arg(chain, connection->clientAddress(), m_title);
    } else {
        m_title = tr("proxied #%1 (%2)").arg(connection->id()).arg(connection->clientAddress());
        m_origin = tr("Relayed by the timeout proxy%1: the client at %2 and the server, frame by frame. Read-only.")
                       .arg(chain, connection->clientAddress());
    }
    // Whatever happened before the signals below were connected (the connection runs on the network thread).
    switch (connection->state()) {
    case ProxyConnection::State::Upgrading:
        break;
    case ProxyConnection::State::Open:
    case ProxyConnection::State::Dropped:
        m_state = Session::State::Open;
        break;
    case ProxyConnection::State::Refused:
    case ProxyConnection::State::Closed:
        m_state = Session::State::Closed;
        break;
    }
    // Queued across threads: the connection's signals arrive here on the GUI thread.
    connect(connection, &ProxyConnection::upgraded, this, [this](int status) {
        refresh();
        Q_EMIT handshakeChanged();
        setState(status == 101 ? Session::State::Open : Session::State::Closed);
    });
    connect(connection, &ProxyConnection::framesAppended, this, &SessionSource::framesAppended);
    connect(connection, &ProxyConnection::cutHappened, this, &RelayedSource::onCut);
    connect(connection, &ProxyConnection::holdsChanged, this, [this] {
        refresh();
        Q_EMIT holdsChanged();
    });
    connect(connection, &ProxyConnection::closed, this, [this] {
        refresh();
        Q_EMIT ended();
        setState(Session::State::Closed);
    });
}

RelayedSource::~RelayedSource() = default;

std::optional<SessionRecords> RelayedSource::records() const
{
    return m_records;
}

void RelayedSource::refresh()
{
    if (m_connection)
        m_records = m_connection->records();
}

void RelayedSource::onCut(const ProxyCut &cut)
{
    Q_EMIT markerAdded(cut.atNs, tr("cut: %1 %2").arg(cut.by, cut.timer));
    // "nginx proxy_read_timeout (60 s, run as 3 s) cut the connection after 3.0 s of silence: ...", with the scale
    // it ran at, as the diagnosis of both tabs says it.
    const std::optional<KnownPath> &path = knownPath();
    const QString sentence = path && path->isScaled()
                                 ? tr("At time scale %1, %2.").arg(path->timeScale).arg(cut.describe())
                                 : tr("Cut: %1.").arg(cut.describe());
    m_origin += QLatin1Char(' ') + sentence;
    Q_EMIT originChanged();
}

void RelayedSource::setState(Session::State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace wsi
