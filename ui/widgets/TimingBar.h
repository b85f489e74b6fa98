// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/HandshakeRecord.h"
#include "ui/widgets/Theme.h"

#include <QList>
#include <QString>
#include <QWidget>

namespace wsi {

// The connection's phases (DNS, connect, TLS, upgrade) as one horizontal bar, each segment as wide as its share of
// the total time and labelled with its duration. Phases that did not happen (-1) have no segment.
class TimingBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimingBar)

public:
    struct Segment {
        QString name; // "DNS", "Connect", "TLS", "Upgrade"
        qint64 durationNs = 0;
        Theme::Color color; // of the current palette's theme when painted
    };

    explicit TimingBar(QWidget *parent = nullptr);

    void setTimings(const ConnectTimings &timings);
    const QList<Segment> &segments() const noexcept { return m_segments; }
    qint64 totalNs() const noexcept;

    // "12.3 ms"; below 10 ms with two decimals so that a local connect does not read as "0.0 ms".
    static QString formatDuration(qint64 ns);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Segment> m_segments;
};

} // namespace wsi
