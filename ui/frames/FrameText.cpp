// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/FrameText.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"

#include <QStringDecoder>

namespace wsi::FrameText {

namespace {

constexpr quint8 continuation = 0x0;
constexpr quint8 text = 0x1;
constexpr quint8 close = 0x8;

// A stateful decoder keeps a character cut off at the end as state instead of reporting it as an error.
bool looksLikeUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

QByteArrayView shownPayload(const FrameLog &log, qsizetype frame, qsizetype message)
{
    if (message >= 0 && (log.message(message).compressed || log.message(message).frameCount > 1))
        return log.messagePayload(message);
    return log.framePayload(frame);
}

qsizetype messageEndingAt(const FrameLog &log, qsizetype frame)
{
    const qsizetype message = log.messageContaining(frame);
    return message >= 0 && log.message(message).lastFrame == quint64(frame) ? message : -1;
}

QString protocol(const FrameLog &log, qsizetype message, const DecodedMessageIndex *decoded)
{
    if (!decoded || message < 0 || message >= decoded->summarisedMessages())
        return {};
    const DecodedMessageIndex::Summary &summary = decoded->summary(message);
    if (!summary.has(DecodedMessageIndex::Summary::Decoded))
        return {};
    QString text = decoded->text(summary.headline);
    if (text.isEmpty() && decoded->recognition()) // past the index's string budget
        text = DecodedHeadline::protocolTitle(decoded->recognition()->protocol) + QLatin1Char(' ') +
               decoded->kindText(summary.kind);
    if (summary.request >= 0)
        text += QStringLiteral(" · ") + latency(log.message(message).timeNs - log.message(summary.request).timeNs);
    return text;
}

QString latency(qint64 ns)
{
    if (ns < 1'000'000)
        return QStringLiteral("%1 µs").arg(ns / 1000);
    if (ns < 1'000'000'000)
        return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', ns < 100'000'000 ? 1 : 0);
    return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'f', 2);
}

QString relativeSeconds(qint64 timeNs)
{
    const qint64 micros = timeNs / 1000;
    return QString::number(micros / 1'000'000) + QLatin1Char('.') +
           QStringLiteral("%1").arg(micros % 1'000'000, 6, 10, QLatin1Char('0'));
}

QString wallClock(const QDateTime &startedAt, qint64 timeNs)
{
    if (!startedAt.isValid())
        return {};
    return startedAt.addMSecs(timeNs / 1'000'000).toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString direction(const FrameRecord &record)
{
    return record.direction() == Direction::Outgoing ? QStringLiteral("↑ out") : QStringLiteral("↓ in");
}

QString opcode(quint8 value)
{
    if (!Opcodes::isDefined(value))
        return QStringLiteral("0x") + QString::number(value, 16).toUpper();
    return Opcodes::name(value);
}

QString flags(const FrameRecord &record)
{
    QStringList words;
    if (record.has(FrameRecord::Fin))
        words << QStringLiteral("FIN");
    if (record.has(FrameRecord::Rsv1))
        words << QStringLiteral("RSV1");
    if (record.has(FrameRecord::Rsv2))
        words << QStringLiteral("RSV2");
    if (record.has(FrameRecord::Rsv3))
        words << QStringLiteral("RSV3");
    if (record.has(FrameRecord::Masked))
        words << QStringLiteral("MASK");
    // Not a header bit (lower case): the relay wrote this frame itself, as a rule said (issue: nothing hidden).
    if (record.has(FrameRecord::Injected))
        words << QStringLiteral("injected");
    return words.isEmpty() ? QStringLiteral("–") : words.join(QLatin1Char(' '));
}

QString length(const FrameLog &log, qsizetype frame, qsizetype message)
{
    const FrameRecord &record = log.frame(frame);
    const QString wire = QString::number(record.payloadLength);
    if (message < 0 || !log.message(message).compressed)
        return wire + QStringLiteral(" B");
    const MessageRecord &m = log.message(message);
    if (m.frameCount <= 1)
        return wire + QStringLiteral(" → ") + QString::number(m.length) + QStringLiteral(" B");
    return wire + QStringLiteral(" B (message ") + QString::number(m.wireLength) + QStringLiteral(" → ") +
           QString::number(m.length) + QStringLiteral(" B)");
}

QString escapedLine(QStringView line, qsizetype maxChars)
{
    QString out;
    out.reserve(std::min(line.size(), maxChars) + 8);
    for (const QChar c : line) {
        if (out.size() >= maxChars) {
            out += QStringLiteral("…");
            break;
        }
        const char16_t u = c.unicode();
        if (u == u'\n')
            out += QStringLiteral("\\n");
        else if (u == u'\r')
            out += QStringLiteral("\\r");
        else if (u == u'\t')
            out += QStringLiteral("\\t");
        else if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0))
            out += QStringLiteral("\\x") + QStringLiteral("%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString hex(QByteArrayView bytes, qsizetype maxChars)
{
    const qsizetype count = std::min(bytes.size(), std::max<qsizetype>(1, (maxChars + 1) / 3));
    QString out = QString::fromLatin1(bytes.first(count).toByteArray().toHex(' '));
    if (count < bytes.size())
        out += QStringLiteral(" …");
    return out;
}

QString closePayload(QByteArrayView payload)
{
    const ClosePayload close = ClosePayload::decode(payload);
    if (close.isOneByte())
        return QStringLiteral("(1-byte payload, invalid: ") + hex(payload, previewChars) + QLatin1Char(')');
    if (!close.code)
        return QStringLiteral("(no status code)");
    QString out = QString::number(*close.code) + QLatin1Char(' ') + CloseCodes::name(*close.code);
    if (!close.reasonBytes.isEmpty())
        out += QStringLiteral(": ") + escapedLine(QString::fromUtf8(close.reasonBytes), previewChars);
    return out;
}

QString preview(const FrameLog &log, qsizetype frame, qsizetype message)
{
    const FrameRecord &record = log.frame(frame);
    if (record.has(FrameRecord::PayloadDiscarded))
        return QStringLiteral("(payload of %1 B not kept: over the frame limit)").arg(record.payloadLength);
    if (record.opcode == close)
        return closePayload(log.framePayload(frame));

    QByteArrayView payload = log.framePayload(frame);
    payload = payload.first(std::min<qsizetype>(payload.size(), previewChars * 4));
    bool asText = false;
    if (message >= 0 && log.message(message).compressed) {
        payload = log.messagePayload(message);
        payload = payload.first(std::min<qsizetype>(payload.size(), previewChars * 4));
        asText = log.message(message).type == MessageType::Text;
    } else if (record.has(FrameRecord::Compressed) || !Opcodes::isDefined(record.opcode)) {
        asText = false; // deflated bytes of a message still in progress, or an unknown opcode: show the bytes
    } else if (record.opcode == text) {
        asText = true;
    } else if (record.opcode == continuation || Opcodes::isControl(record.opcode)) {
        // Without the message at hand, bytes that decode cleanly are most likely text.
        asText = looksLikeUtf8(payload);
    }
    if (payload.isEmpty())
        return {};
    if (asText)
        return escapedLine(QString::fromUtf8(payload), previewChars);
    return hex(payload, previewChars);
}

} // namespace wsi::FrameText
