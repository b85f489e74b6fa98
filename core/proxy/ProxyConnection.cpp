// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ProxyConnection.h"

#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/HostPort.h"
#include "core/protocol/HttpHeaders.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/ProxyErrorResponse.h"
#include "core/proxy/ProxyRequestHead.h"
#include "core/proxy/RuleRelay.h"
#include "core/proxy/SocketRelayEnd.h"
#include "core/session/TlsSetup.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

namespace wsi {
namespace {

// The client's request with the Host field naming the upstream (virtual hosts and TLS SNI need it, which is what
// reverse proxies such as nginx do by default), and the request target replaced by the upstream URL's path when
// that URL names one: the proxy then stands for that one endpoint. Everything else is forwarded byte for byte.
QByteArray rewriteRequest(const QByteArray &request, const QUrl &upstream)
{
    QList<QByteArray> lines = request.split('\n');
    const QString path = upstream.path(QUrl::FullyEncoded);
    if (!lines.isEmpty() && !path.isEmpty() && path != QLatin1StringView("/")) {
        const QList<QByteArray> parts = lines.constFirst().split(' ');
        if (parts.size() == 3) {
            QByteArray target = path.toUtf8();
            if (upstream.hasQuery())
                target += '?' + upstream.query(QUrl::FullyEncoded).toUtf8();
            lines.first() = parts.at(0) + ' ' + target + ' ' + parts.at(2);
        }
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "host") {
            lines[i] = "Host: " + HostPort::hostField(upstream) + (line.endsWith('\r') ? "\r" : "");
            break;
        }
    }
    return lines.join('\n');
}

QByteArray forwardedRequest(const QByteArray &request, const ProxyOptions &options)
{
    if (options.forwarding == ProxyOptions::Forwarding::ToUpstream)
        return rewriteRequest(request, options.upstream);
    QString error;
    const std::optional<ProxyRequestHead> head = ProxyRequestHead::parse(request, &error);
    return head ? head->forwarded() : request; // the capture proxy parsed it already; never fails here
}

// The header fields of the client's request, for the handshake view (the request is relayed as it came).
HttpHeaders requestHeaders(const QByteArray &request)
{
    HttpHeaders headers;
    const QList<QByteArray> lines = request.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    return headers;
}

bool isDataOpcode(quint8 opcode)
{
    return opcode == quint8(Opcode::Continuation) || opcode == quint8(Opcode::Text) || opcode == quint8(Opcode::Binary);
}

} // namespace

ProxyConnection::ProxyConnection(int id, QTcpSocket *client, const ProxyOptions &options, QObject *parent)
    : ProxyConnection(id, new SocketRelayEnd(client), options, parent)
{}

ProxyConnection::ProxyConnection(int id, RelayEnd *client, const ProxyOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_options(options)
    , m_log(std::make_shared<FrameLog>(options.budget))
    , m_client(client)
    , m_responseParser(options.limits)
{
    m_clock.start();
    m_acceptedAt = QDateTime::currentDateTimeUtc();
    m_client->setParent(this);
    m_clientAddress = m_client->peerAddress();
    if (m_options.hasRules())
        m_ruleMarks = std::make_shared<FrameRuleMarks>(m_options.rules->markNames());

    m_upgradeTimer.setSingleShot(true);
    m_upgradeTimer.setInterval(m_options.upgradeTimeoutMs);
    connect(&m_upgradeTimer, &QTimer::timeout, this, &ProxyConnection::onUpgradeTimeout);
    m_notifyTimer.setSingleShot(true);
    m_notifyTimer.setInterval(notifyIntervalMs);
    connect(&m_notifyTimer, &QTimer::timeout, this, &ProxyConnection::emitFramesAppended);
}

ProxyConnection::~ProxyConnection() = default;

QString ProxyConnection::stateName(State state)
{
    switch (state) {
    case State::Upgrading:
        return QStringLiteral("upgrading");
    case State::Open:
        return QStringLiteral("open");
    case State::Refused:
        return QStringLiteral("refused");
    case State::Dropped:
        return QStringLiteral("dropped");
    case State::Closed:
        break;
    }
    return QStringLiteral("closed");
}

QByteArray ProxyConnection::clientRequest() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_clientRequest;
}

QByteArray ProxyConnection::forwardedRequest() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_forwardedRequest;
}

bool ProxyConnection::deflateDeclined() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_deflateDeclined;
}

const Rule *ProxyConnection::ruleOfFrame(qsizetype frameIndex) const
{
    const qsizetype rule = m_ruleMarks ? m_ruleMarks->ruleIndexOf(frameIndex) : -1;
    return rule >= 0 ? &m_options.rules->rule(rule) : nullptr;
}

QList<HoldRecord> ProxyConnection::holds() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_holds;
}

HandshakeResponse ProxyConnection::response() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_response;
}

std::optional<ProxyCut> ProxyConnection::cut() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_cut;
}

QString ProxyConnection::endedBy() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_endedBy;
}

QString ProxyConnection::error() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_error;
}

SessionRecords ProxyConnection::records() const
{
    SessionRecords records;
    records.source = SessionRecords::Source::Relayed;
    records.url = m_options.upstream;
    records.startedAt = m_acceptedAt;
    records.log = m_log;
    records.ruleMarks = m_ruleMarks;
    HandshakeRecord &handshake = records.handshake;
    handshake.peerAddress = HostPort::format(
        m_options.upstream.host(),
        quint16(m_options.upstream.port(m_options.upstream.scheme() == QLatin1StringView("wss") ? 443 : 80)));
    QMutexLocker lock(&m_recordMutex);
    handshake.requestBytes = m_clientRequest;
    handshake.requestHeaders = requestHeaders(m_clientRequest);
    handshake.response = m_response;
    handshake.responseReceived = m_response.statusCode != 0;
    handshake.relayDeclinedDeflate = m_deflateDeclined;
    handshake.accepted = m_response.isSwitchingProtocols();
    // The clock starts when the client connects; the upgrade is the one phase a relay times.
    handshake.timings.upgradeNs = handshake.accepted ? m_upgradedNs : -1;
    if (!handshake.accepted && !m_error.isEmpty())
        handshake.explanation = m_error;
    records.close = m_close;
    records.holds = m_holds;
    return records;
}

RelayEnd *ProxyConnection::socketOf(Endpoint side) const
{
    return side == Endpoint::Client ? m_client : m_upstream;
}

void ProxyConnection::start()
{
    // Frames are relayed as they come: Nagle would delay a ping by up to 40 ms per hop.
    m_client->setLowDelay();
    connect(m_client, &RelayEnd::readyRead, this, &ProxyConnection::onClientReadyRead);
    connect(m_client, &RelayEnd::disconnected, this, [this] { onSocketClosed(Endpoint::Client); });
    connect(m_client, &RelayEnd::bytesWritten, this, [this] { updateStallTimers(Endpoint::Client); });
    connect(m_client, &RelayEnd::errorOccurred, this, [this] {
        if (!m_client->isConnected())
            onSocketClosed(Endpoint::Client);
    });
    m_upgradeTimer.start();
    connectUpstream();
    onClientReadyRead(); // bytes that arrived before the signals were connected
}

void ProxyConnection::adoptUpstream(RelayEnd *connected)
{
    connected->setParent(this);
    m_upstream = connected;
}

void ProxyConnection::connectUpstream()
{
    if (m_upstream) { // adopted, connected already
        watchUpstream();
        onUpstreamReady();
        return;
    }
    const QUrl &url = m_options.upstream;
    const bool secure = url.scheme() == QLatin1StringView("wss");
    const QString host = url.host();
    const quint16 port = quint16(url.port(secure ? 443 : 80));
    if (secure) {
        QString tlsError;
        const std::optional<QSslConfiguration> tls = TlsSetup::configuration(m_options.tls, &tlsError);
        if (!tls) {
            // TimeoutProxy::listen() refused such options already; a file changed since then.
            failUpgrade(502, QStringLiteral("cannot set up TLS to the upstream %1: %2")
                                 .arg(m_options.upstream.toDisplayString(), tlsError));
            return;
        }
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(*tls);
        connect(ssl, &QSslSocket::encrypted, this, &ProxyConnection::onUpstreamReady);
        connect(ssl, &QSslSocket::sslErrors, this, &ProxyConnection::onSslErrors);
        m_upstream = new SocketRelayEnd(ssl, this);
    } else {
        auto *tcp = new QTcpSocket(this);
        connect(tcp, &QTcpSocket::connected, this, &ProxyConnection::onUpstreamReady);
        m_upstream = new SocketRelayEnd(tcp, this);
    }
    watchUpstream();
    if (secure)
        static_cast<QSslSocket *>(m_upstream->socket())->connectToHostEncrypted(host, port);
    else
        m_upstream->socket()->connectToHost(host, port);
}

void ProxyConnection::watchUpstream()
{
    connect(m_upstream, &RelayEnd::readyRead, this, &ProxyConnection::onUpstreamReadyRead);
    connect(m_upstream, &RelayEnd::disconnected, this, [this] { onSocketClosed(Endpoint::Server); });
    connect(m_upstream, &RelayEnd::bytesWritten, this, [this] { updateStallTimers(Endpoint::Server); });
    connect(m_upstream, &RelayEnd::errorOccurred, this, [this] {
        if (!m_upstreamReady) {
            failUpgrade(502, QStringLiteral("cannot reach the upstream %1: %2")
                                 .arg(m_options.upstream.toDisplayString(), m_upstream->errorString()));
        } else if (!m_upstream->isConnected()) {
            onSocketClosed(Endpoint::Server);
        }
    });
}

void ProxyConnection::onSslErrors(const QList<QSslError> &errors)
{
    if (m_options.tls.ignoreErrors)
        static_cast<QSslSocket *>(m_upstream->socket())->ignoreSslErrors(errors);
}

void ProxyConnection::onUpstreamReady()
{
    m_upstreamReady = true;
    m_upstream->setLowDelay();
    sendRequestIfReady();
}

void ProxyConnection::onClientReadyRead()
{
    if (!m_client || m_readingPaused[0])
        return;
    const QByteArray bytes = std::exchange(m_clientBytesRead, {}) + m_client->read();
    if (bytes.isEmpty())
        return;
    switch (state()) {
    case State::Upgrading:
        if (m_requestComplete) {
            // Frames sent before the 101 (also while the upstream is still being dialled): relayed and parsed once
            // it comes.
            m_pendingClient += bytes;
            return;
        }
        {
            // Only the new bytes and the three before them can complete the empty line: a client that sends its
            // head a byte at a time costs one pass over it, not one per byte.
            const qsizetype searchFrom = std::max<qsizetype>(0, m_requestBuffer.size() - 3);
            m_requestBuffer += bytes;
            const qsizetype end = m_requestBuffer.indexOf("\r\n\r\n", searchFrom);
            if (end < 0) {
                if (m_requestBuffer.size() > m_options.limits.maxHandshakeSize)
                    failUpgrade(431, QStringLiteral("the client's request exceeds %1 bytes without ending")
                                         .arg(m_options.limits.maxHandshakeSize));
                return;
            }
            m_requestComplete = true;
            m_pendingClient = m_requestBuffer.sliced(end + 4);
            m_requestBuffer.truncate(end + 4);
            {
                QMutexLocker lock(&m_recordMutex);
                m_clientRequest = m_requestBuffer;
                m_forwardedRequest = wsi::forwardedRequest(m_requestBuffer, m_options);
                // Rules may rewrite messages: with compression on, each would need the compressor's context.
                if (m_options.hasRules())
                    m_forwardedRequest = RuleRelay::withoutDeflateOffer(m_forwardedRequest, &m_deflateDeclined);
            }
            sendRequestIfReady();
        }
        return;
    case State::Open:
        relay(Endpoint::Client, bytes);
        return;
    case State::Refused:
        if (m_upstream)
            m_upstream->write(bytes);
        return;
    case State::Dropped:
        m_droppedBytes += bytes.size();
        if (m_rstOnNextPacket) {
            m_rstOnNextPacket = false;
            resetSocket(m_client);
        }
        return;
    case State::Closed:
        return;
    }
}

void ProxyConnection::sendRequestIfReady()
{
    if (m_requestSent || !m_upstreamReady || m_requestBuffer.isEmpty() || !m_requestBuffer.endsWith("\r\n\r\n"))
        return;
    m_requestSent = true;
    m_upstream->write(forwardedRequest());
}

void ProxyConnection::onUpstreamReadyRead()
{
    if (!m_upstream || m_readingPaused[1])
        return;
    const QByteArray bytes = m_upstream->read();
    if (bytes.isEmpty())
        return;
    switch (state()) {
    case State::Upgrading:
        // The answer is relayed exactly as it came; the parser only finds where it ends and what it says. (With
        // rules, frames that came with it go through the rules: handleResponseBytes() writes the answer.)
        if (!m_options.hasRules())
            m_client->write(bytes);
        handleResponseBytes(bytes);
        return;
    case State::Open:
        relay(Endpoint::Server, bytes);
        return;
    case State::Refused:
        m_client->write(bytes);
        return;
    case State::Dropped:
        m_droppedBytes += bytes.size();
        if (m_rstOnNextPacket) {
            m_rstOnNextPacket = false;
            resetSocket(m_upstream);
        }
        return;
    case State::Closed:
        return;
    }
}

void ProxyConnection::handleResponseBytes(const QByteArray &bytes)
{
    const HandshakeResponseParser::State parsed = m_responseParser.feed(bytes);
    const bool written = !m_options.hasRules();
    if (parsed == HandshakeResponseParser::State::NeedMore) {
        if (!written)
            m_client->write(bytes);
        return;
    }
    m_upgradeTimer.stop();
    {
        QMutexLocker lock(&m_recordMutex);
        m_response = m_responseParser.response();
    }
    if (parsed == HandshakeResponseParser::State::Complete && m_responseParser.response().isSwitchingProtocols()) {
        // Frame bytes that came with the 101 are the end of this read.
        const QByteArray leftover = m_responseParser.takeLeftover();
        if (!written)
            m_client->write(bytes.first(bytes.size() - leftover.size()));
        openTunnel(leftover);
        return;
    }
    if (!written)
        m_client->write(bytes);
    // A refusal (or something that is not HTTP) goes to the client as it is; what follows passes through unparsed.
    setState(State::Refused);
    if (!m_pendingClient.isEmpty())
        m_upstream->write(std::exchange(m_pendingClient, {}));
    Q_EMIT upgraded(m_responseParser.response().statusCode);
}

void ProxyConnection::openTunnel(const QByteArray &leftover)
{
    m_openedNs = now();
    {
        QMutexLocker lock(&m_recordMutex);
        m_upgradedNs = m_openedNs;
    }
    m_lastFrameNs[0] = m_lastFrameNs[1] = m_openedNs;
    const HandshakeResponse &response = m_responseParser.response();
    m_clientParser = std::make_unique<FrameParser>(Endpoint::Client, m_options.limits);
    m_serverParser = std::make_unique<FrameParser>(Endpoint::Server, m_options.limits);
    m_clientFrames = std::make_unique<FrameRecorder>(*m_log, Endpoint::Client, m_options.limits);
    m_serverFrames = std::make_unique<FrameRecorder>(*m_log, Endpoint::Server, m_options.limits);
    // The server's answer decides whether permessage-deflate is on; both ends then compress with the windows it
    // names, and inflating with the largest window reads any smaller one.
    for (const QByteArray &value : response.headers.values("Sec-WebSocket-Extensions")) {
        for (const QByteArray &element : HttpSyntax::splitList(value)) {
            const std::optional<DeflateOffer> agreed = DeflateNegotiation::parseOffer(element);
            if (!agreed)
                continue;
            for (FrameParser *parser : {m_clientParser.get(), m_serverParser.get()})
                parser->setAllowedReservedBits(0x4);
            m_clientFrames->enableDeflate(DeflateNegotiation::maxWindowBits, agreed->clientNoContextTakeover);
            m_serverFrames->enableDeflate(DeflateNegotiation::maxWindowBits, agreed->serverNoContextTakeover);
        }
    }
    setState(State::Open);
    startTimers();
    if (m_options.hasRules())
        m_ruleRelay = std::make_unique<RuleRelay>(*this, m_options.rules, m_options.rulesBudgetBytes);
    Q_EMIT upgraded(101);

    // Frame bytes that came with the 101 were relayed with it (with rules: go through them now); client bytes held
    // back go out now.
    if (m_ruleRelay && !leftover.isEmpty()) {
        m_ruleRelay->relay(Endpoint::Server, leftover);
    } else if (!leftover.isEmpty()) {
        const qint64 t = now();
        QByteArrayView view(leftover);
        bool carriesData = false;
        while (m_serverParser->next(view, m_event))
            carriesData |= recordFrame(Endpoint::Server, m_event, t);
        observeTraffic(Endpoint::Server, carriesData, t);
    }
    if (!m_pendingClient.isEmpty())
        relay(Endpoint::Client, std::exchange(m_pendingClient, {}));
}

void ProxyConnection::relay(Endpoint from, const QByteArray &bytes)
{
    if (m_ruleRelay) {
        m_ruleRelay->relay(from, bytes);
        return;
    }
    const qint64 t = now();
    RelayEnd *to = socketOf(peerOf(from));
    to->write(bytes);
    // Written now rather than on the event loop's next turn: one wake-up less per read, and the bytes are on
    // their way before they are parsed and recorded.
    to->flush();
    updateStallTimers(peerOf(from));
    FrameParser &parser = from == Endpoint::Client ? *m_clientParser : *m_serverParser;
    QByteArrayView view(bytes);
    bool carriesData = false;
    while (parser.next(view, m_event))
        carriesData |= recordFrame(from, m_event, t);
    // One read is one piece of traffic for the models' timers, whatever frames it holds.
    observeTraffic(from, carriesData, t);
}

bool ProxyConnection::recordFrame(Endpoint from, const FrameEvent &event, qint64 t)
{
    FrameRecorder &frames = from == Endpoint::Client ? *m_clientFrames : *m_serverFrames;
    frames.recordParsed(event, t);
    const int side = from == Endpoint::Client ? 0 : 1;
    m_lastFrameNs[side] = t;
    if (const std::optional<ClosePayload> &close = frames.output().close; close && !m_closeFrom[side]) {
        m_closeFrom[side] = true;
        if (!m_firstClose)
            m_firstClose = from;
        if (from == Endpoint::Server)
            m_serverClose = close;
    }
    scheduleNotify();
    return isDataOpcode(event.header.opcode);
}

void ProxyConnection::writeTowards(Endpoint towards, const QByteArray &bytes, bool flushNow)
{
    RelayEnd *to = socketOf(towards);
    if (!to || !to->isConnected())
        return;
    to->write(bytes);
    if (flushNow)
        flushTowards(towards);
}

void ProxyConnection::flushTowards(Endpoint towards)
{
    RelayEnd *to = socketOf(towards);
    if (!to || !to->isConnected())
        return;
    to->flush();
    updateStallTimers(towards);
}

void ProxyConnection::recordOwnFrame(Endpoint towards, const FrameHeader &header, const QByteArray &payload,
                                     qsizetype rule)
{
    // Recorded as its sender's: what goes to the server as the client's (Outgoing), what goes to the client as the
    // server's, flagged Injected.
    FrameRecorder &frames = towards == Endpoint::Server ? *m_clientFrames : *m_serverFrames;
    const qint64 t = now();
    const qsizetype index = frames.recordWritten(header, payload, t, false, false, true);
    if (Opcodes::isData(header.opcode)) {
        AssembledMessage message;
        message.type = header.opcode == quint8(Opcode::Binary) ? MessageType::Binary : MessageType::Text;
        message.payload = payload;
        message.wireLength = quint64(payload.size());
        message.frameCount = 1;
        frames.recordMessage(message, index, index, t);
    }
    markFrames(index, index, rule);
    scheduleNotify();
}

void ProxyConnection::markFrames(qsizetype first, qsizetype last, qsizetype rule)
{
    m_ruleMarks->markMessage(*m_log, first, last, rule);
}

qsizetype ProxyConnection::recordHold(const HoldRecord &hold)
{
    QMutexLocker lock(&m_recordMutex);
    m_holds.append(hold);
    m_holdsChanged = true;
    scheduleNotify();
    return m_holds.size() - 1;
}

void ProxyConnection::holdDecided(qsizetype index, HoldRecord::Outcome outcome)
{
    QMutexLocker lock(&m_recordMutex);
    HoldRecord &hold = m_holds[index];
    hold.outcome = outcome;
    hold.decidedAtNs = now();
    m_holdsChanged = true;
    scheduleNotify();
}

void ProxyConnection::closeSide(Endpoint side)
{
    setEnded(QStringLiteral("rule"));
    // Queued: closing may report the end at once, which must not happen inside the rules' reading of a frame.
    QMetaObject::invokeMethod(
        this,
        [this, side] {
            if (RelayEnd *end = socketOf(side); end && end->isConnected())
                end->close();
        },
        Qt::QueuedConnection);
}

void ProxyConnection::resetSides(std::optional<Endpoint> side, const QString &reason)
{
    setEnded(QStringLiteral("rule"), reason);
    setState(State::Closed);
    stopTimers();
    emitFramesAppended();
    for (const Endpoint each : {Endpoint::Client, Endpoint::Server}) {
        if (!side || *side == each)
            resetSocket(socketOf(each));
        else if (RelayEnd *other = socketOf(each); other && other->isConnected())
            other->close(); // the end the rule spared sees its peer go, as when an end closes
    }
    finishIfDone();
}

void ProxyConnection::blackhole(const QString &ruleName)
{
    setEnded(QStringLiteral("rule"), QStringLiteral("the rule \"%1\" blackholed the connection").arg(ruleName));
    setState(State::Dropped);
    stopTimers();
    emitFramesAppended();
}

void ProxyConnection::failForRules(const QString &reason)
{
    if (state() != State::Open)
        return;
    setEnded(QStringLiteral("error"), reason);
    setState(State::Closed);
    stopTimers();
    emitFramesAppended();
    // Each end is told why in a Close (1011: the relay cannot go on), then its connection is closed.
    const QByteArray payload = FrameWriter::closePayload(1011, "relay rules: over their memory budget");
    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
        if (RelayEnd *end = socketOf(side); end && end->isConnected()) {
            FrameWriter writer(peerOf(side));
            FrameSpec spec;
            spec.opcode = Opcodes::value(Opcode::Close);
            end->write(writer.frame(spec, payload));
            end->close();
        }
    }
    finishIfDone();
}

void ProxyConnection::setReadingPaused(Endpoint side, bool paused)
{
    // What a paused end's socket may buffer before the kernel holds the rest (and TCP tells the end to wait); an end
    // inside TLS bounds what it takes from its socket already.
    constexpr qint64 pausedReadBuffer = 64 * 1024;
    bool &flag = m_readingPaused[side == Endpoint::Client ? 0 : 1];
    if (flag == paused)
        return;
    flag = paused;
    RelayEnd *end = socketOf(side);
    if (!end)
        return;
    if (paused) {
        if (end->socket()->readBufferSize() == 0)
            end->setReadBufferSize(pausedReadBuffer);
        return;
    }
    // Queued: what arrived meanwhile is read on the event loop's next turn, not inside the rules' own work.
    QMetaObject::invokeMethod(
        this,
        [this, side] {
            if (side == Endpoint::Client)
                onClientReadyRead();
            else
                onUpstreamReadyRead();
        },
        Qt::QueuedConnection);
}

void ProxyConnection::failUpgrade(int status, const QString &reason)
{
    if (state() != State::Upgrading)
        return;
    m_upgradeTimer.stop();
    // Only when nothing of the upstream's answer went to the client yet: never two answers on one connection.
    if (m_responseParser.response().raw.isEmpty() && m_client->isConnected())
        m_client->write(ProxyErrorResponse::make(status, reason));
    setEnded(QStringLiteral("error"), reason);
    setState(State::Closed);
    m_client->close();
    if (m_upstream)
        m_upstream->abort();
    m_upstreamGone = true;
    finishIfDone();
}

void ProxyConnection::onUpgradeTimeout()
{
    failUpgrade(504, QStringLiteral("the upstream %1 did not answer the upgrade within %2 ms")
                         .arg(m_options.upstream.toDisplayString())
                         .arg(m_options.upgradeTimeoutMs));
}

void ProxyConnection::onSocketClosed(Endpoint side)
{
    bool &gone = side == Endpoint::Client ? m_clientGone : m_upstreamGone;
    if (gone)
        return;
    // Whatever the end sent before closing is relayed first (an end inside TLS may give it in more than one read),
    // also while the rules had stopped reading it: the connection is ending.
    m_readingPaused[side == Endpoint::Client ? 0 : 1] = false;
    RelayEnd *end = socketOf(side);
    do {
        if (side == Endpoint::Client)
            onClientReadyRead();
        else
            onUpstreamReadyRead();
    } while (end && end->bytesAvailable() > 0 && state() != State::Closed);
    gone = true;
    const QString name = side == Endpoint::Client ? QStringLiteral("client") : QStringLiteral("server");
    Q_EMIT endClosed(name);
    switch (state()) {
    case State::Upgrading:
        if (side == Endpoint::Server) {
            failUpgrade(502, QStringLiteral("the upstream %1 closed the connection before answering the upgrade")
                                 .arg(m_options.upstream.toDisplayString()));
            return;
        }
        setEnded(name);
        setState(State::Closed);
        m_upgradeTimer.stop();
        m_upstreamGone = true;
        if (m_upstream)
            m_upstream->abort();
        break;
    case State::Open:
        if (m_ruleRelay && m_ruleRelay->isClosedByRelay(side) &&
            !(side == Endpoint::Client ? m_upstreamGone : m_clientGone)) {
            // A close rule ended this side alone (RuleRelay): the other goes on until it ends by itself.
            break;
        }
        [[fallthrough]];
    case State::Refused:
        setEnded(name);
        setState(State::Closed);
        stopTimers();
        // Qt sockets cannot half-close, so an end's FIN closes the other side (after the relayed bytes are written).
        if (RelayEnd *other = socketOf(peerOf(side)); other && other->isConnected())
            other->close();
        else
            (side == Endpoint::Client ? m_upstreamGone : m_clientGone) = true;
        break;
    case State::Dropped:
        // After a silent drop the other end is not told: it stays half-open, as behind a NAT that forgot the flow.
    case State::Closed:
        break;
    }
    finishIfDone();
}

void ProxyConnection::abort()
{
    if (m_finished)
        return;
    if (endedBy().isEmpty())
        setEnded(QStringLiteral("proxy"));
    setState(State::Closed);
    stopTimers();
    m_upgradeTimer.stop();
    m_clientGone = m_upstreamGone = true;
    m_client->abort();
    if (m_upstream)
        m_upstream->abort();
    finishIfDone();
}

void ProxyConnection::startTimers()
{
    m_timers.clear();
    for (const ChainLink &link : m_options.models) {
        const IntermediaryModel &model = link.model();
        for (const ChainLink::ActiveTimer &active : link.activeTimers()) {
            ProxyCut describe;
            describe.by = model.id;
            if (active.knobIndex >= 0) {
                describe.timer = model.knobs.at(active.knobIndex).name;
                describe.timerCli = model.knobs.at(active.knobIndex).cliName;
            }
            describe.kind = active.kind;
            describe.resetBy = active.resetBy;
            describe.action = active.action;
            describe.modelValueMs = active.valueMs;
            describe.scaledValueMs = std::max<qint64>(1, m_options.scaledMs(active.valueMs));
            RunningTimer running{KeepaliveTimer(active, describe.scaledValueMs * 1000000,
                                                m_options.scaledMs(model.precisionMs) * 1000000),
                                 describe, new QTimer(this)};
            running.wakeUp->setSingleShot(true);
            running.wakeUp->setTimerType(Qt::PreciseTimer);
            const qsizetype index = m_timers.size();
            connect(running.wakeUp, &QTimer::timeout, this, [this, index] { onTimerExpired(index); });
            m_timers.append(running);
        }
    }
    for (RunningTimer &timer : m_timers) {
        timer.rules.start(m_openedNs);
        schedule(timer);
    }
}

void ProxyConnection::stopTimers()
{
    for (RunningTimer &timer : m_timers) {
        timer.rules.stop();
        timer.wakeUp->stop();
    }
}

void ProxyConnection::schedule(RunningTimer &timer)
{
    if (!timer.rules.isArmed()) {
        timer.wakeUp->stop();
        return;
    }
    // Counted from now, not from the traffic's time: the bytes were read a moment ago and the deadline belongs to
    // them.
    const qint64 remainingNs = std::max<qint64>(0, timer.rules.deadline() - now());
    timer.wakeUp->start(int((remainingNs + 999999) / 1000000));
}

void ProxyConnection::observeTraffic(Endpoint from, bool carriesData, qint64 t)
{
    if (state() != State::Open)
        return;
    TimerTraffic traffic;
    traffic.from = from;
    traffic.carriesData = carriesData;
    // A relay never sees TCP keepalive probes (the kernel answers them): timers that count every packet see only the
    // payload, as ProxyConnection's class comment says.
    for (RunningTimer &timer : m_timers) {
        if (timer.rules.observe(traffic, t))
            schedule(timer);
    }
}

void ProxyConnection::updateStallTimers(Endpoint towards)
{
    if (state() != State::Open)
        return;
    RelayEnd *socket = socketOf(towards);
    if (!socket)
        return;
    const bool blocked = socket->bytesToWrite() > 0;
    const qint64 t = now();
    for (RunningTimer &timer : m_timers) {
        if (blocked ? timer.rules.writeBlocked(towards, t) : timer.rules.writeDrained(towards))
            schedule(timer);
    }
}

void ProxyConnection::onTimerExpired(qsizetype index)
{
    if (state() != State::Open || index >= m_timers.size())
        return;
    RunningTimer &timer = m_timers[index];
    if (!timer.rules.isArmed())
        return;
    const qint64 t = now();
    if (t < timer.rules.deadline()) { // restarted while the expiry was queued; a QTimer may also fire a little early
        schedule(timer);
        return;
    }
    ProxyCut cut = timer.describe;
    cut.atNs = t;
    cut.idleNs = t - timer.rules.lastRestart();
    const ChainLink::ActiveTimer fired = timer.rules.definition();
    stopTimers();
    {
        QMutexLocker lock(&m_recordMutex);
        m_cut = cut;
        m_endedBy = QStringLiteral("cut");
    }
    emitFramesAppended();
    switch (cut.action) {
    case ExpiryAction::Fin:
        setState(State::Closed);
        Q_EMIT cutHappened(cut);
        m_client->close();
        m_upstream->close();
        break;
    case ExpiryAction::Rst:
        setState(State::Closed);
        Q_EMIT cutHappened(cut);
        resetSocket(m_client);
        resetSocket(m_upstream);
        break;
    case ExpiryAction::Drop:
        setState(State::Dropped);
        // As in the simulator: the timer that dropped the flow says whether its box resets the next packet.
        m_rstOnNextPacket = fired.rstOnNextPacket;
        Q_EMIT cutHappened(cut);
        break;
    }
    finishIfDone();
}

void ProxyConnection::resetSocket(RelayEnd *socket)
{
    if (!socket)
        return;
    (socket == m_client ? m_clientGone : m_upstreamGone) = true;
    socket->reset();
    finishIfDone();
}

void ProxyConnection::finishIfDone()
{
    if (m_finished)
        return;
    const auto done = [](RelayEnd *socket, bool gone) { return gone || !socket || !socket->isConnected(); };
    if (!done(m_client, m_clientGone) || !done(m_upstream, m_upstreamGone))
        return;
    m_finished = true;
    setState(State::Closed);
    stopTimers();
    m_upgradeTimer.stop();
    m_notifyTimer.stop();
    if (m_openedNs > 0) {
        const CloseRecord close = closeRecord();
        QMutexLocker lock(&m_recordMutex);
        m_close = close;
    }
    emitFramesAppended();
    // Queued: a receiver may delete the connection, which must not happen inside a socket's signal.
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT closed(); }, Qt::QueuedConnection);
}

CloseRecord ProxyConnection::closeRecord() const
{
    // As a Session records its end, seen from the client: who sent the first Close frame, the server's code and
    // reason, clean when both Close frames crossed and an end (not a cut, an error or the proxy) closed TCP.
    CloseRecord close;
    close.atNs = now();
    close.closeSent = m_closeFrom[0];
    close.closeReceived = m_closeFrom[1];
    close.initiator = !m_firstClose                       ? CloseRecord::Initiator::Transport
                      : *m_firstClose == Endpoint::Client ? CloseRecord::Initiator::Client
                                                          : CloseRecord::Initiator::Server;
    if (m_serverClose) {
        close.code = m_serverClose->reportedCode();
        close.reason = m_serverClose->reason;
    }
    close.idleOutNs = close.atNs - m_lastFrameNs[0];
    close.idleInNs = close.atNs - m_lastFrameNs[1];
    const QString by = endedBy();
    const bool endClosed = by == QLatin1StringView("client") || by == QLatin1StringView("server");
    close.clean = close.closeSent && close.closeReceived && endClosed;
    if (const std::optional<ProxyCut> made = cut())
        close.error = made->describe();
    else if (!endClosed)
        close.error = by == QLatin1StringView("proxy") ? QStringLiteral("the timeout proxy stopped") : error();
    return close;
}

void ProxyConnection::setState(State state)
{
    m_state.store(state, std::memory_order_release);
    // What pause rules still hold is never forwarded now: it is let go as "connection ended".
    if (state != State::Open && m_ruleRelay)
        m_ruleRelay->endHolds();
}

void ProxyConnection::setEnded(const QString &by, const QString &error)
{
    QMutexLocker lock(&m_recordMutex);
    if (m_endedBy.isEmpty())
        m_endedBy = by;
    if (m_error.isEmpty())
        m_error = error;
}

void ProxyConnection::scheduleNotify()
{
    if (!m_notifyTimer.isActive())
        m_notifyTimer.start();
}

void ProxyConnection::emitFramesAppended()
{
    const qsizetype count = m_log->frameCount();
    if (count != m_notifiedFrames) {
        m_notifiedFrames = count;
        Q_EMIT framesAppended(count);
    }
    if (std::exchange(m_holdsChanged, false))
        Q_EMIT holdsChanged();
}

} // namespace wsi
