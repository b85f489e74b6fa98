// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/Rule.h"

#include "core/appprotocol/DecodedHeadline.h"
#include "core/appprotocol/HeartbeatRole.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"

#include <array>
#include <utility>

namespace wsi {
namespace {

constexpr std::array<std::pair<Rule::Action, const char *>, 14> actionNames{{
    {Rule::Action::Pass, "pass"},
    {Rule::Action::Drop, "drop"},
    {Rule::Action::Replace, "replace"},
    {Rule::Action::Delay, "delay"},
    {Rule::Action::Duplicate, "duplicate"},
    {Rule::Action::Close, "close"},
    {Rule::Action::Abort, "abort"},
    {Rule::Action::Blackhole, "blackhole"},
    {Rule::Action::NoPong, "no-pong"},
    {Rule::Action::DelayPong, "delay-pong"},
    {Rule::Action::Inject, "inject"},
    {Rule::Action::Stall, "stall"},
    {Rule::Action::Throttle, "throttle"},
    {Rule::Action::Pause, "pause"},
}};

} // namespace

bool Rule::matches(Endpoint sender, quint8 messageOpcode, const QString &text, const DecodedMessages *decoded) const
{
    if (isTimed() || (from && *from != sender))
        return false;
    // Pong rules take the application protocol's heartbeat answers too (Engine.IO "3", PINGRESP, a STOMP EOL ...),
    // messages that carry nothing else.
    const bool heartbeatAnswer =
        actsOnPongs() && Opcodes::isData(messageOpcode) && decoded && HeartbeatRoles::allKeepAlive(*decoded);
    // A rule that names no opcode is one on messages: pings, pongs and Closes are matched only by name.
    if (!heartbeatAnswer && (opcode ? *opcode != messageOpcode : !Opcodes::isData(messageOpcode)))
        return false;
    if (!match.pattern().isEmpty() && !match.match(text).hasMatch())
        return false;
    if (!needsDecoding() || heartbeatAnswer)
        return true;
    if (!decoded)
        return false;
    for (const DecodedMessage &message : *decoded) {
        if ((!protocol || message.protocol == *protocol) &&
            (kind.isEmpty() || message.kind.compare(kind, Qt::CaseInsensitive) == 0) &&
            (subject.isEmpty() || DecodedHeadline::of(message).subject == subject))
            return true;
    }
    return false;
}

QString Rule::textOf(quint8 opcode, QByteArrayView payload)
{
    if (opcode == Opcodes::value(Opcode::Binary))
        return QString::fromLatin1(payload);
    if (opcode == Opcodes::value(Opcode::Close))
        return ClosePayload::decode(payload).reason;
    return QString::fromUtf8(payload);
}

QString Rule::actionName(Action action)
{
    for (const auto &[value, name] : actionNames) {
        if (value == action)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<Rule::Action> Rule::actionNamed(const QString &name)
{
    for (const auto &[value, written] : actionNames) {
        if (name == QLatin1StringView(written))
            return value;
    }
    return std::nullopt;
}

QString Rule::targetName(Target target)
{
    switch (target) {
    case Target::Client:
        return QStringLiteral("client");
    case Target::Server:
        return QStringLiteral("server");
    case Target::Both:
        break;
    }
    return QStringLiteral("both");
}

} // namespace wsi
