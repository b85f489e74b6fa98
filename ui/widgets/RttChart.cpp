// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/RttChart.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace wsi {

RttChart::RttChart(QWidget *parent)
    : QWidget(parent)
{
    setMinimumHeight(40);
}

void RttChart::setSamples(QList<qint64> rttNs)
{
    if (rttNs.size() > maxSamples)
        rttNs = rttNs.mid(rttNs.size() - maxSamples);
    m_samples = std::move(rttNs);
    update();
}

void RttChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = QRectF(rect()).adjusted(2, 14, -2, -2);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area);
    if (m_samples.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, tr("no round trips yet: send a ping"));
        return;
    }
    const qint64 top = std::max<qint64>(1, *std::max_element(m_samples.cbegin(), m_samples.cend()));
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(rect()).adjusted(2, 0, -2, 0), Qt::AlignTop | Qt::AlignRight,
                     tr("max %1 ms").arg(double(top) / 1e6, 0, 'f', 2));
    const double step = m_samples.size() > 1 ? area.width() / double(maxSamples - 1) : 0;
    const double startX = area.right() - step * double(m_samples.size() - 1);
    QPainterPath path;
    for (qsizetype i = 0; i < m_samples.size(); ++i) {
        const QPointF point(startX + step * double(i),
                            area.bottom() - area.height() * double(m_samples[i]) / double(top));
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
    painter.drawPath(path);
    painter.setBrush(palette().color(QPalette::Highlight));
    painter.drawEllipse(path.currentPosition(), 2.5, 2.5);
}

} // namespace wsi
