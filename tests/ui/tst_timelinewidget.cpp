// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Opcode.h"
#include "core/records/FrameLog.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/widgets/Theme.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

#include <cmath>
#include <memory>

using namespace wsi;

namespace {

constexpr qint64 ms = 1'000'000;
constexpr qint64 s = 1'000'000'000;

void append(FrameLog &log, qint64 timeNs, Direction direction, Opcode opcode, quint64 length, bool violation = false)
{
    FrameHeader header;
    header.opcode = Opcodes::value(opcode);
    header.payloadLength = length;
    ViolationList violations;
    if (violation)
        violations.append(Violation{ViolationRule::UnknownOpcode, QStringLiteral("test")});
    log.appendFrame(FrameRecord::fromHeader(header, timeNs, direction), {}, violations);
}

QImage paint(TimelineWidget &widget)
{
    QImage image(widget.size(), QImage::Format_RGB32);
    image.fill(Qt::black);
    widget.render(&image);
    return image;
}

int column(const TimelineWidget &widget, qint64 timeNs)
{
    return int(std::floor(widget.xForTime(timeNs)));
}

// The lowest row of a lane, where every data bar is drawn whatever its height.
int baseline(const TimelineWidget &widget, Direction direction)
{
    return widget.laneRect(direction).bottom();
}

bool isReddish(QRgb pixel)
{
    return qRed(pixel) > qGreen(pixel) + 60 && qRed(pixel) > qBlue(pixel) + 60;
}

} // namespace

class tst_TimelineWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withoutLogAndEmptyLog();
    void framesAreDrawnInTheirLanes();
    void darkPaletteKeepsFramesVisible();
    void silenceIsShadedAndLabelled();
    void formatsDurations_data();
    void formatsDurations();
    void clickSelectsNearestFrame();
    void wheelZoomsAroundCursor();
    void dragPansAndFitAllRestores();
    void markersAreDrawnAtTheirTime();
    void refreshAddsNewFrames();
    void millionFrames();
    void spansTheWholeConnectionToItsEnd();
    void markerAloneIsSeenFromTheStart();
    void runningConnectionReachesNow();
    void endAndCutLabelsDoNotOverlap();
    void legendAndToolTipsSayWhatIsWhere();
    void ruleMarksAreDrawnAndNamed();

private:
    std::shared_ptr<FrameLog> fewFrames();
};

std::shared_ptr<FrameLog> tst_TimelineWidget::fewFrames()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 100 * ms, Direction::Outgoing, Opcode::Text, 1000);     // 0
    append(*log, 300 * ms, Direction::Incoming, Opcode::Binary, 10);     // 1
    append(*log, 500 * ms, Direction::Outgoing, Opcode::Ping, 0);        // 2
    append(*log, 520 * ms, Direction::Incoming, Opcode::Pong, 0);        // 3
    append(*log, 700 * ms, Direction::Incoming, Opcode::Text, 50, true); // 4: a violation
    append(*log, 900 * ms, Direction::Incoming, Opcode::Close, 2);       // 5
    return log;
}

void tst_TimelineWidget::withoutLogAndEmptyLog()
{
    TimelineWidget widget;
    widget.resize(600, 160);
    QVERIFY(!paint(widget).isNull());
    widget.refresh();
    widget.setFrameLog(std::make_shared<FrameLog>());
    widget.refresh();
    const QImage image = paint(widget);
    QCOMPARE(image.size(), QSize(600, 160));
    QCOMPARE(widget.visibleRange(), (TimelineWidget::TimeRange{0, s}));
    QVERIFY(widget.silences().isEmpty());
    QSignalSpy clicked(&widget, &TimelineWidget::frameClicked);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QTest::mouseClick(&widget, Qt::LeftButton, {}, widget.plotRect().center());
    QCOMPARE(clicked.size(), 0);
}

void tst_TimelineWidget::framesAreDrawnInTheirLanes()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    const QImage image = paint(widget);
    const TimelineWidget::TimeRange range = widget.visibleRange();
    QVERIFY(range.startNs < 100 * ms && range.endNs > 900 * ms);

    const int outY = baseline(widget, Direction::Outgoing);
    const int inY = baseline(widget, Direction::Incoming);
    const int emptyX = column(widget, 200 * ms); // no frame near 200 ms in either lane
    const QRgb outBackground = image.pixel(emptyX, outY);
    const QRgb inBackground = image.pixel(emptyX, inY);

    QVERIFY(image.pixel(column(widget, 100 * ms), outY) != outBackground);
    QCOMPARE(image.pixel(column(widget, 100 * ms), inY), inBackground); // outgoing frame: nothing below
    QVERIFY(image.pixel(column(widget, 300 * ms), inY) != inBackground);
    QCOMPARE(image.pixel(column(widget, 300 * ms), outY), outBackground);
    // The violation is red, a normal frame is not.
    QVERIFY(isReddish(image.pixel(column(widget, 700 * ms), inY)));
    QVERIFY(!isReddish(image.pixel(column(widget, 300 * ms), inY)));
    // A bigger payload makes a taller bar: 1000 bytes reach higher than 10 bytes.
    const auto barTop = [&](int x, Direction direction, QRgb background) {
        int y = baseline(widget, direction);
        while (y > widget.laneRect(direction).top() && image.pixel(x, y - 1) != background)
            --y;
        return baseline(widget, direction) - y;
    };
    QVERIFY(barTop(column(widget, 100 * ms), Direction::Outgoing, outBackground) >
            barTop(column(widget, 300 * ms), Direction::Incoming, inBackground));
    // Control frames are shapes near the top of their lane, each in its own colour.
    const auto controlPixel = [&](qint64 t, Direction direction) {
        const QRect lane = widget.laneRect(direction);
        return image.pixel(column(widget, t), lane.top() + 7);
    };
    const QRgb ping = controlPixel(500 * ms, Direction::Outgoing);
    const QRgb pong = controlPixel(520 * ms, Direction::Incoming);
    const QRgb close = controlPixel(900 * ms, Direction::Incoming);
    QVERIFY(ping != image.pixel(emptyX, widget.laneRect(Direction::Outgoing).top() + 7));
    QVERIFY(pong != image.pixel(emptyX, widget.laneRect(Direction::Incoming).top() + 7));
    QVERIFY(close != image.pixel(emptyX, widget.laneRect(Direction::Incoming).top() + 7));
    QVERIFY(ping != pong && pong != close && ping != close);

    // The selection is drawn.
    widget.setSelectedFrame(1);
    QCOMPARE(widget.selectedFrame(), 1);
    const QImage selected = paint(widget);
    QVERIFY(selected.pixel(column(widget, 300 * ms), inY) != image.pixel(column(widget, 300 * ms), inY));
}

void tst_TimelineWidget::darkPaletteKeepsFramesVisible()
{
    TimelineWidget widget;
    widget.setPalette(Theme::palette(Theme::Variant::Dark));
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    const QImage image = paint(widget);
    const int emptyX = column(widget, 200 * ms);
    const int inY = baseline(widget, Direction::Incoming);
    const int outY = baseline(widget, Direction::Outgoing);
    // Frames stand out from the dark background by lightness, not only by hue.
    const auto lightness = [&](int x, int y) { return QColor(image.pixel(x, y)).lightness(); };
    QVERIFY(lightness(column(widget, 100 * ms), outY) > lightness(emptyX, outY) + 60);
    QVERIFY(lightness(column(widget, 300 * ms), inY) > lightness(emptyX, inY) + 60);
    QVERIFY(isReddish(image.pixel(column(widget, 700 * ms), inY)));
}

void tst_TimelineWidget::silenceIsShadedAndLabelled()
{
    auto log = std::make_shared<FrameLog>();
    for (int i = 0; i < 10; ++i)
        append(*log, i * 100 * ms, i % 2 ? Direction::Incoming : Direction::Outgoing, Opcode::Text, 20);
    for (int i = 0; i < 10; ++i)
        append(*log, 900 * ms + 60 * s + i * 100 * ms, Direction::Incoming, Opcode::Text, 20);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    const QList<TimelineWidget::Silence> silences = widget.silences();
    QCOMPARE(silences.size(), 1);
    QCOMPARE(silences[0].label, QStringLiteral("60.0 s"));
    QCOMPARE(silences[0].frameBefore, 9);
    QCOMPARE(silences[0].frameAfter, 10);
    QCOMPARE(silences[0].endNs - silences[0].startNs, 60 * s);

    const QImage image = paint(widget);
    const int y = widget.laneRect(Direction::Outgoing).top() + 3;
    const int leftPadding = widget.plotRect().left() + 2; // before the first frame: not a silence
    const int middle = column(widget, 30 * s);
    QVERIFY(image.pixel(middle - 100, y) != image.pixel(leftPadding, y));
    // Zoomed in on the first second, the silence is outside the view.
    widget.setVisibleRange({0, 800 * ms});
    QVERIFY(widget.silences().isEmpty());
}

void tst_TimelineWidget::formatsDurations_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    QTest::newRow("ns") << qint64(500) << QStringLiteral("500 ns");
    QTest::newRow("µs") << qint64(2'500) << QStringLiteral("2.5 µs");
    QTest::newRow("ms") << qint64(12 * ms) << QStringLiteral("12.0 ms");
    QTest::newRow("60 s") << qint64(60 * s) << QStringLiteral("60.0 s");
    QTest::newRow("min") << qint64(754 * s) << QStringLiteral("12 min 34 s");
    QTest::newRow("h") << qint64(3720 * s) << QStringLiteral("1 h 2 min");
}

void tst_TimelineWidget::formatsDurations()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(TimelineWidget::formatDuration(ns), text);
}

void tst_TimelineWidget::clickSelectsNearestFrame()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QSignalSpy clicked(&widget, &TimelineWidget::frameClicked);

    const int outY = widget.laneRect(Direction::Outgoing).center().y();
    const int inY = widget.laneRect(Direction::Incoming).center().y();
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 100 * ms) + 2, outY));
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.takeFirst().at(0).value<qsizetype>(), qsizetype(0));
    QCOMPARE(widget.selectedFrame(), 0);

    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 300 * ms) - 1, inY));
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.takeFirst().at(0).value<qsizetype>(), qsizetype(1));

    // Ping (outgoing, 500 ms) and pong (incoming, 520 ms) are close: the lane decides.
    widget.setVisibleRange({490 * ms, 530 * ms});
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 510 * ms), inY));
    QVERIFY(clicked.isEmpty()); // 10 ms from both, far more than a few pixels at this zoom
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 520 * ms) - 2, outY));
    QVERIFY(clicked.isEmpty()); // the pong is near, but in the other lane
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 520 * ms) - 2, inY));
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.takeFirst().at(0).value<qsizetype>(), qsizetype(3));

    // Far from any frame: nothing.
    widget.fitAll();
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(column(widget, 200 * ms), outY));
    QVERIFY(clicked.isEmpty());
}

void tst_TimelineWidget::wheelZoomsAroundCursor()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    const TimelineWidget::TimeRange before = widget.visibleRange();
    const QPointF at(column(widget, 300 * ms), widget.laneRect(Direction::Incoming).center().y());
    const qint64 anchor = widget.timeForX(at.x());

    QWheelEvent zoomIn(at, widget.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &zoomIn);
    const TimelineWidget::TimeRange after = widget.visibleRange();
    QVERIFY(after.spanNs() < before.spanNs());
    QCOMPARE(std::llround(double(before.spanNs()) / double(after.spanNs()) * 100), 125ll);
    QVERIFY(std::abs(widget.timeForX(at.x()) - anchor) < after.spanNs() / 1000);

    QWheelEvent zoomOut(at, widget.mapToGlobal(at), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                        Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &zoomOut);
    QVERIFY(widget.visibleRange().spanNs() > before.spanNs());
    QVERIFY(std::abs(widget.timeForX(at.x()) - anchor) < after.spanNs() / 1000);

    widget.zoom(1e12, at.x()); // clamped to the smallest span
    QVERIFY(widget.visibleRange().spanNs() >= 1000);
    QVERIFY(!paint(widget).isNull());
}

void tst_TimelineWidget::dragPansAndFitAllRestores()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    const TimelineWidget::TimeRange fitted = widget.visibleRange();
    QSignalSpy clicked(&widget, &TimelineWidget::frameClicked);
    QSignalSpy changed(&widget, &TimelineWidget::visibleRangeChanged);

    const QPoint from(500, widget.laneRect(Direction::Outgoing).center().y());
    const QPoint to = from + QPoint(100, 0);
    QTest::mousePress(&widget, Qt::LeftButton, {}, from);
    QTest::mouseMove(&widget, from + QPoint(50, 0));
    QTest::mouseMove(&widget, to);
    QTest::mouseRelease(&widget, Qt::LeftButton, {}, to);
    QVERIFY(clicked.isEmpty()); // a drag is not a click
    QVERIFY(!changed.isEmpty());
    const TimelineWidget::TimeRange panned = widget.visibleRange();
    QCOMPARE(panned.spanNs(), fitted.spanNs());
    const qint64 expectedShift = std::llround(100.0 * double(fitted.spanNs()) / widget.plotRect().width());
    QVERIFY(std::abs((fitted.startNs - panned.startNs) - expectedShift) <= 1);

    // A panned view no longer follows new frames...
    auto log = std::const_pointer_cast<FrameLog>(widget.frameLog());
    append(*log, 5 * s, Direction::Incoming, Opcode::Text, 10);
    widget.refresh();
    QCOMPARE(widget.visibleRange(), panned);
    // ...until fitAll.
    widget.fitAll();
    QVERIFY(widget.visibleRange().endNs > 5 * s);
    QVERIFY(widget.visibleRange().startNs < 100 * ms);
}

void tst_TimelineWidget::markersAreDrawnAtTheirTime()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 0, Direction::Outgoing, Opcode::Text, 10);
    append(*log, 100 * s, Direction::Incoming, Opcode::Text, 10);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    const QColor color = Theme(widget.palette()).color(Theme::Color::Failure);
    widget.addMarker(60 * s, QStringLiteral("nginx proxy_read_timeout 60 s"));
    QCOMPARE(widget.markers().size(), 1);
    const QImage image = paint(widget);
    const int x = column(widget, 60 * s);
    const int y = widget.laneRect(Direction::Incoming).center().y();
    QCOMPARE(QColor(image.pixel(x, y)), color);
    QVERIFY(QColor(image.pixel(x + 3, y)) != color);
    // The label sits above the plot, starting right of the line.
    bool labelDrawn = false;
    for (int yy = 0; yy < widget.plotRect().top() && !labelDrawn; ++yy) {
        for (int xx = x + 3; xx < x + 60 && !labelDrawn; ++xx)
            labelDrawn = isReddish(image.pixel(xx, yy));
    }
    QVERIFY(labelDrawn);

    widget.clearMarkers();
    QVERIFY(widget.markers().isEmpty());
    QVERIFY(QColor(paint(widget).pixel(x, y)) != color);
}

void tst_TimelineWidget::refreshAddsNewFrames()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 10 * ms, Direction::Outgoing, Opcode::Text, 100);
    append(*log, 20 * ms, Direction::Incoming, Opcode::Text, 100);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    (void)paint(widget);

    append(*log, 2 * s, Direction::Incoming, Opcode::Binary, 5000);
    append(*log, 2500 * ms, Direction::Outgoing, Opcode::Binary, 5000);
    QVERIFY(widget.visibleRange().endNs < 2 * s); // not seen before refresh()
    widget.refresh();
    QVERIFY(widget.visibleRange().endNs > 2500 * ms);
    const QImage image = paint(widget);
    const int inY = baseline(widget, Direction::Incoming);
    const int outY = baseline(widget, Direction::Outgoing);
    const int emptyX = column(widget, 1 * s);
    QVERIFY(image.pixel(column(widget, 2 * s), inY) != image.pixel(emptyX, inY));
    QVERIFY(image.pixel(column(widget, 2500 * ms), outY) != image.pixel(emptyX, outY));
    // The 2 s gap between the first frames and the new ones is a silence now.
    QCOMPARE(widget.silences().size(), 1);
    QCOMPARE(widget.silences()[0].frameAfter, 2);
}

void tst_TimelineWidget::millionFrames()
{
    // 500,000 frames at 1 ms, a 60 s silence, 500,000 more: both directions, varying sizes, a ping every 1000
    // frames, a violation every 10,000.
    constexpr int half = 500'000;
    auto log = std::make_shared<FrameLog>();
    qint64 t = 0;
    for (int i = 0; i < 2 * half; ++i) {
        if (i == half)
            t += 60 * s - ms;
        const Direction direction = i % 2 ? Direction::Incoming : Direction::Outgoing;
        const Opcode opcode = i % 1000 == 7 ? Opcode::Ping : Opcode::Binary;
        append(*log, t, direction, opcode, quint64(i % 4096), i % 10'000 == 5);
        t += ms;
    }
    QCOMPARE(log->frameCount(), 2 * half);

    TimelineWidget widget;
    widget.resize(1200, 220);
    QElapsedTimer timer;
    timer.start();
    // The window's clocks and countdowns keep running while the timeline catches up: in a running event loop a
    // timer ticks between its slices (a summary built in one go would leave it one tick).
    int ticks = 0;
    QEventLoop loop;
    QTimer clock;
    clock.setInterval(0);
    connect(&clock, &QTimer::timeout, this, [&] {
        ++ticks;
        if (widget.isCaughtUp())
            loop.quit();
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    widget.setFrameLog(log);
    QVERIFY(!widget.isCaughtUp()); // a million frames are summarised in slices, between events
    clock.start();
    loop.exec();
    clock.stop();
    QVERIFY(widget.isCaughtUp());
    const int slices = int((2 * half + TimelineWidget::maxFramesPerRefresh - 1) / TimelineWidget::maxFramesPerRefresh);
    QVERIFY2(ticks >= slices - 1, qPrintable(QStringLiteral("%1 ticks, %2 slices").arg(ticks).arg(slices)));
    qInfo("summary of 1,000,000 frames built in %lld ms", timer.elapsed());

    QImage image(widget.size(), QImage::Format_RGB32);
    timer.restart();
    widget.render(&image);
    qInfo("repaint with 1,000,000 frames, all visible: %.2f ms", double(timer.nsecsElapsed()) / 1e6);
    timer.restart();
    constexpr int repeats = 20;
    for (int i = 0; i < repeats; ++i)
        widget.render(&image);
    qInfo("mean of %d repaints: %.2f ms", repeats, double(timer.nsecsElapsed()) / 1e6 / repeats);

    const QList<TimelineWidget::Silence> silences = widget.silences();
    QCOMPARE(silences.size(), 1);
    QCOMPARE(silences[0].label, QStringLiteral("60.0 s"));
    QCOMPARE(silences[0].frameBefore, qsizetype(half - 1));

    const int inY = baseline(widget, Direction::Incoming);
    const int outY = baseline(widget, Direction::Outgoing);
    const int padX = widget.plotRect().left() + 1; // the fit's padding, before the first frame
    for (const qint64 at : {100 * s, 300 * s, 700 * s}) {
        QVERIFY(image.pixel(column(widget, at), outY) != image.pixel(padX, outY));
        QVERIFY(image.pixel(column(widget, at), inY) != image.pixel(padX, inY));
    }
    const int silenceX = column(widget, 530 * s);
    const int topY = widget.laneRect(Direction::Outgoing).top() + 3;
    QVERIFY(image.pixel(silenceX, topY) != image.pixel(padX, topY));

    // Zoomed in: fewer frames than pixels (binned from the frames), then a few frames (drawn one by one). Outgoing
    // frames are at even milliseconds, incoming ones at odd milliseconds.
    for (const qint64 span : {500 * ms, 40 * ms}) {
        widget.setVisibleRange({100 * s, 100 * s + span});
        timer.restart();
        const QImage zoomed = paint(widget);
        qInfo("repaint with a %lld ms view: %.2f ms", span / ms, double(timer.nsecsElapsed()) / 1e6);
        const int even = column(widget, 100 * s + 2 * ms);
        const int odd = column(widget, 100 * s + 1 * ms);
        QVERIFY(zoomed.pixel(even, outY) != zoomed.pixel(odd, outY));
        QVERIFY(zoomed.pixel(odd, inY) != zoomed.pixel(even, inY));
    }
}

// Frames in the first 430 ms of a connection cut after 5 s of silence: the view spans the whole connection, from its
// start to its close, shows the final silence and marks the end with its code.
// A prediction over a connection where nothing crossed (silence behind nginx): its start, the silence and the cut,
// never a 1 ms window around the cut.
void tst_TimelineWidget::markerAloneIsSeenFromTheStart()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(std::make_shared<FrameLog>());
    widget.addMarker(60 * s, QStringLiteral("nginx proxy_read_timeout"));
    const TimelineWidget::TimeRange range = widget.visibleRange();
    QVERIFY2(range.startNs <= 0 && range.endNs >= 60 * s,
             qPrintable(QStringLiteral("%1 to %2").arg(range.startNs).arg(range.endNs)));
    QVERIFY(range.spanNs() < 70 * s); // and no more than a little room around them
}

void tst_TimelineWidget::spansTheWholeConnectionToItsEnd()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 20 * ms, Direction::Outgoing, Opcode::Text, 10);
    append(*log, 430 * ms, Direction::Incoming, Opcode::Text, 10);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    widget.setEnd(5400 * ms, QStringLiteral("closed 1006"), true);
    QVERIFY(widget.end());
    const TimelineWidget::TimeRange range = widget.visibleRange();
    QVERIFY2(range.startNs <= 0 && range.endNs >= 5400 * ms,
             qPrintable(QStringLiteral("%1 to %2").arg(range.startNs).arg(range.endNs)));
    const QList<TimelineWidget::Silence> silences = widget.silences();
    QCOMPARE(silences.size(), 1);
    QCOMPARE(silences[0].startNs, 430 * ms);
    QCOMPARE(silences[0].endNs, 5400 * ms);
    QCOMPARE(silences[0].frameBefore, 1);
    QCOMPARE(silences[0].frameAfter, -1);
    QCOMPARE(silences[0].label, QStringLiteral("5.0 s"));
    // The end is a line in the failure colour for an abnormal close, labelled above the plot.
    const QImage image = paint(widget);
    const int x = column(widget, 5400 * ms);
    const int y = widget.laneRect(Direction::Incoming).center().y();
    QCOMPARE(QColor(image.pixel(x, y)), Theme(widget.palette()).color(Theme::Color::Failure));
    bool labelDrawn = false;
    for (int yy = 0; yy < widget.plotRect().top() && !labelDrawn; ++yy) {
        for (int xx = x - 80; xx < x - 3 && !labelDrawn; ++xx) // near the right edge: left of the line
            labelDrawn = isReddish(image.pixel(xx, yy));
    }
    QVERIFY(labelDrawn);
    // The shading reaches the end.
    const int shadeY = widget.laneRect(Direction::Outgoing).top() + 3;
    const QRgb lane = image.pixel(column(widget, 200 * ms), shadeY);
    QVERIFY(image.pixel(column(widget, 5 * s), shadeY) != lane);
    // A new log (a new connection) starts without an end.
    widget.setFrameLog(std::make_shared<FrameLog>());
    QVERIFY(!widget.end());
}

void tst_TimelineWidget::runningConnectionReachesNow()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 100 * ms, Direction::Outgoing, Opcode::Text, 10);
    append(*log, 200 * ms, Direction::Incoming, Opcode::Text, 10);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    widget.setNow(3 * s);
    QVERIFY(widget.visibleRange().endNs >= 3 * s);
    QCOMPARE(widget.silences().size(), 1);
    QCOMPARE(widget.silences()[0].endNs, 3 * s);
    widget.setNow(8 * s);
    QVERIFY(widget.visibleRange().endNs >= 8 * s);
    QCOMPARE(widget.silences()[0].label, QStringLiteral("7.8 s"));
    QVERIFY(widget.toolTipAt(QPoint(int(widget.xForTime(5 * s)), widget.laneRect(Direction::Outgoing).center().y()))
                .contains(QStringLiteral("until the present")));
    // A zoomed view stays where the user put it.
    widget.setVisibleRange({0, 1 * s});
    widget.setNow(9 * s);
    QCOMPARE(widget.visibleRange(), (TimelineWidget::TimeRange{0, 1 * s}));
}

// A cut and the close it causes fall on the same instant (a relayed connection): one label says both. Apart, each
// line has its own, never on top of another.
void tst_TimelineWidget::endAndCutLabelsDoNotOverlap()
{
    auto log = std::make_shared<FrameLog>();
    append(*log, 0, Direction::Outgoing, Opcode::Text, 10);
    append(*log, 6 * s, Direction::Outgoing, Opcode::Text, 10);
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(log);
    widget.setEnd(6 * s, QStringLiteral("closed 1006"), true);
    widget.addMarker(6 * s, QStringLiteral("cut: nginx proxy_read_timeout"));
    const auto reddishIn = [&](const QImage &image, int from, int to) {
        for (int yy = 0; yy < widget.plotRect().top(); ++yy) {
            for (int xx = std::max(0, from); xx < std::min(image.width(), to); ++xx) {
                if (isReddish(image.pixel(xx, yy)))
                    return true;
            }
        }
        return false;
    };
    const QFontMetrics metrics(widget.font());
    const int both = metrics.horizontalAdvance(QStringLiteral("cut: nginx proxy_read_timeout · closed 1006"));
    const int cutAlone = metrics.horizontalAdvance(QStringLiteral("cut: nginx proxy_read_timeout"));
    const int end = column(widget, 6 * s);
    // Near the right edge: left of the lines, as long as both texts together.
    QVERIFY(reddishIn(paint(widget), end - both - 3, end - cutAlone - 10));

    widget.clearMarkers();
    widget.addMarker(2 * s, QStringLiteral("cut: nginx proxy_read_timeout"));
    const QImage apart = paint(widget);
    const int cut = column(widget, 2 * s);
    QVERIFY(reddishIn(apart, cut + 3, cut + 60)); // right of its line
    QVERIFY(reddishIn(apart, end - 60, end - 3)); // the end's: left of its line, at the edge
    QVERIFY(!reddishIn(apart, end - 3 - both, end - 3 - metrics.horizontalAdvance(QStringLiteral("closed 1006")) - 4));
}

void tst_TimelineWidget::legendAndToolTipsSayWhatIsWhere()
{
    TimelineWidget widget;
    widget.resize(1000, 200);
    widget.setFrameLog(fewFrames());
    widget.setEnd(2 * s, QStringLiteral("closed 1006"), true);
    widget.addMarker(1500 * ms, QStringLiteral("cut: nginx proxy_read_timeout"));
    const QList<TimelineWidget::LegendEntry> legend = widget.legend();
    QStringList names;
    for (const TimelineWidget::LegendEntry &entry : legend) {
        names << entry.text;
        QVERIFY(widget.legendRect().contains(entry.rect));
        QCOMPARE(widget.toolTipAt(entry.rect.center()), entry.toolTip);
    }
    QCOMPARE(names, (QStringList{QStringLiteral("data"), QStringLiteral("ping"), QStringLiteral("pong"),
                                 QStringLiteral("close"), QStringLiteral("violation"), QStringLiteral("silence"),
                                 QStringLiteral("cut"), QStringLiteral("end"), TimelineWidget::navigationHint()}));
    QVERIFY(!widget.plotRect().intersects(widget.legendRect()));

    const int outY = widget.laneRect(Direction::Outgoing).center().y();
    const auto tipAt = [&](qint64 t, int y) { return widget.toolTipAt(QPoint(int(widget.xForTime(t)), y)); };
    QVERIFY2(tipAt(100 * ms, outY).startsWith(QStringLiteral("Outgoing text frame, 1000 bytes, at 0.100 s")),
             qPrintable(tipAt(100 * ms, outY)));
    QVERIFY2(tipAt(2 * s, outY).contains(QStringLiteral("closed 1006")), qPrintable(tipAt(2 * s, outY)));
    QVERIFY2(tipAt(1500 * ms, outY).contains(QStringLiteral("keepalive timer")), qPrintable(tipAt(1500 * ms, outY)));
    QVERIFY(widget.toolTipAt(QPoint(4, outY)).startsWith(QStringLiteral("Outgoing")));
    QVERIFY(widget.toolTipAt(QPoint(4, widget.laneRect(Direction::Incoming).center().y()))
                .startsWith(QStringLiteral("Incoming")));
    // Empty plot: how to move around.
    QCOMPARE(tipAt(200 * ms, outY), TimelineWidget::navigationHint());

    // A short one keeps its room for the lanes: no legend (the tooltips still say it all).
    widget.resize(1000, 110);
    QVERIFY(widget.legend().isEmpty());
    QVERIFY(widget.legendRect().isEmpty());
    QCOMPARE(widget.minimumSizeHint().height(), 100);
    // A narrow timeline drops the hint, then entries, never overlapping them.
    widget.resize(300, 200);
    const QList<TimelineWidget::LegendEntry> narrow = widget.legend();
    QVERIFY(!narrow.isEmpty() && narrow.size() < legend.size());
    for (qsizetype i = 1; i < narrow.size(); ++i)
        QVERIFY(narrow[i - 1].rect.right() < narrow[i].rect.left());
}

void tst_TimelineWidget::ruleMarksAreDrawnAndNamed()
{
    TimelineWidget widget;
    widget.resize(1600, 200);
    const std::shared_ptr<FrameLog> log = fewFrames();
    auto marks = std::make_shared<FrameRuleMarks>(
        QList<FrameRuleMarks::RuleName>{{QStringLiteral("seen"), QStringLiteral("pass")}});
    widget.setFrameLog(log);
    const QImage before = paint(widget);
    marks->mark(0, 0, 0); // before the timeline knew of the marks
    widget.setRuleMarks(marks);
    marks->mark(1, 1, 0); // after its frame was summarised, as a message's last frame marks it
    widget.refresh();
    const QImage image = paint(widget);
    const QColor rules = Theme(widget.palette()).color(Theme::Color::Warning);
    // A strip at the lane's base beside each marked frame's bar; none under the frames no rule acted on.
    const auto strip = [&](const QImage &picture, qint64 t, Direction direction) {
        return QColor(picture.pixel(column(widget, t) + 3, baseline(widget, direction)));
    };
    QCOMPARE(strip(image, 100 * ms, Direction::Outgoing), rules);
    QCOMPARE(strip(image, 300 * ms, Direction::Incoming), rules);
    QVERIFY(strip(before, 300 * ms, Direction::Incoming) != rules);
    QVERIFY(strip(image, 700 * ms, Direction::Incoming) != rules);
    // Named in the tooltip and the legend.
    const QString tip =
        widget.toolTipAt(QPoint(int(widget.xForTime(300 * ms)), widget.laneRect(Direction::Incoming).center().y()));
    QVERIFY2(tip.contains(QStringLiteral("Rule: seen (pass)")), qPrintable(tip));
    QStringList names;
    for (const TimelineWidget::LegendEntry &entry : widget.legend())
        names << entry.text;
    QVERIFY2(names.contains(QStringLiteral("rule")), qPrintable(names.join(u',')));
    // Another log: no marks, no legend entry.
    widget.setFrameLog(fewFrames());
    names.clear();
    for (const TimelineWidget::LegendEntry &entry : widget.legend())
        names << entry.text;
    QVERIFY(!names.contains(QStringLiteral("rule")));
}

QTEST_MAIN(tst_TimelineWidget)
#include "tst_timelinewidget.moc"
