// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// The TCP facts the simulator needs about the ends' own stacks (Linux defaults, from the catalog's "tcp" entry):
// how long unacknowledged data takes to fail a socket, and the keepalive defaults.
struct TcpDefaults {
    qint64 retransmissionTimeoutMs = 924600; // tcp_retries2 = 15, a lower bound
    QString retransmissionNote;
    qint64 keepaliveIdleMs = 7200000;
    qint64 keepaliveIntervalMs = 75000;
    int keepaliveProbes = 9;
    QString keepaliveNote;
    QString source;
};

} // namespace wsi
