// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/DiagnosisCandidate.h"
#include "core/keepalive/FingerprintClue.h"
#include "core/keepalive/ProtocolTimeout.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

// What most likely ended a real session, in plain words and as data: the cause, the ranked intermediary timers
// that match the evidence (or none, said plainly), the facts measured, and the fix. Made by DisconnectDiagnoser.
struct DisconnectDiagnosis {
    enum class Cause : quint8 {
        IntermediaryTimeout, // candidates below: an intermediary's timer most likely cut it
        PossiblyHalfOpen,    // not closed, but silent long enough for a box that drops flows silently
        Unexplained,         // ended abnormally and nothing in the catalog matches
        ServerClosed,        // the server sent a Close frame: a decision, not a timeout
        ClientClosed,        // the client (we, or the user) closed it
        ProtocolFailure,     // the client failed the connection over a protocol violation
        TlsFailure,          // the TLS layer failed during the session
        HandshakeFailed,     // the connection never opened: refused, unreachable, TLS failure
        StillOpen,           // not ended, and nothing in the catalog would have cut it yet
        ProtocolTimeout,     // the application protocol's own timer (Engine.IO pingTimeout, MQTT Keep Alive ...)
    };

    Cause cause = Cause::Unexplained;
    // The session did not end with a clean closing handshake, or the client had to end it over a failure of its own
    // (CloseRecord::ownEnd: a failed recording, a dead heartbeat), or an application protocol's timer ended it:
    // what `connect` reports a diagnosis for.
    bool abnormal = false;
    QString summary;                      // plain words: the evidence and what it matches, or that nothing does
    QString fix;                          // what to do about it; empty when there is nothing to fix
    QList<DiagnosisCandidate> candidates; // best first
    QStringList facts;                    // what was measured: end, age, silences, heartbeats, TCP keepalive
    QStringList ruledOut; // timers whose timing matched but that something else contradicts, with the reason
    // The header fields of the upgrade response by which an intermediary named itself; empty when none did.
    QList<FingerprintClue> clues;
    // Cause::ProtocolTimeout: which protocol's timer, at which end, its knob, value and default.
    std::optional<ProtocolTimeout> protocolTimeout;
    QString protocol; // the application protocol recognised in the messages ("socket.io"); empty when none

    static QString causeName(Cause cause); // "intermediary_timeout", ...

    // The fields of the CLI's "diagnosis" event (the caller adds "event" and "t"): "cause", "abnormal", "summary",
    // "candidates" [{"model", "name", "knob", "timer", "default_s", "overridden", "silence_s", "age_s", "direction",
    // "action", "confidence", "why", "set_to_about_s" (null unless inferred), "clue" (null when none)}], "fix"
    // (null when none), "facts", "ruled_out", "clues" [{"header", "value", "intermediaries", "source"}],
    // "protocol" (the application protocol recognised in the messages, or null), "protocol_timeout" (null unless the
    // cause is protocol_timeout: ProtocolTimeout::toJson()).
    QJsonObject toJson() const;
    // "Server: nginx/1.22.1 in the upgrade response", or that no intermediary named itself there.
    QString clueLine() const { return clueLine(clues); }
    static QString clueLine(const QList<FingerprintClue> &clues);
    // For people: the summary, the ranked candidates, what was ruled out, and the fix, as lines.
    QStringList toLines() const;
};

} // namespace wsi
