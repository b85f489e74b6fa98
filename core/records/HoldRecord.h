// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/protocol/Endpoint.h"

#include <QString>

#include <optional>

namespace wsi {

// One message a pause rule held (a breakpoint): which message (the frame that completed it), when it was held, when
// and how it was let go. Kept by the relay that held it, in its SessionRecords, the `--json` events and the recording,
// so that the timeline can show the hold and nothing a person did to the traffic is hidden.
struct HoldRecord {
    enum class Outcome : quint8 {
        Waiting,         // nobody has decided yet
        Forwarded,       // forwarded as it came
        Edited,          // forwarded as someone edited it (the relay's own frame, flagged Injected)
        Dropped,         // not forwarded
        Answered,        // not forwarded; a message of the relay's own went back to its sender instead
        TimedOut,        // nobody decided within the rule's timeout_ms: forwarded as it came
        ConnectionEnded, // the connection ended while it was held: never forwarded
    };

    quint64 id = 0;         // the HeldMessages id people decide by
    qint64 frameIndex = -1; // the last frame of the held message in the connection's FrameLog
    Endpoint from = Endpoint::Client;
    QString rule;            // the pause rule's name
    qint64 heldAtNs = 0;     // on the connection's clock, as the FrameLog's times
    qint64 decidedAtNs = -1; // -1 while Waiting
    Outcome outcome = Outcome::Waiting;

    bool isDecided() const noexcept { return outcome != Outcome::Waiting; }

    // "waiting", "forwarded", "edited", "dropped", "answered", "timed out", "connection ended"; outcomeNamed() is
    // nullopt for any other name.
    static QString outcomeName(Outcome outcome);
    static std::optional<Outcome> outcomeNamed(const QString &name);
};

} // namespace wsi
