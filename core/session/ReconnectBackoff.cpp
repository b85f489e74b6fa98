// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/ReconnectBackoff.h"

#include <algorithm>
#include <cmath>

namespace wsi {

ReconnectBackoff::ReconnectBackoff(const ReconnectPolicy &policy)
    : ReconnectBackoff(policy, QRandomGenerator::system()->generate64())
{}

ReconnectBackoff::ReconnectBackoff(const ReconnectPolicy &policy, quint64 seed)
    : m_policy(policy)
    , m_random(seed)
{}

qint64 ReconnectBackoff::baseDelayMs(int attempt) const
{
    const double initial = double(std::max<qint64>(0, m_policy.initialDelayMs));
    const double cap = double(std::max<qint64>(0, m_policy.maxDelayMs));
    const double factor = std::max(1.0, m_policy.factor);
    // pow() overflows to inf for silly attempt counts; the cap takes care of it.
    const double base = initial * std::pow(factor, double(std::max(0, attempt - 1)));
    return qint64(std::llround(std::min(base, cap)));
}

qint64 ReconnectBackoff::delayMs(int attempt)
{
    const double base = double(baseDelayMs(attempt));
    const double jitter = std::clamp(m_policy.jitter, 0.0, 1.0);
    const double u = m_random.generateDouble();
    return qint64(std::llround(base * (1.0 - jitter * u)));
}

} // namespace wsi
