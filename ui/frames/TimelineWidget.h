// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameRecord.h"
#include "core/records/FrameRuleMarks.h"
#include "ui/frames/TimelineSummary.h"

#include <QList>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

namespace wsi {

class FrameLog;

// One connection over time, from its start (0 on its clock) to its end, or to now while it runs: outgoing frames in
// the upper lane, incoming in the lower one. Data frames are bars whose height is the log of their size, control
// frames are shapes (ping ▲, pong ▼, close ■), frames with violations are red. Of a connection relayed with rules,
// the frames the relay wrote itself (injected) are bars in the warning colour, and the frames a rule acted on have a
// strip of that colour at their lane's base. Silences (no frame either way for
// over a second, see setMinimumSilence), the one before the end too, are shaded and labelled with their length;
// keepalive markers (where a timer cuts the connection) are red vertical lines; the end is a line labelled with how
// it closed; messages a pause rule held are bands in their sender's lane from held to let go. A legend under the axis
// says what the marks mean and how to move around, and tooltips say what is under the pointer. Colours are the
// palette's and the theme's (Theme), taken when painting. Wheel zooms around the cursor, dragging pans, a click selects
// the nearest frame, a double click fits everything.
//
// Painting is O(width): frames are summarised per pixel from a TimelineSummary that refresh() extends with the
// frames appended since the last call; individual frames are drawn only when few are visible. Times are assumed
// non-decreasing in log order (one session clock), which makes time lookups binary searches.
class TimelineWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineWidget)

public:
    // Frames summarised per refresh() at most; the rest follow on the next event-loop turns (a few ms each).
    static constexpr qsizetype maxFramesPerRefresh = 32768;

    struct TimeRange {
        qint64 startNs = 0;
        qint64 endNs = 0;
        qint64 spanNs() const noexcept { return endNs - startNs; }
        friend bool operator==(const TimeRange &, const TimeRange &) = default;
    };
    struct Silence {
        qint64 startNs = 0; // time of the last frame before it
        qint64 endNs = 0;   // time of the first frame after it
        qsizetype frameBefore = -1;
        qsizetype frameAfter = -1;
        QString label; // its length, "60.0 s"
    };
    struct Marker {
        qint64 timeNs = 0;
        QString label;
    };
    // A message a pause rule held (a breakpoint), as a span in its sender's lane from when it was held to when it was
    // let go (or to now while it waits).
    struct Hold {
        qint64 startNs = 0;
        qint64 endNs = -1; // -1: still held
        Direction direction = Direction::Outgoing;
        QString label; // "held 2.1 s: edited"
    };
    struct End {
        qint64 timeNs = 0;
        QString label; // "closed 1006"
        bool abnormal = false;
    };

    explicit TimelineWidget(QWidget *parent = nullptr);
    ~TimelineWidget() override;

    void setFrameLog(std::shared_ptr<const FrameLog> log);
    // Which relay rules acted on which frames of the log (null: none); set after setFrameLog(), before refresh().
    void setRuleMarks(std::shared_ptr<const FrameRuleMarks> marks);
    std::shared_ptr<const FrameLog> frameLog() const { return m_log; }

    // Reads the frames appended since the last call; connect to Session::framesAppended. A large backlog is
    // summarised over the next event-loop turns (maxFramesPerRefresh each); isCaughtUp() says when it is done.
    void refresh();
    bool isCaughtUp() const;

    void setSelectedFrame(qsizetype frameIndex);
    qsizetype selectedFrame() const noexcept { return m_selected; }

    // The relayed connection's holds (SessionRecords::holds), replacing those set before.
    void setHolds(QList<Hold> holds);
    const QList<Hold> &holds() const noexcept { return m_holds; }

    void addMarker(qint64 timeNs, const QString &label);
    void clearMarkers();
    const QList<Marker> &markers() const noexcept { return m_markers; }

    // The connection's end on its clock (its close): a line labelled `label`, in the failure colour when abnormal;
    // the range reaches it, and the silence before it shows. Until the next setFrameLog().
    void setEnd(qint64 timeNs, const QString &label, bool abnormal);
    const std::optional<End> &end() const noexcept { return m_end; }
    // While the connection runs: now on its clock, so the range (and the silence at its end) reaches it.
    void setNow(qint64 nowNs);

    // What the pointer at `position` is over, in words: a frame, a silence, a marker, the end, a lane or the legend.
    QString toolTipAt(QPoint position) const;
    // The legend's row under the axis (empty when the widget is too short for it), and where each entry is.
    QRect legendRect() const;
    struct LegendEntry {
        QRect rect;
        QString text;
        QString toolTip;
        int kind = 0; // what its swatch draws
    };
    QList<LegendEntry> legend() const;

    // Shows every frame; the view then follows new frames until the user zooms or pans.
    void fitAll();
    void setVisibleRange(TimeRange range);
    TimeRange visibleRange() const noexcept { return m_view; }
    // Zooms by `factor` (> 1 zooms in) keeping the time under `x` in place.
    void zoom(double factor, double x);

    // Gaps with no frame either way longer than this (and than 8 pixels) are silences; 1 s unless set.
    void setMinimumSilence(qint64 ns);
    qint64 minimumSilence() const noexcept { return m_minimumSilenceNs; }
    // The silences that show in the visible range, as painted.
    QList<Silence> silences() const;

    // Geometry, for the window and the tests.
    QRect plotRect() const;
    QRect laneRect(Direction direction) const;
    double xForTime(qint64 timeNs) const;
    qint64 timeForX(double x) const;

    static QString formatDuration(qint64 ns);
    static QString navigationHint();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The smallest size that still has room for the legend under the lanes.
    QSize compactSizeHint() const;

Q_SIGNALS:
    void frameClicked(qsizetype frameIndex);
    void visibleRangeChanged(wsi::TimelineWidget::TimeRange range);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    struct Column {
        quint32 count = 0;
        quint32 maxSize = 0;
        quint16 kinds = 0;
    };
    struct Colors;

    qsizetype firstFrameAtOrAfter(qint64 timeNs) const;
    qint64 frameTime(qsizetype index) const;
    TimeRange fullRange() const;
    void applyRange(TimeRange range, bool userAction);
    qint64 silenceThresholdNs() const;
    qsizetype nearestFrame(QPointF position) const;
    int gutterWidth() const;

    void paintAxis(QPainter &painter, const Colors &colors) const;
    void paintSilences(QPainter &painter, const Colors &colors, const QList<Silence> &silences) const;
    void paintFrames(QPainter &painter, const Colors &colors) const;
    void paintColumns(QPainter &painter, const Colors &colors, int lane, const std::vector<Column> &columns) const;
    void paintFrame(QPainter &painter, const Colors &colors, const FrameRecord &record, quint16 kinds,
                    bool selected) const;
    void paintControlShape(QPainter &painter, quint16 kinds, double x, const QRect &lane, const Colors &colors) const;
    // The strip at a lane's base under a frame a rule acted on.
    void paintRuleMark(QPainter &painter, double x, double width, const QRect &lane, const Colors &colors) const;
    quint16 kindsOf(qsizetype frame) const;
    void paintMarkers(QPainter &painter, const Colors &colors) const;
    void paintHolds(QPainter &painter, const Colors &colors) const;
    void paintLegend(QPainter &painter, const Colors &colors) const;
    // The end of the connection as far as it is known: its end, else now, else the last frame.
    qint64 knownEndNs() const;
    int legendHeight() const;
    double barHeight(quint64 size, int available) const;

    std::shared_ptr<const FrameLog> m_log;
    std::shared_ptr<const FrameRuleMarks> m_ruleMarks;
    FrameRuleMarks::Progress m_ruleMarksSeen;
    std::optional<FrameRuleMarks::Run> m_lastRuleRun; // the last run seen, which may grow
    TimelineSummary m_summary;
    qsizetype m_processed = 0;
    // The next slice of a burst. A zero-interval timer, not a posted call: Qt's GLib event loop runs timers only
    // once posted events run dry, so a chain of posted calls would hold back every timer (clocks, countdowns, the
    // refresh pace) until the whole burst is in.
    QTimer m_catchUp;
    qint64 m_firstNs = 0;
    qint64 m_lastNs = 0;
    TimeRange m_view{0, 1'000'000'000};
    bool m_following = true;
    qint64 m_minimumSilenceNs = 1'000'000'000;
    qsizetype m_selected = -1;
    QList<Marker> m_markers;
    QList<Hold> m_holds;
    std::optional<End> m_end;
    qint64 m_nowNs = -1;

    bool m_pressed = false;
    bool m_dragging = false;
    QPointF m_pressPosition;
    TimeRange m_pressRange;
};

} // namespace wsi
