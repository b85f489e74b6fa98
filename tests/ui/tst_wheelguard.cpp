// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/WheelGuard.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtTest/qtestspontaneevent.h>

#include <functional>
#include <memory>

using namespace wsi;

namespace {

// One notch of a mouse wheel, up, over `widget`'s middle, delivered as the window system delivers it: spontaneous,
// so QApplication first gives focus by focus policy and passes the event on to the parent when it is ignored (a
// synthesized wheel event would go to its receiver only, which is not what a user's wheel does).
void wheelOver(QWidget *widget)
{
    const QPointF local = QRectF(widget->rect()).center();
    QWheelEvent event(local, widget->mapToGlobal(local), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QSpontaneKeyEvent::setSpontaneous(&event);
    qApp->notify(widget, &event);
}

// A value widget to guard, and how to read its value.
struct Guarded {
    QWidget *widget = nullptr;
    std::function<int()> value;
};

Guarded make(const QString &kind, QWidget *parent)
{
    if (kind == QLatin1StringView("spin box")) {
        auto *spin = new QSpinBox(parent);
        spin->setRange(0, 100);
        spin->setValue(10);
        return {spin, [spin] { return spin->value(); }};
    }
    if (kind == QLatin1StringView("double spin box")) {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setRange(1, 1000);
        spin->setValue(20);
        return {spin, [spin] { return int(spin->value()); }};
    }
    if (kind == QLatin1StringView("combo box")) {
        auto *combo = new QComboBox(parent);
        combo->addItems({QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
        combo->setCurrentIndex(1);
        return {combo, [combo] { return combo->currentIndex(); }};
    }
    auto *slider = new QSlider(Qt::Horizontal, parent);
    slider->setRange(0, 100);
    slider->setValue(50);
    return {slider, [slider] { return slider->value(); }};
}

} // namespace

class tst_WheelGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { WheelGuard::install(); }
    void installsOnce();
    void passingWheelChangesNothingUntilFocused_data();
    void passingWheelChangesNothingUntilFocused();
    void passingWheelScrollsThePanelUnderIt();
    void scrollBarsKeepTheWheel();
};

void tst_WheelGuard::installsOnce()
{
    WheelGuard::install();
    WheelGuard::install();
    QVERIFY(WheelGuard::isInstalled());
    QCOMPARE(qApp->findChildren<WheelGuard *>(QString(), Qt::FindDirectChildrenOnly).size(), 1);
}

void tst_WheelGuard::passingWheelChangesNothingUntilFocused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("overItsEditor"); // the pointer over a spin box is over its line edit
    QTest::newRow("spin box") << QStringLiteral("spin box") << false;
    QTest::newRow("spin box, over its editor") << QStringLiteral("spin box") << true;
    QTest::newRow("double spin box") << QStringLiteral("double spin box") << true;
    QTest::newRow("combo box") << QStringLiteral("combo box") << false;
    QTest::newRow("slider") << QStringLiteral("slider") << false;
}

void tst_WheelGuard::passingWheelChangesNothingUntilFocused()
{
    QFETCH(QString, kind);
    QFETCH(bool, overItsEditor);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *elsewhere = new QLineEdit(&window);
    layout->addWidget(elsewhere);
    const Guarded guarded = make(kind, &window);
    layout->addWidget(guarded.widget);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    elsewhere->setFocus();
    QVERIFY(elsewhere->hasFocus());
    QCOMPARE(guarded.widget->focusPolicy(), Qt::StrongFocus); // the wheel does not hand it focus either
    QWidget *under = guarded.widget;
    if (overItsEditor)
        under = guarded.widget->findChild<QLineEdit *>();
    QVERIFY(under);

    const int before = guarded.value();
    wheelOver(under);
    QCOMPARE(guarded.value(), before);
    QVERIFY(!guarded.widget->hasFocus());

    guarded.widget->setFocus();
    QVERIFY(guarded.widget->hasFocus());
    wheelOver(under);
    QVERIFY2(guarded.value() != before, qPrintable(kind));
}

void tst_WheelGuard::passingWheelScrollsThePanelUnderIt()
{
    // A tall form in a scroll area, scrolled down to a spin box: the wheel over it scrolls the form back up.
    QScrollArea area;
    auto *form = new QWidget;
    auto *layout = new QVBoxLayout(form);
    layout->addSpacing(600);
    auto *spin = new QSpinBox(form);
    spin->setValue(5);
    layout->addWidget(spin);
    layout->addSpacing(600);
    area.setWidget(form);
    area.setWidgetResizable(true);
    area.resize(200, 200);
    area.show();
    area.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&area));
    area.setFocus();
    area.ensureWidgetVisible(spin);
    const int scrolled = area.verticalScrollBar()->value();
    QVERIFY(scrolled > 0);
    wheelOver(spin);
    QCOMPARE(spin->value(), 5);
    QVERIFY(area.verticalScrollBar()->value() < scrolled);
}

void tst_WheelGuard::scrollBarsKeepTheWheel()
{
    QScrollBar bar(Qt::Vertical);
    bar.setRange(0, 100);
    bar.setValue(50);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QVERIFY(!WheelGuard::guards(&bar));
    wheelOver(&bar);
    QVERIFY(bar.value() != 50);
}

QTEST_MAIN(tst_WheelGuard)
#include "tst_wheelguard.moc"
