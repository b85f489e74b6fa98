// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/IntermediaryTimer.h"

namespace wsi {
namespace {

template<typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::pair<Enum, const char *> (&table)[N], QStringView name)
{
    for (const auto &[value, text] : table) {
        if (name == QLatin1StringView(text))
            return value;
    }
    return std::nullopt;
}

template<typename Enum, std::size_t N>
QString nameOf(const std::pair<Enum, const char *> (&table)[N], Enum value)
{
    for (const auto &[candidate, text] : table) {
        if (candidate == value)
            return QString::fromLatin1(text);
    }
    return {};
}

constexpr std::pair<TimerKind, const char *> kinds[] = {
    {TimerKind::Idle, "idle"},
    {TimerKind::Lifetime, "lifetime"},
    {TimerKind::StallToClient, "stall_to_client"},
    {TimerKind::StallToServer, "stall_to_server"},
};

constexpr std::pair<ResetRule, const char *> rules[] = {
    {ResetRule::PayloadEither, "payload_either"},      {ResetRule::DataEither, "data_either"},
    {ResetRule::PacketsEither, "packets_either"},      {ResetRule::ReadsFromClient, "reads_from_client"},
    {ResetRule::ReadsFromServer, "reads_from_server"},
};

constexpr std::pair<ExpiryAction, const char *> actions[] = {
    {ExpiryAction::Fin, "fin"},
    {ExpiryAction::Rst, "rst"},
    {ExpiryAction::Drop, "drop"},
};

} // namespace

QString IntermediaryTimer::kindName(TimerKind kind)
{
    return nameOf(kinds, kind);
}

std::optional<TimerKind> IntermediaryTimer::kindFromName(QStringView name)
{
    return lookup(kinds, name);
}

QString IntermediaryTimer::resetRuleName(ResetRule rule)
{
    return nameOf(rules, rule);
}

std::optional<ResetRule> IntermediaryTimer::resetRuleFromName(QStringView name)
{
    return lookup(rules, name);
}

QString IntermediaryTimer::resetRuleText(ResetRule rule)
{
    switch (rule) {
    case ResetRule::PayloadEither:
        return QStringLiteral("WebSocket traffic in either direction (data, ping or pong frames; TCP keepalive "
                              "probes do not count)");
    case ResetRule::DataEither:
        return QStringLiteral("data messages in either direction (protocol pings and pongs reportedly do not "
                              "count)");
    case ResetRule::PacketsEither:
        return QStringLiteral("any packet in either direction, TCP keepalive probes included");
    case ResetRule::ReadsFromClient:
        return QStringLiteral("only what the client sends (its own reads on the client side)");
    case ResetRule::ReadsFromServer:
        return QStringLiteral("only what the server sends (its own reads on the server side)");
    }
    return {};
}

QString IntermediaryTimer::actionName(ExpiryAction action)
{
    return nameOf(actions, action);
}

std::optional<ExpiryAction> IntermediaryTimer::actionFromName(QStringView name)
{
    return lookup(actions, name);
}

} // namespace wsi
