// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/DiagnosisBanner.h"

#include "ui/widgets/Theme.h"
#include "ui/widgets/ThemedStyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace wsi {

DiagnosisBanner::DiagnosisBanner(QWidget *parent)
    : QWidget(parent)
    , m_area(new QScrollArea(this))
    , m_label(new QLabel(m_area))
    , m_probe(new QLabel(this))
    , m_fix(new QLabel(this))
    , m_toggle(new QToolButton(this))
{
    m_label->setObjectName(QStringLiteral("diagnosis"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    ThemedStyle::apply(m_label, ThemedStyle::Look::Flag, Theme::Color::Failure);

    m_fix->setObjectName(QStringLiteral("diagnosisFix"));
    m_fix->setWordWrap(true);
    m_fix->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ThemedStyle::apply(m_fix, ThemedStyle::Look::Flag, Theme::Color::Failure);

    m_probe->setVisible(false);
    m_probe->setWordWrap(true);
    m_probe->setTextInteractionFlags(m_label->textInteractionFlags()); // the same text layout as m_label's
    m_probe->setText(QStringLiteral("X\n").repeated(collapsedLines - 1) + QStringLiteral("X"));

    m_area->setWidget(m_label);
    m_area->setWidgetResizable(true);
    m_area->setFrameShape(QFrame::NoFrame);
    m_area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_toggle->setObjectName(QStringLiteral("diagnosisToggle"));
    m_toggle->setAutoRaise(true);
    connect(m_toggle, &QToolButton::clicked, this, [this] { setExpanded(!m_expanded); });

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0); // one flag down the side of both labels
    auto *row = new QHBoxLayout;
    row->addWidget(m_area, 1);
    row->addWidget(m_toggle, 0, Qt::AlignTop);
    column->addLayout(row);
    column->addWidget(m_fix);
    setExpanded(false);
}

void DiagnosisBanner::setText(const QString &text, const QString &fix, const QString &toolTip)
{
    m_label->setText(text);
    m_label->setToolTip(toolTip);
    m_fix->setText(fix.isEmpty() ? QString() : tr("Fix: %1").arg(fix));
    m_fix->setToolTip(toolTip);
    m_fix->setVisible(!fix.isEmpty());
    m_area->verticalScrollBar()->setValue(0);
    fitHeight();
}

QString DiagnosisBanner::text() const
{
    return m_label->text();
}

void DiagnosisBanner::setExpanded(bool expanded)
{
    m_expanded = expanded;
    m_toggle->setText(expanded ? tr("Show less") : tr("Show all"));
    m_toggle->setToolTip(expanded ? tr("Keep the diagnosis to its first lines")
                                  : tr("Show the whole diagnosis: every candidate and the fix"));
    fitHeight();
}

void DiagnosisBanner::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitHeight();
}

void DiagnosisBanner::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fitHeight();
}

void DiagnosisBanner::fitHeight()
{
    // The label's height at the width it will have once the scroll bar is there or not; the bar's width is taken off
    // first so a text that needs it does not rewrap under it.
    const int scrollBarWidth = m_area->verticalScrollBar()->sizeHint().width();
    const int width = qMax(1, m_area->width() - scrollBarWidth);
    const int full = m_label->heightForWidth(width);
    m_probe->setFont(m_label->font());
    m_probe->setContentsMargins(m_label->contentsMargins());
    const int fewLines = m_probe->heightForWidth(width);
    // Both heights count the bottom padding: a text of exactly the collapsed number of lines is not too long.
    const bool tooLong = full > fewLines;
    // Collapsed without the bottom padding, which would show the top of the next line.
    const int capped = fewLines - m_label->contentsMargins().bottom();
    m_toggle->setVisible(tooLong);
    m_area->setVerticalScrollBarPolicy(tooLong && !m_expanded ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    m_area->setFixedHeight(m_expanded || !tooLong ? qMax(full, 0) : capped);
}

} // namespace wsi
