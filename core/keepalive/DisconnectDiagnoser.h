// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/keepalive/DisconnectDiagnosis.h"
#include "core/keepalive/KnownPath.h"
#include "core/keepalive/SessionEvidence.h"

#include <QList>

namespace wsi {

class IntermediaryCatalog;

// Says what most likely ended a real session. The evidence (silence before the end per direction and kind of
// frame, the connection's age, heartbeat history, how it closed) is compared with every timer of every model:
// - idle timers that close (FIN/RST): the silence their reset rule counts must fall in [T - precision - 0.1 s,
//   T + 1 s + 1% of T] (nginx keeps deadlines within 300 ms; the FIN needs a round trip to reach the client), and
//   the connection must have ended by TCP closing without a Close frame, as those boxes do;
// - maximum lifetimes: the age at that end, in the same window;
// - timers that drop the flow silently: nothing closes, so they need either a send after at least T of silence
//   that nothing answered (an RST answering it at once fits boxes that reset the next packet), or a connection
//   still open after T of silence;
// and a model whose timers would have cut the session earlier (it lived through a longer silence, or is older
// than the model's lifetime) is ruled out. A Close frame from the server, a protocol or TLS failure, a refused
// handshake or the client's own close are said as such: no intermediary timer sends a Close frame.
namespace DisconnectDiagnoser {

// Against every model of the catalog with its default values.
DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const IntermediaryCatalog &catalog);
DisconnectDiagnosis diagnose(const SessionEvidence &evidence);
// Against these intermediaries with the user's knob values ("I know my nginx has proxy_read_timeout 30 s").
DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const QList<ChainLink> &links);
// Against the intermediaries the session is known to have run behind (Reproduce live, the timeout proxy's relayed
// connections), compared as they ran (divided by the time scale) and named as modelled; the summary says which of
// them cut it, "60 s run as 3 s (time scale 20)", or that none did.
DisconnectDiagnosis diagnose(const SessionEvidence &evidence, const KnownPath &path);

// How far a measured silence may sit from a timer's value and still match it, beyond the model's precision.
inline constexpr qint64 earlySlackMs = 100;
qint64 lateSlackMs(qint64 timerMs);
// An end this soon after an unanswered send is the RST that answers it.
inline constexpr qint64 promptResetMs = 3000;

} // namespace DisconnectDiagnoser
} // namespace wsi
