// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/KeepaliveTimer.h"
#include "core/protocol/Endpoint.h"
#include "core/protocol/FrameParser.h"
#include "core/protocol/HandshakeResponse.h"
#include "core/protocol/HandshakeResponseParser.h"
#include "core/proxy/ProxyCut.h"
#include "core/proxy/ProxyOptions.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRecorder.h"
#include "core/records/FrameRuleMarks.h"
#include "core/records/HoldRecord.h"
#include "core/records/SessionRecords.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QSslError>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QTcpSocket;

namespace wsi {

class RelayEnd;
class RuleRelay;
struct Rule;

// One client connection through the TimeoutProxy: the client's socket, a socket of its own to the upstream (TLS for
// wss://; each socket behind a RelayEnd, so the capture proxy can hand over ends inside TLS it terminates), the HTTP
// upgrade passed through (the request forwarded with Host rewritten to the upstream, the answer relayed byte for byte),
// then every byte relayed unchanged in both directions while both directions are parsed with the session's FrameParser
// and MessageAssembler and recorded into a FrameLog of its own (frames from the client are Outgoing, as in a Session,
// frames from the server Incoming).
//
// The models' timers (ChainLink::activeTimers(), scaled by the time scale) run on the connection: idle timers
// restarted by the traffic their reset rule names, lifetimes from the upgrade, stall timers armed while a write
// toward an end is not drained. The first to expire acts as the model says:
// - FIN: both sockets closed normally (after what was already relayed is written);
// - RST: both sockets reset (SO_LINGER 0, then closed);
// - drop: nothing more is relayed in either direction and both sockets stay open, so each end is left with a
//   half-open connection that only its own heartbeat or receive timeout notices. A local relay cannot make the
//   ends' TCP stacks see a dead path: the kernel still acknowledges what an end sends (then the proxy discards
//   it), so a send never fails after the retransmission timeout as it would behind a NAT that forgot the flow.
//   When the model answers a forgotten flow's next packet with an RST (AWS NLB, NAT gateway), the end that sends
//   next is reset.
// A local relay never sees either end's TCP keepalive probes (the kernel answers them), so a model whose timer
// counts them (L4 boxes, reset rule packets_either) is reproduced as if only payload bytes counted.
//
// With rules (ProxyOptions::rules) the relaying is a RuleRelay's: frame by frame, each data message held until its
// last fragment and acted on as the first matching rule says, with the client's permessage-deflate offer left out of
// the forwarded request.
//
// Lives on the thread of its TimeoutProxy (the network thread); readers on other threads use the accessors marked
// "any thread".
class ProxyConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyConnection)

public:
    enum class State : quint8 {
        Upgrading, // waiting for the client's request or the upstream's answer
        Open,      // 101 relayed: frames are parsed, recorded and timed
        Refused,   // the upstream answered with another status: bytes pass through unparsed, no timers
        Dropped,   // a model silently dropped the connection: both ends are half-open
        Closed,
    };
    Q_ENUM(State)

    static constexpr int notifyIntervalMs = 16;

    // Takes ownership of `client` (connected).
    ProxyConnection(int id, QTcpSocket *client, const ProxyOptions &options, QObject *parent = nullptr);
    ProxyConnection(int id, RelayEnd *client, const ProxyOptions &options, QObject *parent = nullptr);
    ~ProxyConnection() override;

    // Before start(), for a connection another component accepted and read from (the capture proxy): bytes of
    // the client's already read from its end (the request head and whatever followed), and an end already
    // connected to the upstream (a CONNECT tunnel's, inside TLS when intercepted), which the connection takes over
    // instead of dialling its own.
    void setClientBytesRead(QByteArray bytes) { m_clientBytesRead = std::move(bytes); }
    void adoptUpstream(RelayEnd *connected);
    // Before start(): where payloads the FrameLog's budget cannot keep go (the connection's recording).
    void setPayloadOverflow(std::shared_ptr<PayloadOverflow> overflow) { m_log->setOverflow(std::move(overflow)); }

    // Any thread.
    int id() const noexcept { return m_id; }
    State state() const noexcept { return m_state.load(std::memory_order_acquire); }
    static QString stateName(State state);
    std::shared_ptr<const FrameLog> frameLog() const noexcept { return m_log; }
    QString clientAddress() const { return m_clientAddress; } // "127.0.0.1:41234"
    // What it runs under (the models and the time scale): set at construction, never changed.
    const ProxyOptions &options() const noexcept { return m_options; }
    // The wall-clock time the connection was accepted; its FrameLog times count from then.
    QDateTime acceptedAt() const { return m_acceptedAt; }
    // The request as the client sent it, as forwarded (Host rewritten), and the upstream's answer as relayed.
    QByteArray clientRequest() const;
    QByteArray forwardedRequest() const;
    // With rules: the client offered permessage-deflate and the offer was taken out of the forwarded request, so that
    // the rules see and rewrite plain messages.
    bool deflateDeclined() const;
    // With rules: the rule that acted on the frame at `frameIndex` of frameLog() (the frames of a message it matched,
    // the frames it wrote), or null. Set when the message's last frame is read, so after its earlier fragments.
    const Rule *ruleOfFrame(qsizetype frameIndex) const;
    // With rules: the same marks by rule name and action, as records() and the connection's recording carry them
    // (null without rules). Made with the connection, before start().
    std::shared_ptr<const FrameRuleMarks> ruleMarks() const noexcept { return m_ruleMarks; }
    // With rules: what went unsent toward `side` because a close rule had closed that side (messages, control frames).
    qint64 droppedAfterClose(Endpoint side) const noexcept
    {
        return m_droppedAfterClose[side == Endpoint::Client ? 0 : 1].load(std::memory_order_relaxed);
    }
    // With pause rules: every message held so far, in the order held, with how it was let go (also in records()).
    QList<HoldRecord> holds() const;
    HandshakeResponse response() const;
    std::optional<ProxyCut> cut() const;
    // Who ended it: "client", "server", "cut", "proxy" (stopped), or "error"; empty while it runs.
    QString endedBy() const;
    QString error() const;
    // Everything recorded of the connection as a session seen from the client: the client's request and the
    // upstream's answer as its handshake, both directions' frames, and once it is over how it ended (who sent the
    // first Close, the server's code, or the cut). The same value a Session gives, for the same views, exports and
    // diagnosis.
    SessionRecords records() const;
    qint64 elapsedNs() const noexcept { return m_clock.nsecsElapsed(); }

public Q_SLOTS:
    // The connection's thread.
    void start();
    // Ends both sides at once (the proxy is stopping).
    void abort();

Q_SIGNALS:
    // The upstream answered the upgrade (101, or the status of a refusal that is relayed to the client).
    void upgraded(int status);
    // At most once per notifyIntervalMs however many frames arrived, and once more before closed().
    void framesAppended(qsizetype frameCount);
    void cutHappened(const wsi::ProxyCut &cut);
    // A message was held or let go (holds()); coalesced with framesAppended, after it.
    void holdsChanged();
    // One end closed its connection ("client" or "server"); after a drop this is when that end gave up by itself.
    void endClosed(const QString &side);
    // Both sockets are closed (after a drop: when both ends gave up on their own, or the proxy stopped).
    void closed();

private:
    friend class RuleRelay;

    // One model timer on this connection: its rules (KeepaliveTimer, in nanoseconds on the connection's clock), the
    // QTimer that wakes us at its deadline, and the cut it makes, filled as far as known before it fires.
    struct RunningTimer {
        KeepaliveTimer rules;
        ProxyCut describe;
        QTimer *wakeUp = nullptr;
    };

    qint64 now() const noexcept { return m_clock.nsecsElapsed(); }
    RelayEnd *socketOf(Endpoint side) const;
    void connectUpstream();
    void watchUpstream();
    void onClientReadyRead();
    void onUpstreamReady(); // connected (ws) or encrypted (wss)
    void onUpstreamReadyRead();
    void onSocketClosed(Endpoint side);
    void onUpgradeTimeout();
    void onSslErrors(const QList<QSslError> &errors);
    void sendRequestIfReady();
    void handleResponseBytes(const QByteArray &bytes);
    void openTunnel(const QByteArray &leftover);
    void relay(Endpoint from, const QByteArray &bytes);
    // Returns whether it was a data frame.
    bool recordFrame(Endpoint from, const FrameEvent &event, qint64 t);
    void failUpgrade(int status, const QString &reason);

    // For RuleRelay: what rules make the connection do.
    // `flushNow` false: the caller writes more and calls flushTowards() once (one send for all of a read's frames).
    void writeTowards(Endpoint towards, const QByteArray &bytes, bool flushNow = true);
    void flushTowards(Endpoint towards);
    void recordOwnFrame(Endpoint towards, const FrameHeader &header, const QByteArray &payload, qsizetype rule);
    void markFrames(qsizetype first, qsizetype last, qsizetype rule);
    // A message a pause rule holds: returns its index in holds(); holdDecided() says how it was let go.
    qsizetype recordHold(const HoldRecord &hold);
    void holdDecided(qsizetype index, HoldRecord::Outcome outcome);
    void closeSide(Endpoint side); // after the closing handshake the relay made with it (queued)
    void countDroppedAfterClose(Endpoint towards)
    {
        m_droppedAfterClose[towards == Endpoint::Client ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
    }
    void resetSides(std::optional<Endpoint> side, const QString &reason); // nullopt: both
    void blackhole(const QString &ruleName);
    void failForRules(const QString &reason);
    // Stops (or resumes) reading what `side` sends: its socket's buffer is bounded while paused, so the end's TCP
    // window fills and it is slowed down by its own stack, as behind a stalled path.
    void setReadingPaused(Endpoint side, bool paused);

    void startTimers();
    void stopTimers();
    void schedule(RunningTimer &timer);
    void observeTraffic(Endpoint from, bool carriesData, qint64 t);
    void updateStallTimers(Endpoint towards);
    void onTimerExpired(qsizetype index);
    void resetSocket(RelayEnd *socket);
    void finishIfDone();
    void setState(State state);
    void setEnded(const QString &by, const QString &error = {});
    CloseRecord closeRecord() const;
    void scheduleNotify();
    void emitFramesAppended();

    const int m_id;
    ProxyOptions m_options;
    std::atomic<State> m_state{State::Upgrading};
    std::shared_ptr<FrameLog> m_log;
    QElapsedTimer m_clock;
    QDateTime m_acceptedAt;
    QString m_clientAddress;

    RelayEnd *m_client = nullptr;
    RelayEnd *m_upstream = nullptr; // over a QSslSocket for wss:// the connection dials itself
    bool m_upstreamReady = false;
    bool m_requestComplete = false; // the client's request head has ended (m_requestBuffer holds all of it)
    bool m_requestSent = false;
    bool m_clientGone = false;
    bool m_upstreamGone = false;
    bool m_finished = false;
    QByteArray m_clientBytesRead; // read from the client's socket before start() (setClientBytesRead())
    QByteArray m_requestBuffer;   // the client's bytes until the end of its request
    QByteArray m_pendingClient;   // client bytes after its request, held until the upgrade is answered
    HandshakeResponseParser m_responseParser;
    QTimer m_upgradeTimer;

    std::unique_ptr<FrameParser> m_clientParser;
    std::unique_ptr<FrameParser> m_serverParser;
    std::unique_ptr<FrameRecorder> m_clientFrames; // recorded as Outgoing, as a Session records its own
    std::unique_ptr<FrameRecorder> m_serverFrames; // recorded as Incoming
    std::unique_ptr<RuleRelay> m_ruleRelay;        // with rules only, once open
    std::shared_ptr<FrameRuleMarks> m_ruleMarks;   // with rules only; any thread (its own lock)
    FrameEvent m_event;
    qint64 m_openedNs = 0;
    qint64 m_droppedBytes = 0;                           // read from an end after a drop and discarded
    bool m_readingPaused[2] = {false, false};            // by Endpoint (setReadingPaused())
    std::atomic<qint64> m_droppedAfterClose[2] = {0, 0}; // by Endpoint

    QList<RunningTimer> m_timers;
    bool m_rstOnNextPacket = false; // after a drop: the model resets the flow on the next packet

    QTimer m_notifyTimer;
    qsizetype m_notifiedFrames = 0;
    bool m_holdsChanged = false;

    mutable QMutex m_recordMutex; // guards the fields below for readers on other threads
    QByteArray m_clientRequest;
    QByteArray m_forwardedRequest;
    HandshakeResponse m_response;
    std::optional<ProxyCut> m_cut;
    QString m_endedBy;
    QString m_error;
    std::optional<CloseRecord> m_close;
    qint64 m_upgradedNs = -1; // when the 101 came
    bool m_deflateDeclined = false;
    QList<HoldRecord> m_holds;

    // How it is ending, as the frames say (the connection's thread only): by Endpoint, client 0 and server 1.
    qint64 m_lastFrameNs[2] = {0, 0};
    bool m_closeFrom[2] = {false, false};
    std::optional<Endpoint> m_firstClose;
    std::optional<ClosePayload> m_serverClose;
};

} // namespace wsi
