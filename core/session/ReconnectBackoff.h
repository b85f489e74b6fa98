// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/session/ReconnectPolicy.h"

#include <QRandomGenerator>

namespace wsi {

// The delay before reconnect attempt n (1, 2, ...): exponential, capped, with jitter so that many clients dropped
// together do not come back together. base(n) = min(maxDelay, initialDelay * factor^(n-1)); the delay is
// base(n) * (1 - jitter * u) with u uniform in [0, 1): jitter 0.5 is "equal jitter" (between half the base and
// the base), jitter 1 "full jitter" (between 0 and the base). Deterministic for a given seed, so tests can check
// exact delays.
class ReconnectBackoff final
{
public:
    explicit ReconnectBackoff(const ReconnectPolicy &policy);
    ReconnectBackoff(const ReconnectPolicy &policy, quint64 seed);

    qint64 baseDelayMs(int attempt) const;
    // Draws from the random source: call once per attempt.
    qint64 delayMs(int attempt);

private:
    ReconnectPolicy m_policy;
    QRandomGenerator64 m_random;
};

} // namespace wsi
