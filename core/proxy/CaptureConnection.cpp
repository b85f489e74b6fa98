// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CaptureConnection.h"

#include "core/protocol/HostPort.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/ProxyErrorResponse.h"
#include "core/proxy/SocketRelayEnd.h"
#include "core/proxy/TlsRelayEnd.h"

#include <QTcpSocket>

namespace wsi {
namespace {

constexpr char tlsHandshakeRecord = 0x16; // the content type of a TLS record carrying a ClientHello

// Whether the bytes that opened a tunnel can be an HTTP request line: a method (upper-case letters) and a space.
// nullopt: too few bytes to tell.
std::optional<bool> looksLikeHttp(QByteArrayView bytes)
{
    constexpr qsizetype longestMethod = 16;
    for (qsizetype i = 0; i < bytes.size() && i <= longestMethod; ++i) {
        const char c = bytes.at(i);
        if (c == ' ')
            return i > 0;
        if (c < 'A' || c > 'Z')
            return false;
    }
    return bytes.size() > longestMethod ? std::optional<bool>(false) : std::nullopt;
}

} // namespace

CaptureConnection::CaptureConnection(int id, QTcpSocket *client, const CaptureOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_options(options)
    , m_client(client)
{
    m_client->setParent(this);
    m_timeout.setSingleShot(true);
}

CaptureConnection::~CaptureConnection() = default;

void CaptureConnection::start()
{
    connect(m_client, &QTcpSocket::readyRead, this, &CaptureConnection::onClientReadyRead);
    connect(m_client, &QTcpSocket::disconnected, this, [this] { onEndClosed(m_client); });
    connect(m_client, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            onEndClosed(m_client);
    });
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_stage == Stage::ReadingHead || m_stage == Stage::TunnelHead)
            refuse(408,
                   QStringLiteral("the request head did not come within %1 s").arg(m_options.headTimeoutMs / 1000));
        else if (m_stage == Stage::Dialling)
            onDialFailed(QStringLiteral("no answer within %1 s").arg(m_options.connectTimeoutMs / 1000));
        else if (m_stage == Stage::TlsHandshake)
            onTlsFailed(QStringLiteral("client"), QStringLiteral("the client's TLS handshake did not end within %1 s")
                                                      .arg(m_options.tlsHandshakeTimeoutMs / 1000.0));
        else if (m_stage == Stage::TlsHead && !m_upstreamTlsReady)
            onTlsFailed(QStringLiteral("server"), QStringLiteral("the server's TLS handshake did not end within %1 s")
                                                      .arg(m_options.tlsHandshakeTimeoutMs / 1000.0));
        else if (m_stage == Stage::TlsHead)
            refuse(408,
                   QStringLiteral("the request head did not come within %1 s").arg(m_options.headTimeoutMs / 1000));
    });
    m_timeout.start(m_options.headTimeoutMs);
    onClientReadyRead();
}

void CaptureConnection::abort()
{
    if (m_client)
        m_client->abort();
    if (m_upstream)
        m_upstream->abort();
    if (m_clientEnd)
        m_clientEnd->abort();
    if (m_upstreamEnd)
        m_upstreamEnd->abort();
    finish();
}

void CaptureConnection::onClientReadyRead()
{
    switch (m_stage) {
    case Stage::ReadingHead:
    case Stage::TunnelHead: {
        m_buffer += m_client->readAll();
        const qsizetype end = ProxyRequestHead::endOf(m_buffer, std::exchange(m_headSearched, m_buffer.size()));
        if (end < 0) {
            if (m_buffer.size() <= ProxyRequestHead::maxBytes)
                return;
            if (m_stage == Stage::TunnelHead) { // not ours to judge inside a tunnel: the server will
                passThrough(std::exchange(m_buffer, {}));
                return;
            }
            refuse(431, QStringLiteral("the request head is longer than %1 bytes").arg(ProxyRequestHead::maxBytes));
            return;
        }
        if (m_stage == Stage::TunnelHead) {
            onTunnelHead();
            return;
        }
        QString error;
        std::optional<ProxyRequestHead> head = ProxyRequestHead::parse(QByteArrayView(m_buffer).first(end), &error);
        if (!head) {
            refuse(400, error);
            return;
        }
        onHead(*head, m_buffer.sliced(end));
        return;
    }
    case Stage::Dialling:
        return; // kept in the socket until the tunnel is open
    case Stage::TunnelStart:
        onTunnelBytes();
        return;
    case Stage::TlsHandshake:
    case Stage::TlsHead:
    case Stage::PassingThrough:
    case Stage::Done:
        return; // read through the ends
    }
}

void CaptureConnection::onHead(const ProxyRequestHead &head, QByteArray rest)
{
    m_head = head;
    m_buffer = std::move(rest);
    switch (head.form()) {
    case ProxyRequestHead::Form::Connect:
        dial(head.host(), head.port());
        return;
    case ProxyRequestHead::Form::Absolute:
        if (head.isWebSocketUpgrade()) {
            toRelay(head.webSocketUrl(false), head.raw() + std::exchange(m_buffer, {}), false);
            return;
        }
        dial(head.host(), head.port());
        return;
    case ProxyRequestHead::Form::Origin:
        refuse(400, QStringLiteral("'%1 %2' asks a proxy for no server: use the absolute form (%1 http://host%2) "
                                   "or CONNECT")
                        .arg(QString::fromLatin1(head.method()), QString::fromLatin1(head.target().left(200))));
        return;
    }
}

void CaptureConnection::dial(const QString &host, quint16 port)
{
    m_stage = Stage::Dialling;
    m_upstream = new QTcpSocket(this);
    connect(m_upstream, &QTcpSocket::connected, this, &CaptureConnection::onDialled);
    connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_stage == Stage::Dialling)
            onDialFailed(m_upstream->errorString());
        else if (m_upstream->state() == QAbstractSocket::UnconnectedState)
            onEndClosed(m_upstream);
    });
    connect(m_upstream, &QTcpSocket::disconnected, this, [this] { onEndClosed(m_upstream); });
    connect(m_upstream, &QTcpSocket::readyRead, this, [this] {
        if (m_stage == Stage::TunnelStart || m_stage == Stage::TunnelHead) {
            // A server that speaks first (SMTP, a database) is not HTTP: its bytes open a blind tunnel.
            Q_EMIT tunnelOpened(m_head->host(), m_head->port(), QStringLiteral("the server spoke first"));
            passThrough(std::exchange(m_buffer, {}));
        }
    });
    m_timeout.start(m_options.connectTimeoutMs);
    m_upstream->connectToHost(host, port);
}

void CaptureConnection::onDialFailed(const QString &reason)
{
    refuse(502, QStringLiteral("cannot reach %1: %2").arg(HostPort::format(m_head->host(), m_head->port()), reason));
}

void CaptureConnection::onDialled()
{
    m_timeout.stop();
    m_upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_head->form() == ProxyRequestHead::Form::Absolute) {
        Q_EMIT httpPassed(QString::fromLatin1(m_head->method()), QString::fromLatin1(m_head->target()));
        passThrough(m_head->forwarded() + std::exchange(m_buffer, {}));
        return;
    }
    m_client->write("HTTP/1.1 200 Connection Established\r\n\r\n");
    m_stage = Stage::TunnelStart;
    onTunnelBytes();
}

// The first bytes of a CONNECT tunnel say what it carries: a TLS ClientHello (0x16) or plain text. TLS for a host
// m_options.patterns.intercepts() is intercepted (intercept()), and its plaintext then goes through the same
// onTunnelHead() as a plain tunnel's.
void CaptureConnection::onTunnelBytes()
{
    m_buffer += m_client->readAll();
    if (m_buffer.isEmpty())
        return;
    const QString host = m_head->host();
    if (m_buffer.at(0) == tlsHandshakeRecord) {
        if (!m_options.patterns.intercepts(host)) {
            Q_EMIT tunnelOpened(host, m_head->port(), QStringLiteral("TLS, not intercepted (--no-intercept)"));
        } else if (!m_options.interceptTls || !m_options.upstreamTls) {
            Q_EMIT tunnelOpened(host, m_head->port(), QStringLiteral("TLS (interception is off)"));
        } else {
            intercept();
            return;
        }
        passThrough(std::exchange(m_buffer, {}));
        return;
    }
    if (!m_options.patterns.intercepts(host)) {
        Q_EMIT tunnelOpened(host, m_head->port(), QStringLiteral("not intercepted (--no-intercept)"));
        passThrough(std::exchange(m_buffer, {}));
        return;
    }
    const std::optional<bool> http = looksLikeHttp(m_buffer);
    if (!http)
        return;
    if (!*http) {
        Q_EMIT tunnelOpened(host, m_head->port(), QStringLiteral("neither TLS nor HTTP"));
        passThrough(std::exchange(m_buffer, {}));
        return;
    }
    m_stage = Stage::TunnelHead;
    m_headSearched = 0; // what the tunnel's first bytes were sniffed for was not the head's end
    m_timeout.start(m_options.headTimeoutMs);
    onClientReadyRead();
}

void CaptureConnection::onTunnelHead()
{
    m_timeout.stop();
    const bool secure = m_clientTls != nullptr;
    const qsizetype end = ProxyRequestHead::endOf(m_buffer);
    QString error = QStringLiteral("not an HTTP request (inside TLS)");
    const std::optional<ProxyRequestHead> inner =
        end < 0 ? std::nullopt : ProxyRequestHead::parse(QByteArrayView(m_buffer).first(end), &error);
    if (inner && inner->isWebSocketUpgrade()) {
        QUrl url = inner->webSocketUrl(secure);
        url.setHost(m_head->host()); // the tunnel's target is where the bytes go, whatever Host says
        url.setPort(m_head->port() == (secure ? 443 : 80) ? -1 : m_head->port());
        toRelay(url, std::exchange(m_buffer, {}), true);
        return;
    }
    if (inner) {
        const QString scheme = secure ? QStringLiteral("https://") : QStringLiteral("http://");
        Q_EMIT httpPassed(QString::fromLatin1(inner->method()), scheme +
                                                                    HostPort::format(m_head->host(), m_head->port()) +
                                                                    QString::fromLatin1(inner->originTarget()));
    } else {
        Q_EMIT tunnelOpened(m_head->host(), m_head->port(), error);
    }
    passThrough(std::exchange(m_buffer, {}));
}

// TLS toward the client first, with our leaf for its SNI (or the CONNECT host), then toward the server with the
// name the client asked for: the server's certificate is checked against that name.
void CaptureConnection::intercept()
{
    m_stage = Stage::TlsHandshake;
    m_timeout.start(m_options.tlsHandshakeTimeoutMs);
    m_client->disconnect(this);
    m_clientTls = new TlsRelayEnd(std::exchange(m_client, nullptr),
                                  TlsStream::accepting(m_options.interceptTls, m_head->host()), this);
    m_clientEnd = m_clientTls;
    watchEnd(m_clientEnd);
    connect(m_clientTls, &TlsRelayEnd::established, this, &CaptureConnection::onClientTlsEstablished);
    connect(m_clientTls, &TlsRelayEnd::failed, this, [this](const QString &reason) {
        // Clients say no to a certificate in different ways (an alert, or closing the connection): name the usual
        // cause.
        onTlsFailed(QStringLiteral("client"),
                    reason + QStringLiteral(" (does the client trust the capture CA? export it with --export-ca)"));
    });
    m_clientTls->start(std::exchange(m_buffer, {}));
}

void CaptureConnection::onClientTlsEstablished()
{
    m_stage = Stage::TlsHead;
    m_headSearched = 0;
    const QString sni = m_clientTls->stream().serverName();
    m_upstream->disconnect(this);
    m_upstreamTls =
        new TlsRelayEnd(std::exchange(m_upstream, nullptr),
                        TlsStream::connecting(m_options.upstreamTls, sni.isEmpty() ? m_head->host() : sni), this);
    m_upstreamEnd = m_upstreamTls;
    watchEnd(m_upstreamEnd);
    connect(m_upstreamTls, &TlsRelayEnd::established, this, [this] {
        m_upstreamTlsReady = true;
        m_timeout.start(m_options.headTimeoutMs);
        decideIntercepted();
    });
    connect(m_upstreamTls, &TlsRelayEnd::failed, this,
            [this](const QString &reason) { onTlsFailed(QStringLiteral("server"), reason); });
    m_upstreamTls->start();
    onInterceptedBytes();
}

// The client's plaintext until its request head ends (or shows it is not HTTP).
void CaptureConnection::onInterceptedBytes()
{
    if (m_stage != Stage::TlsHead || m_interceptedHeadDone)
        return;
    m_buffer += m_clientEnd->read();
    if (m_buffer.isEmpty())
        return;
    const std::optional<bool> http = looksLikeHttp(m_buffer);
    if (http && !*http) {
        m_interceptedHeadDone = true;
    } else if (ProxyRequestHead::endOf(m_buffer, std::exchange(m_headSearched, m_buffer.size())) >= 0 ||
               m_buffer.size() > ProxyRequestHead::maxBytes) {
        m_interceptedHeadDone = true;
    }
    decideIntercepted();
}

void CaptureConnection::decideIntercepted()
{
    if (m_stage == Stage::TlsHead && m_upstreamTlsReady && m_interceptedHeadDone)
        onTunnelHead();
}

void CaptureConnection::onTlsFailed(const QString &side, const QString &reason)
{
    if (m_stage == Stage::Done)
        return;
    m_timeout.stop();
    Q_EMIT tlsFailed(m_head->host(), m_head->port(), side, reason);
    const bool clientTlsUp = m_clientTls && m_clientTls->stream().isEstablished();
    if (side == QLatin1StringView("server") && clientTlsUp) {
        // The client asked for this server over TLS it trusts: it gets the reason inside that TLS.
        refuse(502,
               QStringLiteral("TLS to %1 failed: %2").arg(HostPort::format(m_head->host(), m_head->port()), reason),
               false);
        return;
    }
    dropUpstream();
    endClient({}); // the alert that says why goes first
}

void CaptureConnection::toRelay(const QUrl &url, QByteArray clientBytes, bool adoptUpstream)
{
    m_timeout.stop();
    m_stage = Stage::Done;
    ProxyOptions options = m_options.relay;
    options.upstream = url;
    options.forwarding = ProxyOptions::Forwarding::AsRequested;
    ProxyConnection *relay = nullptr;
    if (m_clientEnd) {
        m_clientEnd->disconnect(this);
        relay = new ProxyConnection(m_id, std::exchange(m_clientEnd, nullptr), options);
    } else {
        m_client->disconnect(this);
        relay = new ProxyConnection(m_id, std::exchange(m_client, nullptr), options);
    }
    relay->setClientBytesRead(std::move(clientBytes));
    if (adoptUpstream) {
        if (!m_upstreamEnd) {
            m_upstream->disconnect(this);
            m_upstreamEnd = new SocketRelayEnd(std::exchange(m_upstream, nullptr));
        }
        m_upstreamEnd->disconnect(this);
        relay->adoptUpstream(std::exchange(m_upstreamEnd, nullptr));
    }
    m_clientTls = m_upstreamTls = nullptr;
    Q_EMIT webSocketRequested(relay, url);
    finish();
}

void CaptureConnection::useEnds()
{
    if (m_client) {
        m_client->disconnect(this);
        m_clientEnd = new SocketRelayEnd(std::exchange(m_client, nullptr), this);
        watchEnd(m_clientEnd);
    }
    if (m_upstream) {
        m_upstream->disconnect(this);
        m_upstreamEnd = new SocketRelayEnd(std::exchange(m_upstream, nullptr), this);
        watchEnd(m_upstreamEnd);
    }
}

void CaptureConnection::watchEnd(RelayEnd *end)
{
    connect(end, &RelayEnd::readyRead, this, [this, end] {
        if (m_stage == Stage::PassingThrough)
            pump(end, end == m_clientEnd ? m_upstreamEnd : m_clientEnd);
        else if (end == m_clientEnd)
            onInterceptedBytes();
    });
    // Reading resumes when what was written drains: the slower end sets the pace, through TCP flow control.
    connect(end, &RelayEnd::bytesWritten, this,
            [this, end] { pump(end == m_clientEnd ? m_upstreamEnd : m_clientEnd, end); });
    connect(end, &RelayEnd::disconnected, this, [this, end] { onEndGone(end); });
    connect(end, &RelayEnd::errorOccurred, this, [this, end] {
        if (!end->isConnected())
            onEndGone(end);
    });
}

void CaptureConnection::passThrough(const QByteArray &toUpstream)
{
    m_timeout.stop();
    m_stage = Stage::PassingThrough;
    useEnds();
    m_clientEnd->setReadBufferSize(m_options.tunnelReadBuffer);
    m_upstreamEnd->setReadBufferSize(m_options.tunnelReadBuffer);
    if (!toUpstream.isEmpty())
        m_upstreamEnd->write(toUpstream);
    pump(m_clientEnd, m_upstreamEnd);
    pump(m_upstreamEnd, m_clientEnd);
}

void CaptureConnection::pump(RelayEnd *from, RelayEnd *to)
{
    if (m_stage != Stage::PassingThrough || !from || !to)
        return;
    while (to->bytesToWrite() < m_options.tunnelReadBuffer && from->bytesAvailable() > 0)
        to->write(from->read(m_options.tunnelReadBuffer));
}

// A socket closed before the tunnel's ends took over: nothing is relayed yet, so the other is dropped too.
void CaptureConnection::onEndClosed(QTcpSocket *socket)
{
    if (m_stage == Stage::Done)
        return;
    if (QTcpSocket *other = socket == m_client ? m_upstream : m_client)
        other->abort();
    if (m_clientEnd)
        m_clientEnd->abort();
    finish();
}

void CaptureConnection::onEndGone(RelayEnd *end)
{
    if (m_stage == Stage::Done)
        return;
    RelayEnd *other = end == m_clientEnd ? m_upstreamEnd : m_clientEnd;
    if (m_stage == Stage::PassingThrough && other) {
        // Whatever the end sent before closing goes on first; Qt sockets cannot half-close, so its FIN closes both.
        while (end->bytesAvailable() > 0)
            other->write(end->read());
        if (other->isConnected()) {
            other->close();
            return; // finished when the other end's disconnected() comes
        }
    } else if (other) {
        other->abort();
    }
    dropUpstream();
    finish();
}

void CaptureConnection::dropUpstream()
{
    // Not heard from again: its disconnected() must not end the client's side before that is answered.
    if (m_upstream) {
        m_upstream->disconnect(this);
        m_upstream->abort();
    }
    if (m_upstreamEnd) {
        m_upstreamEnd->disconnect(this);
        m_upstreamEnd->abort();
    }
}

void CaptureConnection::refuse(int status, const QString &reason, bool announce)
{
    m_timeout.stop();
    if (announce)
        Q_EMIT refused(status, reason);
    dropUpstream();
    if (m_client && m_client->state() == QAbstractSocket::ConnectedState) {
        m_client->disconnect(this);
        m_clientEnd = new SocketRelayEnd(std::exchange(m_client, nullptr), this);
    }
    endClient(ProxyErrorResponse::make(status, reason));
}

void CaptureConnection::endClient(const QByteArray &lastWords)
{
    m_timeout.stop();
    if (m_clientEnd && m_clientEnd->isConnected()) {
        m_stage = Stage::Done;
        m_clientEnd->disconnect(this);
        if (!lastWords.isEmpty())
            m_clientEnd->write(lastWords);
        m_clientEnd->close(); // after the answer (or a TLS alert) is written
        if (m_clientEnd->isConnected()) {
            connect(m_clientEnd, &RelayEnd::disconnected, this, &CaptureConnection::finish);
            // A client that reads nothing does not hold the connection open.
            QTimer::singleShot(m_options.connectTimeoutMs, this, [this] {
                m_clientEnd->abort();
                finish();
            });
            return;
        }
    }
    finish();
}

void CaptureConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_stage = Stage::Done;
    m_timeout.stop();
    Q_EMIT finished();
    deleteLater();
}

} // namespace wsi
