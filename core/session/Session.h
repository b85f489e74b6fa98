// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/FrameParser.h"
#include "core/protocol/FrameWriter.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/HandshakeResponseParser.h"
#include "core/protocol/MessageAssembler.h"
#include "core/protocol/MessageDeflater.h"
#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRecorder.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatHistory.h"
#include "core/records/SessionRecords.h"
#include "core/session/OrderedDelayQueue.h"
#include "core/session/SessionOptions.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QSslError>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QSslSocket;
class QTcpSocket;
class QHostInfo;

namespace wsi {

class AppProtocolSpeaker;
class HeartbeatEngine;
class SessionRules;
struct Rule;

// One WebSocket connection from our own RFC 6455 client, recording exactly what crossed the socket and when.
//
// A Session lives on the network thread (SessionManager's worker); call its slots there (QMetaObject::invokeMethod
// from other threads). What it records is readable from any thread: the FrameLog without locks, the handshake and
// close records through their accessors. Views learn of new frames from framesAppended(), emitted at most once per
// notification interval however many frames arrived, never once per frame.
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State : quint8 { Idle, Connecting, Open, Closing, Closed };
    Q_ENUM(State)

    static constexpr int notifyIntervalMs = 16;

    explicit Session(SessionOptions options, QObject *parent = nullptr);
    ~Session() override;

    // Any thread.
    State state() const noexcept { return m_state.load(std::memory_order_acquire); }
    std::shared_ptr<const FrameLog> frameLog() const noexcept { return m_log; }
    HandshakeRecord handshake() const;
    std::optional<CloseRecord> closeRecord() const;
    QDateTime startedAt() const;
    // Everything recorded so far, as the one value every view, export and the diagnosis take.
    SessionRecords records() const;
    const SessionOptions &options() const noexcept { return m_options; }
    // The heartbeat engine's events and status (pings sent, pongs with their RTT, misses, health), readable while
    // the session runs and after it is gone.
    std::shared_ptr<const HeartbeatHistory> heartbeatHistory() const noexcept { return m_heartbeatHistory; }
    static QString stateName(State state);
    // The session's recording: the file (for views that read back what the log did not keep) and where payloads
    // the log cannot keep in memory go. Before open() only, from any thread; read-only afterwards.
    void setRecording(const QString &path, std::shared_ptr<PayloadOverflow> overflow)
    {
        m_recordingPath = path;
        m_log->setOverflow(std::move(overflow));
    }
    // Empty when the session is not recorded.
    QString recordingPath() const { return m_recordingPath; }
    // What the options' rules did (which rule acted on each frame, which messages of ours they dropped); null
    // without rules. Any thread.
    std::shared_ptr<const SessionRules> rules() const noexcept { return m_rules; }

public Q_SLOTS:
    // Network thread only.
    void open();
    void sendMessage(wsi::MessageType type, const QByteArray &payload, int fragments = 1);
    void sendText(const QString &text) { sendMessage(MessageType::Text, text.toUtf8()); }
    void sendPing(const QByteArray &payload = {});
    void sendPong(const QByteArray &payload = {});
    // One of the application protocol's messages, built and numbered by the protocol's speaker (ack ids, packet
    // ids, refs in step with its own) and sent as any message. A session that speaks no protocol follows `protocol`
    // (the one the window recognised) from the first such message on, saying nothing of its own.
    void sendProtocolMessage(const wsi::ProtocolMessage &message, wsi::AppProtocol protocol);
    // Starts the closing handshake (RFC 6455 §7.1.2). Without a code the Close frame is empty.
    void sendClose(std::optional<quint16> code = quint16(1000), const QString &reason = {});
    // Writes a frame exactly as specified, rule-breaking bits included; such frames are marked Deliberate.
    void sendRawFrame(const wsi::FrameSpec &spec, const QByteArray &payload);
    // Drops the TCP connection without a closing handshake.
    void abort();
    // Ends the connection for a reason of this client's own, which the close record keeps (CloseRecord::ownEnd):
    // with a Close frame (code, reason) when it is open, by dropping it while it connects, and by letting a closing
    // handshake under way finish. The first reason given stands: a second Ctrl-C that drops a connection still
    // closing was the same interruption.
    void closeBecause(const wsi::OwnEnd &why, quint16 code, const QString &reason);
    void abortBecause(const wsi::OwnEnd &why);
    void setAutoPong(bool enabled) { m_options.autoPong = enabled; }

Q_SIGNALS:
    void stateChanged(wsi::Session::State state);
    void handshakeFinished(bool accepted);
    void framesAppended(qsizetype frameCount);
    // New heartbeat events: coalesced with framesAppended (same interval, emitted right after it), never one per
    // event.
    void heartbeatUpdated(qsizetype eventCount);
    void closed();

private:
    void setState(State state);
    void startTcp(const QHostAddress &address);
    void onHostLookedUp(const QHostInfo &info);
    void onConnected();
    void onEncrypted();
    void onSslErrors(const QList<QSslError> &errors);
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onHandshakeTimeout();
    void onCloseTimeout();

    void sendHandshake();
    void handleHandshakeBytes(QByteArrayView bytes);
    void finishHandshake();
    void handleFrameBytes(QByteArrayView bytes, const PayloadStore::ReadRegion &region);
    void redirectLargePayload(QByteArrayView received);
    void handleIncomingFrame(const FrameEvent &event);
    void failConnection(const Violation &violation);
    void onHeartbeatDead(const QString &why);
    // Keeps why we are ending the connection, unless the server began the closing handshake or a reason is kept.
    void noteOwnEnd(const OwnEnd &why);
    void sendOnConnectMessages();
    // Runs `write` (given the rule that matched, or -1) now, later or never, as the rules say of a message, ping or
    // pong of ours; with no rules, now.
    // (A replace rule hands `write` the edited payload.)
    void sendThroughRules(quint8 opcode, const QByteArray &payload,
                          std::function<void(qsizetype rule, const QByteArray &payload)> write);
    // What follows a frame received (the heartbeat, the speaker, the auto-pong), now or later or never, as the rules
    // (there are some) say of it.
    void deliverThroughRules(const FrameEvent &event, qsizetype frameIndex, std::function<void(bool late)> deliver);
    // A stall rule: toward the server nothing of ours is written; toward the client the socket is not read and
    // nothing received is acted on; for ms, or (-1) until the connection ends.
    void stall(const Rule &rule, std::optional<Endpoint> matchedFrom);
    // What the rule at `index` (-1: none) makes of a message from `from`: nullopt when it goes nowhere (drop,
    // no-pong), else how long it waits (delay, delay-pong; a stall holds its whole direction instead).
    std::optional<int> actOnMatch(qsizetype index, Endpoint from);
    void stallReading(int ms);
    void resumeReading();
    void startTimedRules();
    // False (and the connection aborted, saying why) when what the rules hold back would pass their budget.
    bool withinRulesBudget(qint64 more);
    void noteUnsent(qsizetype rule, quint8 opcode, const QByteArray &payload);
    void writeMessage(MessageType type, const QByteArray &payload, int fragments, qsizetype rule,
                      bool injected = false);
    // An inject rule: our client sends the rule's message, after what is already on its way.
    void inject(qsizetype rule);
    void writeClose(std::optional<quint16> code, const QString &reason);
    void createSpeaker();
    void failHandshake(const QString &explanation);
    void finish(const QString &error = {});

    qint64 now() const noexcept { return m_clock.nsecsElapsed(); }
    // Records and writes one frame; returns its log index.
    qsizetype writeFrame(const FrameSpec &spec, QByteArrayView payload, bool deliberate = false,
                         bool compressed = false, bool injected = false);
    void scheduleNotify();
    void emitFramesAppended();

    SessionOptions m_options;
    std::atomic<State> m_state{State::Idle};
    std::shared_ptr<FrameLog> m_log;
    FrameRecorder m_outgoing; // our frames and messages
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    QString m_recordingPath;

    QTcpSocket *m_socket = nullptr; // a QSslSocket for wss://
    QSslSocket *m_sslSocket = nullptr;
    QTimer m_handshakeTimer;
    QTimer m_closeTimer;
    QTimer m_notifyTimer;
    qsizetype m_notifiedFrames = 0;
    qsizetype m_notifiedHeartbeats = 0;
    std::shared_ptr<HeartbeatHistory> m_heartbeatHistory;
    HeartbeatEngine *m_heartbeat = nullptr;  // child
    AppProtocolSpeaker *m_speaker = nullptr; // child; only when the options speak a protocol
    int m_lookupId = -1;
    QList<QHostAddress> m_addresses;
    QString m_host;
    quint16 m_port = 0;

    // Only with rules (SessionOptions::rules).
    std::shared_ptr<SessionRules> m_rules;
    OrderedDelayQueue m_toServer;  // our messages, pings and pongs held back by delay and stall rules
    OrderedDelayQueue m_toClient;  // what follows frames received, held back likewise
    QTimer m_readStallTimer;       // ends a stall toward the client
    bool m_readingStalled = false; // the socket is not read (a stall toward the client)
    bool m_closeWaiting = false;   // our Close waits behind messages the rules hold back
    QList<QTimer *> m_timedRules;  // stall and inject rules timed from the upgrade ("after_ms", "every_ms")

    std::optional<HandshakeRequest> m_request;
    HandshakeResponseParser m_responseParser;
    qint64 m_phaseStartNs = 0;
    qint64 m_openedNs = 0;

    std::unique_ptr<FrameParser> m_parser;
    std::unique_ptr<FrameRecorder> m_incoming; // the server's frames and messages, once the connection is open
    FrameEvent m_event;
    FrameWriter m_writer{Endpoint::Client};
    std::unique_ptr<MessageDeflater> m_deflater;

    struct PendingPing {
        QByteArray payload;
        qint64 sentNs = 0;
        qsizetype frame = -1;
    };
    QList<PendingPing> m_pendingPings;
    qint64 m_readTimeNs = 0;                  // when the bytes being parsed were read from the socket
    PayloadStore::ReadRegion m_readRegion;    // the log storage being parsed, while handleFrameBytes() runs
    PayloadStore::ReadRegion m_payloadRegion; // where a large payload is being assembled in the log
    bool m_expectLargeFrame = false;          // the last frame received was large
    QByteArray m_scratch;                     // reads of a payload being skipped
    qint64 m_lastIncomingNs = 0;
    qint64 m_lastOutgoingNs = 0;
    qint64 m_lastPongNs = 0; // the last pong that answered one of our pings (or when the connection opened)

    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_finished = false;
    CloseRecord::Initiator m_initiator = CloseRecord::Initiator::Transport;
    std::optional<OwnEnd> m_ownEnd;
    std::optional<ClosePayload> m_receivedClose;
    QString m_failure;

    mutable QMutex m_recordMutex; // guards m_handshake and m_close for readers on other threads
    HandshakeRecord m_handshake;
    std::optional<CloseRecord> m_close;
};

} // namespace wsi
