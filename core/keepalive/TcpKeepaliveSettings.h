// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace wsi {

struct TcpDefaults;

// TCP keepalive of one end's socket (SO_KEEPALIVE with TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT). Probes carry
// no payload: L7 proxies never see them, L4 boxes count them. A probe goes only as far as the first L7 proxy,
// which terminates that TCP connection.
struct TcpKeepaliveSettings {
    bool enabled = false; // off unless the socket sets SO_KEEPALIVE
    qint64 idleMs = 7200000;
    qint64 intervalMs = 75000;
    int probes = 9;

    // A dead idle peer is noticed this long after the last activity (Linux defaults: 7875 s).
    qint64 failureAfterMs() const { return idleMs + intervalMs * probes; }
    QString describe() const;

    // "idle=S,intvl=S,probes=N" (any subset; the rest keep the Linux defaults), or "off".
    static std::optional<TcpKeepaliveSettings> parse(QStringView text, const TcpDefaults &defaults, QString *error);
};

} // namespace wsi
