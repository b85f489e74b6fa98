// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/HoldRecord.h"

#include <array>
#include <utility>

namespace wsi {
namespace {

constexpr std::array<std::pair<HoldRecord::Outcome, const char *>, 7> outcomeNames{{
    {HoldRecord::Outcome::Waiting, "waiting"},
    {HoldRecord::Outcome::Forwarded, "forwarded"},
    {HoldRecord::Outcome::Edited, "edited"},
    {HoldRecord::Outcome::Dropped, "dropped"},
    {HoldRecord::Outcome::Answered, "answered"},
    {HoldRecord::Outcome::TimedOut, "timed out"},
    {HoldRecord::Outcome::ConnectionEnded, "connection ended"},
}};

} // namespace

QString HoldRecord::outcomeName(Outcome outcome)
{
    for (const auto &[value, name] : outcomeNames) {
        if (value == outcome)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<HoldRecord::Outcome> HoldRecord::outcomeNamed(const QString &name)
{
    for (const auto &[value, written] : outcomeNames) {
        if (name == QLatin1StringView(written))
            return value;
    }
    return std::nullopt;
}

} // namespace wsi
