// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ConnectionDecoder.h"
#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameEvent.h"
#include "core/protocol/FrameWriter.h"
#include "core/proxy/HeldMessages.h"
#include "core/records/HoldRecord.h"
#include "core/rules/RuleSet.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace wsi {

class ProxyConnection;

// The relay of a ProxyConnection that has rules (ProxyOptions::rules): instead of writing each read to the other end
// at once, it relays frame by frame. Control frames go on at once (a Close behind the messages before it); a data
// message is held until its last fragment, matched whole against the RuleSet (first enabled match wins), then acted
// on: passed as its original frames, dropped, replaced (re-framed as one frame, masked with a fresh key toward the
// server), delayed (keeping the order of that direction), duplicated, or it makes the relay close (a Close of its
// own to one side or both, ending that side cleanly when it answers), reset (an RST) or blackhole the connection.
// A Close to one side ends that side alone: the other side's connection stays open and is relayed as before, except
// that nothing goes to the closed side any more (its messages and control frames are read, recorded, dropped and
// counted: ProxyConnection::droppedAfterClose()); pings toward it go unanswered, as for an end that went away. When
// the other end then sends a Close, the relay answers it in the closed end's place (the same code), so its closing
// handshake completes too, and the connection ends.
// Pong rules drop or delay one end's pongs. When a rule matches on the application protocol (RuleSet::needsDecoding()),
// the relay decodes every data message as received (a ConnectionDecoder from the handshake) and rules see what it
// carries; without such a rule nothing is decoded. Inject sends a message of the relay's own after a matched one, or on
// its own time from the upgrade (once, or every N ms), until the connection ends. Replace at a JSON path edits the
// message's text in place (JsonPath), so everything else in it stays as sent.
//
// Stall and throttle hold a direction back (until their time is up, or their rule is switched off: a stall then ends
// and a throttle stops at once, within switchWatchMs): while toward an end is stalled, nothing goes to it (control
// frames neither) and the other end is not read (ProxyConnection::setReadingPaused()), so that end's TCP window fills
// as behind a stalled path rather than the relay's memory; when the stall ends, what it held goes on in order and
// reading resumes. A throttled direction writes its bytes at most at the rule's rate from a token bucket, cutting
// the byte stream wherever the rate falls (mid-frame too), as a slow link delivers it: a message larger than a
// second's worth reaches its peer over the seconds it takes, not at once after a pause, and the peer's parser sees
// it arrive in pieces. Control frames wait their turn in the same stream. While more than readAheadBytes wait toward
// a throttled end, the other end is not read, so a fast sender is slowed by TCP rather than the relay queueing
// everything.
//
// Nothing is hidden: every frame received is recorded as it came (ProxyConnection::recordFrame()), the frames a rule
// acted on are remembered with the rule (ProxyConnection::ruleOfFrame()), and the frames the relay writes itself
// (a replacement, a duplicate, its own Close) are recorded when they are written, flagged Injected.
//
// Pause holds a message in its direction's queue for someone to decide on (ProxyOptions::heldMessages, the window or
// the command line's stdin): later messages from its sender queue behind it, in order, while the other direction,
// control frames and other connections go on. A decision comes back to this thread as a queued call: forward as it
// came, forward edited (re-framed as replace does, recorded Injected), drop, or answer (a message of the relay's own
// back to the sender instead). When the rule's timeout_ms passes first, it goes on as it came; when the connection
// ends, it is let go undelivered. Each hold is recorded by the connection (ProxyConnection::holds()). While a hold
// blocks more than readAheadBytes behind it, the sender is not read, so it waits in TCP as its peer would make it.
//
// What is held (a message until its last fragment, messages and pongs waiting out a delay or a decision) counts
// against ProxyOptions::rulesBudgetBytes; over it the connection fails, saying so, rather than growing.
//
// The ProxyConnection's thread only; owned by it.
class RuleRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuleRelay)

public:
    RuleRelay(ProxyConnection &connection, std::shared_ptr<const RuleSet> rules, qint64 budgetBytes);
    ~RuleRelay() override;

    // The request as the upstream gets it: without a permessage-deflate offer, so that no message needs a
    // compression context to be rewritten; *declined says whether there was one.
    static QByteArray withoutDeflateOffer(const QByteArray &request, bool *declined);

    // Bytes read from `from`, after the upgrade.
    void relay(Endpoint from, const QByteArray &bytes);

    // Whether the relay sent `side` a Close of its own (a close rule): that side ends alone, the other goes on.
    bool isClosedByRelay(Endpoint side) const;

    // What may wait toward a throttled end, or behind a held message, before the other end is no longer read.
    static constexpr qint64 readAheadBytes = 64 * 1024;
    static constexpr int switchWatchMs = 20;

    // Lets go of every message pause rules hold, undelivered ("connection ended"): the connection is over.
    void endHolds();

private:
    // A frame the relay writes itself, recorded when it goes out.
    struct OwnFrame {
        FrameHeader header;
        QByteArray payload;
        qsizetype rule = -1;
    };
    // Bytes waiting their turn toward one end.
    struct Queued {
        qint64 dueNs = 0;
        QByteArray bytes;
        std::optional<OwnFrame> own;
        // `bytes` are the read buffer's, not copied (QByteArray::fromRawData): valid only during the read, copied
        // before anything keeps them.
        bool borrowed = false;
        quint64 holdId = 0; // a message a pause rule holds until it is decided: nothing behind it goes before
    };
    // A message a pause rule holds, by its id.
    struct Paused {
        Endpoint from = Endpoint::Client;
        quint8 opcode = 0;
        QByteArray payload;
        qsizetype ruleIndex = -1;
        qsizetype record = -1; // in ProxyConnection::holds()
        QTimer *timeout = nullptr;
    };
    // The data message of several frames being received from one end (a message of one frame is never copied here).
    struct Held {
        QByteArray frames;  // as they came, to pass on unchanged
        QByteArray payload; // unmasked
        quint8 opcode = 0;
        qsizetype firstFrame = -1;
    };
    struct Direction {
        QByteArray unparsed;       // bytes read and not yet consumed by a whole frame
        quint64 unparsedStart = 0; // the stream offset of unparsed[0]
        Held held;
        std::deque<Queued> queue; // toward this end
        QTimer *queueTimer = nullptr;
        bool closeSent = false; // the relay sent this end a Close of its own: nothing else goes to it
        QTimer *closeTimer = nullptr;
        qint64 queuedBytes = 0;
        bool stalled = false;
        bool stalledUntilTheEnd = false;
        QTimer *stallTimer = nullptr;
        qint64 bytesPerSecond = 0; // throttled when above 0
        double tokens = 0;
        qint64 tokensAtNs = 0;
        qsizetype headWritten = 0; // bytes of queue.front() written (throttled)
        qsizetype stallRule = -1;  // the rule that stalled it last, while stalled
        qsizetype throttleRule = -1;

        bool holdsBack() const noexcept { return stalled || bytesPerSecond > 0; }
        bool blockedByHold() const noexcept { return !queue.empty() && queue.front().holdId != 0; }
    };

    Direction &direction(Endpoint side) { return m_directions[side == Endpoint::Client ? 0 : 1]; }
    void onFrame(Endpoint from, const FrameEvent &event, QByteArrayView frame, qsizetype index);
    void onControlFrame(Endpoint from, const FrameEvent &event, QByteArrayView frame, qsizetype index);
    void passControlFrame(Endpoint towards, bool isClose, QByteArrayView frame);
    // A whole data message: its frames as they came and its unmasked payload, both valid only during the call.
    struct Message {
        quint8 opcode = 0;
        QByteArrayView frames;
        QByteArrayView payload;
        qsizetype firstFrame = -1;
        qsizetype lastFrame = -1;
    };
    void onMessage(Endpoint from, const Message &message);
    // Acts on a rule that is about the connection rather than the message: close, abort, blackhole.
    void actOnConnection(const Rule &rule, qsizetype ruleIndex);
    // The message re-framed as one frame from `from`'s role (masked when from the client), with `payload`.
    Queued reframed(Endpoint from, quint8 opcode, const QByteArray &payload, qsizetype ruleIndex, qint64 dueNs);
    void send(Endpoint towards, Queued item);
    void writeDue(Endpoint towards);
    void write(Endpoint towards, const Queued &item);
    void sendClose(Endpoint towards, quint16 code, const QString &reason, qsizetype ruleIndex);
    void sendLater(Endpoint towards, int ms, QByteArray bytes);
    bool withinBudget(qint64 more);
    // Whether `towards` was sent the relay's Close, so that what would go to it is dropped (and counted).
    bool droppedAfterClose(Endpoint towards);
    // Inject, stall and throttle, on a match from `from` (nullopt: a timed rule).
    void actOnDirections(const Rule &rule, qsizetype ruleIndex, std::optional<Endpoint> from);
    void startTimedRules();
    void inject(Endpoint towards, const Rule &rule, qsizetype ruleIndex);
    void stall(Endpoint towards, int ms);
    void endStall(Endpoint towards);
    void endThrottle(Endpoint towards);
    // While a rule stalls or throttles a direction, checks every switchWatchMs whether it was switched off (RuleSet
    // has no signal: its switches are flipped from any thread), and then ends the stall or the throttling at once.
    void watchSwitches();
    void throttle(Endpoint towards, qint64 bytesPerSecond);
    // Writes what a throttled direction's tokens allow; false when it has to wait for more.
    bool writeThrottled(Endpoint towards, const Queued &item);
    void scheduleQueue(Endpoint towards);
    // Pauses or resumes reading `sender` as its direction's stall or throttle needs.
    void updateReading(Endpoint sender);
    void recordOwn(Endpoint towards, const Queued &item);
    void pause(Endpoint from, const Message &message, qsizetype ruleIndex);
    void onDecided(quint64 id, const HoldDecision &decision, HoldRecord::Outcome outcome);

    ProxyConnection &m_connection;
    std::shared_ptr<const RuleSet> m_rules;
    const qint64 m_budget;
    qint64 m_heldBytes = 0;
    Direction m_directions[2];
    FrameWriter m_asClient{Endpoint::Client}; // toward the server
    FrameWriter m_asServer{Endpoint::Server}; // toward the client
    FrameEvent m_event;
    // Only when a rule matches on the application protocol: every data message both ways, in order, as received.
    std::unique_ptr<ConnectionDecoder> m_decoder;
    QTimer *m_switchWatch = nullptr;              // watchSwitches()
    bool m_readingPaused[2] = {false, false};     // by Endpoint
    std::shared_ptr<HeldMessages> m_heldMessages; // null: holds last their timeout_ms only
    std::map<quint64, Paused> m_paused;
    quint64 m_nextLocalHold = 1; // hold ids without HeldMessages
    // While relay() works through one read, writes are handed to the kernel once at its end rather than one send per
    // frame (which would cost a system call per message).
    bool m_batching = false;
    bool m_unflushed[2] = {false, false}; // by Endpoint
};

} // namespace wsi
