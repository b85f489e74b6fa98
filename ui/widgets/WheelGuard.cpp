// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/WheelGuard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QScrollBar>

namespace wsi {
namespace {

constexpr const char *guardName = "wsiWheelGuard";

} // namespace

WheelGuard::WheelGuard(QObject *parent)
    : QObject(parent)
{
    setObjectName(QLatin1StringView(guardName));
}

void WheelGuard::install()
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app || isInstalled())
        return;
    app->installEventFilter(new WheelGuard(app));
}

bool WheelGuard::isInstalled()
{
    const QCoreApplication *app = QCoreApplication::instance();
    return app && app->findChild<WheelGuard *>(QLatin1StringView(guardName), Qt::FindDirectChildrenOnly);
}

bool WheelGuard::guards(const QWidget *widget)
{
    if (!widget)
        return false;
    if (qobject_cast<const QAbstractSpinBox *>(widget) || qobject_cast<const QComboBox *>(widget))
        return true;
    return qobject_cast<const QAbstractSlider *>(widget) && !qobject_cast<const QScrollBar *>(widget);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    // Every event of the application passes here: only two types are looked at, and the type test comes first.
    const QEvent::Type type = event->type();
    if (type != QEvent::Polish && type != QEvent::Wheel)
        return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    if (!guards(widget))
        return false;
    // Qt::WheelFocus (the spin boxes' default) would hand focus to whatever the wheel passes over, before any
    // filter could tell a passing wheel from a meant one.
    if (widget->focusPolicy() == Qt::WheelFocus)
        widget->setFocusPolicy(Qt::StrongFocus);
    if (type == QEvent::Polish || widget->hasFocus())
        return false;
    // Ignored and filtered: QApplication hands the wheel on to the parent, so the panel under the pointer scrolls.
    event->ignore();
    return true;
}

} // namespace wsi
