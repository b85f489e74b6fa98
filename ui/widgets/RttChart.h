// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWidget>

namespace wsi {

// A small painted chart of round-trip times, newest on the right, scaled to the largest value shown.
class RttChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RttChart)

public:
    static constexpr qsizetype maxSamples = 120;

    explicit RttChart(QWidget *parent = nullptr);

    void setSamples(QList<qint64> rttNs); // keeps the last maxSamples
    const QList<qint64> &samples() const noexcept { return m_samples; }
    QSize sizeHint() const override { return {240, 60}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<qint64> m_samples;
};

} // namespace wsi
