// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QWidget;

namespace wsi {

// Spin boxes, combo boxes and sliders take the mouse wheel only once the user has given them focus (a click or Tab):
// a wheel that merely passes over one on its way down a panel scrolls the panel, and never changes a value. One
// event filter on the application does it for every such widget of every window, dialogs included, present and
// future: they get Qt::StrongFocus when polished (the wheel no longer focuses them), and their wheel events go on
// to the parent while they have no focus. Scroll bars keep the wheel: scrolling is what it is for.
class WheelGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WheelGuard)

public:
    // Installs the guard on the application, once however often it is called; it lives as long as the application.
    static void install();
    static bool isInstalled();
    // Whether `widget` is a value the wheel could change (spin box, combo box, slider; not a scroll bar).
    static bool guards(const QWidget *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit WheelGuard(QObject *parent);
};

} // namespace wsi
