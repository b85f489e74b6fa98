// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/frames/TimelineWidget.h"

#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "ui/widgets/Theme.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace wsi {

namespace {

constexpr qint64 nsPerSecond = 1'000'000'000;
constexpr qint64 minimumSpanNs = 1'000;
constexpr int controlRowHeight = 12;
constexpr int clickTolerancePx = 6;
constexpr int minimumSilencePx = 8;
constexpr qsizetype directBinLimit = 262'144; // above this, bin from the summary even when its buckets are wide
constexpr int markTolerancePx = 4;            // how near a line the pointer must be for its tooltip
constexpr int swatchWidth = 12;
constexpr int minimumPlotHeight = 100; // the widget's height without the legend, at its smallest

// What a legend entry's swatch draws.
enum LegendKind : quint8 {
    LegendData,
    LegendPing,
    LegendPong,
    LegendClose,
    LegendViolation,
    LegendSilence,
    LegendCut,
    LegendEnd,
    LegendRule,
    LegendHint
};

QString seconds(qint64 ns)
{
    return QString::number(double(ns) / 1e9, 'f', 3) + QStringLiteral(" s");
}

// Steps of 1, 2, 5 x 10^k below a second, then the ones a clock shows.
qint64 niceStep(double minimumNs)
{
    static constexpr qint64 clockSteps[] = {2,   5,   10,   15,   30,   60,    120,   300,
                                            600, 900, 1800, 3600, 7200, 21600, 43200, 86400};
    if (minimumNs <= 1)
        return 1;
    if (minimumNs <= double(nsPerSecond)) {
        qint64 decade = 1;
        while (true) {
            for (const qint64 m : {1, 2, 5}) {
                if (double(decade * m) >= minimumNs)
                    return decade * m;
            }
            decade *= 10;
        }
    }
    for (const qint64 s : clockSteps) {
        if (double(s * nsPerSecond) >= minimumNs)
            return s * nsPerSecond;
    }
    const qint64 day = 86400 * nsPerSecond;
    return qint64(std::ceil(minimumNs / double(day))) * day;
}

QString tickLabel(qint64 timeNs, qint64 stepNs, qint64 viewEndNs)
{
    if (stepNs >= 60 * nsPerSecond) {
        const qint64 seconds = timeNs / nsPerSecond;
        const qint64 h = seconds / 3600;
        const qint64 m = (seconds / 60) % 60;
        const qint64 s = seconds % 60;
        const QString mm = QString::number(m).rightJustified(h > 0 ? 2 : 1, u'0');
        const QString ss = QString::number(s).rightJustified(2, u'0');
        if (h > 0)
            return QString::number(h) + u':' + mm + u':' + ss;
        return mm + u':' + ss;
    }
    qint64 unit = nsPerSecond;
    QString suffix = QStringLiteral(" s");
    if (viewEndNs < 1'000'000) {
        unit = 1'000;
        suffix = QStringLiteral(" µs");
    } else if (viewEndNs < nsPerSecond) {
        unit = 1'000'000;
        suffix = QStringLiteral(" ms");
    }
    const double stepInUnits = double(stepNs) / double(unit);
    const int decimals = std::max(0, int(std::ceil(-std::log10(stepInUnits) - 1e-9)));
    return QString::number(double(timeNs) / double(unit), 'f', decimals) + suffix;
}

} // namespace

struct TimelineWidget::Colors {
    QColor background, laneBackground[2], text, grid, data[2], ping, pong, close, otherControl, violation, silence,
        highlight, marker, rules, hold;

    explicit Colors(const QPalette &palette)
    {
        const Theme theme(palette);
        background = palette.color(QPalette::Base);
        const bool dark = background.lightness() < 128;
        laneBackground[0] = palette.color(QPalette::AlternateBase);
        if (laneBackground[0] == background)
            laneBackground[0] = dark ? background.lighter(115) : background.darker(104);
        laneBackground[1] = background;
        text = palette.color(QPalette::Text);
        grid = palette.color(QPalette::Mid);
        data[0] = palette.color(QPalette::Link);
        data[1] = Theme::mix(background, text, 0.6);
        ping = theme.color(Theme::Color::Ping);
        pong = theme.color(Theme::Color::Pong);
        close = theme.color(Theme::Color::Close);
        otherControl = theme.color(Theme::Color::OtherControl);
        violation = theme.color(Theme::Color::Failure);
        silence = Theme::mix(background, grid, 0.35);
        highlight = palette.color(QPalette::Highlight);
        marker = theme.color(Theme::Color::Failure);
        // What the rules did: written on purpose, like a deliberately invalid frame.
        rules = theme.color(Theme::Color::Warning);
        hold = theme.color(Theme::Color::Warning);
    }
};

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::ClickFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(0);
    connect(&m_catchUp, &QTimer::timeout, this, &TimelineWidget::refresh);
}

TimelineWidget::~TimelineWidget() = default;

QSize TimelineWidget::sizeHint() const
{
    return {800, 160 + legendHeight()};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {200, minimumPlotHeight};
}

QSize TimelineWidget::compactSizeHint() const
{
    return {200, minimumPlotHeight + legendHeight()};
}

void TimelineWidget::setFrameLog(std::shared_ptr<const FrameLog> log)
{
    m_log = std::move(log);
    m_ruleMarks.reset();
    m_ruleMarksSeen = {};
    m_lastRuleRun.reset();
    m_summary.clear();
    m_processed = 0;
    m_firstNs = 0;
    m_lastNs = 0;
    m_selected = -1;
    m_following = true;
    m_end.reset();
    m_holds.clear();
    m_nowNs = -1;
    refresh();
    applyRange(fullRange(), false);
}

void TimelineWidget::setRuleMarks(std::shared_ptr<const FrameRuleMarks> marks)
{
    if (marks == m_ruleMarks)
        return;
    m_ruleMarks = std::move(marks);
    m_ruleMarksSeen = {};
    m_lastRuleRun.reset();
    // Summarised again with the marks.
    m_summary.clear();
    m_processed = 0;
    refresh();
    update();
}

quint16 TimelineWidget::kindsOf(qsizetype frame) const
{
    const quint16 kinds = TimelineSummary::kindsOf(m_log->frame(frame));
    return m_ruleMarks && m_ruleMarks->ruleIndexOf(frame) >= 0 ? kinds | TimelineSummary::RuleActed : kinds;
}

void TimelineWidget::setEnd(qint64 timeNs, const QString &label, bool abnormal)
{
    m_end = End{timeNs, label, abnormal};
    if (m_following)
        applyRange(fullRange(), false);
    update();
}

void TimelineWidget::setNow(qint64 nowNs)
{
    if (m_end || nowNs <= m_nowNs)
        return;
    m_nowNs = nowNs;
    if (m_following)
        applyRange(fullRange(), false);
    update();
}

qint64 TimelineWidget::knownEndNs() const
{
    if (m_end)
        return m_end->timeNs;
    return std::max(m_nowNs, m_processed > 0 ? m_lastNs : 0);
}

void TimelineWidget::refresh()
{
    if (!m_log)
        return;
    // A burst of hundreds of thousands of frames is summarised over several event-loop turns, a bounded slice each,
    // so the window keeps painting and answering input while the timeline catches up.
    const qsizetype available = m_log->frameCount();
    const qsizetype count = std::min(available, m_processed + maxFramesPerRefresh);
    if (count < available && !m_catchUp.isActive())
        m_catchUp.start();
    for (qsizetype i = m_processed; i < count; ++i) {
        const FrameRecord &record = m_log->frame(i);
        m_summary.add(record, m_ruleMarks && m_ruleMarks->ruleIndexOf(i) >= 0 ? TimelineSummary::RuleActed : 0);
        if (i == 0) {
            m_firstNs = m_lastNs = record.timeNs;
        } else {
            m_firstNs = std::min(m_firstNs, record.timeNs);
            m_lastNs = std::max(m_lastNs, record.timeNs);
        }
    }
    bool grew = count != m_processed;
    m_processed = count;
    if (m_ruleMarks) {
        // Marks that came after their frames were summarised (a message's frames are marked with its last one).
        for (const FrameRuleMarks::Run &run : m_ruleMarks->runsSince(m_ruleMarksSeen)) {
            qint64 from = run.first;
            if (m_lastRuleRun && m_lastRuleRun->first == run.first)
                from = std::max(from, m_lastRuleRun->last + 1);
            for (qint64 i = from; i <= std::min<qint64>(run.last, m_processed - 1); ++i) {
                m_summary.addKinds(m_log->frame(qsizetype(i)), TimelineSummary::RuleActed);
                grew = true;
            }
            m_lastRuleRun = run;
        }
    }
    if (grew) {
        if (m_following)
            applyRange(fullRange(), false);
        update();
    }
}

bool TimelineWidget::isCaughtUp() const
{
    return !m_log || m_processed >= m_log->frameCount();
}

void TimelineWidget::setSelectedFrame(qsizetype frameIndex)
{
    if (frameIndex == m_selected)
        return;
    m_selected = frameIndex;
    update();
}

void TimelineWidget::setHolds(QList<Hold> holds)
{
    m_holds = std::move(holds);
    update();
}

void TimelineWidget::addMarker(qint64 timeNs, const QString &label)
{
    m_markers.append(Marker{timeNs, label});
    if (m_following)
        applyRange(fullRange(), false);
    update();
}

void TimelineWidget::clearMarkers()
{
    m_markers.clear();
    update();
}

void TimelineWidget::fitAll()
{
    m_following = true;
    applyRange(fullRange(), false);
}

void TimelineWidget::setVisibleRange(TimeRange range)
{
    applyRange(range, true);
}

void TimelineWidget::zoom(double factor, double x)
{
    if (factor <= 0)
        return;
    const QRect plot = plotRect();
    const double fraction = std::clamp((x - plot.left()) / std::max(1, plot.width()), 0.0, 1.0);
    const double anchor = double(m_view.startNs) + fraction * double(m_view.spanNs());
    const double maximumSpan = std::max(double(fullRange().spanNs()) * 10, 10.0 * nsPerSecond);
    const double span = std::clamp(double(m_view.spanNs()) / factor, double(minimumSpanNs), maximumSpan);
    const auto start = qint64(std::llround(anchor - fraction * span));
    applyRange(TimeRange{start, start + qint64(std::llround(span))}, true);
}

void TimelineWidget::applyRange(TimeRange range, bool userAction)
{
    if (range.spanNs() < minimumSpanNs)
        range.endNs = range.startNs + minimumSpanNs;
    if (userAction)
        m_following = false;
    if (range == m_view)
        return;
    m_view = range;
    Q_EMIT visibleRangeChanged(m_view);
    update();
}

TimelineWidget::TimeRange TimelineWidget::fullRange() const
{
    // The whole connection, from its start (0 on its clock) to its end or now, and the markers: a predicted timeout
    // usually lies after the last frame, and is the point of it, as is the silence before the end.
    // A marker alone (a prediction over a silent connection) is seen from the start too, with the silence
    // leading to it, never as a 1 ms window around the marker.
    qint64 first = std::min<qint64>(0, m_firstNs);
    qint64 last = std::max(m_lastNs, knownEndNs());
    bool any = m_processed > 0 || m_end || m_nowNs > 0;
    for (const Marker &marker : m_markers) {
        first = std::min(first, marker.timeNs);
        last = std::max(last, marker.timeNs);
        any = true;
    }
    if (!any)
        return TimeRange{0, nsPerSecond};
    const qint64 span = std::max<qint64>(last - first, 1'000'000);
    const qint64 padding = span / 50;
    return TimeRange{first - padding, first + span + padding};
}

int TimelineWidget::gutterWidth() const
{
    const QFontMetrics metrics(font());
    return std::max(metrics.horizontalAdvance(tr("Outgoing")), metrics.horizontalAdvance(tr("Incoming"))) + 12;
}

int TimelineWidget::legendHeight() const
{
    return QFontMetrics(font()).height() + 6;
}

QRect TimelineWidget::legendRect() const
{
    // Only when the lanes keep their room: a squeezed timeline shows frames rather than what they mean (the
    // tooltips still say it).
    const int legend = height() >= minimumPlotHeight + legendHeight() ? legendHeight() : 0;
    return QRect(0, height() - legend, width(), legend);
}

QRect TimelineWidget::plotRect() const
{
    const QFontMetrics metrics(font());
    const int top = metrics.height() + 4;                             // room for marker labels
    const int bottom = metrics.height() + 10 + legendRect().height(); // the time axis, then the legend
    const int left = gutterWidth();
    return QRect(left, top, std::max(1, width() - left - 4), std::max(2, height() - top - bottom));
}

QRect TimelineWidget::laneRect(Direction direction) const
{
    const QRect plot = plotRect();
    const int half = plot.height() / 2;
    if (direction == Direction::Outgoing)
        return QRect(plot.left(), plot.top(), plot.width(), half - 1);
    return QRect(plot.left(), plot.top() + half + 1, plot.width(), plot.height() - half - 1);
}

double TimelineWidget::xForTime(qint64 timeNs) const
{
    const QRect plot = plotRect();
    return plot.left() + double(timeNs - m_view.startNs) * plot.width() / double(m_view.spanNs());
}

qint64 TimelineWidget::timeForX(double x) const
{
    const QRect plot = plotRect();
    return m_view.startNs + qint64(std::llround((x - plot.left()) * double(m_view.spanNs()) / plot.width()));
}

qint64 TimelineWidget::frameTime(qsizetype index) const
{
    return m_log->frame(index).timeNs;
}

qsizetype TimelineWidget::firstFrameAtOrAfter(qint64 timeNs) const
{
    qsizetype low = 0;
    qsizetype high = m_processed;
    while (low < high) {
        const qsizetype middle = low + (high - low) / 2;
        if (frameTime(middle) < timeNs)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

qint64 TimelineWidget::silenceThresholdNs() const
{
    // Longer than the minimum and wide enough to see and label: at a zoomed-out view only the long ones show.
    const qint64 visible = qint64(double(m_view.spanNs()) * minimumSilencePx / plotRect().width());
    return std::max({m_minimumSilenceNs, visible, qint64(1)});
}

void TimelineWidget::setMinimumSilence(qint64 ns)
{
    m_minimumSilenceNs = std::max<qint64>(ns, 1);
    update();
}

QList<TimelineWidget::Silence> TimelineWidget::silences() const
{
    QList<Silence> result;
    const qint64 threshold = silenceThresholdNs();
    // The silence before the end (or now) is the one that tells most about a cut: it counts from the last frame, or
    // from the start when nothing crossed at all.
    const auto appendFinal = [&] {
        const qint64 from = m_processed > 0 ? m_lastNs : 0;
        const qint64 end = knownEndNs();
        if ((m_end || m_nowNs >= 0) && end - from > threshold && end > m_view.startNs && from < m_view.endNs)
            result.append(Silence{from, end, m_processed - 1, -1, formatDuration(end - from)});
    };
    if (!m_log || m_processed < 2) {
        appendFinal();
        return result;
    }
    // Jump by the threshold: each step either finds a gap or moves past at least one threshold's worth of
    // frames, so the cost follows the view's width, not the number of frames.
    qsizetype i = std::max<qsizetype>(0, firstFrameAtOrAfter(m_view.startNs) - 1);
    while (i + 1 < m_processed) {
        const qint64 t = frameTime(i);
        if (t >= m_view.endNs)
            break;
        const qsizetype next = firstFrameAtOrAfter(t + threshold + 1);
        if (next >= m_processed)
            break;
        if (next == i + 1) {
            const qint64 end = frameTime(next);
            if (end > m_view.startNs)
                result.append(Silence{t, end, i, next, formatDuration(end - t)});
            i = next;
        } else {
            i = next - 1;
        }
    }
    appendFinal();
    return result;
}

QString TimelineWidget::navigationHint()
{
    return tr("wheel: zoom · drag: pan · double-click: fit");
}

QString TimelineWidget::formatDuration(qint64 ns)
{
    if (ns < 1'000)
        return QString::number(ns) + QStringLiteral(" ns");
    if (ns < 1'000'000)
        return QString::number(double(ns) / 1e3, 'f', 1) + QStringLiteral(" µs");
    if (ns < nsPerSecond)
        return QString::number(double(ns) / 1e6, 'f', 1) + QStringLiteral(" ms");
    if (ns < 600 * nsPerSecond)
        return QString::number(double(ns) / 1e9, 'f', 1) + QStringLiteral(" s");
    const qint64 seconds = ns / nsPerSecond;
    if (seconds < 3600)
        return QString::number(seconds / 60) + QStringLiteral(" min ") + QString::number(seconds % 60) +
               QStringLiteral(" s");
    return QString::number(seconds / 3600) + QStringLiteral(" h ") + QString::number((seconds / 60) % 60) +
           QStringLiteral(" min");
}

double TimelineWidget::barHeight(quint64 size, int available) const
{
    const double top = std::log2(double(std::max<quint64>(m_summary.maxPayloadLength(), 1024)) + 1);
    const double fraction = std::log2(double(size) + 1) / top;
    return std::clamp(3 + fraction * (available - 3), 3.0, double(std::max(3, available)));
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const Colors colors(palette());
    painter.fillRect(rect(), colors.background);

    const QRect outgoing = laneRect(Direction::Outgoing);
    const QRect incoming = laneRect(Direction::Incoming);
    painter.fillRect(outgoing, colors.laneBackground[0]);
    painter.fillRect(incoming, colors.laneBackground[1]);
    painter.setPen(colors.grid);
    painter.drawLine(QPoint(outgoing.left(), outgoing.bottom() + 1), QPoint(outgoing.right(), outgoing.bottom() + 1));
    painter.setPen(colors.text);
    const int gutter = gutterWidth();
    painter.drawText(QRect(4, outgoing.top(), gutter - 8, outgoing.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Outgoing"));
    painter.drawText(QRect(4, incoming.top(), gutter - 8, incoming.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Incoming"));

    const QRect plot = plotRect();
    painter.save();
    painter.setClipRect(plot);
    paintSilences(painter, colors, silences());
    paintHolds(painter, colors);
    paintFrames(painter, colors);
    painter.restore();
    paintMarkers(painter, colors);
    paintAxis(painter, colors);
    paintLegend(painter, colors);
}

void TimelineWidget::paintSilences(QPainter &painter, const Colors &colors, const QList<Silence> &list) const
{
    const QRect plot = plotRect();
    const QFontMetrics metrics(font());
    for (const Silence &silence : list) {
        // Shade strictly between the two frames so their own marks stay visible.
        const double x0 = std::max(xForTime(silence.startNs) + 2, double(plot.left()));
        const double x1 = std::min(xForTime(silence.endNs) - 1, double(plot.right() + 1));
        if (x1 <= x0)
            continue;
        const QRectF area(x0, plot.top(), x1 - x0, plot.height());
        painter.fillRect(area, colors.silence);
        if (metrics.horizontalAdvance(silence.label) + 6 <= area.width()) {
            painter.setPen(colors.text);
            painter.drawText(area, Qt::AlignCenter, silence.label);
        }
    }
}

void TimelineWidget::paintFrames(QPainter &painter, const Colors &colors) const
{
    if (!m_log || m_processed == 0)
        return;
    const QRect plot = plotRect();
    const double nsPerPixel = double(m_view.spanNs()) / plot.width();
    const auto margin = qint64(std::ceil(nsPerPixel * 2));
    const qsizetype low = firstFrameAtOrAfter(m_view.startNs - margin);
    const qsizetype high = firstFrameAtOrAfter(m_view.endNs + margin);
    const qsizetype visible = high - low;

    if (visible <= std::max(64, plot.width() / 4)) {
        painter.setRenderHint(QPainter::Antialiasing, false);
        for (qsizetype i = low; i < high; ++i)
            paintFrame(painter, colors, m_log->frame(i), kindsOf(i), false);
    } else {
        std::vector<Column> columns[2] = {std::vector<Column>(size_t(plot.width())),
                                          std::vector<Column>(size_t(plot.width()))};
        const auto merge = [](Column &column, quint32 count, quint32 size, quint16 kinds) {
            column.count += count;
            column.maxSize = std::max(column.maxSize, size);
            column.kinds |= kinds;
        };
        const auto columnOf = [&](double timeNs) {
            return qsizetype(std::floor((timeNs - double(m_view.startNs)) / nsPerPixel));
        };
        const int level = TimelineSummary::levelFor(nsPerPixel);
        if (level < 0 && visible <= directBinLimit) {
            for (qsizetype i = low; i < high; ++i) {
                const FrameRecord &record = m_log->frame(i);
                const qsizetype c = columnOf(double(record.timeNs));
                if (c < 0 || c >= plot.width())
                    continue;
                const auto size = quint32(std::min<quint64>(record.payloadLength, 0xffffffffu));
                merge(columns[TimelineSummary::laneOf(record.direction())][size_t(c)], 1, size, kindsOf(i));
            }
        } else {
            const int used = std::max(level, 0);
            const qint64 width = TimelineSummary::levelWidthNs(used);
            for (int lane = 0; lane < 2; ++lane) {
                const auto &buckets = m_summary.buckets(lane, used);
                for (auto i = size_t(m_summary.firstBucketAfter(lane, used, m_view.startNs)); i < buckets.size(); ++i) {
                    const TimelineSummary::Bucket &b = buckets[i];
                    const qint64 start = qint64(b.index) * width;
                    if (start >= m_view.endNs)
                        break;
                    // A bucket narrower than a pixel goes to the column of its middle; a wider one covers its span.
                    qsizetype c0 = columnOf(double(start) + (level >= 0 ? double(width) / 2 : 0.0));
                    qsizetype c1 = level >= 0 ? c0 : columnOf(double(start + width - 1));
                    c0 = std::max<qsizetype>(c0, 0);
                    c1 = std::min<qsizetype>(c1, plot.width() - 1);
                    for (qsizetype c = c0; c <= c1; ++c)
                        merge(columns[lane][size_t(c)], b.count, b.maxSize, b.kinds);
                }
            }
        }
        painter.setRenderHint(QPainter::Antialiasing, false);
        paintColumns(painter, colors, 0, columns[0]);
        paintColumns(painter, colors, 1, columns[1]);
    }

    if (m_selected >= 0 && m_selected < m_processed) {
        const FrameRecord &record = m_log->frame(m_selected);
        const double x = std::floor(xForTime(record.timeNs)) + 0.5;
        QColor band = colors.highlight;
        band.setAlpha(70);
        painter.fillRect(QRectF(x - 3.5, plot.top(), 7, plot.height()), band);
        paintFrame(painter, colors, record, kindsOf(m_selected), true);
    }
}

void TimelineWidget::paintColumns(QPainter &painter, const Colors &colors, int lane,
                                  const std::vector<Column> &columns) const
{
    const QRect area = laneRect(lane == 0 ? Direction::Outgoing : Direction::Incoming);
    const int available = area.height() - controlRowHeight - 2;
    QList<QLine> normal;
    QList<QLine> faulty;
    QList<QLine> injected;
    for (size_t c = 0; c < columns.size(); ++c) {
        const Column &column = columns[c];
        if ((column.kinds & TimelineSummary::Data) == 0)
            continue;
        const int x = area.left() + int(c);
        const int h = int(barHeight(column.maxSize, available));
        (column.kinds & TimelineSummary::Violation  ? faulty
         : column.kinds & TimelineSummary::Injected ? injected
                                                    : normal)
            .append(QLine(x, area.bottom(), x, area.bottom() - h + 1));
    }
    painter.setPen(QPen(colors.data[lane], 1));
    painter.drawLines(normal);
    painter.setPen(QPen(colors.rules, 1));
    painter.drawLines(injected);
    painter.setPen(QPen(colors.violation, 1));
    painter.drawLines(faulty);
    for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].kinds & (TimelineSummary::RuleActed | TimelineSummary::Injected))
            paintRuleMark(painter, area.left() + double(c), 1, area, colors);
    }

    painter.setRenderHint(QPainter::Antialiasing, true);
    // Control shapes are a few pixels wide: draw at most one per 3 columns so a dense stretch stays readable.
    quint16 pending = 0;
    for (size_t c = 0; c < columns.size(); ++c) {
        // A column's violation may belong to a data frame (already a red bar): ring the shapes only when the
        // column holds control frames alone.
        const quint16 kinds = columns[c].kinds;
        pending |= kinds & TimelineSummary::Data
                       ? kinds & quint16(~(TimelineSummary::Data | TimelineSummary::Violation))
                       : kinds;
        if ((pending & ~TimelineSummary::Violation) != 0 && (c % 3 == 2 || c + 1 == columns.size())) {
            paintControlShape(painter, pending, area.left() + double(c) - 0.5, area, colors);
            pending = 0;
        } else if (c % 3 == 2) {
            pending = 0;
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineWidget::paintControlShape(QPainter &painter, quint16 kinds, double x, const QRect &lane,
                                       const Colors &colors) const
{
    const double y = lane.top() + controlRowHeight / 2.0 + 1;
    const double r = 4;
    const QPen outline(kinds & TimelineSummary::Violation ? colors.violation : colors.text, 1);
    painter.setPen(Qt::NoPen);
    // Several kinds in one column: the shapes overlap, close drawn last as the most telling.
    if (kinds & TimelineSummary::Ping) {
        painter.setBrush(colors.ping);
        const QPointF up[] = {{x, y - r}, {x + r, y + r}, {x - r, y + r}};
        painter.drawPolygon(up, 3);
    }
    if (kinds & TimelineSummary::Pong) {
        painter.setBrush(colors.pong);
        const QPointF down[] = {{x - r, y - r}, {x + r, y - r}, {x, y + r}};
        painter.drawPolygon(down, 3);
    }
    if (kinds & TimelineSummary::OtherControl) {
        painter.setBrush(colors.otherControl);
        const QPointF diamond[] = {{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}};
        painter.drawPolygon(diamond, 4);
    }
    if (kinds & TimelineSummary::Close) {
        painter.setBrush(colors.close);
        painter.drawRect(QRectF(x - r + 0.5, y - r + 0.5, 2 * r - 1, 2 * r - 1));
    }
    if (kinds & TimelineSummary::Violation) {
        painter.setPen(outline);
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QPointF(x, y), r + 1.5, r + 1.5);
    }
    painter.setBrush(Qt::NoBrush);
}

void TimelineWidget::paintRuleMark(QPainter &painter, double x, double width, const QRect &lane,
                                   const Colors &colors) const
{
    painter.fillRect(QRectF(x, lane.bottom() - 2, width, 3), colors.rules);
}

void TimelineWidget::paintFrame(QPainter &painter, const Colors &colors, const FrameRecord &record, quint16 kinds,
                                bool selected) const
{
    const QRect area = laneRect(record.direction());
    const int lane = TimelineSummary::laneOf(record.direction());
    const double x = std::floor(xForTime(record.timeNs)) + 0.5;
    if (kinds & (TimelineSummary::RuleActed | TimelineSummary::Injected))
        paintRuleMark(painter, x - 3.5, 7, area, colors);
    if (kinds & TimelineSummary::Data) {
        const int available = area.height() - controlRowHeight - 2;
        const double h = barHeight(record.payloadLength, available);
        const QColor color = selected                                    ? colors.highlight
                             : (kinds & TimelineSummary::Violation) != 0 ? colors.violation
                             : (kinds & TimelineSummary::Injected) != 0  ? colors.rules
                                                                         : colors.data[lane];
        painter.fillRect(QRectF(x - 1.5, area.bottom() + 1 - h, 3, h), color);
        if (selected) {
            painter.setPen(QPen(colors.text, 1));
            painter.drawRect(QRectF(x - 2.5, area.bottom() + 0.5 - h, 5, h));
        }
    } else {
        painter.setRenderHint(QPainter::Antialiasing, true);
        paintControlShape(painter, kinds, x, area, colors);
        if (selected) {
            painter.setPen(QPen(colors.highlight, 2));
            const double y = area.top() + controlRowHeight / 2.0 + 1;
            painter.drawEllipse(QPointF(x, y), 7, 7);
        }
        painter.setRenderHint(QPainter::Antialiasing, false);
    }
}

void TimelineWidget::paintHolds(QPainter &painter, const Colors &colors) const
{
    const QFontMetrics metrics(font());
    const qint64 endNs = knownEndNs();
    QColor fill = colors.hold;
    fill.setAlpha(45);
    for (qsizetype i = 0; i < m_holds.size(); ++i) {
        const Hold &hold = m_holds.at(i);
        const QRect lane = laneRect(hold.direction);
        const double left = xForTime(hold.startNs);
        const double right = std::max(left + 2, xForTime(hold.endNs >= 0 ? hold.endNs : endNs));
        const QRectF band(left, lane.top() + 2, right - left, lane.height() - 4);
        painter.fillRect(band, fill);
        painter.setPen(colors.hold);
        painter.drawRect(band.adjusted(0.5, 0.5, -0.5, -0.5));
        // Its label where nothing else is held yet: up to the next hold of its lane (holds overlap when messages
        // wait behind one another).
        double room = right - left;
        for (qsizetype next = i + 1; next < m_holds.size(); ++next) {
            if (m_holds.at(next).direction == hold.direction) {
                room = std::min(room, xForTime(m_holds.at(next).startNs) - left);
                break;
            }
        }
        const QString label = metrics.elidedText(hold.label, Qt::ElideRight, int(room) - 6);
        if (label.size() > 3) {
            painter.setPen(colors.text);
            painter.drawText(QRectF(left + 3, band.top(), room - 6, band.height()), Qt::AlignLeft | Qt::AlignTop,
                             label);
        }
    }
}

void TimelineWidget::paintMarkers(QPainter &painter, const Colors &colors) const
{
    const QRect plot = plotRect();
    const QFontMetrics metrics(font());
    struct Line {
        double x;
        QString label;
        QColor color;
        int width;
    };
    QList<Line> lines;
    for (const Marker &marker : m_markers)
        lines.append({std::floor(xForTime(marker.timeNs)) + 0.5, marker.label, colors.marker, 1});
    if (m_end)
        lines.append({std::floor(xForTime(m_end->timeNs)) + 0.5, m_end->label,
                      m_end->abnormal ? colors.marker : colors.text, 2});
    std::stable_sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) { return a.x < b.x; });
    // Lines on the same pixels (a cut and the close it causes) share one label, "cut: … · closed 1006".
    for (qsizetype i = lines.size() - 1; i > 0; --i) {
        Line &before = lines[i - 1];
        if (lines[i].x - before.x <= 2 && !lines[i].label.isEmpty()) {
            before.label =
                before.label.isEmpty() ? lines[i].label : before.label + QStringLiteral(" · ") + lines[i].label;
            lines[i].label.clear();
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    QList<std::pair<double, double>> taken; // labels drawn: they never overlap
    const auto fits = [&](double left, double right) {
        if (left < 0 || right > width())
            return false;
        return std::none_of(taken.cbegin(), taken.cend(),
                            [&](const auto &t) { return left < t.second + 6 && right + 6 > t.first; });
    };
    for (const Line &line : std::as_const(lines)) {
        if (line.x < plot.left() || line.x > plot.right() + 1)
            continue;
        painter.setPen(QPen(line.color, line.width, Qt::SolidLine));
        painter.drawLine(QPointF(line.x, 0), QPointF(line.x, plot.bottom()));
        if (line.label.isEmpty())
            continue;
        const int textWidth = metrics.horizontalAdvance(line.label);
        // Right of the line, else left of it (near the right edge, or beside another label); else none: its
        // tooltip still says it.
        double textX = line.x + 3;
        if (!fits(textX, textX + textWidth))
            textX = line.x - 3 - textWidth;
        if (!fits(textX, textX + textWidth))
            continue;
        painter.drawText(QPointF(textX, metrics.ascent() + 1), line.label);
        taken.append({textX, textX + textWidth});
    }
}

QList<TimelineWidget::LegendEntry> TimelineWidget::legend() const
{
    const QRect row = legendRect();
    const QFontMetrics metrics(font());
    if (row.isEmpty())
        return {};
    const QList<LegendEntry> all = {
        {{}, tr("data"), tr("A data frame: the bar's height grows with its size (log scale)"), LegendData},
        {{}, tr("ping"), tr("A ping, in the lane of the end that sent it"), LegendPing},
        {{}, tr("pong"), tr("A pong, in the lane of the end that sent it"), LegendPong},
        {{}, tr("close"), tr("A Close frame"), LegendClose},
        {{}, tr("violation"), tr("A frame that breaks the protocol (see the frame's detail)"), LegendViolation},
        {{},
         tr("silence"),
         tr("No frame either way for at least a second, with its length; the one before the end "
            "is the first clue to an idle timeout"),
         LegendSilence},
        {{},
         tr("cut"),
         tr("Where a keepalive timer cuts the connection: the timeout proxy's, or the Keepalive "
            "tab's prediction"),
         LegendCut},
        {{},
         tr("end"),
         tr("Where the connection ended, and how it closed: in red when it did not close cleanly"),
         LegendEnd},
    };
    // Of a connection with rules only (relayed, or our own session's).
    const QList<LegendEntry> rules = {
        {{},
         tr("rule"),
         tr("A frame a rule acted on: a strip at its lane's base; the frames a rule wrote (injected) are bars "
            "in this colour"),
         LegendRule},
    };
    QList<LegendEntry> shown;
    int x = row.left() + 4;
    const int hintWidth = metrics.horizontalAdvance(navigationHint());
    for (LegendEntry entry : m_ruleMarks ? all + rules : all) {
        const int entryWidth = swatchWidth + 4 + metrics.horizontalAdvance(entry.text);
        if (x + entryWidth > row.right() - 4)
            break;
        entry.rect = QRect(x, row.top(), entryWidth, row.height());
        shown.append(entry);
        x += entryWidth + 12;
    }
    // The way to move around, right-aligned, when there is room for it.
    if (x + hintWidth <= row.right() - 4) {
        shown.append({QRect(row.right() - 4 - hintWidth, row.top(), hintWidth, row.height()), navigationHint(),
                      tr("Wheel: zoom around the pointer. Drag: pan. Double-click: fit the whole connection again "
                         "(the view then follows it as it grows)."),
                      LegendHint});
    }
    return shown;
}

void TimelineWidget::paintLegend(QPainter &painter, const Colors &colors) const
{
    const QFontMetrics metrics(font());
    const QList<LegendEntry> entries = legend();
    for (const LegendEntry &entry : entries) {
        const QRect r = entry.rect;
        const double cy = r.center().y() + 0.5;
        const QRectF swatch(r.left(), cy - 5, swatchWidth, 10);
        painter.setRenderHint(QPainter::Antialiasing, false);
        switch (LegendKind(entry.kind)) {
        case LegendData:
            painter.fillRect(QRectF(swatch.center().x() - 1.5, swatch.top(), 3, swatch.height()), colors.data[0]);
            break;
        case LegendViolation:
            painter.fillRect(QRectF(swatch.center().x() - 1.5, swatch.top(), 3, swatch.height()), colors.violation);
            break;
        case LegendPing:
        case LegendPong:
        case LegendClose: {
            const quint16 kind = entry.kind == LegendPing   ? TimelineSummary::Ping
                                 : entry.kind == LegendPong ? TimelineSummary::Pong
                                                            : TimelineSummary::Close;
            painter.setRenderHint(QPainter::Antialiasing, true);
            // paintControlShape centres the shape at controlRowHeight / 2 + 1 below a lane's top.
            paintControlShape(painter, kind, swatch.center().x(),
                              QRect(r.left(), int(cy - controlRowHeight / 2.0 - 1), swatchWidth, controlRowHeight),
                              colors);
            break;
        }
        case LegendSilence:
            painter.fillRect(swatch, colors.silence);
            break;
        case LegendRule:
            painter.fillRect(QRectF(swatch.center().x() - 1.5, swatch.top(), 3, swatch.height()), colors.rules);
            painter.fillRect(QRectF(swatch.left(), swatch.bottom() - 3, swatch.width(), 3), colors.rules);
            break;
        case LegendCut:
        case LegendEnd:
            painter.setPen(
                QPen(entry.kind == LegendCut ? colors.marker : colors.text, entry.kind == LegendCut ? 1 : 2));
            painter.drawLine(QPointF(swatch.center().x(), swatch.top()), QPointF(swatch.center().x(), swatch.bottom()));
            break;
        case LegendHint:
            break;
        }
        painter.setPen(entry.kind == LegendHint ? palette().color(QPalette::PlaceholderText) : colors.text);
        const int textLeft = entry.kind == LegendHint ? r.left() : r.left() + swatchWidth + 4;
        painter.drawText(QPointF(textLeft, r.top() + (r.height() + metrics.ascent() - metrics.descent()) / 2.0),
                         entry.text);
    }
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

QString TimelineWidget::toolTipAt(QPoint position) const
{
    for (const LegendEntry &entry : legend()) {
        if (entry.rect.contains(position))
            return entry.toolTip;
    }
    const QRect plot = plotRect();
    if (position.x() < plot.left() && position.y() >= plot.top() && position.y() <= plot.bottom()) {
        return laneRect(Direction::Outgoing).contains(QPoint(plot.left(), position.y()))
                   ? tr("Outgoing: the frames this client sent (a relayed connection: the client's)")
                   : tr("Incoming: the frames the server sent");
    }
    if (position.y() > plot.bottom() || position.x() > plot.right() + 1)
        return {};
    // The lines first: they are thin, and what they mark is the point of the view.
    if (m_end && std::abs(xForTime(m_end->timeNs) - position.x()) <= markTolerancePx) {
        return tr("The connection ended here, %1 after it started%2")
            .arg(formatDuration(m_end->timeNs),
                 m_end->label.isEmpty() ? QString() : QStringLiteral(": ") + m_end->label);
    }
    for (const Marker &marker : m_markers) {
        if (std::abs(xForTime(marker.timeNs) - position.x()) <= markTolerancePx)
            return tr("%1 at %2: where a keepalive timer cuts the connection")
                .arg(marker.label, seconds(marker.timeNs));
    }
    if (const qsizetype index = nearestFrame(position); index >= 0) {
        const FrameRecord &record = m_log->frame(index);
        QString text = tr("%1 %2 frame, %3 bytes, at %4")
                           .arg(record.direction() == Direction::Outgoing ? tr("Outgoing") : tr("Incoming"),
                                Opcodes::name(record.opcode))
                           .arg(record.payloadLength)
                           .arg(seconds(record.timeNs));
        if (TimelineSummary::kindsOf(record) & TimelineSummary::Violation)
            text += QLatin1Char('\n') + tr("It breaks the protocol: see its detail.");
        if (record.has(FrameRecord::Injected))
            text += QLatin1Char('\n') + tr("Injected by a rule: not a message either end meant to send.");
        if (const std::optional<FrameRuleMarks::RuleName> rule =
                m_ruleMarks ? m_ruleMarks->ruleOf(index) : std::nullopt)
            text += QLatin1Char('\n') + tr("Rule: %1 (%2)").arg(rule->name, rule->action);
        return text + QLatin1Char('\n') + tr("Click to show it in the table.");
    }
    for (const Hold &hold : m_holds) {
        const double left = xForTime(hold.startNs);
        const double right = xForTime(hold.endNs >= 0 ? hold.endNs : knownEndNs());
        if (laneRect(hold.direction).contains(QPoint(plot.left(), position.y())) && position.x() >= left - 1 &&
            position.x() <= right + 1)
            return tr("A pause rule held this message from %1: %2").arg(seconds(hold.startNs), hold.label);
    }
    const qint64 t = timeForX(position.x());
    const QList<Silence> list = silences();
    for (const Silence &silence : list) {
        if (t > silence.startNs && t < silence.endNs) {
            return silence.frameAfter < 0
                       ? tr("%1 without a frame either way, from %2 until the %3")
                             .arg(silence.label, seconds(silence.startNs), m_end ? tr("end") : tr("present"))
                       : tr("%1 without a frame either way, from %2 to %3")
                             .arg(silence.label, seconds(silence.startNs), seconds(silence.endNs));
        }
    }
    return navigationHint();
}

void TimelineWidget::paintAxis(QPainter &painter, const Colors &colors) const
{
    const QRect plot = plotRect();
    const QFontMetrics metrics(font());
    const int y = plot.bottom() + 1;
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(colors.grid);
    painter.drawLine(QPoint(plot.left(), y), QPoint(plot.right(), y));
    const int labelWidth = std::max(metrics.horizontalAdvance(QStringLiteral("00:00:00")),
                                    metrics.horizontalAdvance(QStringLiteral("0.000000 ms"))) +
                           16;
    const qint64 step = niceStep(double(m_view.spanNs()) * labelWidth / plot.width());
    qint64 tick = m_view.startNs >= 0 ? (m_view.startNs + step - 1) / step * step : -((-m_view.startNs) / step * step);
    painter.setPen(colors.text);
    for (; tick <= m_view.endNs; tick += step) {
        const double x = std::floor(xForTime(tick)) + 0.5;
        painter.drawLine(QPointF(x, y), QPointF(x, y + 4));
        const QString label = tickLabel(tick, step, m_view.endNs);
        const int w = metrics.horizontalAdvance(label);
        const double left = std::clamp(x - w / 2.0, 0.0, double(width() - w));
        painter.drawText(QPointF(left, y + 5 + metrics.ascent()), label);
    }
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (delta == 0) {
        event->ignore();
        return;
    }
    zoom(std::pow(1.25, delta / 120.0), event->position().x());
    event->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressed = true;
    m_dragging = false;
    m_pressPosition = event->position();
    m_pressRange = m_view;
    event->accept();
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_pressed) {
        QWidget::mouseMoveEvent(event);
        return;
    }
    const double dx = event->position().x() - m_pressPosition.x();
    if (!m_dragging && std::abs(dx) < 4)
        return;
    if (!m_dragging) {
        m_dragging = true;
        setCursor(Qt::ClosedHandCursor);
    }
    const auto shift = qint64(std::llround(dx * double(m_pressRange.spanNs()) / plotRect().width()));
    applyRange(TimeRange{m_pressRange.startNs - shift, m_pressRange.endNs - shift}, true);
    event->accept();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_pressed || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    if (m_dragging) {
        m_dragging = false;
        unsetCursor();
    } else {
        const qsizetype index = nearestFrame(event->position());
        if (index >= 0) {
            setSelectedFrame(index);
            Q_EMIT frameClicked(index);
        }
    }
    event->accept();
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        fitAll();
        event->accept();
        return;
    }
    QWidget::mouseDoubleClickEvent(event);
}

qsizetype TimelineWidget::nearestFrame(QPointF position) const
{
    if (!m_log || m_processed == 0 || !plotRect().contains(position.toPoint()))
        return -1;
    int wantedLane = -1;
    if (laneRect(Direction::Outgoing).contains(position.toPoint()))
        wantedLane = 0;
    else if (laneRect(Direction::Incoming).contains(position.toPoint()))
        wantedLane = 1;
    const qint64 t = timeForX(position.x());
    const auto tolerance = qint64(std::ceil(double(m_view.spanNs()) * clickTolerancePx / plotRect().width()));
    const auto matches = [&](qsizetype i) {
        return wantedLane < 0 || TimelineSummary::laneOf(m_log->frame(i).direction()) == wantedLane;
    };
    const qsizetype pivot = firstFrameAtOrAfter(t);
    qsizetype after = -1;
    for (qsizetype i = pivot; i < m_processed && frameTime(i) <= t + tolerance; ++i) {
        if (matches(i)) {
            after = i;
            break;
        }
    }
    qsizetype before = -1;
    for (qsizetype i = pivot - 1; i >= 0 && frameTime(i) >= t - tolerance; --i) {
        if (matches(i)) {
            before = i;
            break;
        }
    }
    if (before < 0)
        return after;
    if (after < 0)
        return before;
    return t - frameTime(before) <= frameTime(after) - t ? before : after;
}

} // namespace wsi
