// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/RuleRelay.h"

#include "core/protocol/ClosePayload.h"
#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/HttpHeaders.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/ProxyConnection.h"
#include "core/proxy/RelayEnd.h"
#include "core/rules/TimedRuleTimers.h"

#include <QScopeGuard>

namespace wsi {
namespace {

// How long an end the relay sent a Close of its own has to answer with its Close before its connection is closed
// anyway.
constexpr int closeAnswerMs = 5000;

constexpr qint64 nsPerMs = 1000000;
// From this size QIODevice::write() keeps the QByteArray it is given instead of copying it (QRINGBUFFER_CHUNKSIZE).
constexpr qsizetype socketSharesWritesFrom = 4096;
constexpr double nsPerSecond = 1e9;

// What a throttled direction may write at once: 50 ms at its rate, so that it writes in slices that small rather
// than in bursts of a second's worth.
double throttleBurst(qint64 bytesPerSecond)
{
    return std::max(1.0, double(bytesPerSecond) / 20.0);
}

} // namespace

RuleRelay::RuleRelay(ProxyConnection &connection, std::shared_ptr<const RuleSet> rules, qint64 budgetBytes)
    : QObject(&connection)
    , m_connection(connection)
    , m_rules(std::move(rules))
    , m_budget(budgetBytes)
    , m_heldMessages(connection.options().heldMessages)
{
    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
        Direction &towards = direction(side);
        towards.queueTimer = new QTimer(this);
        towards.queueTimer->setSingleShot(true);
        towards.queueTimer->setTimerType(Qt::PreciseTimer);
        connect(towards.queueTimer, &QTimer::timeout, this, [this, side] { writeDue(side); });
    }
    if (m_rules->needsDecoding())
        m_decoder =
            std::make_unique<ConnectionDecoder>(ConnectionFacts::fromHandshake(m_connection.records().handshake));
    startTimedRules();
}

RuleRelay::~RuleRelay()
{
    // Whatever the connection did not let go of leaves the list with it (a decision queued for it is discarded).
    if (m_heldMessages) {
        for (const auto &[id, paused] : m_paused)
            m_heldMessages->withdraw(id);
    }
}

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
    m_batching = true;
    const auto flush = qScopeGuard([this] {
        m_batching = false;
        for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
            if (std::exchange(m_unflushed[side == Endpoint::Client ? 0 : 1], false))
                m_connection.flushTowards(side);
        }
    });
    const qint64 t = m_connection.now();
    Direction &source = direction(from);
    if (!withinBudget(bytes.size()))
        return;
    // Shared, not copied, when nothing was left over from the last read (the usual case).
    if (source.unparsed.isEmpty())
        source.unparsed = bytes;
    else
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
    if (consumed == source.unparsed.size())
        source.unparsed = QByteArray();
    else
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
    const bool continuation = event.header.opcode == Opcodes::value(Opcode::Continuation);
    if (!continuation) {
        m_heldBytes -= held.frames.size() + held.payload.size();
        held = Held{};
        if (event.header.fin) {
            // A message of one frame, the usual case: matched, and passed on, straight from the read buffer.
            onMessage(from, Message{event.header.opcode, frame, event.payload, index, index});
            return;
        }
        held.opcode = event.header.opcode;
        held.firstFrame = index;
    }
    if (!withinBudget(frame.size() + event.payload.size()))
        return;
    held.frames += frame;
    held.payload += event.payload;
    m_heldBytes += frame.size() + event.payload.size();
    if (!event.header.fin)
        return;
    const Held whole = std::exchange(held, Held{});
    m_heldBytes -= whole.frames.size() + whole.payload.size();
    onMessage(from, Message{whole.opcode, whole.frames, whole.payload, whole.firstFrame, index});
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
    if (isClose && direction(to).closeSent) {
        // For an end a rule closed already: the relay answers in its place, so this end's closing handshake completes
        // too, then closes this side.
        const ClosePayload received = ClosePayload::decode(event.payload);
        sendClose(from, received.code.value_or(1000), QString(), -1);
        direction(from).closeTimer->stop();
        m_connection.closeSide(from);
        return;
    }
    const qsizetype ruleIndex = m_rules->firstMatchOfPayload(from, opcode, event.payload);
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
    case Rule::Action::Pause: // data only (RuleFile)
        passControlFrame(to, isClose, frame);
        return;
    case Rule::Action::Inject: // data only (RuleFile)
    case Rule::Action::Stall:
    case Rule::Action::Throttle:
        actOnDirections(rule, ruleIndex, from);
        passControlFrame(to, isClose, frame);
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
    // A stalled or throttled direction holds them back with the rest.
    if (isClose || direction(towards).holdsBack())
        send(towards, Queued{m_connection.now(), frame.toByteArray(), std::nullopt});
    else if (!droppedAfterClose(towards))
        write(towards, Queued{0, frame.toByteArray(), std::nullopt});
}

void RuleRelay::onMessage(Endpoint from, const Message &message)
{
    const Endpoint to = peerOf(from);
    const qint64 now = m_connection.now();
    // The frames as they came, not copied: send() and write() copy them only when they have to outlive the read.
    const Queued asReceived{now, QByteArray::fromRawData(message.frames.data(), message.frames.size()), std::nullopt,
                            true};
    DecodedMessages decoded;
    if (m_decoder) {
        const QByteArray payload = message.payload.toByteArray();
        const bool binary = message.opcode == Opcodes::value(Opcode::Binary);
        decoded = m_decoder->decode(binary ? AppMessage::bytes(from, payload) : AppMessage::text(from, payload));
    }
    const qsizetype ruleIndex =
        m_rules->firstMatchOfPayload(from, message.opcode, message.payload, m_decoder ? &decoded : nullptr);
    if (ruleIndex < 0) {
        send(to, asReceived);
        return;
    }
    m_connection.markFrames(message.firstFrame, message.lastFrame, ruleIndex);
    const Rule &rule = m_rules->rule(ruleIndex);
    switch (rule.action) {
    case Rule::Action::Pass:
        send(to, asReceived);
        return;
    case Rule::Action::Drop:
    case Rule::Action::NoPong: // a protocol's heartbeat answer (Rule::matches())
        return;
    case Rule::Action::Replace: {
        if (rule.path) {
            const QByteArray payload = message.payload.toByteArray();
            const std::optional<QByteArray> edited =
                rule.value.isEmpty() ? rule.path->remove(payload) : rule.path->set(payload, rule.value);
            // Not JSON, or not the place the path names: it goes on as it came (marked with the rule that let it).
            if (edited)
                send(to, reframed(from, message.opcode, *edited, ruleIndex, now));
            else
                send(to, asReceived);
            return;
        }
        QString text = Rule::textOf(message.opcode, message.payload);
        text.replace(rule.match, rule.with);
        const QByteArray payload = message.opcode == Opcodes::value(Opcode::Binary) ? text.toLatin1() : text.toUtf8();
        send(to, reframed(from, message.opcode, payload, ruleIndex, now));
        return;
    }
    case Rule::Action::Delay:
    case Rule::Action::DelayPong:
        send(to, Queued{now + rule.ms * nsPerMs, asReceived.bytes, std::nullopt, true});
        return;
    case Rule::Action::Duplicate:
        send(to, asReceived);
        send(to, reframed(from, message.opcode, message.payload.toByteArray(), ruleIndex, now));
        return;
    case Rule::Action::Inject:
        // The matched message first, then the relay's own.
        send(to, asReceived);
        actOnDirections(rule, ruleIndex, from);
        return;
    case Rule::Action::Stall:
    case Rule::Action::Throttle:
        // The matched message is the first one held back.
        actOnDirections(rule, ruleIndex, from);
        send(to, asReceived);
        return;
    case Rule::Action::Pause:
        pause(from, message, ruleIndex);
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
            each.queuedBytes = 0;
            each.headWritten = 0;
            each.stalled = false;
            each.bytesPerSecond = 0;
        }
        m_heldBytes = 0;
        // A blackholed connection reads (and discards) what either end sends, stalled or not.
        updateReading(Endpoint::Client);
        updateReading(Endpoint::Server);
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
    if (droppedAfterClose(towards))
        return; // after its Close, nothing more goes to an end
    if (item.holdId == 0 && !target.holdsBack() && target.queue.empty() && item.dueNs <= m_connection.now()) {
        write(towards, item);
        return;
    }
    if (!withinBudget(item.bytes.size()))
        return;
    // Bytes that were the read buffer's (onMessage()) are copied now that they wait.
    if (std::exchange(item.borrowed, false))
        item.bytes = QByteArray(item.bytes.constData(), item.bytes.size());
    // Order per direction: nothing overtakes what is queued before it.
    if (!target.queue.empty())
        item.dueNs = std::max(item.dueNs, target.queue.back().dueNs);
    m_heldBytes += item.bytes.size();
    target.queuedBytes += item.bytes.size();
    target.queue.push_back(std::move(item));
    if (target.blockedByHold()) {
        updateReading(peerOf(towards)); // it goes when the hold is decided
        return;
    }
    if (target.stalled)
        return; // it goes when the stall ends
    if (target.bytesPerSecond > 0)
        writeDue(towards); // what the tokens allow now, the rest on time
    else if (!target.queueTimer->isActive())
        scheduleQueue(towards);
}

void RuleRelay::writeDue(Endpoint towards)
{
    Direction &target = direction(towards);
    if (target.stalled)
        return;
    const qint64 now = m_connection.now();
    while (!target.queue.empty() && target.queue.front().dueNs <= now && !target.blockedByHold() &&
           m_connection.state() == ProxyConnection::State::Open) {
        if (target.bytesPerSecond > 0) {
            if (!writeThrottled(towards, target.queue.front()))
                break;
            const qsizetype size = target.queue.front().bytes.size();
            target.queue.pop_front();
            m_heldBytes -= size;
            target.queuedBytes -= size;
            continue;
        }
        const Queued item = std::move(target.queue.front());
        target.queue.pop_front();
        m_heldBytes -= item.bytes.size();
        target.queuedBytes -= item.bytes.size();
        write(towards, item);
    }
    updateReading(peerOf(towards));
    scheduleQueue(towards);
}

bool RuleRelay::writeThrottled(Endpoint towards, const Queued &item)
{
    Direction &target = direction(towards);
    const qint64 now = m_connection.now();
    target.tokens =
        std::min(throttleBurst(target.bytesPerSecond),
                 target.tokens + double(now - target.tokensAtNs) * double(target.bytesPerSecond) / nsPerSecond);
    target.tokensAtNs = now;
    const qsizetype rest = item.bytes.size() - target.headWritten;
    const qsizetype slice = std::min(rest, qsizetype(target.tokens));
    if (slice <= 0)
        return false;
    m_connection.writeTowards(towards, item.bytes.sliced(target.headWritten, slice));
    target.tokens -= double(slice);
    target.headWritten += slice;
    if (target.headWritten < item.bytes.size())
        return false;
    target.headWritten = 0;
    recordOwn(towards, item);
    return true;
}

void RuleRelay::scheduleQueue(Endpoint towards)
{
    Direction &target = direction(towards);
    if (target.queue.empty() || target.stalled || target.blockedByHold() ||
        m_connection.state() != ProxyConnection::State::Open)
        return;
    const qint64 now = m_connection.now();
    qint64 waitNs = std::max<qint64>(0, target.queue.front().dueNs - now);
    if (waitNs == 0 && target.bytesPerSecond > 0) {
        // Until the tokens for the next slice (or the rest of the frame, if less) are there.
        const double wanted = std::min(double(target.queue.front().bytes.size() - target.headWritten),
                                       throttleBurst(target.bytesPerSecond));
        waitNs =
            std::max<qint64>(nsPerMs, qint64((wanted - target.tokens) * nsPerSecond / double(target.bytesPerSecond)));
    }
    target.queueTimer->start(int((waitNs + nsPerMs - 1) / nsPerMs));
}

void RuleRelay::write(Endpoint towards, const Queued &item)
{
    if (m_connection.state() != ProxyConnection::State::Open)
        return;
    // A socket keeps a QByteArray of a chunk or more by reference (QIODevice::write) rather than copying it: the read
    // buffer's bytes are copied first then.
    if (item.borrowed && item.bytes.size() >= socketSharesWritesFrom)
        m_connection.writeTowards(towards, QByteArray(item.bytes.constData(), item.bytes.size()), !m_batching);
    else
        m_connection.writeTowards(towards, item.bytes, !m_batching);
    m_unflushed[towards == Endpoint::Client ? 0 : 1] |= m_batching;
    recordOwn(towards, item);
}

void RuleRelay::recordOwn(Endpoint towards, const Queued &item)
{
    if (item.own && m_connection.state() == ProxyConnection::State::Open)
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
        if (direction(towards).holdsBack())
            send(towards, Queued{m_connection.now(), bytes, std::nullopt});
        else if (!droppedAfterClose(towards))
            write(towards, Queued{0, bytes, std::nullopt});
    });
}

bool RuleRelay::droppedAfterClose(Endpoint towards)
{
    if (!direction(towards).closeSent)
        return false;
    m_connection.countDroppedAfterClose(towards);
    return true;
}

bool RuleRelay::isClosedByRelay(Endpoint side) const
{
    return m_directions[side == Endpoint::Client ? 0 : 1].closeSent;
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

void RuleRelay::actOnDirections(const Rule &rule, qsizetype ruleIndex, std::optional<Endpoint> from)
{
    for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
        if (rule.towardsReceiver ? !from || side != peerOf(*from) : !Rule::targets(rule.to, side))
            continue;
        switch (rule.action) {
        case Rule::Action::Inject:
            inject(side, rule, ruleIndex);
            break;
        case Rule::Action::Stall:
            stall(side, rule.ms);
            direction(side).stallRule = ruleIndex;
            watchSwitches();
            break;
        case Rule::Action::Throttle:
            throttle(side, rule.bytesPerSecond);
            direction(side).throttleRule = ruleIndex;
            watchSwitches();
            break;
        default:
            break;
        }
    }
}

void RuleRelay::startTimedRules()
{
    TimedRuleTimers::start(*m_rules, this, [this](qsizetype i) {
        if (m_connection.state() != ProxyConnection::State::Open)
            return false; // the connection ended: so does the rule
        // Switched off, a repeating rule skips its turns until it is on again.
        if (m_rules->isEnabled(i))
            actOnDirections(m_rules->rule(i), i, std::nullopt);
        return true;
    });
}

void RuleRelay::inject(Endpoint towards, const Rule &rule, qsizetype ruleIndex)
{
    // Framed as the end it goes to expects: masked toward the server, as its client would.
    send(towards, reframed(peerOf(towards), rule.payloadOpcode, rule.payload, ruleIndex, m_connection.now()));
}

void RuleRelay::stall(Endpoint towards, int ms)
{
    Direction &target = direction(towards);
    if (ms < 0) {
        target.stalledUntilTheEnd = true;
        if (target.stallTimer)
            target.stallTimer->stop();
    } else if (!target.stalledUntilTheEnd) {
        if (!target.stallTimer) {
            target.stallTimer = new QTimer(this);
            target.stallTimer->setSingleShot(true);
            target.stallTimer->setTimerType(Qt::PreciseTimer);
            connect(target.stallTimer, &QTimer::timeout, this, [this, towards] { endStall(towards); });
        }
        // A stall while stalled lasts until the later of the two ends.
        if (!target.stalled || target.stallTimer->remainingTime() < ms)
            target.stallTimer->start(ms);
    }
    target.stalled = true;
    target.queueTimer->stop();
    updateReading(peerOf(towards));
}

void RuleRelay::endStall(Endpoint towards)
{
    Direction &target = direction(towards);
    target.stalled = false;
    target.stalledUntilTheEnd = false;
    target.stallRule = -1;
    if (target.stallTimer)
        target.stallTimer->stop();
    writeDue(towards); // what the stall held, in order, then reading again
}

void RuleRelay::endThrottle(Endpoint towards)
{
    Direction &target = direction(towards);
    target.bytesPerSecond = 0;
    target.throttleRule = -1;
    if (target.headWritten > 0 && !target.queue.empty()) {
        // The rest of the message it was writing in slices goes first, at once.
        const Queued item = std::move(target.queue.front());
        target.queue.pop_front();
        m_heldBytes -= item.bytes.size();
        target.queuedBytes -= item.bytes.size();
        m_connection.writeTowards(towards, item.bytes.sliced(std::exchange(target.headWritten, 0)));
        recordOwn(towards, item);
    }
    target.queueTimer->stop();
    writeDue(towards);
}

void RuleRelay::watchSwitches()
{
    if (!m_switchWatch) {
        m_switchWatch = new QTimer(this);
        m_switchWatch->setInterval(switchWatchMs);
        connect(m_switchWatch, &QTimer::timeout, this, [this] {
            bool holding = false;
            for (const Endpoint side : {Endpoint::Client, Endpoint::Server}) {
                const Direction &target = direction(side);
                if (target.stallRule >= 0 && target.stalled && !m_rules->isEnabled(target.stallRule))
                    endStall(side);
                if (target.throttleRule >= 0 && target.bytesPerSecond > 0 && !m_rules->isEnabled(target.throttleRule))
                    endThrottle(side);
                holding |= (target.stallRule >= 0 && target.stalled) ||
                           (target.throttleRule >= 0 && target.bytesPerSecond > 0);
            }
            if (!holding || m_connection.state() != ProxyConnection::State::Open)
                m_switchWatch->stop();
        });
    }
    if (!m_switchWatch->isActive())
        m_switchWatch->start();
}

void RuleRelay::throttle(Endpoint towards, qint64 bytesPerSecond)
{
    Direction &target = direction(towards);
    if (target.bytesPerSecond == 0) {
        target.tokens = throttleBurst(bytesPerSecond);
        target.tokensAtNs = m_connection.now();
    }
    target.bytesPerSecond = bytesPerSecond;
}

void RuleRelay::updateReading(Endpoint sender)
{
    const Direction &towards = direction(peerOf(sender));
    const bool paused = towards.stalled || ((towards.bytesPerSecond > 0 || towards.blockedByHold()) &&
                                            towards.queuedBytes > readAheadBytes);
    bool &flag = m_readingPaused[sender == Endpoint::Client ? 0 : 1];
    if (flag == paused)
        return;
    flag = paused;
    m_connection.setReadingPaused(sender, paused);
}

void RuleRelay::pause(Endpoint from, const Message &message, qsizetype ruleIndex)
{
    const Rule &rule = m_rules->rule(ruleIndex);
    const Endpoint to = peerOf(from);
    const qint64 now = m_connection.now();
    if (direction(to).closeSent)
        return; // nothing more goes to that end: there is nothing to hold
    if (!m_heldMessages && rule.timeoutMs < 0) {
        // Nobody can decide and nothing ends the hold: it passes (the command line refuses such a rule).
        send(to, Queued{now, message.frames.toByteArray(), std::nullopt});
        return;
    }
    // What the hold keeps outlives the read: copied here, the frames to pass on and the payload to show and edit.
    const QByteArray payload = message.payload.toByteArray();
    if (!withinBudget(payload.size()))
        return;
    quint64 id = 0;
    if (m_heldMessages) {
        HeldMessage listed;
        listed.connectionId = m_connection.id();
        listed.url = m_connection.options().upstream;
        listed.from = from;
        listed.opcode = message.opcode;
        listed.payload = payload;
        listed.rule = rule.name;
        listed.heldAt = QDateTime::currentDateTimeUtc();
        listed.timeoutMs = rule.timeoutMs;
        id = m_heldMessages->hold(std::move(listed), this, [this](quint64 decided, const HoldDecision &decision) {
            static constexpr HoldRecord::Outcome outcomes[] = {
                HoldRecord::Outcome::Forwarded, HoldRecord::Outcome::Edited, HoldRecord::Outcome::Dropped,
                HoldRecord::Outcome::Answered};
            onDecided(decided, decision, outcomes[int(decision.kind)]);
        });
    } else {
        id = m_nextLocalHold++;
    }
    m_heldBytes += payload.size();
    Paused paused{from, message.opcode, payload, ruleIndex, -1, nullptr};
    paused.record = m_connection.recordHold(HoldRecord{id, message.lastFrame, from, rule.name, now, -1, {}});
    if (rule.timeoutMs >= 0) {
        paused.timeout = new QTimer(this);
        paused.timeout->setSingleShot(true);
        connect(paused.timeout, &QTimer::timeout, this, [this, id] {
            // Whoever takes it off the list first decides: a decision already on its way wins.
            if (!m_heldMessages || m_heldMessages->withdraw(id))
                onDecided(id, HoldDecision::forward(), HoldRecord::Outcome::TimedOut);
        });
        paused.timeout->start(rule.timeoutMs);
    }
    m_paused.emplace(id, std::move(paused));
    Queued item{now, message.frames.toByteArray(), std::nullopt};
    item.holdId = id;
    send(to, std::move(item));
}

void RuleRelay::onDecided(quint64 id, const HoldDecision &decision, HoldRecord::Outcome outcome)
{
    const auto found = m_paused.find(id);
    if (found == m_paused.end() || m_connection.state() != ProxyConnection::State::Open)
        return; // let go already, with its connection
    const Paused paused = std::move(found->second);
    m_paused.erase(found);
    if (paused.timeout)
        paused.timeout->deleteLater(); // perhaps inside its own timeout
    m_heldBytes -= paused.payload.size();
    const Endpoint to = peerOf(paused.from);
    Direction &target = direction(to);
    const auto item =
        std::find_if(target.queue.begin(), target.queue.end(), [id](const Queued &each) { return each.holdId == id; });
    if (item == target.queue.end()) {
        m_connection.holdDecided(paused.record, HoldRecord::Outcome::ConnectionEnded); // its queue went with a rule
        return;
    }
    const qint64 now = m_connection.now();
    switch (decision.kind) {
    case HoldDecision::Kind::Forward:
        item->holdId = 0;
        break;
    case HoldDecision::Kind::ForwardEdited: {
        Queued edited = reframed(paused.from, decision.opcode, decision.payload, paused.ruleIndex, item->dueNs);
        const qint64 more = edited.bytes.size() - item->bytes.size();
        if (more > 0 && !withinBudget(more)) {
            m_connection.holdDecided(paused.record, HoldRecord::Outcome::ConnectionEnded); // the budget ended it
            return;
        }
        m_heldBytes += more;
        target.queuedBytes += more;
        *item = std::move(edited);
        break;
    }
    case HoldDecision::Kind::Drop:
    case HoldDecision::Kind::Answer:
        m_heldBytes -= item->bytes.size();
        target.queuedBytes -= item->bytes.size();
        target.queue.erase(item);
        if (decision.kind == HoldDecision::Kind::Answer)
            // Back to the sender, framed as its peer would (masked when it goes to the server).
            send(paused.from, reframed(to, decision.opcode, decision.payload, paused.ruleIndex, now));
        break;
    }
    m_connection.holdDecided(paused.record, outcome);
    writeDue(to);
}

void RuleRelay::endHolds()
{
    for (const auto &[id, paused] : std::exchange(m_paused, {})) {
        if (m_heldMessages)
            m_heldMessages->withdraw(id); // a decision on its way finds nothing to act on
        if (paused.timeout)
            paused.timeout->stop();
        m_connection.holdDecided(paused.record, HoldRecord::Outcome::ConnectionEnded);
    }
}

} // namespace wsi
