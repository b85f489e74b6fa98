// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/SessionEvidence.h"

#include "core/appprotocol/AppProtocol.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/SessionRecords.h"

#include <QFileInfo>

namespace wsi {
namespace {

qint64 nsToMs(qint64 ns)
{
    // Rounded, not truncated, so that a transcript's seconds and the live nanoseconds give the same milliseconds.
    return (ns + 500000) / 1000000;
}

void count(SessionEvidence::Clock &clock, qint64 atMs, qint64 openedMs)
{
    const qint64 since = clock.lastMs.value_or(openedMs);
    clock.longestGapMs = std::max(clock.longestGapMs, atMs - since);
    clock.lastMs = std::max(atMs, since);
    ++clock.frames;
}

SessionEvidence::FrameKind kindOf(quint8 opcode)
{
    if (opcode == Opcodes::value(Opcode::Ping))
        return SessionEvidence::FrameKind::Ping;
    if (opcode == Opcodes::value(Opcode::Pong))
        return SessionEvidence::FrameKind::Pong;
    if (opcode == Opcodes::value(Opcode::Close))
        return SessionEvidence::FrameKind::Close;
    // Continuations and reserved opcodes are bytes on the wire like any data frame.
    return SessionEvidence::FrameKind::Data;
}

} // namespace

void SessionEvidence::addFrame(qint64 atMs, Direction direction, FrameKind kind, bool hasViolations)
{
    const bool outgoing = direction == Direction::Outgoing;
    if (hasViolations)
        ++framesWithViolations;

    // Silences between frames either way, Close included: a Close from the server is a sign of life too.
    const qint64 previous = m_previousAnyMs < 0 ? openedMs : m_previousAnyMs;
    const qint64 gap = std::max<qint64>(0, atMs - previous);
    m_previousAnyMs = std::max(atMs, previous);
    m_longestSilenceSoFar = std::max(m_longestSilenceSoFar, gap);
    if (outgoing) {
        if (m_gapAfterLastIncoming < 0 || gap > m_gapAfterLastIncoming) {
            m_gapAfterLastIncoming = gap;
            unansweredSendMs = atMs;
            unansweredSendKind = kind;
            silenceBeforeUnansweredMs = gap;
        }
    } else {
        longestSurvivedSilenceMs = m_longestSilenceSoFar;
        m_gapAfterLastIncoming = -1;
        unansweredSendMs.reset();
        silenceBeforeUnansweredMs = 0;
    }

    switch (kind) {
    case FrameKind::Ping:
        if (outgoing) {
            if (lastPingSentMs)
                longestPingIntervalMs = std::max(longestPingIntervalMs, atMs - *lastPingSentMs);
            ++pingsSent;
            lastPingSentMs = atMs;
            lastPingAnswered = false;
        } else {
            ++pingsReceived;
            if (!firstPingReceivedMs)
                firstPingReceivedMs = atMs;
            if (!unansweredPingReceivedMs)
                unansweredPingReceivedMs = atMs;
        }
        break;
    case FrameKind::Pong:
        if (outgoing) {
            ++pongsSent;
            unansweredPingReceivedMs.reset();
        } else {
            ++pongsReceived;
            lastPingAnswered = true;
        }
        break;
    case FrameKind::Data:
    case FrameKind::Close:
        break;
    }
    if (kind == FrameKind::Close)
        return;

    const Way way = outgoing ? Way::FromClient : Way::FromServer;
    count(any[size_t(Way::Either)], atMs, openedMs);
    count(any[size_t(way)], atMs, openedMs);
    if (kind == FrameKind::Data) {
        count(data[size_t(Way::Either)], atMs, openedMs);
        count(data[size_t(way)], atMs, openedMs);
    }
}

void SessionEvidence::finish(std::optional<CloseRecord> closeRecord, qint64 atMs)
{
    close = std::move(closeRecord);
    endMs = std::max(atMs, m_previousAnyMs < 0 ? openedMs : m_previousAnyMs);
}

const SessionEvidence::Clock &SessionEvidence::clock(ResetRule rule) const
{
    const size_t way = size_t(wayOf(rule));
    return dataOnly(rule) ? data[way] : any[way];
}

qint64 SessionEvidence::silenceMs(Way way, bool onlyData) const
{
    const Clock &c = onlyData ? data[size_t(way)] : any[size_t(way)];
    return std::max<qint64>(0, endMs - c.lastMs.value_or(openedMs));
}

qint64 SessionEvidence::silenceMs(ResetRule rule) const
{
    return silenceMs(wayOf(rule), dataOnly(rule));
}

qint64 SessionEvidence::longestEarlierSilenceMs(ResetRule rule) const
{
    return clock(rule).longestGapMs;
}

SessionEvidence::Way SessionEvidence::wayOf(ResetRule rule)
{
    switch (rule) {
    case ResetRule::ReadsFromClient:
        return Way::FromClient;
    case ResetRule::ReadsFromServer:
        return Way::FromServer;
    case ResetRule::PayloadEither:
    case ResetRule::DataEither:
    case ResetRule::PacketsEither:
        break;
    }
    return Way::Either;
}

QString SessionEvidence::kindName(FrameKind kind)
{
    switch (kind) {
    case FrameKind::Data:
        return QStringLiteral("message");
    case FrameKind::Ping:
        return QStringLiteral("ping");
    case FrameKind::Pong:
        return QStringLiteral("pong");
    case FrameKind::Close:
        return QStringLiteral("Close frame");
    }
    return {};
}

qint64 SessionEvidence::openedMsFromTimings(const HandshakeRecord &handshake)
{
    qint64 ns = 0;
    for (const qint64 phase :
         {handshake.timings.dnsNs, handshake.timings.connectNs, handshake.timings.tlsNs, handshake.timings.upgradeNs}) {
        if (phase > 0)
            ns += phase;
    }
    return nsToMs(ns);
}

SessionEvidence SessionEvidence::fromRecords(const SessionRecords &records)
{
    const HandshakeRecord &handshake = records.handshake;
    const FrameLog &log = *records.log;
    const std::optional<CloseRecord> &close = records.close;
    SessionEvidence evidence;
    switch (records.source) {
    case SessionRecords::Source::Live:
        evidence.source = QStringLiteral("live session");
        break;
    case SessionRecords::Source::Relayed:
        evidence.source = QStringLiteral("connection relayed by the timeout proxy");
        break;
    case SessionRecords::Source::Recording:
    case SessionRecords::Source::Har:
        evidence.source = QFileInfo(records.sourcePath).fileName();
        break;
    }
    evidence.accepted = handshake.accepted;
    evidence.status = handshake.responseReceived ? handshake.response.statusCode : 0;
    if (handshake.responseReceived)
        evidence.responseHeaders = handshake.response.headers;
    evidence.handshakeExplanation = handshake.explanation;
    evidence.secure =
        !handshake.tlsProtocol.isEmpty() || !handshake.peerCertificateChain.isEmpty() || handshake.timings.tlsNs >= 0;
    evidence.openedMs = openedMsFromTimings(handshake);
    evidence.host = records.url.host();
    const qsizetype frames = log.frameCount();
    for (qsizetype i = 0; i < frames; ++i) {
        const FrameRecord &record = log.frame(i);
        evidence.addFrame(nsToMs(record.timeNs), record.direction(), kindOf(record.opcode), record.violationMask != 0);
    }
    evidence.protocol = ProtocolEvidence::fromLog(ConnectionFacts::fromHandshake(handshake), log,
                                                  AppProtocols::fromName(records.protocol));
    evidence.finish(close, close ? nsToMs(close->atNs) : 0);
    return evidence;
}

} // namespace wsi
