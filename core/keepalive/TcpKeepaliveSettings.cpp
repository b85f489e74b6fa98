// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/keepalive/TcpKeepaliveSettings.h"

#include "core/keepalive/TcpDefaults.h"
#include "core/text/DurationText.h"

#include <QList>

namespace wsi {

QString TcpKeepaliveSettings::describe() const
{
    if (!enabled)
        return QStringLiteral("TCP keepalive off");
    return QStringLiteral("TCP keepalive idle %1, interval %2, %3 probes")
        .arg(DurationText::format(idleMs), DurationText::format(intervalMs))
        .arg(probes);
}

std::optional<TcpKeepaliveSettings> TcpKeepaliveSettings::parse(QStringView text, const TcpDefaults &defaults,
                                                                QString *error)
{
    TcpKeepaliveSettings settings;
    settings.idleMs = defaults.keepaliveIdleMs;
    settings.intervalMs = defaults.keepaliveIntervalMs;
    settings.probes = defaults.keepaliveProbes;
    if (text == QLatin1StringView("off") || text == QLatin1StringView("none"))
        return settings;
    settings.enabled = true;
    const auto fail = [&](const QString &why) -> std::optional<TcpKeepaliveSettings> {
        if (error)
            *error = QStringLiteral("'%1': %2 (expected idle=S,intvl=S,probes=N, any of them, or off)").arg(text, why);
        return std::nullopt;
    };
    for (const QStringView part : text.split(u',')) {
        const qsizetype equals = part.indexOf(u'=');
        if (equals < 0)
            return fail(QStringLiteral("'%1' has no value").arg(part));
        const QStringView name = part.first(equals);
        const QStringView value = part.sliced(equals + 1);
        if (name == QLatin1StringView("probes")) {
            bool ok = false;
            const int probes = value.toInt(&ok);
            if (!ok || probes < 1 || probes > 127)
                return fail(QStringLiteral("probes must be a whole number from 1 to 127"));
            settings.probes = probes;
            continue;
        }
        if (name != QLatin1StringView("idle") && name != QLatin1StringView("intvl"))
            return fail(QStringLiteral("unknown setting '%1' (idle, intvl, probes)").arg(name));
        QString durationError;
        const auto ms = DurationText::parseMs(value, &durationError);
        if (!ms)
            return fail(durationError);
        if (*ms < 1000)
            return fail(
                QStringLiteral("%1 must be at least 1 s (TCP_KEEPIDLE and TCP_KEEPINTVL count seconds)").arg(name));
        (name == QLatin1StringView("idle") ? settings.idleMs : settings.intervalMs) = *ms;
    }
    return settings;
}

} // namespace wsi
