// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/keepalive/DisconnectDiagnosis.h"
#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatEvent.h"
#include "core/records/HeartbeatHistory.h"
#include "core/records/HeartbeatSettings.h"
#include "core/session/SessionRules.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <memory>
#include <optional>

namespace wsi::cli {

// Where `connect` writes what happened on the connection: a human transcript or JSON lines. The command calls
// these in the order things happened; times are seconds since the session started.
class TranscriptPrinter
{
public:
    TranscriptPrinter() = default;
    virtual ~TranscriptPrinter() = default;
    Q_DISABLE_COPY_MOVE(TranscriptPrinter)

    virtual void handshake(const HandshakeRecord &record, double t) = 0;
    virtual void frame(const FrameLog &log, qsizetype index) = 0;
    // Called right after the frame that completed the message.
    virtual void message(const FrameLog &log, qsizetype index) = 0;
    virtual void error(const QString &message, double t) = 0;
    virtual void close(const CloseRecord &record) = 0;
    // A heartbeat reply, miss or "stopped answering pings" (sent heartbeats show as frames), at its recorded time:
    // the WebSocket heartbeat's (history.settings()) or the application protocol's (history.protocolHeartbeat()).
    virtual void heartbeat(const HeartbeatEvent &event, const HeartbeatHistory &history) = 0;
    // The connection ended and connection number `connection` opens after delayMs; maxAttempts 0: no limit.
    virtual void reconnect(int attempt, qint64 delayMs, int connection, int maxAttempts, double t) = 0;
    // After the close of a connection that ended abnormally: what most likely ended it (t: the end, shifted).
    virtual void diagnosis(const DisconnectDiagnosis &diagnosis, double t) = 0;
    // A message, ping or pong of ours that a rule (connect --rules) kept from being sent: no frame records it.
    virtual void unsent(const SessionRules::Unsent &unsent) = 0;

    // The current connection's rules: the handshake says which run, frames and messages say which rule acted on
    // them. Null without rules.
    void setRules(std::shared_ptr<const SessionRules> rules) { m_rules = std::move(rules); }

    // With --reconnect each connection is a new session whose clock starts at 0: its recorded times are printed
    // shifted by when it started (seconds since the first), so "t" never goes back.
    void setTimeOffset(double seconds) { m_timeOffset = seconds; }
    double timeOffset() const noexcept { return m_timeOffset; }

    // The application protocol the user said the connection speaks (`connect --protocol`): messages are decoded as
    // that protocol from the first; without it, as the protocol the handshake and first messages point to.
    void setForcedProtocol(std::optional<AppProtocol> protocol) { m_forcedProtocol = protocol; }
    std::optional<AppProtocol> forcedProtocol() const noexcept { return m_forcedProtocol; }
    // Binary messages read as a protobuf type in "decoded" (--proto, --proto-message).
    void setBinarySchema(std::optional<ProtobufSchemaView> schema) { m_binarySchema = std::move(schema); }

    // Once per batch, so a reader at the other end of a pipe sees events as they happen.
    static void flush() { std::fflush(stdout); }

protected:
    // The rule that acted on a frame, or null.
    const Rule *ruleOfFrame(qsizetype frameIndex) const { return m_rules ? m_rules->ruleOfFrame(frameIndex) : nullptr; }
    const Rule *ruleOfUnsent(const SessionRules::Unsent &unsent) const
    {
        return m_rules && unsent.rule >= 0 ? &m_rules->set().rule(unsent.rule) : nullptr;
    }

    double m_timeOffset = 0;
    std::shared_ptr<const SessionRules> m_rules;
    std::optional<AppProtocol> m_forcedProtocol;
    std::optional<ProtobufSchemaView> m_binarySchema;

    static void write(const QByteArray &bytes) { std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout); }
};

} // namespace wsi::cli
