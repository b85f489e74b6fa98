// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/Session.h"

#include "core/appprotocol/ConnectionFacts.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/HandshakeValidator.h"
#include "core/protocol/HostPort.h"
#include "core/protocol/Opcode.h"
#include "core/rules/TimedRuleTimers.h"
#include "core/session/AppProtocolSpeaker.h"
#include "core/session/HeartbeatEngine.h"
#include "core/session/SessionRules.h"
#include "core/session/TlsSetup.h"

#include <QHostInfo>
#include <QNetworkProxy>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>

namespace wsi {
namespace {

constexpr qsizetype maxPendingPings = 64;
// One read takes at most this much, so a flood is parsed (and recorded) in pieces that fit the cache.
constexpr qsizetype maxReadBytes = 1024 * 1024;
// Payloads from this size on, split across reads, are assembled directly in the log's storage.
constexpr quint64 redirectPayloadsFrom = 256 * 1024;
constexpr qsizetype maxFrameHeaderBytes = 14; // RFC 6455 §5.2: 2 + 8 (64-bit length) + 4 (masking key)
// What delay and stall rules may hold back, both ways together; past it the connection is dropped, saying so.
constexpr qint64 maxRulesHeldBytes = 64ll * 1024 * 1024;
// What the socket may buffer while a stall rule keeps the client from reading it; the kernel holds the rest, and
// TCP tells the server to wait.
constexpr qint64 stalledReadBuffer = 64 * 1024;

QString tlsProtocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    default:
        return QStringLiteral("TLS (unknown version)");
    }
}

// The Close frame reason is at most 123 bytes (125 minus the code); cut at a character boundary.
QByteArray closeReasonBytes(const QString &reason)
{
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= 123)
        return utf8;
    qsizetype cut = 123;
    while (cut > 0 && (quint8(utf8[cut]) & 0xC0) == 0x80)
        --cut;
    utf8.truncate(cut);
    return utf8;
}

} // namespace

Session::Session(SessionOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_log(std::make_shared<FrameLog>(m_options.budget))
    , m_outgoing(*m_log, Endpoint::Client, m_options.limits)
    , m_handshakeTimer(this)
    , m_closeTimer(this)
    , m_notifyTimer(this)
    , m_heartbeatHistory(std::make_shared<HeartbeatHistory>(m_options.heartbeat))
    , m_toServer(this, [this] { return now(); })
    , m_toClient(this, [this] { return now(); })
    , m_readStallTimer(this)
    , m_responseParser(m_options.limits)
{
    if (m_options.hasRules())
        m_rules = std::make_shared<SessionRules>(m_options.rules, m_log);
    m_readStallTimer.setSingleShot(true);
    m_readStallTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_readStallTimer, &QTimer::timeout, this, &Session::resumeReading);
    m_heartbeat = new HeartbeatEngine(
        *this, m_options.heartbeat, [this] { return now(); }, m_heartbeatHistory, this);
    connect(m_heartbeat, &HeartbeatEngine::recorded, this, &Session::scheduleNotify);
    // Queued: a miss found while a frame is being handled must not close the connection in the middle of it.
    connect(m_heartbeat, &HeartbeatEngine::dead, this, &Session::onHeartbeatDead, Qt::QueuedConnection);
    if (m_options.protocol.speaks())
        createSpeaker();
    m_handshakeTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    m_notifyTimer.setSingleShot(true);
    m_notifyTimer.setInterval(notifyIntervalMs);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &Session::onHandshakeTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, &Session::onCloseTimeout);
    connect(&m_notifyTimer, &QTimer::timeout, this, &Session::emitFramesAppended);
}

Session::~Session()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    if (m_socket)
        m_socket->disconnect(this);
}

QString Session::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Open:
        return QStringLiteral("open");
    case State::Closing:
        return QStringLiteral("closing");
    case State::Closed:
        break;
    }
    return QStringLiteral("closed");
}

HandshakeRecord Session::handshake() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_handshake;
}

std::optional<CloseRecord> Session::closeRecord() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_close;
}

QDateTime Session::startedAt() const
{
    QMutexLocker lock(&m_recordMutex);
    return m_startedAt;
}

SessionRecords Session::records() const
{
    SessionRecords records;
    records.source = SessionRecords::Source::Live;
    records.url = m_options.url;
    records.log = m_log;
    records.heartbeat = m_heartbeatHistory;
    records.recordingPath = m_recordingPath;
    records.secretHeaders = m_options.secretHeaders;
    if (m_rules)
        records.ruleMarks = m_rules->marks();
    if (m_options.protocol.mode == AppProtocolSettings::Mode::Speak)
        records.protocol = AppProtocols::name(m_options.protocol.protocol);
    QMutexLocker lock(&m_recordMutex);
    records.startedAt = m_startedAt;
    records.handshake = m_handshake;
    records.close = m_close;
    return records;
}

void Session::setState(State state)
{
    // Heartbeats only while open: a closing or closed connection has nothing more to prove.
    if (state != State::Open && m_heartbeat)
        m_heartbeat->stop();
    if (state != State::Open && m_speaker)
        m_speaker->stop();
    if (m_state.exchange(state, std::memory_order_acq_rel) != state)
        Q_EMIT stateChanged(state);
}

void Session::open()
{
    if (state() != State::Idle)
        return;
    m_clock.start();
    {
        QMutexLocker lock(&m_recordMutex);
        m_startedAt = QDateTime::currentDateTimeUtc();
    }
    setState(State::Connecting);

    if (m_rules) {
        if (const QString refusal = SessionRules::refusal(m_rules->set()); !refusal.isEmpty()) {
            failHandshake(QStringLiteral("rules: ") + refusal);
            return;
        }
    }
    QString error;
    m_request = buildHandshakeRequest(m_options.handshakeRequestOptions(), &error);
    if (!m_request) {
        failHandshake(error);
        return;
    }
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.requestBytes = m_request->bytes;
        m_handshake.requestHeaders = m_request->headers;
    }

    const bool secure = m_options.url.scheme().compare(QLatin1StringView("wss"), Qt::CaseInsensitive) == 0;
    m_host = m_options.url.host();
    m_port = quint16(m_options.url.port(secure ? 443 : 80));

    if (secure) {
        m_sslSocket = new QSslSocket(this);
        m_socket = m_sslSocket;
        QString tlsError;
        const std::optional<QSslConfiguration> tls = TlsSetup::configuration(m_options.tls, &tlsError);
        if (!tls) {
            failHandshake(tlsError);
            return;
        }
        m_sslSocket->setSslConfiguration(*tls);
        connect(m_sslSocket, &QSslSocket::encrypted, this, &Session::onEncrypted);
        connect(m_sslSocket, &QSslSocket::sslErrors, this, &Session::onSslErrors);
    } else {
        m_socket = new QTcpSocket(this);
    }
    connect(m_socket, &QTcpSocket::connected, this, &Session::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &Session::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Session::onSocketError);

    m_handshakeTimer.start(m_options.handshakeTimeoutMs);

    if (!m_options.proxy.isEmpty()) {
        const QString scheme = m_options.proxy.scheme().toLower();
        QNetworkProxy proxy;
        if (scheme == QLatin1StringView("http"))
            proxy.setType(QNetworkProxy::HttpProxy);
        else if (scheme == QLatin1StringView("socks5"))
            proxy.setType(QNetworkProxy::Socks5Proxy);
        else {
            failHandshake(QStringLiteral("proxy %1: only http:// and socks5:// proxies are supported")
                              .arg(m_options.proxy.toString()));
            return;
        }
        proxy.setHostName(m_options.proxy.host());
        proxy.setPort(quint16(m_options.proxy.port(scheme == QLatin1StringView("http") ? 8080 : 1080)));
        proxy.setUser(m_options.proxy.userName());
        proxy.setPassword(m_options.proxy.password());
        m_socket->setProxy(proxy);
        // The proxy resolves the name: no DNS phase here.
        m_phaseStartNs = now();
        if (m_sslSocket)
            m_sslSocket->connectToHostEncrypted(m_host, m_port);
        else
            m_socket->connectToHost(m_host, m_port);
        return;
    }
    m_socket->setProxy(QNetworkProxy::NoProxy);

    QHostAddress literal;
    if (literal.setAddress(m_host)) {
        m_addresses = {literal};
        startTcp(literal);
        return;
    }
    m_phaseStartNs = now();
    m_lookupId = QHostInfo::lookupHost(m_host, this, &Session::onHostLookedUp);
}

void Session::onHostLookedUp(const QHostInfo &info)
{
    m_lookupId = -1;
    if (m_finished)
        return;
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.timings.dnsNs = now() - m_phaseStartNs;
    }
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failHandshake(QStringLiteral("the host name %1 could not be resolved: %2").arg(m_host, info.errorString()));
        return;
    }
    m_addresses = info.addresses();
    startTcp(m_addresses.constFirst());
}

void Session::startTcp(const QHostAddress &address)
{
    m_phaseStartNs = now();
    if (m_sslSocket)
        m_sslSocket->connectToHostEncrypted(address.toString(), m_port, m_host);
    else
        m_socket->connectToHost(address, m_port);
}

void Session::onConnected()
{
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.timings.connectNs = now() - m_phaseStartNs;
        m_handshake.peerAddress = HostPort::format(m_socket->peerAddress().toString(), m_socket->peerPort());
        if (m_handshake.peerAddress.startsWith(u':') || m_socket->peerAddress().isNull())
            m_handshake.peerAddress = HostPort::format(m_host, m_port);
    }
    m_phaseStartNs = now();
    if (!m_sslSocket)
        sendHandshake();
}

void Session::onEncrypted()
{
    QMutexLocker lock(&m_recordMutex);
    m_handshake.timings.tlsNs = now() - m_phaseStartNs;
    m_handshake.peerCertificateChain = m_sslSocket->peerCertificateChain();
    m_handshake.tlsProtocol = tlsProtocolName(m_sslSocket->sessionProtocol());
    m_handshake.tlsCipher = m_sslSocket->sessionCipher().name();
    lock.unlock();
    sendHandshake();
}

void Session::onSslErrors(const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &error : errors)
        texts << error.errorString();
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.tlsErrors = texts;
        m_handshake.peerCertificateChain = m_sslSocket->peerCertificateChain();
    }
    if (m_options.tls.ignoreErrors)
        m_sslSocket->ignoreSslErrors();
}

void Session::sendHandshake()
{
    m_phaseStartNs = now();
    m_socket->write(m_request->bytes);
}

void Session::onReadyRead()
{
    while (!m_finished && m_socket && !m_readingStalled) {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            break;
        if (state() != State::Open && state() != State::Closing) {
            // readAll() hands over the socket's buffered chunks without copying them again.
            const QByteArray bytes = m_socket->readAll();
            m_readTimeNs = now();
            if (state() == State::Connecting)
                handleHandshakeBytes(bytes);
            continue;
        }
        qsizetype wanted = qsizetype(std::min<qint64>(available, maxReadBytes));
        // After a large frame another is likely: read only its header first, so that its payload goes straight into
        // the storage reserved for it rather than into this read and then copied there.
        if (m_expectLargeFrame && m_parser->atFrameBoundary())
            wanted = std::min<qsizetype>(wanted, maxFrameHeaderBytes);
        redirectLargePayload({});
        // Bytes that continue a payload split across reads go straight into the parser's buffer (or, for a large
        // one, straight into the log's storage).
        qsizetype granted = 0;
        if (char *space = m_parser->payloadSpace(wanted, &granted)) {
            const qint64 n = m_socket->read(space, granted);
            m_readTimeNs = now();
            if (m_parser->payloadWritten(qsizetype(std::max<qint64>(n, 0)), m_event))
                handleIncomingFrame(m_event);
            if (n <= 0)
                break;
            continue;
        }
        // Bytes that start frames are read straight into the log's storage, so the frames in them are recorded
        // where they landed, without a copy. Bytes of a payload being skipped (over the frame limit) go to a scratch
        // buffer instead.
        PayloadStore::ReadRegion region;
        if (!m_parser->insidePayload())
            region = m_log->readSpace(wanted);
        char *target = region.data;
        qsizetype capacity = region.size;
        if (!region.isValid()) {
            if (m_scratch.isEmpty())
                m_scratch.resize(maxReadBytes);
            target = m_scratch.data();
            capacity = qsizetype(std::min<qint64>(available, m_scratch.size()));
        }
        const qint64 n = m_socket->read(target, capacity);
        if (n <= 0)
            break;
        // Every frame completed by these bytes crossed the socket when they were read.
        m_readTimeNs = now();
        if (region.isValid())
            region = m_log->commitRead(region, qsizetype(n));
        handleFrameBytes(QByteArrayView(target, qsizetype(n)), region);
    }
}

void Session::handleHandshakeBytes(QByteArrayView bytes)
{
    if (m_responseParser.feed(bytes) != HandshakeResponseParser::State::NeedMore)
        finishHandshake();
}

void Session::finishHandshake()
{
    const qint64 upgradeNs = now() - m_phaseStartNs;
    const auto parserState = m_responseParser.state();
    HandshakeOutcome outcome;
    if (parserState == HandshakeResponseParser::State::Complete)
        outcome = HandshakeValidator::validate(m_responseParser.response(), *m_request);
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.timings.upgradeNs = upgradeNs;
        m_handshake.responseReceived = m_responseParser.response().statusCode != 0;
        m_handshake.response = m_responseParser.response();
        m_handshake.violations = m_responseParser.violations() + outcome.violations;
        m_handshake.accepted = outcome.accepted;
        m_handshake.subprotocol = outcome.negotiatedSubprotocol;
        m_handshake.extensions = outcome.negotiatedExtensions;
        m_handshake.deflate = outcome.deflate;
        m_handshake.explanation = outcome.explanation;
    }
    if (parserState == HandshakeResponseParser::State::Failed) {
        const ViolationList &violations = m_responseParser.violations();
        failHandshake(violations.isEmpty() ? QStringLiteral("the handshake response could not be read")
                                           : QStringLiteral("the handshake response is malformed: %1")
                                                 .arg(Violations::describe(violations.constFirst())));
        return;
    }
    if (!outcome.accepted) {
        failHandshake(outcome.explanation);
        return;
    }

    m_handshakeTimer.stop();
    m_parser = std::make_unique<FrameParser>(Endpoint::Server, m_options.limits);
    m_parser->setStopBeforePayloadsFrom(redirectPayloadsFrom);
    m_incoming = std::make_unique<FrameRecorder>(*m_log, Endpoint::Server, m_options.limits);
    if (outcome.deflate) {
        m_parser->setAllowedReservedBits(0x4);
        m_incoming->enableDeflate(outcome.deflate->serverMaxWindowBits, outcome.deflate->serverNoContextTakeover);
        m_deflater = std::make_unique<MessageDeflater>(outcome.deflate->clientMaxWindowBits,
                                                       outcome.deflate->clientNoContextTakeover);
    }
    m_openedNs = now();
    m_lastIncomingNs = m_openedNs;
    m_lastOutgoingNs = m_openedNs;
    m_lastPongNs = m_openedNs;
    setState(State::Open);
    // The protocol's handshake goes first: a STOMP or MQTT CONNECT must be the first message.
    if (m_speaker)
        m_speaker->opened(ConnectionFacts::fromHandshake(handshake()));
    startTimedRules();
    sendOnConnectMessages();
    m_heartbeat->start();
    Q_EMIT handshakeFinished(true);
    const QByteArray leftover = m_responseParser.takeLeftover();
    m_readTimeNs = m_openedNs;
    if (!leftover.isEmpty())
        handleFrameBytes(leftover, {});
}

void Session::failHandshake(const QString &explanation)
{
    if (m_finished)
        return;
    m_handshakeTimer.stop();
    {
        QMutexLocker lock(&m_recordMutex);
        m_handshake.accepted = false;
        if (m_handshake.explanation.isEmpty())
            m_handshake.explanation = explanation;
    }
    m_failure = explanation;
    Q_EMIT handshakeFinished(false);
    if (m_socket) {
        // Aborting emits disconnected() at once; that must not be read as a second, different failure.
        m_socket->disconnect(this);
        m_socket->abort();
    }
    finish(explanation);
}

void Session::redirectLargePayload(QByteArrayView received)
{
    // A large frame split across reads is assembled where the log will keep it, so it is never copied again.
    // `received` holds its first bytes when they were just read (and the parser stopped before them).
    const quint64 length = m_parser->payloadInProgressLength();
    if (length < redirectPayloadsFrom || m_parser->payloadRedirected() ||
        length > quint64(m_log->budget().maxStoredPerFrame))
        return;
    const PayloadStore::ReadRegion region = m_log->reservePayload(m_readRegion, received, qsizetype(length));
    if (region.isValid() && m_parser->redirectPayload(region.data))
        m_payloadRegion = region;
}

void Session::handleFrameBytes(QByteArrayView bytes, const PayloadStore::ReadRegion &region)
{
    m_readRegion = region;
    while (!m_finished) {
        if (m_parser->next(bytes, m_event)) {
            handleIncomingFrame(m_event);
            continue;
        }
        if (bytes.isEmpty())
            break;
        // The parser stopped where a large payload begins that these bytes hold only the start of.
        redirectLargePayload(bytes);
    }
    m_readRegion = {};
}

void Session::handleIncomingFrame(const FrameEvent &event)
{
    const qint64 t = m_readTimeNs;
    m_expectLargeFrame = event.header.payloadLength >= redirectPayloadsFrom;
    const quint8 opcode = event.header.opcode;

    std::optional<ViolationList> pongViolations; // built only for a pong that answers no ping
    std::optional<PendingPing> answeredPing;
    if (opcode == Opcodes::value(Opcode::Pong) && !m_pendingPings.isEmpty()) {
        // RFC 6455 §5.5.3: a pong answers a ping with the same payload, and may answer only the latest one.
        const auto match = std::find_if(m_pendingPings.cbegin(), m_pendingPings.cend(),
                                        [&](const PendingPing &p) { return p.payload == event.payload; });
        if (match == m_pendingPings.cend()) {
            pongViolations =
                ViolationList{{ViolationRule::PongPayloadMismatch,
                               QStringLiteral("pong payload (%1 bytes) matches none of the %2 pings awaiting an "
                                              "answer")
                                   .arg(event.payload.size())
                                   .arg(m_pendingPings.size())}};
        } else {
            answeredPing = *match;
            m_pendingPings.erase(m_pendingPings.cbegin(), match + 1);
        }
    }

    const bool assembledInLog = m_payloadRegion.contains(event.payload);
    const qsizetype index = m_incoming->recordParsed(event, t, pongViolations ? &*pongViolations : nullptr,
                                                     assembledInLog ? m_payloadRegion : m_readRegion);
    if (assembledInLog)
        m_payloadRegion = {};
    const MessageAssembler::Output &output = m_incoming->output();
    if (answeredPing)
        m_log->appendRoundTrip({answeredPing->frame, index, t - answeredPing->sentNs});
    m_lastIncomingNs = t;
    scheduleNotify();

    if (m_options.strict) {
        // Any violation fails the connection, as in a browser; a pong that answers no ping is only recorded.
        for (const ViolationList *violations : {&event.violations, &output.violations}) {
            if (!violations->isEmpty()) {
                failConnection(violations->constFirst());
                return;
            }
        }
    }

    // What our client does with the frame: the heartbeat hears of it, the speaker reads its message, a ping is
    // answered. The rules may hold that back or drop it; the frame itself is recorded as it arrived either way.
    std::optional<AppMessage> speakerMessage;
    if (m_speaker && output.message) {
        const AssembledMessage &message = *output.message;
        speakerMessage = AppMessage{Endpoint::Server, message.type == MessageType::Binary,
                                    message.payloadInFrame ? event.payload.toByteArray() : message.payload};
    }
    const bool isMessage = output.message.has_value();
    std::optional<QByteArray> ping;
    if (opcode == Opcodes::value(Opcode::Ping))
        ping = event.payload.toByteArray();
    auto deliver = [this, t, index, answeredPing, isMessage, speakerMessage = std::move(speakerMessage),
                    ping = std::move(ping)](bool late) {
        if (m_finished)
            return;
        // Held back by a rule, it reaches our client now.
        const qint64 at = late ? now() : t;
        if (answeredPing) {
            m_heartbeat->pongReceived(answeredPing->payload, at, index);
            m_lastPongNs = at;
        }
        m_heartbeat->frameReceived();
        if (isMessage)
            m_heartbeat->messageReceived(at);
        if (speakerMessage)
            m_speaker->messageReceived(*speakerMessage, at, index);
        if (ping && m_options.autoPong && state() == State::Open && !m_closeSent && m_heartbeat->answerPing(at))
            sendPong(*ping);
    };
    // Without rules, at once and without wrapping it (this runs for every frame of a flood).
    if (m_rules)
        deliverThroughRules(event, index, std::move(deliver));
    else
        deliver(false);

    if (opcode == Opcodes::value(Opcode::Close) && !m_closeReceived) {
        m_closeReceived = true;
        m_receivedClose = output.close;
        if (!m_closeSent) {
            m_initiator = CloseRecord::Initiator::Server;
            // Echo the status code (RFC 6455 §5.5.1); one that may not be sent is answered with 1002.
            std::optional<quint16> code;
            if (m_receivedClose && m_receivedClose->code)
                code = CloseCodes::isValidOnWire(*m_receivedClose->code) ? *m_receivedClose->code : quint16(1002);
            sendClose(code);
        }
        // The server closes the TCP connection first (RFC 6455 §7.1.1); if it does not, we do after a while.
        setState(State::Closing);
        m_closeTimer.start(m_options.closeTimeoutMs);
    }
}

void Session::failConnection(const Violation &violation)
{
    if (m_finished)
        return;
    m_failure = Violations::describe(violation);
    if (!m_closeSent && !m_closeReceived) {
        m_initiator = CloseRecord::Initiator::Client;
        noteOwnEnd({OwnEnd::Reason::ProtocolViolation, m_failure});
    }
    if (!m_closeSent && (state() == State::Open || state() == State::Closing))
        writeClose(Violations::closeCode(violation.rule), Violations::id(violation.rule));
    // Failing the connection closes TCP at once (RFC 6455 §7.1.7), without waiting for the server's Close.
    setState(State::Closing);
    m_socket->disconnectFromHost();
    m_closeTimer.start(m_options.closeTimeoutMs);
}

void Session::sendOnConnectMessages()
{
    for (const OnConnectMessage &message : std::as_const(m_options.onConnectMessages)) {
        switch (message.kind) {
        case OnConnectMessage::Kind::Text:
            sendMessage(MessageType::Text, message.payload);
            break;
        case OnConnectMessage::Kind::Binary:
            sendMessage(MessageType::Binary, message.payload);
            break;
        case OnConnectMessage::Kind::Ping:
            sendPing(message.payload);
            break;
        }
    }
}

void Session::onHeartbeatDead(const QString &why)
{
    if (m_finished || state() != State::Open)
        return;
    m_heartbeat->stop();
    m_failure = why;
    if (!m_closeReceived) {
        m_initiator = CloseRecord::Initiator::Client;
        // How long the server had been silent where it counts: since the last pong for a ping heartbeat, since
        // anything at all for an application heartbeat or a receive timeout.
        const bool pings = m_options.heartbeat.kind == HeartbeatSettings::Kind::Ping;
        const qint64 silentNs = now() - (pings ? m_lastPongNs : m_lastIncomingNs);
        noteOwnEnd(
            {OwnEnd::Reason::HeartbeatDead, QStringLiteral("%1 s without %2")
                                                .arg(QString::number(double(silentNs) / 1e9, 'f', 1),
                                                     pings ? QStringLiteral("a pong") : QStringLiteral("a reply"))});
    }
    if (m_options.heartbeat.whenDead == HeartbeatSettings::WhenDead::Abort) {
        // Node ws's terminate(): no Close frame, the TCP connection is dropped.
        m_socket->abort();
        finish(m_failure);
        return;
    }
    // Python websockets: Close 1011 "keepalive ping timeout", then the TCP connection is closed without waiting
    // for the peer's Close, which a dead peer will not send (RFC 6455 §7.1.7, failing the connection).
    writeClose(quint16(1011), QStringLiteral("keepalive ping timeout"));
    setState(State::Closing);
    m_socket->disconnectFromHost();
    m_closeTimer.start(m_options.closeTimeoutMs);
}

void Session::scheduleNotify()
{
    if (!m_notifyTimer.isActive())
        m_notifyTimer.start();
}

void Session::emitFramesAppended()
{
    const qsizetype count = m_log->frameCount();
    if (count != m_notifiedFrames) {
        m_notifiedFrames = count;
        Q_EMIT framesAppended(count);
    }
    const qsizetype heartbeats = m_heartbeatHistory->eventCount();
    if (heartbeats != m_notifiedHeartbeats) {
        m_notifiedHeartbeats = heartbeats;
        Q_EMIT heartbeatUpdated(heartbeats);
    }
}

qsizetype Session::writeFrame(const FrameSpec &spec, QByteArrayView payload, bool deliberate, bool compressed,
                              bool injected)
{
    if (m_finished || !m_socket || (state() != State::Open && state() != State::Closing))
        return -1;
    QByteArray bytes;
    bytes.reserve(14 + payload.size());
    const FrameHeader header = m_writer.append(bytes, spec, payload);
    const qint64 t = now();
    const qsizetype index = m_outgoing.recordWritten(header, payload, t, deliberate, compressed, injected);
    m_socket->write(bytes);
    m_lastOutgoingNs = t;
    scheduleNotify();
    return index;
}

void Session::sendMessage(MessageType type, const QByteArray &payload, int fragments)
{
    if (state() != State::Open)
        return;
    if (!m_rules) {
        writeMessage(type, payload, fragments, -1);
        return;
    }
    const quint8 opcode = Opcodes::value(type == MessageType::Text ? Opcode::Text : Opcode::Binary);
    sendThroughRules(opcode, payload, [this, type, fragments](qsizetype rule, const QByteArray &written) {
        writeMessage(type, written, fragments, rule);
    });
}

void Session::writeMessage(MessageType type, const QByteArray &payload, int fragments, qsizetype rule, bool injected)
{
    if (m_finished || state() != State::Open || m_closeSent) {
        // Held back by a rule past our Close: it never went out.
        if (rule >= 0)
            noteUnsent(rule, Opcodes::value(type == MessageType::Text ? Opcode::Text : Opcode::Binary), payload);
        return;
    }
    const bool compressed = m_deflater != nullptr;
    const QByteArray wire = compressed ? m_deflater->compress(payload) : payload;
    const qsizetype parts = std::clamp<qsizetype>(fragments, 1, std::max<qsizetype>(1, wire.size()));
    qsizetype first = -1;
    qsizetype last = -1;
    qsizetype offset = 0;
    for (qsizetype i = 0; i < parts; ++i) {
        const qsizetype size = wire.size() / parts + (i < wire.size() % parts ? 1 : 0);
        FrameSpec spec;
        spec.opcode = i == 0 ? Opcodes::value(type == MessageType::Text ? Opcode::Text : Opcode::Binary)
                             : Opcodes::value(Opcode::Continuation);
        spec.fin = i == parts - 1;
        spec.rsv1 = compressed && i == 0;
        last = writeFrame(spec, QByteArrayView(wire).sliced(offset, size), false, compressed && i == 0, injected);
        if (i == 0)
            first = last;
        offset += size;
    }
    AssembledMessage message;
    message.type = type;
    message.payload = payload;
    message.wireLength = quint64(wire.size());
    message.frameCount = int(parts);
    message.compressed = compressed;
    m_outgoing.recordMessage(message, first, last, now());
    if (m_rules)
        m_rules->markFrames(first, last, rule);
    if (m_speaker)
        m_speaker->messageSent({Endpoint::Client, type == MessageType::Binary, payload});
}

void Session::sendThroughRules(quint8 opcode, const QByteArray &payload,
                               std::function<void(qsizetype rule, const QByteArray &payload)> write)
{
    if (!m_rules) {
        write(-1, payload);
        return;
    }
    const qsizetype index = m_rules->firstMatch(Endpoint::Client, opcode, payload);
    const std::optional<int> delayMs = actOnMatch(index, Endpoint::Client);
    if (!delayMs) {
        noteUnsent(index, opcode, payload);
        return;
    }
    QByteArray written = payload;
    if (index >= 0 && m_rules->set().rule(index).action == Rule::Action::Replace) {
        written = SessionRules::replaced(m_rules->set().rule(index), opcode, payload);
        // What our client meant to send is kept, as the wire has only the edit.
        if (written != payload)
            noteUnsent(index, opcode, payload);
    }
    if (!withinRulesBudget(written.size()))
        return;
    const qint64 bytes = written.size();
    m_toServer.add(*delayMs, bytes,
                   [write = std::move(write), index, written = std::move(written)](bool) { write(index, written); });
    if (index >= 0 && m_rules->set().rule(index).action == Rule::Action::Inject)
        inject(index);
}

void Session::inject(qsizetype rule)
{
    const Rule &injection = m_rules->set().rule(rule);
    if (!withinRulesBudget(injection.payload.size()))
        return;
    const MessageType type =
        injection.payloadOpcode == Opcodes::value(Opcode::Binary) ? MessageType::Binary : MessageType::Text;
    m_toServer.add(0, injection.payload.size(),
                   [this, rule, type](bool) { writeMessage(type, m_rules->set().rule(rule).payload, 1, rule, true); });
}

std::optional<int> Session::actOnMatch(qsizetype index, Endpoint from)
{
    if (index < 0)
        return 0;
    const Rule &rule = m_rules->set().rule(index);
    switch (rule.action) {
    case Rule::Action::Drop:
    case Rule::Action::NoPong:
        return std::nullopt;
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        return rule.ms;
    case Rule::Action::Stall:
        // The message waits with everything else its way.
        stall(rule, from);
        return 0;
    default:
        return 0;
    }
}

void Session::deliverThroughRules(const FrameEvent &event, qsizetype frameIndex, std::function<void(bool late)> deliver)
{
    const quint8 opcode = event.header.opcode;
    qsizetype index = -1;
    qsizetype firstFrame = frameIndex;
    const MessageAssembler::Output &output = m_incoming->output();
    if (output.message) {
        const AssembledMessage &message = *output.message;
        index = m_rules->firstMatch(Endpoint::Server,
                                    Opcodes::value(message.type == MessageType::Text ? Opcode::Text : Opcode::Binary),
                                    message.payloadInFrame ? event.payload : QByteArrayView(message.payload));
        firstFrame = qsizetype(m_log->message(m_log->messageCount() - 1).firstFrame);
    } else if (opcode == Opcodes::value(Opcode::Ping) || opcode == Opcodes::value(Opcode::Pong)) {
        index = m_rules->firstMatch(Endpoint::Server, opcode, event.payload);
    }
    m_rules->markFrames(firstFrame, frameIndex, index);
    const std::optional<int> delayMs = actOnMatch(index, Endpoint::Server);
    if (!delayMs)
        return; // our client never hears of it
    // What waits holds copies of the payloads it acts on: counted as the frame's length.
    const qint64 bytes = qint64(event.header.payloadLength);
    if (!withinRulesBudget(bytes))
        return;
    m_toClient.add(*delayMs, bytes, std::move(deliver));
    if (index >= 0 && m_rules->set().rule(index).action == Rule::Action::Inject)
        inject(index);
}

void Session::stall(const Rule &rule, std::optional<Endpoint> matchedFrom)
{
    // Without "to", a matched stall holds the way the message goes; a timed one holds both.
    const bool towardServer = rule.towardsReceiver && matchedFrom ? *matchedFrom == Endpoint::Client
                                                                  : Rule::targets(rule.to, Endpoint::Server);
    const bool towardClient = rule.towardsReceiver && matchedFrom ? *matchedFrom == Endpoint::Server
                                                                  : Rule::targets(rule.to, Endpoint::Client);
    if (towardServer)
        m_toServer.hold(rule.ms);
    if (towardClient) {
        m_toClient.hold(rule.ms);
        stallReading(rule.ms);
    }
}

void Session::stallReading(int ms)
{
    if (!m_socket || m_finished)
        return;
    if (ms < 0) {
        m_readStallTimer.stop();
    } else {
        const int remainingMs = m_readStallTimer.isActive() ? m_readStallTimer.remainingTime() : 0;
        if (m_readingStalled && !m_readStallTimer.isActive())
            return; // until the end already
        if (ms > remainingMs)
            m_readStallTimer.start(ms);
    }
    if (m_readingStalled)
        return;
    m_readingStalled = true;
    // Qt's own buffer would otherwise keep reading the socket for us, unbounded.
    if (m_socket->readBufferSize() == 0)
        m_socket->setReadBufferSize(stalledReadBuffer);
}

void Session::resumeReading()
{
    m_readStallTimer.stop();
    if (!m_readingStalled)
        return;
    m_readingStalled = false;
    if (m_toClient.isHeldUntilReleased())
        m_toClient.release();
    if (!m_socket)
        return;
    m_socket->setReadBufferSize(0);
    // Queued: what arrived meanwhile is read on the event loop's next turn, not inside a close under way.
    QMetaObject::invokeMethod(this, &Session::onReadyRead, Qt::QueuedConnection);
}

void Session::startTimedRules()
{
    if (!m_rules)
        return;
    m_timedRules = TimedRuleTimers::start(m_rules->set(), this, [this](qsizetype i) {
        if (state() != State::Open)
            return false; // the connection ended: so do its timed rules
        // Switched off meanwhile, a rule does nothing this turn.
        if (m_rules->set().isEnabled(i)) {
            const Rule &timed = m_rules->set().rule(i);
            if (timed.action == Rule::Action::Stall)
                stall(timed, std::nullopt);
            else if (timed.action == Rule::Action::Inject)
                inject(i);
        }
        return true;
    });
}

bool Session::withinRulesBudget(qint64 more)
{
    if (m_toServer.bytesWaiting() + m_toClient.bytesWaiting() + more <= maxRulesHeldBytes)
        return true;
    abortBecause({OwnEnd::Reason::Aborted,
                  QStringLiteral("the rules would hold back more than %1 MiB of messages (a delay or stall longer "
                                 "than the traffic allows)")
                      .arg(maxRulesHeldBytes / (1024 * 1024))});
    return false;
}

void Session::noteUnsent(qsizetype rule, quint8 opcode, const QByteArray &payload)
{
    m_rules->noteUnsent(
        {now(), rule, opcode, payload.size(), payload.first(std::min(payload.size(), SessionRules::previewBytes))});
    scheduleNotify();
}

void Session::createSpeaker()
{
    m_speaker = new AppProtocolSpeaker(
        *this, m_options.protocol, [this] { return now(); }, m_heartbeatHistory, this);
    connect(m_speaker, &AppProtocolSpeaker::recorded, this, &Session::scheduleNotify);
}

void Session::sendProtocolMessage(const ProtocolMessage &message, AppProtocol protocol)
{
    if (state() != State::Open)
        return;
    if (!m_speaker)
        createSpeaker();
    if (!m_speaker->protocol())
        m_speaker->follow(protocol, ConnectionFacts::fromHandshake(handshake()));
    m_speaker->sendMessage(message);
}

void Session::sendPing(const QByteArray &payload)
{
    if (state() != State::Open && state() != State::Closing)
        return;
    sendThroughRules(Opcodes::value(Opcode::Ping), payload, [this](qsizetype rule, const QByteArray &written) {
        FrameSpec spec;
        spec.opcode = Opcodes::value(Opcode::Ping);
        const qsizetype frame = writeFrame(spec, written, written.size() > 125);
        if (frame < 0) {
            if (rule >= 0)
                noteUnsent(rule, Opcodes::value(Opcode::Ping), written);
            return;
        }
        if (m_rules)
            m_rules->markFrames(frame, frame, rule);
        if (m_pendingPings.size() >= maxPendingPings)
            m_pendingPings.removeFirst();
        m_pendingPings.append({written, m_log->frame(frame).timeNs, frame});
    });
}

void Session::sendPong(const QByteArray &payload)
{
    if (state() != State::Open && state() != State::Closing)
        return;
    sendThroughRules(Opcodes::value(Opcode::Pong), payload, [this](qsizetype rule, const QByteArray &written) {
        FrameSpec spec;
        spec.opcode = Opcodes::value(Opcode::Pong);
        const qsizetype frame = writeFrame(spec, written, written.size() > 125);
        if (frame < 0 && rule >= 0)
            noteUnsent(rule, Opcodes::value(Opcode::Pong), written);
        if (m_rules)
            m_rules->markFrames(frame, frame, rule);
    });
}

void Session::sendClose(std::optional<quint16> code, const QString &reason)
{
    if (m_closeSent || m_closeWaiting || (state() != State::Open && state() != State::Closing))
        return;
    if (m_rules && (!m_toServer.isEmpty() || m_toServer.isHeld())) {
        // Our Close goes after the messages the rules hold back, as it would behind them on a slow path; a stall
        // until the end ends here, as the connection does.
        m_closeWaiting = true;
        if (m_toServer.isHeldUntilReleased())
            m_toServer.release();
        m_toServer.add(0, 0, [this, code, reason](bool) {
            m_closeWaiting = false;
            writeClose(code, reason);
        });
        return;
    }
    writeClose(code, reason);
}

void Session::writeClose(std::optional<quint16> code, const QString &reason)
{
    if (m_finished || m_closeSent || (state() != State::Open && state() != State::Closing))
        return;
    FrameSpec spec;
    spec.opcode = Opcodes::value(Opcode::Close);
    const QByteArray payload = code ? FrameWriter::closePayload(*code, closeReasonBytes(reason)) : QByteArray();
    writeFrame(spec, payload, code && !CloseCodes::isValidOnWire(*code));
    m_closeSent = true;
    if (!m_closeReceived) {
        m_initiator = CloseRecord::Initiator::Client;
        // A Close with no reason given before it is the user's own (a button, --close).
        noteOwnEnd({OwnEnd::Reason::Requested, {}});
    }
    setState(State::Closing);
    m_closeTimer.start(m_options.closeTimeoutMs);
    // The server's answer has to be read: a stall until the end ends with it.
    if (m_readingStalled && !m_readStallTimer.isActive())
        resumeReading();
}

void Session::sendRawFrame(const FrameSpec &spec, const QByteArray &payload)
{
    const quint8 allowed = m_deflater ? 0x4 : 0x0;
    if (writeFrame(spec, payload, spec.breaksRules(Endpoint::Client, allowed)) < 0)
        return;
    if (spec.opcode == Opcodes::value(Opcode::Close) && !m_closeSent) {
        m_closeSent = true;
        if (!m_closeReceived) {
            m_initiator = CloseRecord::Initiator::Client;
            noteOwnEnd({OwnEnd::Reason::Requested, {}});
        }
        setState(State::Closing);
        m_closeTimer.start(m_options.closeTimeoutMs);
    }
}

void Session::abort()
{
    abortBecause({OwnEnd::Reason::Aborted, {}});
}

void Session::noteOwnEnd(const OwnEnd &why)
{
    // The server's Close came first: whatever we do now answers it, the end is the server's.
    if (m_closeReceived || m_ownEnd)
        return;
    m_ownEnd = why;
}

void Session::closeBecause(const OwnEnd &why, quint16 code, const QString &reason)
{
    if (m_finished)
        return;
    noteOwnEnd(why);
    if (state() == State::Closing)
        return; // the closing handshake is under way already: let it finish
    if (state() != State::Open) {
        // Not open yet: there is no connection to send a Close frame on; dropping the attempt is all there is.
        abortBecause(why);
        return;
    }
    sendClose(code, reason);
}

void Session::abortBecause(const OwnEnd &why)
{
    if (m_finished)
        return;
    noteOwnEnd(why);
    const OwnEnd &first = m_ownEnd ? *m_ownEnd : why;
    const QString lead = first.reason == OwnEnd::Reason::Aborted && first.detail.isEmpty()
                             ? QString()
                             : QStringLiteral(": ") + first.describe();
    if (state() == State::Idle) {
        finish(QStringLiteral("aborted before connecting") + lead);
        return;
    }
    if (m_failure.isEmpty())
        m_failure = QStringLiteral("the connection was aborted") + lead;
    if (state() == State::Connecting) {
        failHandshake(m_failure);
        return;
    }
    // Dropping it is this client's decision, whatever came before, unless the server had begun to close.
    if (!m_closeReceived)
        m_initiator = CloseRecord::Initiator::Client;
    if (m_socket)
        m_socket->abort();
    finish(m_failure);
}

void Session::onDisconnected()
{
    if (m_readingStalled) {
        // What the server sent before it went is read and recorded now, though a stall kept the client from it.
        m_readingStalled = false;
        m_readStallTimer.stop();
        onReadyRead();
    }
    if (state() == State::Connecting) {
        // A refusal whose body runs until the connection ends, or a server that hung up mid-response.
        if (m_responseParser.state() == HandshakeResponseParser::State::NeedMore &&
            m_responseParser.bufferedBytes() > 0) {
            m_responseParser.finishAtEndOfStream();
            finishHandshake();
            return;
        }
        if (m_sslSocket && !m_sslSocket->isEncrypted() && m_handshake.timings.connectNs >= 0) {
            failHandshake(QStringLiteral("TLS handshake failed: the server closed the connection during the TLS "
                                         "handshake (is it a plain ws:// server?)"));
            return;
        }
        failHandshake(QStringLiteral("the server closed the connection before answering the handshake"));
        return;
    }
    finish();
}

void Session::onSocketError()
{
    if (m_finished)
        return;
    const auto error = m_socket->error();
    if (state() == State::Connecting) {
        const bool connected = m_handshake.timings.connectNs >= 0;
        if (!connected && m_addresses.size() > 1 && error != QAbstractSocket::SslHandshakeFailedError) {
            // Try the host's next address (e.g. ::1 refused, then 127.0.0.1).
            m_addresses.removeFirst();
            m_socket->abort();
            startTcp(m_addresses.constFirst());
            return;
        }
        if (error == QAbstractSocket::RemoteHostClosedError) {
            onDisconnected();
            return;
        }
        QString what = m_socket->errorString();
        if (error == QAbstractSocket::SslHandshakeFailedError) {
            QMutexLocker lock(&m_recordMutex);
            if (!m_handshake.tlsErrors.isEmpty()) {
                what = QStringLiteral("TLS handshake failed: %1 (turn on \"ignore TLS errors\" to connect anyway)")
                           .arg(m_handshake.tlsErrors.join(QStringLiteral("; ")));
            } else {
                what = QStringLiteral("TLS handshake failed: %1").arg(what);
            }
        } else if (!connected && !m_options.proxy.isEmpty()) {
            // Qt's proxy errors do not say which end failed: name the proxy, so a refusal is not read as the
            // server's own.
            what = QStringLiteral("could not connect to %1 through the proxy %2: %3")
                       .arg(HostPort::format(m_host, m_port), m_options.proxy.toString(QUrl::RemoveUserInfo), what);
        } else if (!connected) {
            what = QStringLiteral("could not connect to %1: %2").arg(HostPort::format(m_host, m_port), what);
        }
        failHandshake(what);
        return;
    }
    if (m_sslSocket && error == QAbstractSocket::RemoteHostClosedError &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        // A TLS close_notify: QSslSocket reports it yet keeps the TCP connection, and a server that waits for ours
        // (Python's asyncio does) would hold it until our close timeout. Nothing more can arrive: close our side.
        onReadyRead();
        if (!m_finished)
            m_socket->disconnectFromHost();
        return;
    }
    if (error != QAbstractSocket::RemoteHostClosedError && m_failure.isEmpty())
        m_failure = m_socket->errorString();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        finish(m_failure);
}

void Session::onHandshakeTimeout()
{
    QString phase;
    if (m_lookupId >= 0)
        phase = QStringLiteral("still resolving %1").arg(m_host);
    else if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        phase = QStringLiteral("the TCP connection to %1 was not established").arg(HostPort::format(m_host, m_port));
    else if (m_sslSocket && !m_sslSocket->isEncrypted())
        phase = QStringLiteral("the TLS handshake did not finish");
    else
        phase = QStringLiteral("%1 bytes of the server's response arrived, without its end")
                    .arg(m_responseParser.bufferedBytes());
    failHandshake(
        QStringLiteral("no handshake response within %1 ms: %2").arg(m_options.handshakeTimeoutMs).arg(phase));
}

void Session::onCloseTimeout()
{
    if (m_failure.isEmpty() && !m_closeReceived)
        m_failure =
            QStringLiteral("the server did not answer the Close frame within %1 ms").arg(m_options.closeTimeoutMs);
    if (m_socket)
        m_socket->abort();
    finish(m_failure);
}

void Session::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_heartbeat->stop();
    m_handshakeTimer.stop();
    m_closeTimer.stop();
    m_readStallTimer.stop();
    qDeleteAll(m_timedRules);
    m_timedRules.clear();
    // Nothing held back reaches the client now; what the rules held of ours never went out (writeMessage() notes
    // each message a rule held as unsent when it finds the connection over).
    m_toClient.clear();
    m_toServer.runAllNow();
    const qint64 t = m_clock.isValid() ? now() : 0;

    CloseRecord close;
    close.closeSent = m_closeSent;
    close.closeReceived = m_closeReceived;
    close.initiator = (m_closeSent || m_closeReceived || !m_failure.isEmpty()) && m_openedNs > 0
                          ? m_initiator
                          : CloseRecord::Initiator::Transport;
    if (m_receivedClose) {
        close.code = m_receivedClose->reportedCode();
        close.reason = m_receivedClose->reason;
    }
    close.clean = m_closeSent && m_closeReceived && m_failure.isEmpty();
    close.atNs = t;
    if (m_openedNs > 0) {
        close.idleInNs = t - m_lastIncomingNs;
        close.idleOutNs = t - m_lastOutgoingNs;
    }
    close.error = error.isEmpty() ? m_failure : error;
    if (close.initiator == CloseRecord::Initiator::Client)
        close.ownEnd = m_ownEnd;
    {
        QMutexLocker lock(&m_recordMutex);
        m_close = close;
    }
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    setState(State::Closed);
    m_notifyTimer.stop();
    emitFramesAppended();
    Q_EMIT closed();
}

} // namespace wsi
