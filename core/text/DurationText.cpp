// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text/DurationText.h"

#include <cmath>

namespace wsi::DurationText {
namespace {

constexpr qint64 maxMs = qint64(100) * 24 * 3600 * 1000;

} // namespace

std::optional<qint64> parseMs(QStringView text, QString *error, PlainUnit plainUnit)
{
    const QStringView trimmed = text.trimmed();
    qsizetype numberEnd = 0;
    while (numberEnd < trimmed.size() && (trimmed.at(numberEnd).isDigit() || trimmed.at(numberEnd) == u'.'))
        ++numberEnd;
    const QStringView number = trimmed.first(numberEnd);
    const QStringView unit = trimmed.sliced(numberEnd).trimmed();
    const auto fail = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = QStringLiteral("'%1' is not a duration: %2 (write 2s, 500ms, 5m, 1h or plain %3)")
                         .arg(text, why,
                              plainUnit == PlainUnit::Minutes ? QStringLiteral("minutes") : QStringLiteral("seconds"));
        return std::nullopt;
    };
    if (number.isEmpty())
        return fail(trimmed.startsWith(u'-') ? QStringLiteral("it is negative") : QStringLiteral("no number"));
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return fail(QStringLiteral("bad number '%1'").arg(number));

    double factor = 0;
    if (unit.isEmpty())
        factor = plainUnit == PlainUnit::Minutes ? 60000.0 : 1000.0;
    else if (unit == QLatin1StringView("ms"))
        factor = 1.0;
    else if (unit == QLatin1StringView("s"))
        factor = 1000.0;
    else if (unit == QLatin1StringView("m") || unit == QLatin1StringView("min"))
        factor = 60000.0;
    else if (unit == QLatin1StringView("h"))
        factor = 3600000.0;
    else
        return fail(QStringLiteral("unknown unit '%1' (ms, s, m, h)").arg(unit));

    const double ms = value * factor;
    if (ms > double(maxMs))
        return fail(QStringLiteral("more than 100 days"));
    const double rounded = std::round(ms);
    if (std::abs(ms - rounded) > 1e-6)
        return fail(QStringLiteral("finer than a millisecond"));
    return qint64(rounded);
}

QString format(qint64 ms)
{
    if (ms != 0 && ms % 3600000 == 0)
        return QStringLiteral("%1 h").arg(ms / 3600000);
    if (ms >= 600000 && ms % 60000 == 0)
        return QStringLiteral("%1 min").arg(ms / 60000);
    if (ms != 0 && ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    // Whole milliseconds: three decimals at most, trailing zeros dropped (60.3 s, 924.6 s).
    QString text = QString::number(double(ms) / 1000.0, 'f', 3);
    while (text.endsWith(u'0'))
        text.chop(1);
    return text + QStringLiteral(" s");
}

QString tenths(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

double seconds(qint64 ms)
{
    return double(ms) / 1000.0;
}

} // namespace wsi::DurationText
