// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/CaptureConnection.h"

#include "core/protocol/HostPort.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/ProxyErrorResponse.h"

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
    finish();
}

void CaptureConnection::onClientReadyRead()
{
    switch (m_stage) {
    case Stage::ReadingHead:
    case Stage::TunnelHead: {
        m_buffer += m_client->readAll();
        const qsizetype end = ProxyRequestHead::endOf(m_buffer);
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
    case Stage::PassingThrough:
        pump(m_client, m_upstream);
        return;
    case Stage::Done:
        return;
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
        } else if (m_stage == Stage::PassingThrough) {
            pump(m_upstream, m_client);
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

// The integration point for TLS interception. The first bytes of a CONNECT tunnel say what it carries: a TLS
// ClientHello (0x16) or plain text. A TLS layer plugs in here, for hosts m_options.patterns.intercepts(): a
// server-side TLS stream toward the client (a leaf certificate for the SNI name) and a client-side one toward
// m_upstream (verified), each a byte transform, and the decrypted client bytes then go through the same
// onTunnelHead() as a plain tunnel's, with wss:// as the scheme. Without it, TLS is tunnelled blindly.
void CaptureConnection::onTunnelBytes()
{
    m_buffer += m_client->readAll();
    if (m_buffer.isEmpty())
        return;
    const QString host = m_head->host();
    if (m_buffer.at(0) == tlsHandshakeRecord) {
        Q_EMIT tunnelOpened(host, m_head->port(),
                            m_options.patterns.intercepts(host)
                                ? QStringLiteral("TLS (interception is not part of this build)")
                                : QStringLiteral("TLS, not intercepted (--no-intercept)"));
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
    m_timeout.start(m_options.headTimeoutMs);
    onClientReadyRead();
}

void CaptureConnection::onTunnelHead()
{
    m_timeout.stop();
    const qsizetype end = ProxyRequestHead::endOf(m_buffer);
    QString error;
    const std::optional<ProxyRequestHead> inner = ProxyRequestHead::parse(QByteArrayView(m_buffer).first(end), &error);
    if (inner && inner->isWebSocketUpgrade()) {
        QUrl url = inner->webSocketUrl(false);
        url.setHost(m_head->host()); // the tunnel's target is where the bytes go, whatever Host says
        url.setPort(m_head->port() == 80 ? -1 : m_head->port());
        toRelay(url, std::exchange(m_buffer, {}), true);
        return;
    }
    if (inner) {
        const QString scheme = QStringLiteral("http://");
        Q_EMIT httpPassed(QString::fromLatin1(inner->method()), scheme +
                                                                    HostPort::format(m_head->host(), m_head->port()) +
                                                                    QString::fromLatin1(inner->originTarget()));
    } else {
        Q_EMIT tunnelOpened(m_head->host(), m_head->port(), error);
    }
    passThrough(std::exchange(m_buffer, {}));
}

void CaptureConnection::toRelay(const QUrl &url, QByteArray clientBytes, bool adoptUpstream)
{
    m_timeout.stop();
    m_stage = Stage::Done;
    ProxyOptions options = m_options.relay;
    options.upstream = url;
    options.forwarding = ProxyOptions::Forwarding::AsRequested;
    m_client->disconnect(this);
    auto *relay = new ProxyConnection(m_id, std::exchange(m_client, nullptr), options);
    relay->setClientBytesRead(std::move(clientBytes));
    if (adoptUpstream) {
        m_upstream->disconnect(this);
        relay->adoptUpstream(std::exchange(m_upstream, nullptr));
    }
    Q_EMIT webSocketRequested(relay, url);
    finish();
}

void CaptureConnection::passThrough(const QByteArray &toUpstream)
{
    m_timeout.stop();
    m_stage = Stage::PassingThrough;
    m_client->setReadBufferSize(m_options.tunnelReadBuffer);
    m_upstream->setReadBufferSize(m_options.tunnelReadBuffer);
    // Reading resumes when what was written drains: the slower end sets the pace, through TCP flow control.
    connect(m_client, &QTcpSocket::bytesWritten, this, [this] { pump(m_upstream, m_client); });
    connect(m_upstream, &QTcpSocket::bytesWritten, this, [this] { pump(m_client, m_upstream); });
    if (!toUpstream.isEmpty())
        m_upstream->write(toUpstream);
    pump(m_client, m_upstream);
    pump(m_upstream, m_client);
}

void CaptureConnection::pump(QTcpSocket *from, QTcpSocket *to)
{
    if (m_stage != Stage::PassingThrough || !from || !to)
        return;
    while (to->bytesToWrite() < m_options.tunnelReadBuffer && from->bytesAvailable() > 0)
        to->write(from->read(m_options.tunnelReadBuffer));
}

void CaptureConnection::onEndClosed(QTcpSocket *socket)
{
    if (m_stage == Stage::Done)
        return;
    QTcpSocket *other = socket == m_client ? m_upstream : m_client;
    if (m_stage == Stage::PassingThrough && other) {
        // Whatever the end sent before closing goes on first; Qt sockets cannot half-close, so its FIN closes both.
        while (socket->bytesAvailable() > 0)
            other->write(socket->readAll());
        if (other->state() != QAbstractSocket::UnconnectedState) {
            other->disconnectFromHost();
            return; // finished when the other end's disconnected() comes
        }
    } else if (other) {
        other->abort();
    }
    finish();
}

void CaptureConnection::refuse(int status, const QString &reason)
{
    m_timeout.stop();
    Q_EMIT refused(status, reason);
    if (m_upstream)
        m_upstream->abort();
    if (m_client && m_client->state() == QAbstractSocket::ConnectedState) {
        m_client->write(ProxyErrorResponse::make(status, reason));
        m_stage = Stage::Done;
        m_client->disconnectFromHost(); // after the answer is written
        if (m_client->state() != QAbstractSocket::UnconnectedState) {
            connect(m_client, &QTcpSocket::disconnected, this, &CaptureConnection::finish);
            // A client that reads nothing does not hold the connection open.
            QTimer::singleShot(m_options.connectTimeoutMs, this, [this] {
                m_client->abort();
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
