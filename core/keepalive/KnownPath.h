// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/ChainLink.h"

#include <QList>
#include <QString>

namespace wsi {

// The intermediaries a session is known to have run behind, as they ran: a session "Reproduce live" made through
// the window's timeout proxy, or a connection that proxy relayed. The proxy divides every timer (and the model's
// precision) by the time scale, so the 60 s of nginx's proxy_read_timeout runs as 3 s at 20; the diagnosis of such
// a session compares the timers as they ran and names them as modelled (DisconnectDiagnoser).
struct KnownPath {
    QList<ChainLink> links;
    double timeScale = 1.0; // > 0
    QString ranBy;          // who ran the timers, as the start of a sentence's subject: "the timeout proxy"

    bool isScaled() const noexcept { return timeScale != 1.0; }
    qint64 scaledMs(qint64 ms) const;
    // "nginx → aws-alb"
    QString chainText() const;
    // "nginx → aws-alb, time scale 20", or the chain alone at scale 1
    QString chainAndScale() const;
    // "nginx, time scale 20 (every timer divided by 20: proxy_read_timeout's 60 s runs as 3 s)", or just the chain
    // at scale 1.
    QString describe() const;
};

} // namespace wsi
