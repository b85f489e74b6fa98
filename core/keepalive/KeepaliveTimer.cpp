// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KeepaliveTimer.h"

#include <cstdlib>

namespace wsi {

KeepaliveTimer::KeepaliveTimer(const ChainLink::ActiveTimer &definition, qint64 value, qint64 precision)
    : m_definition(definition)
    , m_value(value)
    , m_precision(precision)
{}

bool KeepaliveTimer::restartedBy(ResetRule rule, const TimerTraffic &traffic)
{
    if (traffic.probe)
        return rule == ResetRule::PacketsEither;
    switch (rule) {
    case ResetRule::PayloadEither:
    case ResetRule::PacketsEither:
        return true;
    case ResetRule::DataEither:
        return traffic.carriesData;
    case ResetRule::ReadsFromClient:
        return traffic.from == Endpoint::Client;
    case ResetRule::ReadsFromServer:
        return traffic.from == Endpoint::Server;
    }
    return false;
}

void KeepaliveTimer::start(qint64 now)
{
    m_lastRestart = now;
    m_deadline = kind() == TimerKind::Idle || kind() == TimerKind::Lifetime ? now + m_value : unarmed;
}

bool KeepaliveTimer::observe(const TimerTraffic &traffic, qint64 now)
{
    if (kind() != TimerKind::Idle || !isArmed() || !restartedBy(m_definition.resetBy, traffic))
        return false;
    m_lastRestart = now;
    const qint64 renewed = now + m_value;
    if (m_precision > 0 && std::abs(renewed - m_deadline) < m_precision)
        return false;
    m_deadline = renewed;
    return true;
}

bool KeepaliveTimer::stallsToward(Endpoint towards) const noexcept
{
    return kind() == (towards == Endpoint::Client ? TimerKind::StallToClient : TimerKind::StallToServer);
}

bool KeepaliveTimer::writeBlocked(Endpoint towards, qint64 now)
{
    if (!stallsToward(towards) || isArmed())
        return false;
    m_lastRestart = now;
    m_deadline = now + m_value;
    return true;
}

bool KeepaliveTimer::writeDrained(Endpoint towards)
{
    if (!stallsToward(towards) || !isArmed())
        return false;
    m_deadline = unarmed;
    return true;
}

} // namespace wsi
