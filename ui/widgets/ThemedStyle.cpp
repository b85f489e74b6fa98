// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/ThemedStyle.h"

#include <QApplication>
#include <QEvent>
#include <QLabel>
#include <QPainter>

namespace wsi {

namespace {

constexpr double noteTint = 0.15; // light enough behind the palette's text in every variant (tst_theme)
constexpr int noteBorder = 1;
constexpr int notePadding = 6;
constexpr int flagWidth = 4;
constexpr int flagPaddingX = 8;
constexpr int flagPaddingY = 4;
constexpr double chipRadius = 4;

// Room for the frame or the bar, and around the text; chips and text keep the label's own margins.
QMargins paddingOf(ThemedStyle::Look look)
{
    switch (look) {
    case ThemedStyle::Look::Note:
        return QMargins(1, 1, 1, 1) * (noteBorder + notePadding);
    case ThemedStyle::Look::Flag:
        return {flagWidth + flagPaddingX, flagPaddingY, flagPaddingX, flagPaddingY};
    case ThemedStyle::Look::Text:
    case ThemedStyle::Look::Chip:
        break;
    }
    return {};
}

} // namespace

ThemedStyle::ThemedStyle(QLabel *label)
    : QObject(label)
    , m_label(label)
{
    label->installEventFilter(this);
}

ThemedStyle *ThemedStyle::of(const QLabel *label)
{
    return label->findChild<ThemedStyle *>(QString(), Qt::FindDirectChildrenOnly);
}

void ThemedStyle::apply(QLabel *label, Look look, Theme::Color color)
{
    ThemedStyle *style = of(label);
    if (!style)
        style = new ThemedStyle(label);
    if (paddingOf(look) != paddingOf(style->m_look))
        label->setContentsMargins(paddingOf(look));
    style->m_look = look;
    style->m_color = color;
    style->setTextColor();
    label->update();
}

void ThemedStyle::clear(QLabel *label)
{
    ThemedStyle *style = of(label);
    if (!style)
        return;
    if (!paddingOf(style->m_look).isNull())
        label->setContentsMargins(QMargins());
    delete style;
    label->setPalette(QPalette()); // nothing set: all of it inherited again
    label->update();
}

bool ThemedStyle::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::ParentChange:
        setTextColor();
        break;
    case QEvent::Paint:
        paintFill(); // then the label paints its text over it
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

QPalette ThemedStyle::inheritedPalette() const
{
    const QWidget *parent = m_label->parentWidget();
    return parent ? parent->palette() : QApplication::palette(m_label);
}

void ThemedStyle::setTextColor()
{
    const Theme theme(inheritedPalette());
    QPalette palette; // only the text's role set: the others follow the parent's palette as it changes
    if (m_look == Look::Text)
        palette.setColor(QPalette::WindowText, theme.color(m_color));
    else if (m_look == Look::Chip)
        palette.setColor(QPalette::WindowText, Theme::textOn(theme.color(m_color)));
    // Setting it sends the label a PaletteChange, which comes back here and, the palette now the same, ends.
    m_label->setPalette(palette);
}

void ThemedStyle::paintFill()
{
    if (m_look == Look::Text)
        return;
    const Theme theme(inheritedPalette());
    const QColor colour = theme.color(m_color);
    const QRect area = m_label->rect();
    QPainter painter(m_label);
    switch (m_look) {
    case Look::Text:
        break;
    case Look::Chip:
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawRoundedRect(QRectF(area), chipRadius, chipRadius);
        break;
    case Look::Note:
        painter.fillRect(area, colour);
        painter.fillRect(area.marginsRemoved(QMargins(1, 1, 1, 1) * noteBorder),
                         theme.tint(m_color, QPalette::Window, noteTint));
        break;
    case Look::Flag:
        painter.fillRect(QRect(area.topLeft(), QSize(flagWidth, area.height())), colour);
        break;
    }
}

} // namespace wsi
