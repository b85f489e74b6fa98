// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/IntermediaryTimer.h"
#include "core/keepalive/ProtocolEvidence.h"
#include "core/protocol/HttpHeaders.h"
#include "core/records/CloseRecord.h"
#include "core/records/FrameRecord.h"

#include <QString>

#include <array>
#include <optional>

namespace wsi {

class FrameLog;
struct SessionRecords;
struct HandshakeRecord;

// What a diagnosis of a real session's end needs to know, in plain data: how the handshake went, how the
// connection ended (the close record's facts), its age, and for each way of counting traffic when the last frame
// crossed and the longest stretch without one before it. Intermediaries reset their idle timers on different
// traffic (payload either way, data only, each side's own reads, any packet), so the silences are kept per
// direction and per kind. Built from a live session (FrameLog + CloseRecord) or from the JSON lines of
// `wsinspector-cli connect --json` (SessionEvidenceReader); frames must be added in time order.
//
// All times are milliseconds on the session's clock (0 = open() was called).
struct SessionEvidence {
    enum class FrameKind : quint8 { Data, Ping, Pong, Close };
    // Which frames a silence counts: both directions, or only what the client (we) sent, or only what the server
    // sent. Close frames never count: they are the end, not traffic that keeps a connection alive.
    enum class Way : quint8 { Either, FromClient, FromServer };

    struct Clock {
        std::optional<qint64> lastMs; // the last counted frame; nullopt: none since the upgrade
        qint64 longestGapMs = 0;      // the longest stretch without a counted frame before the last one
        qint64 frames = 0;
    };

    QString source; // "live session", "transcript.jsonl (wsinspector-cli connect --json)"

    // The opening handshake.
    bool accepted = false;
    int status = 0; // the response's status code; 0 when no response arrived
    QString handshakeExplanation;
    bool secure = false; // wss://
    QString host;        // the server's host as the session named it ("example.com"); empty when not known
    qint64 openedMs = 0; // when the 101 arrived
    // The response's header fields: intermediaries name themselves there (Server: nginx/1.22.1, Via: 1.1 vegur,
    // CF-RAY), which the diagnosis reads through IntermediaryFingerprints. Empty when no response arrived.
    HttpHeaders responseHeaders;

    // How the connection ended; nullopt when it had not (a live session still open, a transcript cut short).
    std::optional<CloseRecord> close;
    // When it ended, or the last thing recorded when it did not.
    qint64 endMs = 0;

    // Indexed by Way: every frame but Close (any), data frames only (data).
    std::array<Clock, 3> any{};
    std::array<Clock, 3> data{};

    // After a silent drop the path is dead: what the client sends next goes nowhere and nothing comes back. So
    // among the frames after the last one received, the send that followed the longest silence is where a dead
    // path would first show; nullopt when nothing was sent after the last frame received.
    std::optional<qint64> unansweredSendMs;
    FrameKind unansweredSendKind = FrameKind::Data;
    qint64 silenceBeforeUnansweredMs = 0; // no frame either way for this long before that send
    // The longest silence (no frame either way) that the connection demonstrably survived: one followed, at some
    // point, by a frame from the server. A box that drops the flow after less than this is not on the path.
    qint64 longestSurvivedSilenceMs = 0;

    // Heartbeat history, from the ping and pong frames.
    qint64 pingsSent = 0;
    qint64 pongsReceived = 0;
    qint64 pingsReceived = 0;
    qint64 pongsSent = 0;
    std::optional<qint64> lastPingSentMs;
    bool lastPingAnswered = true;     // a pong arrived after the last ping we sent
    qint64 longestPingIntervalMs = 0; // between consecutive pings we sent: the heartbeat's effective interval
    // The server's pings: its first, and the first since our last pong (nullopt once a pong answered them all),
    // where a server that waits for the pong starts counting (sockjs-node).
    std::optional<qint64> firstPingReceivedMs;
    std::optional<qint64> unansweredPingReceivedMs;

    // TCP keepalive of our socket: nullopt when off. Sessions do not turn it on today; a session cannot see the
    // probes either way, so this is what it was configured to do.
    std::optional<qint64> tcpKeepaliveIdleMs;

    qint64 framesWithViolations = 0;

    // The application protocol spoken inside the messages (Socket.IO, MQTT, STOMP ...), its heartbeat parameters
    // and beats; empty when none was recognised.
    ProtocolEvidence protocol;

    // Building. Set openedMs first; then frames in time order; then finish().
    void addFrame(qint64 atMs, Direction direction, FrameKind kind, bool hasViolations = false);
    void finish(std::optional<CloseRecord> closeRecord, qint64 atMs);

    bool ended() const { return close.has_value(); }
    qint64 ageMs() const { return std::max<qint64>(0, endMs - openedMs); }
    // The silence before the end, counted the way a timer with this reset rule counts it.
    qint64 silenceMs(ResetRule rule) const;
    qint64 silenceMs(Way way, bool dataOnly) const;
    // The longest silence, counted that way, that the connection lived through before the final one.
    qint64 longestEarlierSilenceMs(ResetRule rule) const;
    const Clock &clock(ResetRule rule) const;

    static Way wayOf(ResetRule rule);
    static bool dataOnly(ResetRule rule) { return rule == ResetRule::DataEither; }
    static QString kindName(FrameKind kind);

    // From a session's records, whatever produced them (any thread: the FrameLog is read lock-free). A session
    // still open gives evidence without a close, ending at its last frame.
    static SessionEvidence fromRecords(const SessionRecords &records);
    // When the 101 arrived, from the handshake's phase durations (they run back to back from open()).
    static qint64 openedMsFromTimings(const HandshakeRecord &handshake);

private:
    qint64 m_previousAnyMs = -1; // the previous frame either way (Close included), for the silences between them
    qint64 m_longestSilenceSoFar = 0;
    qint64 m_gapAfterLastIncoming = -1; // the longest silence ending in a send since the last frame received
};

} // namespace wsi
