// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/KnownPath.h"

#include "core/text/DurationText.h"

#include <cmath>

namespace wsi {

qint64 KnownPath::scaledMs(qint64 ms) const
{
    // As the timeout proxy runs it (ProxyOptions::scaledMs).
    return qint64(std::llround(double(ms) / timeScale));
}

QString KnownPath::chainText() const
{
    QStringList names;
    for (const ChainLink &link : links)
        names << link.describe();
    return names.join(QStringLiteral(" → "));
}

QString KnownPath::chainAndScale() const
{
    return isScaled() ? QStringLiteral("%1, time scale %2").arg(chainText()).arg(timeScale) : chainText();
}

QString KnownPath::describe() const
{
    const QString chain = chainText();
    if (!isScaled())
        return chain;
    const QString scale = QString::number(timeScale);
    // One timer as the example people read first: the first idle timer of the chain.
    for (const ChainLink &link : links) {
        for (const ChainLink::ActiveTimer &timer : link.activeTimers()) {
            if (timer.kind != TimerKind::Idle)
                continue;
            return QStringLiteral("%1, time scale %2 (every timer divided by %2: %3's %4 runs as %5)")
                .arg(chain, scale, link.model().knobs.at(timer.knobIndex).name, DurationText::format(timer.valueMs),
                     DurationText::format(scaledMs(timer.valueMs)));
        }
    }
    return QStringLiteral("%1, time scale %2 (every timer divided by %2)").arg(chain, scale);
}

} // namespace wsi
