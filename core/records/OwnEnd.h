// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace wsi {

// Why this client ended a connection itself. The close record keeps it beside the initiator, so that every reader
// of an end (the diagnosis above all, live or from a recording or a --json transcript) tells an end we caused as
// ours, with our reason, and never reads the missing reply of a server we hung up on as the server's doing.
struct OwnEnd {
    enum class Reason : quint8 {
        Requested,         // the user's own Close (the window's button, connect --close)
        DurationReached,   // connect --duration ran out
        Interrupted,       // SIGINT / SIGTERM (Ctrl-C)
        HeartbeatDead,     // the heartbeat declared the server dead
        RecordingFailed,   // the recording the user asked for could not be written
        ProtocolViolation, // the server broke the protocol and we failed the connection (strict mode)
        Aborted,           // dropped by a local decision without a Close frame (the window's Abort, a closed tab)
    };

    Reason reason = Reason::Requested;
    // What completes the sentence: the OS error ("No space left on device"), the signal ("SIGINT"), the time
    // without a pong ("12.0 s without a pong"), the duration ("5 s"), the violation; may be empty.
    QString detail;

    // The names in recordings and in the --json close event ("ended_by").
    static QString reasonName(Reason reason)
    {
        switch (reason) {
        case Reason::Requested:
            return QStringLiteral("requested");
        case Reason::DurationReached:
            return QStringLiteral("duration_reached");
        case Reason::Interrupted:
            return QStringLiteral("interrupted");
        case Reason::HeartbeatDead:
            return QStringLiteral("heartbeat_dead");
        case Reason::RecordingFailed:
            return QStringLiteral("recording_failed");
        case Reason::ProtocolViolation:
            return QStringLiteral("protocol_violation");
        case Reason::Aborted:
            break;
        }
        return QStringLiteral("aborted");
    }
    static std::optional<Reason> reasonNamed(const QString &name)
    {
        for (const Reason reason :
             {Reason::Requested, Reason::DurationReached, Reason::Interrupted, Reason::HeartbeatDead,
              Reason::RecordingFailed, Reason::ProtocolViolation, Reason::Aborted}) {
            if (name == reasonName(reason))
                return reason;
        }
        return std::nullopt;
    }

    // Whether the end was forced on us by a failure rather than wanted: such an end is worth a diagnosis even
    // when the closing handshake completed.
    bool isFailure() const
    {
        return reason == Reason::HeartbeatDead || reason == Reason::RecordingFailed ||
               reason == Reason::ProtocolViolation;
    }

    // The end of "this client ended it: ...".
    QString describe() const
    {
        const auto withDetail = [this](const QString &text) {
            return detail.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, detail);
        };
        switch (reason) {
        case Reason::Requested:
            return QStringLiteral("the user closed it");
        case Reason::DurationReached:
            return detail.isEmpty() ? QStringLiteral("the --duration was reached")
                                    : QStringLiteral("the --duration of %1 was reached").arg(detail);
        case Reason::Interrupted:
            return withDetail(QStringLiteral("interrupted by the user"));
        case Reason::HeartbeatDead:
            return detail.isEmpty() ? QStringLiteral("its heartbeat declared the server dead")
                                    : QStringLiteral("its heartbeat declared the server dead after %1").arg(detail);
        case Reason::RecordingFailed:
            return withDetail(QStringLiteral("its recording failed"));
        case Reason::ProtocolViolation:
            return withDetail(QStringLiteral("the server broke the protocol"));
        case Reason::Aborted:
            break;
        }
        return withDetail(QStringLiteral("it aborted the connection"));
    }
};

} // namespace wsi
