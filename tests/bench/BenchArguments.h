// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QStringList>

namespace wsi::bench {

// The number after `name` on a benchmark's command line ("--frames 1000"), or `fallback` when it is not there.
inline qint64 numberArgument(const QStringList &arguments, QLatin1StringView name, qint64 fallback)
{
    const qsizetype at = arguments.indexOf(name);
    return at >= 0 && at + 1 < arguments.size() ? arguments.at(at + 1).toLongLong() : fallback;
}

} // namespace wsi::bench
