// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/TimingBar.h"

#include <QPainter>

#include <algorithm>

namespace wsi {

TimingBar::TimingBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TimingBar::setTimings(const ConnectTimings &timings)
{
    m_segments.clear();
    const auto add = [this](const QString &name, qint64 ns, Theme::Color color) {
        if (ns >= 0)
            m_segments.append(Segment{name, ns, color});
    };
    add(QStringLiteral("DNS"), timings.dnsNs, Theme::Color::Dns);
    add(QStringLiteral("Connect"), timings.connectNs, Theme::Color::Connect);
    add(QStringLiteral("TLS"), timings.tlsNs, Theme::Color::Tls);
    add(QStringLiteral("Upgrade"), timings.upgradeNs, Theme::Color::Upgrade);

    QStringList lines;
    for (const Segment &segment : std::as_const(m_segments))
        lines.append(segment.name + QStringLiteral(": ") + formatDuration(segment.durationNs));
    if (!m_segments.isEmpty())
        lines.append(QStringLiteral("Total: ") + formatDuration(totalNs()));
    setToolTip(lines.join(QLatin1Char('\n')));
    update();
}

qint64 TimingBar::totalNs() const noexcept
{
    qint64 total = 0;
    for (const Segment &segment : m_segments)
        total += segment.durationNs;
    return total;
}

QString TimingBar::formatDuration(qint64 ns)
{
    const double ms = double(ns) / 1e6;
    return QString::number(ms, 'f', ms < 10.0 ? 2 : 1) + QStringLiteral(" ms");
}

QSize TimingBar::sizeHint() const
{
    return {400, fontMetrics().height() + 12};
}

QSize TimingBar::minimumSizeHint() const
{
    return {100, fontMetrics().height() + 12};
}

void TimingBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    if (m_segments.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No connection timings"));
        return;
    }
    // Every segment gets at least a sliver, so that a phase of a few microseconds is still seen to have happened.
    constexpr double minimumWidth = 3.0;
    const double total = double(std::max<qint64>(totalNs(), 1));
    const double spare = std::max(0.0, area.width() - minimumWidth * double(m_segments.size()));
    const Theme theme(palette());
    double x = area.left();
    for (const Segment &segment : m_segments) {
        const double width = minimumWidth + spare * double(segment.durationNs) / total;
        const QRectF box(x, area.top(), width, area.height());
        const QColor color = theme.color(segment.color);
        painter.fillRect(box, color);
        const QString label = segment.name + QLatin1Char(' ') + formatDuration(segment.durationNs);
        const QString shortLabel = formatDuration(segment.durationNs);
        painter.setPen(Theme::textOn(color));
        if (fontMetrics().horizontalAdvance(label) + 6 <= box.width())
            painter.drawText(box, Qt::AlignCenter, label);
        else if (fontMetrics().horizontalAdvance(shortLabel) + 6 <= box.width())
            painter.drawText(box, Qt::AlignCenter, shortLabel);
        x += width;
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
}

} // namespace wsi
