// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace wsi {

// What one end observes at the end of a simulation: still open, closed (when and how: an abnormal close 1006 at
// once on FIN/RST, later after retransmissions or keepalive probes fail, or by its own heartbeat), or half-open
// (its path is dead and it never finds out).
struct EndpointView {
    enum class State : quint8 { Open, Closed, HalfOpen };

    State state = State::Open;
    std::optional<qint64> atMs;            // when it learned (Closed)
    QString how;                           // fin, rst, retransmission_timeout, keepalive_probes, pong_timeout, ...
    std::optional<qint64> halfOpenSinceMs; // when its path died without it knowing, if it did
    QString detail;
    // The Close frame's code when the peer's protocol closed with one (Engine.IO: 1005, graphql-ws: 4408); nullopt:
    // no Close frame arrived, which the application sees as 1006.
    std::optional<int> closeCode;

    static QString stateName(State state);
    // {"state", "close_code" (1006 when closed, else null), "at_s", "how", "half_open_since_s", "detail"}
    QJsonObject toJson() const;
};

} // namespace wsi
