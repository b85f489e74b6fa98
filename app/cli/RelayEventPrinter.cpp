// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/RelayEventPrinter.h"

#include "core/exchange/CaptureJson.h"
#include "core/exchange/MessageDecoding.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/ProxyConnection.h"
#include "core/text/DurationText.h"

#include <QFile>
#include <QJsonDocument>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace wsi::cli {
namespace {

double seconds(qint64 ns)
{
    return double(ns / 1000000) / 1000.0;
}

// Up to 80 bytes of a text payload as people read them: newlines written as \n.
QString textPreview(QByteArrayView shown)
{
    QString text = QString::fromUtf8(shown);
    text.replace(u'\n', QStringLiteral("\\n"));
    return text;
}

// The start of a frame's payload on its line: 16 bytes in hex (binary, compressed), or up to 80 bytes of text. In
// UTF-8, made without QString when the bytes shown are ASCII (the usual case, and the one a busy relay must print
// fast).
QByteArray framePreviewBytes(const FrameLog &log, qsizetype index)
{
    const FrameRecord &record = log.frame(index);
    const QByteArrayView payload = log.framePayload(index);
    if (payload.isEmpty())
        return {};
    if (record.opcode == quint8(Opcode::Binary) || record.has(FrameRecord::Compressed))
        return payload.first(std::min<qsizetype>(payload.size(), 16)).toByteArray().toHex(' ');
    const QByteArrayView shown = payload.first(std::min<qsizetype>(payload.size(), 80));
    QByteArray text;
    text.reserve(shown.size() + 8);
    for (const char c : shown) {
        if (quint8(c) >= 0x80)
            return textPreview(shown).toUtf8();
        if (c == '\n')
            text += "\\n";
        else
            text += c;
    }
    return text;
}

// Opcodes::name() in UTF-8, made once per opcode.
const QByteArray &opcodeName(quint8 opcode)
{
    static const std::array<QByteArray, 16> names = [] {
        std::array<QByteArray, 16> all;
        for (quint8 i = 0; i < 16; ++i)
            all[i] = Opcodes::name(i).toUtf8();
        return all;
    }();
    return names[opcode & 0x0f];
}

// The line `proxy` prints for a frame: "#1   0.123s client -> server binary 1024 B 61 62 ...".
QByteArray frameLine(const QByteArray &tag, const FrameRecord &record, const QByteArray &preview)
{
    // "%8.3fs" of the seconds, in integers: printf's floating-point path costs more than the rest of the line.
    const qint64 ms = (record.timeNs + 500000) / 1000000;
    char digits[32];
    int n = 0;
    for (qint64 whole = ms / 1000;; whole /= 10) {
        digits[n++] = char('0' + whole % 10);
        if (whole < 10)
            break;
    }
    char time[40];
    int timeLength = 0;
    for (int pad = 8 - (n + 4); pad > 0; --pad)
        time[timeLength++] = ' ';
    while (n > 0)
        time[timeLength++] = digits[--n];
    time[timeLength++] = '.';
    time[timeLength++] = char('0' + ms % 1000 / 100);
    time[timeLength++] = char('0' + ms % 100 / 10);
    time[timeLength++] = char('0' + ms % 10);
    time[timeLength++] = 's';
    QByteArray line;
    line.reserve(tag.size() + timeLength + preview.size() + 48);
    line += tag;
    line += ' ';
    line.append(time, timeLength);
    line += record.direction() == Direction::Outgoing ? " client -> server " : " server -> client ";
    line += opcodeName(record.opcode);
    line += ' ';
    line += QByteArray::number(record.payloadLength);
    line += " B ";
    line += preview;
    return line;
}

QString messagePreview(const FrameLog &log, qsizetype index)
{
    const MessageRecord &record = log.message(index);
    const QByteArrayView payload = log.messagePayload(index);
    if (record.type == MessageType::Binary)
        return QString::fromLatin1(payload.first(std::min<qsizetype>(payload.size(), 16)).toByteArray().toHex(' '));
    return textPreview(payload.first(std::min<qsizetype>(payload.size(), 80)));
}

// Which end sent a frame or message, and of which connection, on its JSON event ("conn", "from") and in words.
void addSender(QJsonObject &object, int connection, bool fromClient)
{
    object.insert(QStringLiteral("conn"), connection);
    object.insert(QStringLiteral("from"), fromClient ? QStringLiteral("client") : QStringLiteral("server"));
}

// The rule that acted on a frame (or a message, by its last frame), on its JSON event and at the end of its line.
std::optional<FrameRuleMarks::RuleName> ruleOf(const ProxyConnection &connection, qsizetype frameIndex)
{
    const std::shared_ptr<const FrameRuleMarks> marks = connection.ruleMarks();
    return marks ? marks->ruleOf(frameIndex) : std::nullopt;
}

QByteArray ruleSuffix(const std::optional<FrameRuleMarks::RuleName> &rule, bool injected)
{
    QByteArray suffix;
    if (rule)
        suffix += " [rule " + rule->name.toUtf8() + ": " + rule->action.toUtf8() + ']';
    if (injected)
        suffix += " [injected]";
    return suffix;
}

QString arrow(bool fromClient)
{
    return fromClient ? QStringLiteral("client -> server") : QStringLiteral("server -> client");
}

} // namespace

RelayEventPrinter::RelayEventPrinter(bool json, QFile *record)
    : m_json(json)
    , m_record(record)
{}

qint64 RelayEventPrinter::payloadBytesPrinted() const noexcept
{
    constexpr qint64 controlPayloadMax = 125;
    constexpr qint64 utf8SequenceMax = 4;
    return wantsJson() ? CaptureJson::defaultPayloadLimit + utf8SequenceMax : controlPayloadMax;
}

void RelayEventPrinter::event(const QString &name, QJsonObject object, const QString &human)
{
    queue(name, std::move(object), human.toUtf8());
    flush();
}

void RelayEventPrinter::queue(const QString &name, QJsonObject object, QByteArrayView human)
{
    if (wantsJson()) {
        object.insert(QStringLiteral("event"), name);
        const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
        if (m_record)
            m_records += line;
        if (m_json) {
            m_out += line;
            return;
        }
    }
    if (human.isNull())
        return;
    m_out += human;
    m_out += '\n';
}

void RelayEventPrinter::flush()
{
    if (!m_records.isEmpty()) {
        m_record->write(m_records);
        m_record->flush(); // a proxy is stopped by a signal: keep the file complete up to the last event
        m_records.clear();
    }
    if (!m_out.isEmpty()) {
        std::fwrite(m_out.constData(), 1, size_t(m_out.size()), stdout);
        std::fflush(stdout);
        m_out.clear();
    }
}

void RelayEventPrinter::watch(ProxyConnection *connection, MessageEvents messages)
{
    const int id = connection->id();
    const QString tag = QStringLiteral("#%1").arg(id);
    const QByteArray tagBytes = tag.toUtf8();
    RelayEventPrinter *printer = this;
    auto printed = std::make_shared<qsizetype>(0);
    auto printedMessages = std::make_shared<qsizetype>(0);
    // Made at the first message, when the upstream's 101 (and the subprotocol it chose) is known.
    auto decoding = std::make_shared<std::optional<MessageDecoding>>();
    const auto printFrames = [connection, printer, printed, printedMessages, decoding, messages, id, tag, tagBytes] {
        const std::shared_ptr<const FrameLog> log = connection->frameLog();
        const QString frameEvent = QStringLiteral("frame");
        for (const qsizetype count = log->frameCount(); *printed < count; ++*printed) {
            const qsizetype i = *printed;
            const FrameRecord &record = log->frame(i);
            QJsonObject object;
            const std::optional<FrameRuleMarks::RuleName> rule = ruleOf(*connection, i);
            if (printer->wantsJson()) {
                object = CaptureJson::frame(*log, i);
                addSender(object, id, record.direction() == Direction::Outgoing);
                CaptureJson::putRule(object, rule);
            }
            printer->queue(frameEvent, std::move(object),
                           printer->m_json ? QByteArray()
                                           : frameLine(tagBytes, record, framePreviewBytes(*log, i)) +
                                                 ruleSuffix(rule, record.has(FrameRecord::Injected)));
        }
        // Messages complete with their last frame, so they follow it: inflated, as `connect --json` prints them.
        const bool printsMessages =
            messages == MessageEvents::All || (messages == MessageEvents::JsonOnly && printer->wantsJson());
        const bool peopleSeeMessages = messages == MessageEvents::All;
        for (; printsMessages && *printedMessages < log->messageCount(); ++*printedMessages) {
            const qsizetype i = *printedMessages;
            const MessageRecord &record = log->message(i);
            const bool fromClient = record.direction == Direction::Outgoing;
            QJsonObject object;
            const std::optional<FrameRuleMarks::RuleName> rule = ruleOf(*connection, qsizetype(record.lastFrame));
            if (printer->wantsJson()) {
                object = CaptureJson::message(*log, i);
                addSender(object, id, fromClient);
                if (!*decoding)
                    decoding->emplace(connection->records().handshake, std::nullopt, printer->m_binarySchema);
                (*decoding)->addTo(object, *log, i);
                CaptureJson::putRule(object, rule);
            }
            printer->queue(
                QStringLiteral("message"), std::move(object),
                printer->m_json || !peopleSeeMessages
                    ? QByteArray()
                    : QStringLiteral("%1 %2 %3 message %4 B%5 %6")
                              .arg(tag, QString::asprintf("%8.3fs", double(record.timeNs) / 1e9), arrow(fromClient))
                              .arg(record.length)
                              .arg(record.compressed ? QStringLiteral(" (inflated)") : QString())
                              .arg(messagePreview(*log, i))
                              .toUtf8() +
                          ruleSuffix(rule, false));
        }
        printer->flush();
    };
    QObject::connect(connection, &ProxyConnection::framesAppended, connection, printFrames);
    // Each message a pause rule holds: "held" when it is held (with the id decisions name), "hold_decided" when it
    // is let go, and how.
    auto printedHolds = std::make_shared<qsizetype>(0);
    auto printedDecisions = std::make_shared<std::vector<bool>>();
    const auto printHolds = [connection, printer, printedHolds, printedDecisions, id, tag] {
        const QList<HoldRecord> holds = connection->holds();
        const std::shared_ptr<const FrameLog> log = connection->frameLog();
        for (; *printedHolds < holds.size(); ++*printedHolds) {
            const HoldRecord &hold = holds.at(*printedHolds);
            printedDecisions->push_back(false);
            QJsonObject object{{QStringLiteral("id"), qint64(hold.id)},
                               {QStringLiteral("t"), seconds(hold.heldAtNs)},
                               {QStringLiteral("frame"), hold.frameIndex},
                               {QStringLiteral("rule"), hold.rule}};
            addSender(object, id, hold.from == Endpoint::Client);
            QByteArray preview;
            if (hold.frameIndex >= 0 && hold.frameIndex < log->frameCount())
                preview = framePreviewBytes(*log, hold.frameIndex);
            printer->queue(QStringLiteral("held"), std::move(object),
                           QStringLiteral("%1 %2 %3 HELD as %4 by rule %5: %6 (decide on stdin: {\"forward\": %4}, "
                                          "{\"drop\": %4}, ...)")
                               .arg(tag, QString::asprintf("%8.3fs", double(hold.heldAtNs) / 1e9),
                                    arrow(hold.from == Endpoint::Client))
                               .arg(hold.id)
                               .arg(hold.rule, QString::fromUtf8(preview))
                               .toUtf8());
        }
        for (qsizetype i = 0; i < holds.size(); ++i) {
            const HoldRecord &hold = holds.at(i);
            if (!hold.isDecided() || (*printedDecisions)[size_t(i)])
                continue;
            (*printedDecisions)[size_t(i)] = true;
            const QString outcome = HoldRecord::outcomeName(hold.outcome);
            const double heldFor = seconds(hold.decidedAtNs - hold.heldAtNs);
            printer->queue(QStringLiteral("hold_decided"),
                           {{QStringLiteral("conn"), id},
                            {QStringLiteral("id"), qint64(hold.id)},
                            {QStringLiteral("t"), seconds(hold.decidedAtNs)},
                            {QStringLiteral("outcome"), outcome},
                            {QStringLiteral("held_s"), heldFor}},
                           QStringLiteral("%1 %2 held message %3 %4 after %5 s")
                               .arg(tag, QString::asprintf("%8.3fs", double(hold.decidedAtNs) / 1e9))
                               .arg(hold.id)
                               .arg(outcome)
                               .arg(heldFor)
                               .toUtf8());
        }
        printer->flush();
    };
    QObject::connect(connection, &ProxyConnection::holdsChanged, connection, printHolds);
    QObject::connect(connection, &ProxyConnection::upgraded, connection, [connection, printer, id, tag](int status) {
        const double t = seconds(connection->elapsedNs());
        QJsonObject object{{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("status"), status}};
        // With rules the client's permessage-deflate offer is not forwarded: the user sees why nothing is compressed.
        const bool declined = connection->deflateDeclined();
        if (declined)
            object.insert(QStringLiteral("deflate_declined"), true);
        printer->event(QStringLiteral("upgrade"), object,
                       QStringLiteral("%1 %2 upstream answered %3%4%5")
                           .arg(tag, QString::asprintf("%8.3fs", t))
                           .arg(status)
                           .arg(status == 101 ? QString() : QStringLiteral(" (relayed to the client)"),
                                declined ? QStringLiteral(" (the client's permessage-deflate offer was not forwarded: "
                                                          "rules may rewrite messages)")
                                         : QString()));
    });
    QObject::connect(
        connection, &ProxyConnection::cutHappened, connection, [printer, id, tag, printFrames](const ProxyCut &cut) {
            printFrames();
            QJsonObject object = cut.toJson();
            object.insert(QStringLiteral("conn"), id);
            const QString value =
                cut.scaledValueMs == cut.modelValueMs
                    ? DurationText::format(cut.modelValueMs)
                    : QStringLiteral("%1, scaled to %2")
                          .arg(DurationText::format(cut.modelValueMs), DurationText::format(cut.scaledValueMs));
            printer->event(QStringLiteral("cut"), object,
                           QStringLiteral("%1 %2 CUT by %3 %4 (%5) after %6 s idle: %7")
                               .arg(tag, QString::asprintf("%8.3fs", double(cut.atNs) / 1e9), cut.by, cut.timer, value,
                                    QString::number(seconds(cut.idleNs)), IntermediaryTimer::actionName(cut.action)));
        });
    QObject::connect(
        connection, &ProxyConnection::endClosed, connection,
        [connection, printer, id, tag, printFrames](const QString &side) {
            printFrames(); // what the end sent before it closed comes first
            const double t = seconds(connection->elapsedNs());
            printer->event(
                QStringLiteral("end_closed"),
                {{QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("side"), side}},
                QStringLiteral("%1 %2 %3 closed its connection").arg(tag, QString::asprintf("%8.3fs", t), side));
        });
    QObject::connect(
        connection, &ProxyConnection::closed, connection, [connection, printer, id, tag, printFrames, printHolds] {
            printFrames();
            printHolds();
            const double t = seconds(connection->elapsedNs());
            QJsonObject object{
                {QStringLiteral("conn"), id}, {QStringLiteral("t"), t}, {QStringLiteral("by"), connection->endedBy()}};
            const QString error = connection->error();
            object.insert(QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error));
            printer->event(QStringLiteral("closed"), object,
                           QStringLiteral("%1 %2 closed (by %3)%4")
                               .arg(tag, QString::asprintf("%8.3fs", t), connection->endedBy(),
                                    error.isEmpty() ? QString() : QStringLiteral(": ") + error));
        });
}

} // namespace wsi::cli
