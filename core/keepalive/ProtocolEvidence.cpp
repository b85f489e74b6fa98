// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/ProtocolEvidence.h"

#include "core/appprotocol/ConnectionDecoder.h"
#include "core/appprotocol/HeartbeatRole.h"
#include "core/records/FrameLog.h"

#include <QJsonArray>

namespace wsi {
namespace {

bool isOpening(const DecodedMessage &m)
{
    const QString &kind = m.kind;
    switch (m.protocol) {
    case AppProtocol::SocketIo:
        return kind == QLatin1StringView("CONNECT");
    case AppProtocol::Mqtt:
    case AppProtocol::Stomp:
        return kind == QLatin1StringView("CONNECT") || kind == QLatin1StringView("STOMP");
    case AppProtocol::GraphqlTransportWs:
    case AppProtocol::GraphqlWs:
        return kind == QLatin1StringView("connection_init");
    case AppProtocol::SignalR:
        return kind == QLatin1StringView("HandshakeRequest");
    case AppProtocol::Phoenix:
        return kind == QLatin1StringView("phx_join");
    case AppProtocol::ActionCable:
        return kind == QLatin1StringView("subscribe");
    case AppProtocol::Wamp:
        return kind == QLatin1StringView("HELLO");
    case AppProtocol::SockJs:
    case AppProtocol::JsonRpc:
        break;
    }
    return false;
}

std::optional<std::array<qint64, 2>> heartBeatOf(const QJsonObject &fields)
{
    const QJsonArray pair = fields.value(QStringLiteral("heartBeat")).toArray();
    if (pair.size() != 2)
        return std::nullopt;
    return std::array<qint64, 2>{qint64(pair.at(0).toDouble()), qint64(pair.at(1).toDouble())};
}

} // namespace

ProtocolEvidence ProtocolEvidence::fromLog(const ConnectionFacts &facts, const FrameLog &log,
                                           std::optional<AppProtocol> forced)
{
    return decodeAll(
        facts, log.messageCount(),
        [&log](qsizetype i) {
            const MessageRecord &record = log.message(i);
            return TimedMessage{(record.timeNs + 500000) / 1000000, ConnectionDecoder::messageOf(log, i)};
        },
        forced);
}

ProtocolEvidence ProtocolEvidence::fromMessages(const ConnectionFacts &facts, const QList<TimedMessage> &messages,
                                                std::optional<AppProtocol> forced)
{
    return decodeAll(
        facts, messages.size(), [&messages](qsizetype i) { return messages.at(i); }, forced);
}

ProtocolEvidence ProtocolEvidence::decodeAll(const ConnectionFacts &facts, qsizetype count,
                                             const std::function<TimedMessage(qsizetype)> &messageAt,
                                             std::optional<AppProtocol> forced)
{
    // As ConnectionDecoder::decodeLog does it: the protocol the session was told to speak, else recognised from the
    // handshake and the first messages together, then every message decoded from the first. The protocol is known
    // even when no message crossed (a graphql-ws server's 4408 before anything was said).
    ProtocolEvidence evidence;
    std::optional<Recognition> recognition;
    if (forced) {
        recognition = ConnectionDecoder::forcedRecognition(*forced, facts);
    } else {
        QList<AppMessage> first;
        for (qsizetype i = 0; i < std::min(count, ConnectionDecoder::recognitionWindow); ++i)
            first.append(messageAt(i).message);
        recognition = AppProtocolRegistry::recognize(facts, first);
    }
    if (!recognition)
        return evidence;
    evidence.protocol = AppProtocols::name(recognition->protocol);
    if (recognition->protocol == AppProtocol::SocketIo)
        evidence.engineIoVersion = recognition->engineIoVersion;
    const std::unique_ptr<MessageDecoder> decoder = AppProtocolRegistry::createDecoder(*recognition);
    for (qsizetype i = 0; i < count; ++i) {
        const TimedMessage timed = messageAt(i);
        for (const DecodedMessage &m : decoder->decode(timed.message))
            evidence.add(timed.atMs, timed.message.sender, m);
    }
    return evidence;
}

qint64 ProtocolEvidence::stompClientPeriodMs() const
{
    // STOMP 1.2, Heart-beating: 0 on either side turns that direction off; no header means 0,0.
    const qint64 cx = clientHeartBeat ? clientHeartBeat->at(0) : 0;
    const qint64 sy = serverHeartBeat ? serverHeartBeat->at(1) : 0;
    return cx == 0 || sy == 0 ? 0 : std::max(cx, sy);
}

qint64 ProtocolEvidence::stompServerPeriodMs() const
{
    const qint64 sx = serverHeartBeat ? serverHeartBeat->at(0) : 0;
    const qint64 cy = clientHeartBeat ? clientHeartBeat->at(1) : 0;
    return sx == 0 || cy == 0 ? 0 : std::max(sx, cy);
}

void ProtocolEvidence::add(qint64 atMs, Endpoint sender, const DecodedMessage &m)
{
    protocol = AppProtocols::name(m.protocol);
    const bool byClient = sender == Endpoint::Client;
    (byClient ? lastFromClientMs : lastFromServerMs) = atMs;
    ++(byClient ? messagesFromClient : messagesFromServer);
    if (byClient && !initSentMs && isOpening(m))
        initSentMs = atMs;

    const QJsonObject &f = m.fields;
    switch (m.protocol) {
    case AppProtocol::SocketIo:
        if (m.kind == QLatin1StringView("open") && !byClient) {
            if (f.value(QStringLiteral("pingInterval")).isDouble())
                pingIntervalMs = qint64(f.value(QStringLiteral("pingInterval")).toDouble());
            if (f.value(QStringLiteral("pingTimeout")).isDouble())
                pingTimeoutMs = qint64(f.value(QStringLiteral("pingTimeout")).toDouble());
        }
        break;
    case AppProtocol::Mqtt:
        if (m.kind == QLatin1StringView("CONNECT") && f.value(QStringLiteral("keepAlive")).isDouble())
            keepAliveMs = qint64(f.value(QStringLiteral("keepAlive")).toDouble()) * 1000;
        if (m.kind == QLatin1StringView("CONNACK")) {
            const QJsonValue server =
                f.value(QStringLiteral("properties")).toObject().value(QStringLiteral("serverKeepAlive"));
            if (server.isDouble())
                serverKeepAliveMs = qint64(server.toDouble()) * 1000;
        }
        break;
    case AppProtocol::Stomp:
        if (byClient && (m.kind == QLatin1StringView("CONNECT") || m.kind == QLatin1StringView("STOMP")))
            clientHeartBeat = heartBeatOf(f).value_or(std::array<qint64, 2>{0, 0});
        if (!byClient && m.kind == QLatin1StringView("CONNECTED"))
            serverHeartBeat = heartBeatOf(f).value_or(std::array<qint64, 2>{0, 0});
        break;
    case AppProtocol::SockJs:
        if (m.kind == QLatin1StringView("close"))
            announcedClose = AnnouncedClose{atMs, sender, f.value(QStringLiteral("code")).toInt(),
                                            f.value(QStringLiteral("reason")).toString()};
        break;
    case AppProtocol::SignalR:
        if (m.kind == QLatin1StringView("Close"))
            announcedClose = AnnouncedClose{atMs, sender, std::nullopt, f.value(QStringLiteral("error")).toString()};
        break;
    default:
        break;
    }

    Heartbeats &own = byClient ? fromClient : fromServer;
    Heartbeats &other = byClient ? fromServer : fromClient;
    const HeartbeatRole beat = HeartbeatRoles::of(m);
    if (beat != HeartbeatRole::Reply && !other.lastAnswered && !other.otherMessageAfterLastMs)
        other.otherMessageAfterLastMs = atMs;
    switch (beat) {
    case HeartbeatRole::Request:
    case HeartbeatRole::OneWay:
        if (own.lastMs)
            own.longestIntervalMs = std::max(own.longestIntervalMs.value_or(0), atMs - *own.lastMs);
        ++own.sent;
        own.lastMs = atMs;
        own.otherMessageAfterLastMs.reset();
        own.lastAnswered = beat == HeartbeatRole::OneWay;
        if (own.lastAnswered)
            ++own.answered;
        break;
    case HeartbeatRole::Reply:
        if (!other.lastAnswered) {
            other.lastAnswered = true;
            ++other.answered;
        }
        other.lastReplyMs = atMs;
        break;
    case HeartbeatRole::None:
        break;
    }
}

} // namespace wsi
