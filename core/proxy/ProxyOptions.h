// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"
#include "core/protocol/ProtocolLimits.h"
#include "core/proxy/HeldMessages.h"
#include "core/records/FrameLog.h"
#include "core/rules/RuleSet.h"
#include "core/session/TlsOptions.h"

#include <QHostAddress>
#include <QList>
#include <QUrl>

#include <cmath>
#include <memory>

namespace wsi {

class TlsContext;

// Everything a TimeoutProxy needs: where it listens, the real server behind it, and the intermediary models whose
// timers it enforces (the same ChainLink definitions the simulator runs, so what is predicted is what is
// reproduced).
struct ProxyOptions {
    // 127.0.0.1 unless the user explicitly asks for another interface: the proxy relays to a real server and must
    // not become an open relay by accident.
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 0; // 0: a free port (see TimeoutProxy::port())
    QUrl upstream;          // ws:// or wss://
    // How the client's request goes to the upstream. A reverse relay stands for its upstream: Host names it and the
    // upstream URL's path replaces the client's. The capture proxy forwards what the client asked for, in origin
    // form with the fields meant for the proxy removed (ProxyRequestHead::forwarded()).
    enum class Forwarding : quint8 { ToUpstream, AsRequested };
    Forwarding forwarding = Forwarding::ToUpstream;
    // Models whose timers run on every connection, each timer independently; the first to expire cuts. Empty: a
    // recording relay that never cuts.
    QList<ChainLink> models;
    // Every timer value (and the model's timing precision) is divided by this, so a 60 s cut reproduces in 3 s with
    // 20. Must be > 0.
    double timeScale = 1.0;
    TlsOptions tls; // for a wss:// upstream: extra CA, client certificate, opt-in "ignore TLS errors"
    // A TLS listener (clients connect with wss://): TlsContext::serving() with a given certificate, or
    // TlsContext::intercepting() with the capture CA's leaf for the name the client asks for (its SNI, else the
    // listen address). Null: plain ws://.
    std::shared_ptr<const TlsContext> listenTls;
    ProtocolLimits limits;
    FrameLog::Budget budget; // per connection
    // Rules applied to every connection's messages (RuleRelay), shared by all of them, switchable while they run.
    // Null or empty: every byte is relayed as it comes.
    std::shared_ptr<RuleSet> rules;
    // What the rules may hold per connection (messages until their last fragment, delayed messages and pongs).
    qint64 rulesBudgetBytes = 64 * 1024 * 1024;
    // Where pause rules hold messages for someone to decide on, shared by all the connections (the window's, the
    // command line's stdin). Null: a pause rule holds a message only for its timeout_ms, and one without passes.
    std::shared_ptr<HeldMessages> heldMessages;
    bool hasRules() const { return rules && !rules->isEmpty(); }
    // From the client's connection to the upstream's answer (TCP connect, TLS, the 101 or a refusal).
    int upgradeTimeoutMs = 15000;

    qint64 scaledMs(qint64 ms) const { return qint64(std::llround(double(ms) / timeScale)); }
};

} // namespace wsi
