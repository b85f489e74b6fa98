// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/HumanTranscript.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/HttpHeaders.h"
#include "core/protocol/Opcode.h"
#include "core/protocol/Utf8Validator.h"
#include "core/text/DurationText.h"

#include <QStringList>

namespace wsi::cli {
namespace {

constexpr qsizetype textPreviewBytes = 80;
constexpr qsizetype hexPreviewBytes = 24;
constexpr qsizetype bodyPreviewBytes = 200;
const QString indent = QStringLiteral("          "); // under the time column of frame lines

QString timeColumn(double seconds)
{
    return QString::asprintf("%7.3fs", seconds);
}

QString seconds(qint64 ns)
{
    return QString::asprintf("%.3fs", double(ns) / 1e9);
}

QString milliseconds(qint64 ns)
{
    return ns < 0 ? QStringLiteral("-") : QString::asprintf("%.1f ms", double(ns) / 1e6);
}

QString hexPreview(QByteArrayView bytes)
{
    QString text = QString::fromLatin1(bytes.first(std::min(bytes.size(), hexPreviewBytes)).toByteArray().toHex(' '));
    if (bytes.size() > hexPreviewBytes)
        text += QStringLiteral(" ...");
    return text;
}

// Text as people read it: UTF-8 shown as characters with control characters escaped. Bytes that are not UTF-8
// (binary junk, a fragment cut inside a character) fall back to HttpSyntax::quoted's byte escapes.
QString textPreview(QByteArrayView bytes, qsizetype maxBytes = textPreviewBytes)
{
    qsizetype cut = std::min(bytes.size(), maxBytes);
    for (int i = 0; i < 3 && cut > 0 && cut < bytes.size() && (quint8(bytes[cut]) & 0xC0) == 0x80; ++i)
        --cut;
    const QByteArrayView shown = bytes.first(cut);
    if (!Utf8Validator::isValid(shown))
        return HttpSyntax::quoted(bytes, maxBytes);
    QString text = QStringLiteral("\"");
    for (const QChar c : QString::fromUtf8(shown)) {
        switch (c.unicode()) {
        case u'"':
            text += QStringLiteral("\\\"");
            break;
        case u'\\':
            text += QStringLiteral("\\\\");
            break;
        case u'\n':
            text += QStringLiteral("\\n");
            break;
        case u'\r':
            text += QStringLiteral("\\r");
            break;
        case u'\t':
            text += QStringLiteral("\\t");
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                text += QString::asprintf("\\x%02x", unsigned(c.unicode()));
            else
                text += c;
        }
    }
    text += u'"';
    if (cut < bytes.size())
        text += QStringLiteral("...");
    return text;
}

QString closePreview(QByteArrayView payload)
{
    const ClosePayload close = ClosePayload::decode(payload);
    if (close.isOneByte())
        return hexPreview(payload);
    if (!close.code)
        return QStringLiteral("(no status code)");
    QString text = QStringLiteral("%1 %2").arg(*close.code).arg(CloseCodes::name(*close.code));
    if (!close.reasonBytes.isEmpty())
        text += u' ' + textPreview(close.reasonBytes);
    return text;
}

QString headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    return QString::fromUtf8(headers.combined(name));
}

} // namespace

void HumanTranscript::writeLine(const QString &line)
{
    write(line.toUtf8() + '\n');
}

void HumanTranscript::handshake(const HandshakeRecord &record, double)
{
    if (m_rules)
        writeLine(QStringLiteral("rules: ") + m_rules->set().describe());
    const qsizetype requestLineEnd = record.requestBytes.indexOf("\r\n");
    if (requestLineEnd > 0) {
        QString line = QStringLiteral("-> ") + QString::fromUtf8(record.requestBytes.first(requestLineEnd));
        if (!record.peerAddress.isEmpty())
            line += QStringLiteral("  (") + record.peerAddress + u')';
        writeLine(line);
    }

    if (record.responseReceived) {
        const HandshakeResponse &response = record.response;
        writeLine(QStringLiteral("<- %1 %2 %3")
                      .arg(QString::fromLatin1(response.httpVersion))
                      .arg(response.statusCode)
                      .arg(QString::fromUtf8(response.reasonPhrase)));
        static const char *const upgradeHeaders[] = {"Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                                                     "Sec-WebSocket-Extensions", "Server"};
        static const char *const refusalHeaders[] = {"Server",      "Content-Type",     "Location",
                                                     "Retry-After", "WWW-Authenticate", "Sec-WebSocket-Version"};
        const auto printHeaders = [&](const auto &names) {
            for (const char *name : names) {
                const QByteArrayView key(name);
                if (response.headers.contains(key))
                    writeLine(
                        QStringLiteral("   %1: %2").arg(QLatin1StringView(name), headerValue(response.headers, key)));
            }
        };
        if (response.isSwitchingProtocols()) {
            printHeaders(upgradeHeaders);
        } else {
            printHeaders(refusalHeaders);
            if (!response.body.isEmpty()) {
                writeLine(QStringLiteral("   body (%1 B%2): %3")
                              .arg(response.body.size())
                              .arg(response.bodyTruncated ? QStringLiteral(", truncated") : QString())
                              .arg(textPreview(response.body, bodyPreviewBytes)));
            }
        }
    }

    const ConnectTimings &timings = record.timings;
    writeLine(QStringLiteral("   timing: dns %1, connect %2, tls %3, upgrade %4")
                  .arg(milliseconds(timings.dnsNs), milliseconds(timings.connectNs), milliseconds(timings.tlsNs),
                       milliseconds(timings.upgradeNs)));
    if (!record.tlsProtocol.isEmpty())
        writeLine(QStringLiteral("   %1, %2").arg(record.tlsProtocol, record.tlsCipher));
    for (const QString &tlsError : record.tlsErrors)
        writeLine(QStringLiteral("   ! TLS: ") + tlsError);
    for (const Violation &violation : record.violations)
        writeLine(QStringLiteral("   ! ") + Violations::describe(violation));
    // A failure's explanation follows as the error line.
    if (record.accepted && !record.subprotocol.isEmpty())
        writeLine(QStringLiteral("   subprotocol: ") + record.subprotocol);
}

void HumanTranscript::frame(const FrameLog &log, qsizetype index)
{
    const FrameRecord &record = log.frame(index);
    const bool outgoing = record.direction() == Direction::Outgoing;
    const QByteArrayView payload = log.framePayload(index);
    OpenMessage &open = m_openMessage[outgoing ? 1 : 0];

    if (Opcodes::isData(record.opcode)) {
        open.binary = record.opcode == Opcodes::value(Opcode::Binary);
        open.compressed = record.has(FrameRecord::Compressed);
    }

    QString flags = record.has(FrameRecord::Fin) ? QStringLiteral("FIN") : QStringLiteral("...");
    if (record.has(FrameRecord::Rsv1))
        flags += QStringLiteral(" RSV1");
    if (record.has(FrameRecord::Rsv2))
        flags += QStringLiteral(" RSV2");
    if (record.has(FrameRecord::Rsv3))
        flags += QStringLiteral(" RSV3");
    // Masking is only worth a mention when it is the wrong way round (RFC 6455 §5.1).
    if (record.has(FrameRecord::Masked) != outgoing)
        flags += outgoing ? QStringLiteral(" UNMASKED") : QStringLiteral(" MASKED");

    QString preview;
    const bool dataFrame = Opcodes::isData(record.opcode) || record.opcode == Opcodes::value(Opcode::Continuation);
    if (record.has(FrameRecord::PayloadDiscarded)) {
        preview = QStringLiteral("(payload not read: over the frame limit)");
    } else if (record.opcode == Opcodes::value(Opcode::Close)) {
        preview = closePreview(payload);
    } else if (dataFrame && open.compressed) {
        preview = QStringLiteral("(compressed)");
    } else if (dataFrame && open.binary) {
        preview = hexPreview(payload);
    } else if (!payload.isEmpty() || dataFrame) {
        preview = textPreview(payload);
    }
    if (record.has(FrameRecord::PayloadTruncated))
        preview += QStringLiteral(" (%1 of %2 B kept)").arg(record.storedLength).arg(record.payloadLength);
    if (record.has(FrameRecord::Deliberate))
        preview += QStringLiteral(" (deliberately rule-breaking)");

    QString line = timeColumn(double(record.timeNs) / 1e9 + m_timeOffset) +
                   (outgoing ? QStringLiteral(" -> ") : QStringLiteral(" <- ")) +
                   Opcodes::name(record.opcode).leftJustified(6) + u' ' + flags + u' ' +
                   QString::number(record.payloadLength) + QStringLiteral(" B");
    if (!preview.isEmpty())
        line += QStringLiteral("  ") + preview;
    writeLine(line + ruleSuffix(ruleOfFrame(index)));

    for (const Violation &violation : log.frameViolations(index))
        writeLine(indent + QStringLiteral("! ") + Violations::describe(violation));
}

QString HumanTranscript::ruleSuffix(const Rule *rule)
{
    return rule ? QStringLiteral(" [rule %1: %2]").arg(rule->name, Rule::actionName(rule->action)) : QString();
}

void HumanTranscript::unsent(const SessionRules::Unsent &unsent)
{
    const bool binary = unsent.opcode == Opcodes::value(Opcode::Binary);
    QString line = timeColumn(double(unsent.timeNs) / 1e9 + m_timeOffset) + QStringLiteral(" -x ") +
                   Opcodes::name(unsent.opcode).leftJustified(6) + QStringLiteral(" not sent ") +
                   QString::number(unsent.length) + QStringLiteral(" B");
    if (!unsent.preview.isEmpty())
        line += QStringLiteral("  ") + (binary ? hexPreview(unsent.preview) : textPreview(unsent.preview));
    writeLine(line + ruleSuffix(ruleOfUnsent(unsent)));
}

void HumanTranscript::message(const FrameLog &log, qsizetype index)
{
    const MessageRecord &record = log.message(index);
    // A one-frame uncompressed message says nothing its frame line did not.
    if (record.frameCount <= 1 && !record.compressed)
        return;
    const bool binary = record.type == MessageType::Binary;
    const QByteArrayView payload = log.messagePayload(index);
    QString line = timeColumn(double(record.timeNs) / 1e9 + m_timeOffset) +
                   (record.direction == Direction::Outgoing ? QStringLiteral(" => ") : QStringLiteral(" <= ")) +
                   QStringLiteral("message %1 %2 B in %3 frame%4")
                       .arg(binary ? QStringLiteral("binary") : QStringLiteral("text"))
                       .arg(record.length)
                       .arg(record.frameCount)
                       .arg(record.frameCount == 1 ? QString() : QStringLiteral("s"));
    if (record.compressed)
        line += QStringLiteral(", %1 B compressed").arg(record.wireLength);
    line += QStringLiteral("  ") + (binary ? hexPreview(payload) : textPreview(payload));
    writeLine(line + ruleSuffix(ruleOfFrame(qsizetype(record.lastFrame))));
}

void HumanTranscript::error(const QString &message, double)
{
    writeLine(QStringLiteral("error: ") + message);
}

void HumanTranscript::close(const CloseRecord &record)
{
    QString line = record.clean ? QStringLiteral("closed cleanly") : QStringLiteral("closed abnormally");
    line += QStringLiteral(" at %1, initiated by the %2: %3 %4")
                .arg(seconds(record.atNs + qint64(m_timeOffset * 1e9)), CloseRecord::initiatorName(record.initiator))
                .arg(record.code)
                .arg(CloseCodes::name(record.code));
    if (!record.reason.isEmpty())
        line += u' ' + textPreview(record.reason.toUtf8());
    line += QStringLiteral(" (Close sent: %1, received: %2; idle in %3, out %4)")
                .arg(record.closeSent ? QStringLiteral("yes") : QStringLiteral("no"),
                     record.closeReceived ? QStringLiteral("yes") : QStringLiteral("no"), seconds(record.idleInNs),
                     seconds(record.idleOutNs));
    if (record.ownEnd)
        line += QStringLiteral("; this client ended it: ") + record.ownEnd->describe();
    writeLine(line);
}

void HumanTranscript::heartbeat(const HeartbeatEvent &event, const HeartbeatHistory &history)
{
    if (event.source == HeartbeatEvent::Source::Protocol) {
        protocolHeartbeat(event, history.protocolHeartbeat());
        return;
    }
    const HeartbeatSettings &settings = history.settings();
    const double t = double(event.timeNs) / 1e9 + m_timeOffset;
    const QString reply =
        settings.kind == HeartbeatSettings::Kind::Ping ? QStringLiteral("pong") : QStringLiteral("reply");
    QString line = timeColumn(t) + QStringLiteral(" ** heartbeat ");
    switch (event.kind) {
    case HeartbeatEvent::Kind::Reply:
        line += QStringLiteral("%1 %2 after %3").arg(reply).arg(event.sequence).arg(milliseconds(event.rttNs));
        break;
    case HeartbeatEvent::Kind::Missed:
        line += QStringLiteral("%1 %2 missed: none within %3, %4 in a row")
                    .arg(reply)
                    .arg(event.sequence)
                    .arg(DurationText::format(settings.effectiveReplyTimeoutMs()))
                    .arg(event.missed);
        break;
    case HeartbeatEvent::Kind::StoppedAnswering:
        line += QStringLiteral("stops answering the server's pings (answered %1)").arg(event.sequence);
        break;
    case HeartbeatEvent::Kind::Sent:
    case HeartbeatEvent::Kind::PeerBeat:
    case HeartbeatEvent::Kind::Answered:
        return;
    }
    writeHealth(line, event);
}

void HumanTranscript::writeHealth(QString line, const HeartbeatEvent &event)
{
    line += QStringLiteral(": ") + HeartbeatEvent::healthName(event.health);
    if (event.healthChanged)
        line += QStringLiteral(" (now)");
    writeLine(line);
}

void HumanTranscript::protocolHeartbeat(const HeartbeatEvent &event, const ProtocolHeartbeat &heartbeat)
{
    const double t = double(event.timeNs) / 1e9 + m_timeOffset;
    QString line = timeColumn(t) + QStringLiteral(" ** %1 heartbeat ").arg(heartbeat.protocol);
    switch (event.kind) {
    case HeartbeatEvent::Kind::Reply:
        line += QStringLiteral("reply %1 after %2").arg(event.sequence).arg(milliseconds(event.rttNs));
        break;
    case HeartbeatEvent::Kind::PeerBeat:
        line += QStringLiteral("from the server (%1), %2 after the previous")
                    .arg(event.sequence)
                    .arg(milliseconds(event.intervalNs));
        break;
    case HeartbeatEvent::Kind::Answered:
        line += QStringLiteral("answered (%1) after %2").arg(event.sequence).arg(milliseconds(event.rttNs));
        break;
    case HeartbeatEvent::Kind::Missed:
        line += QStringLiteral("missed, %1 in a row (%2)").arg(event.missed).arg(heartbeat.description);
        break;
    case HeartbeatEvent::Kind::Sent:
    case HeartbeatEvent::Kind::StoppedAnswering:
        return; // our heartbeats show as the messages they are
    }
    writeHealth(line, event);
}

void HumanTranscript::reconnect(int attempt, qint64 delayMs, int connection, int maxAttempts, double t)
{
    QString line = timeColumn(t) +
                   QStringLiteral(" ** reconnecting in %1 (attempt %2").arg(seconds(delayMs * 1'000'000)).arg(attempt);
    if (maxAttempts > 0)
        line += QStringLiteral(" of %1").arg(maxAttempts);
    line += QStringLiteral(", connection %1)").arg(connection);
    writeLine(line);
}

void HumanTranscript::diagnosis(const DisconnectDiagnosis &diagnosis, double)
{
    for (const QString &line : diagnosis.toLines())
        writeLine(line);
}

} // namespace wsi::cli
