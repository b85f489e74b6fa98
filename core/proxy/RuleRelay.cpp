// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RuleRelay.h"

#include "core/protocol/ClosePayload.h"
#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/HttpHeaders.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/RelayEnd.h"

namespace wsi {
namespace {

// How long an end the relay sent a Close of its own has to answer with its Close before its connection is closed
// anyway.
constexpr int closeAnswerMs = 5000;

constexpr qint64 nsPerMs = 1000000;

// The text rules match a message or control frame by (Rule::matches()).
QString matchedText(quint8 opcode, const QByteArray &payload)
{
    if (opcode == Opcodes::value(Opcode::Binary))
        return QString::fromLatin1(payload);
    if (opcode == Opcodes::value(Opcode::Close))
        return ClosePayload::decode(payload).reason;
    return QString::fromUtf8(payload);
}

} // namespace

RuleRelay::RuleRelay(ProxyConnection &connection, std::shared_ptr<const RuleSet> rules, qint64 budgetBytes)
    : QObject(&connection)
    , m_connection(connection)
    , m_rules(std::move(rules))
    , m_budget(budgetBytes)
{
    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
        Direction &towards = direction(side);
        towards.queueTimer = new QTimer(this);
        towards.queueTimer->setSingleShot(true);
        towards.queueTimer->setTimerType(Qt::PreciseTimer);
        connect(towards.queueTimer, &QTimer::timeout, this, [this, side] { writeDue(side); });
    }
}

RuleRelay::~RuleRelay() = default;

QByteArray RuleRelay::withoutDeflateOffer(const QByteArray &request, bool *declined)
{
    *declined = false;
    QList<QByteArray> lines = request.split('\n');
    for (qsizetype i = 1; i < lines.size();) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.left(colon).trimmed().toLower() != "sec-websocket-extensions") {
            ++i;
            continue;
        }
        QList<QByteArray> kept;
        for (const QByteArray &element : HttpSyntax::splitList(line.mid(colon + 1).trimmed())) {
            if (DeflateNegotiation::parseOffer(element))
                *declined = true;
            else
                kept.append(element);
        }
        if (kept.isEmpty()) {
            lines.removeAt(i);
            continue;
        }
        lines[i] = "Sec-WebSocket-Extensions: " + kept.join(", ") + (line.endsWith('\r') ? "\r" : "");
        ++i;
    }
    return lines.join('\n');
}

void RuleRelay::relay(Endpoint from, const QByteArray &bytes)
{
    const qint64 t = m_connection.now();
    Direction &source = direction(from);
    if (!withinBudget(bytes.size()))
        return;
    source.unparsed += bytes;
    m_heldBytes += bytes.size();
    FrameParser &parser = from == Endpoint::Client ? *m_connection.m_clientParser : *m_connection.m_serverParser;
    QByteArrayView view(bytes);
    bool carriesData = false;
    quint64 consumedTo = source.unparsedStart;
    while (parser.next(view, m_event)) {
        carriesData |= m_connection.recordFrame(from, m_event, t);
        const qsizetype index = m_connection.m_log->frameCount() - 1;
        const quint64 length = m_event.header.headerLength + m_event.header.payloadLength;
        consumedTo = m_event.streamOffset + length;
        if (m_event.payloadDiscarded) {
            m_connection.failForRules(QStringLiteral("a frame of %1 bytes is over the frame limit, and rules act on "
                                                     "whole messages")
                                          .arg(m_event.header.payloadLength));
            return;
        }
        const QByteArrayView frame =
            QByteArrayView(source.unparsed)
                .sliced(qsizetype(m_event.streamOffset - source.unparsedStart), qsizetype(length));
        onFrame(from, m_event, frame, index);
        if (m_connection.state() != ProxyConnection::State::Open)
            return; // a rule ended or blackholed the connection: what follows is not relayed
    }
    const qsizetype consumed = qsizetype(consumedTo - source.unparsedStart);
    source.unparsed.remove(0, consumed);
    source.unparsedStart = consumedTo;
    m_heldBytes -= consumed;
    m_connection.observeTraffic(from, carriesData, t);
}

void RuleRelay::onFrame(Endpoint from, const FrameEvent &event, QByteArrayView frame, qsizetype index)
{
    if (!Opcodes::isData(event.header.opcode)) {
        onControlFrame(from, event, frame, index);
        return;
    }
    Held &held = direction(from).held;
    if (event.header.opcode != Opcodes::value(Opcode::Continuation)) {
        m_heldBytes -= held.frames.size() + held.payload.size();
        held = Held{};
        held.opcode = event.header.opcode;
        held.firstFrame = index;
    }
    if (!withinBudget(frame.size() + event.payload.size()))
        return;
    held.frames += frame;
    held.payload += event.payload;
    m_heldBytes += frame.size() + event.payload.size();
    if (event.header.fin)
        onMessage(from, held, index);
}

void RuleRelay::onControlFrame(Endpoint from, const FrameEvent &event, QByteArrayView frame, qsizetype index)
{
    const quint8 opcode = event.header.opcode;
    const Endpoint to = peerOf(from);
    const bool isClose = opcode == Opcodes::value(Opcode::Close);
    if (isClose && direction(from).closeSent) {
        // The answer to the relay's own Close: the closing handshake with this end is complete.
        direction(from).closeTimer->stop();
        m_connection.closeSide(from);
        return;
    }
    const qsizetype ruleIndex = m_rules->firstMatch(from, opcode, matchedText(opcode, event.payload.toByteArray()));
    if (ruleIndex < 0) {
        passControlFrame(to, isClose, frame);
        return;
    }
    m_connection.markFrames(index, index, ruleIndex);
    const Rule &rule = m_rules->rule(ruleIndex);
    switch (rule.action) {
    case Rule::Action::Pass:
        passControlFrame(to, isClose, frame);
        return;
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        if (isClose)
            send(to, Queued{m_connection.now() + rule.ms * nsPerMs, frame.toByteArray(), std::nullopt});
        else
            sendLater(to, rule.ms, frame.toByteArray());
        return;
    case Rule::Action::Drop:
    case Rule::Action::NoPong:
    case Rule::Action::Replace: // data only (RuleFile)
    case Rule::Action::Duplicate:
        return;
    case Rule::Action::Close:
    case Rule::Action::Abort:
    case Rule::Action::Blackhole:
        actOnConnection(rule, ruleIndex);
        return;
    }
}

void RuleRelay::passControlFrame(Endpoint towards, bool isClose, QByteArrayView frame)
{
    // A Close comes after the messages before it, also those a rule delays; pings and pongs go at once, between
    // whole messages (the relay writes a message's frames in one go).
    if (isClose)
        send(towards, Queued{m_connection.now(), frame.toByteArray(), std::nullopt});
    else if (!direction(towards).closeSent)
        write(towards, Queued{0, frame.toByteArray(), std::nullopt});
}

void RuleRelay::onMessage(Endpoint from, Held &held, qsizetype lastFrame)
{
    const Held message = std::exchange(held, Held{});
    m_heldBytes -= message.frames.size() + message.payload.size();
    const Endpoint to = peerOf(from);
    const qint64 now = m_connection.now();
    const qsizetype ruleIndex = m_rules->firstMatch(from, message.opcode, matchedText(message.opcode, message.payload));
    if (ruleIndex < 0) {
        send(to, Queued{now, message.frames, std::nullopt});
        return;
    }
    m_connection.markFrames(message.firstFrame, lastFrame, ruleIndex);
    const Rule &rule = m_rules->rule(ruleIndex);
    switch (rule.action) {
    case Rule::Action::Pass:
        send(to, Queued{now, message.frames, std::nullopt});
        return;
    case Rule::Action::Drop:
    case Rule::Action::NoPong: // pongs only (RuleFile)
        return;
    case Rule::Action::Replace: {
        QString text = matchedText(message.opcode, message.payload);
        text.replace(rule.match, rule.with);
        const QByteArray payload = message.opcode == Opcodes::value(Opcode::Binary) ? text.toLatin1() : text.toUtf8();
        send(to, reframed(from, message.opcode, payload, ruleIndex, now));
        return;
    }
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        send(to, Queued{now + rule.ms * nsPerMs, message.frames, std::nullopt});
        return;
    case Rule::Action::Duplicate:
        send(to, Queued{now, message.frames, std::nullopt});
        send(to, reframed(from, message.opcode, message.payload, ruleIndex, now));
        return;
    case Rule::Action::Close:
    case Rule::Action::Abort:
    case Rule::Action::Blackhole:
        actOnConnection(rule, ruleIndex);
        return;
    }
}

void RuleRelay::actOnConnection(const Rule &rule, qsizetype ruleIndex)
{
    switch (rule.action) {
    case Rule::Action::Close:
        for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
            if (Rule::targets(rule.to, side))
                sendClose(side, rule.code, rule.reason, ruleIndex);
        }
        return;
    case Rule::Action::Abort:
        m_connection.resetSides(
            rule.to == Rule::Target::Both
                ? std::nullopt
                : std::optional(rule.to == Rule::Target::Client ? Endpoint::Client : Endpoint::Server),
            QStringLiteral("the rule \"%1\" reset %2").arg(rule.name, Rule::targetName(rule.to)));
        return;
    case Rule::Action::Blackhole:
        for (Direction &each : m_directions) {
            each.queue.clear();
            each.queueTimer->stop();
        }
        m_heldBytes = 0;
        m_connection.blackhole(rule.name);
        return;
    default:
        return;
    }
}

RuleRelay::Queued RuleRelay::reframed(Endpoint from, quint8 opcode, const QByteArray &payload, qsizetype ruleIndex,
                                      qint64 dueNs)
{
    FrameSpec spec;
    spec.opcode = opcode;
    Queued item;
    item.dueNs = dueNs;
    FrameWriter &writer = from == Endpoint::Client ? m_asClient : m_asServer;
    item.own = OwnFrame{writer.append(item.bytes, spec, payload), payload, ruleIndex};
    return item;
}

void RuleRelay::send(Endpoint towards, Queued item)
{
    Direction &target = direction(towards);
    if (target.closeSent)
        return; // after its Close, nothing more goes to an end
    if (target.queue.empty() && item.dueNs <= m_connection.now()) {
        write(towards, item);
        return;
    }
    if (!withinBudget(item.bytes.size()))
        return;
    // Order per direction: nothing overtakes what is queued before it.
    if (!target.queue.empty())
        item.dueNs = std::max(item.dueNs, target.queue.back().dueNs);
    m_heldBytes += item.bytes.size();
    target.queue.push_back(std::move(item));
    if (!target.queueTimer->isActive()) {
        const qint64 waitNs = std::max<qint64>(0, target.queue.front().dueNs - m_connection.now());
        target.queueTimer->start(int((waitNs + nsPerMs - 1) / nsPerMs));
    }
}

void RuleRelay::writeDue(Endpoint towards)
{
    Direction &target = direction(towards);
    const qint64 now = m_connection.now();
    while (!target.queue.empty() && target.queue.front().dueNs <= now &&
           m_connection.state() == ProxyConnection::State::Open) {
        const Queued item = std::move(target.queue.front());
        target.queue.pop_front();
        m_heldBytes -= item.bytes.size();
        write(towards, item);
    }
    if (!target.queue.empty() && m_connection.state() == ProxyConnection::State::Open) {
        const qint64 waitNs = std::max<qint64>(0, target.queue.front().dueNs - now);
        target.queueTimer->start(int((waitNs + nsPerMs - 1) / nsPerMs));
    }
}

void RuleRelay::write(Endpoint towards, const Queued &item)
{
    if (m_connection.state() != ProxyConnection::State::Open)
        return;
    m_connection.writeTowards(towards, item.bytes);
    if (item.own)
        m_connection.recordOwnFrame(towards, item.own->header, item.own->payload, item.own->rule);
}

void RuleRelay::sendClose(Endpoint towards, quint16 code, const QString &reason, qsizetype ruleIndex)
{
    Direction &target = direction(towards);
    if (target.closeSent)
        return;
    FrameSpec spec;
    spec.opcode = Opcodes::value(Opcode::Close);
    Queued item;
    item.dueNs = m_connection.now();
    const QByteArray payload = FrameWriter::closePayload(code, reason.toUtf8());
    // Toward the server the relay speaks as the client (masked), toward the client as the server.
    FrameWriter &writer = towards == Endpoint::Server ? m_asClient : m_asServer;
    item.own = OwnFrame{writer.append(item.bytes, spec, payload), payload, ruleIndex};
    send(towards, std::move(item));
    target.closeSent = true;
    if (!target.closeTimer) {
        target.closeTimer = new QTimer(this);
        target.closeTimer->setSingleShot(true);
        connect(target.closeTimer, &QTimer::timeout, this, [this, towards] { m_connection.closeSide(towards); });
    }
    target.closeTimer->start(closeAnswerMs);
}

void RuleRelay::sendLater(Endpoint towards, int ms, QByteArray bytes)
{
    const qsizetype size = bytes.size();
    if (!withinBudget(size))
        return;
    m_heldBytes += size;
    QTimer::singleShot(ms, Qt::PreciseTimer, this, [this, towards, size, bytes = std::move(bytes)] {
        m_heldBytes -= size;
        if (!direction(towards).closeSent)
            write(towards, Queued{0, bytes, std::nullopt});
    });
}

bool RuleRelay::withinBudget(qint64 more)
{
    if (m_heldBytes + more <= m_budget)
        return true;
    m_connection.failForRules(QStringLiteral("the rules would hold %1 bytes of this connection's messages, over the "
                                             "budget of %2 bytes")
                                  .arg(m_heldBytes + more)
                                  .arg(m_budget));
    return false;
}

} // namespace wsi
