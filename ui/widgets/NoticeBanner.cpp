// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/NoticeBanner.h"

#include "ui/widgets/ThemedStyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace wsi {

NoticeBanner::NoticeBanner(Kind kind, const QString &text, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_label(new QLabel(text, this))
    , m_row(new QHBoxLayout(this))
{
    setObjectName(kind == Kind::Failure ? QStringLiteral("failureNotice") : QStringLiteral("hintNotice"));
    m_label->setObjectName(QStringLiteral("noticeText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ThemedStyle::apply(m_label, ThemedStyle::Look::Flag,
                       kind == Kind::Failure ? Theme::Color::Failure : Theme::Color::Success);
    auto *close = new QToolButton(this);
    close->setObjectName(QStringLiteral("dismissNotice"));
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));
    close->setAccessibleName(tr("Dismiss"));
    m_row->setContentsMargins(0, 0, 0, 0);
    m_row->addWidget(m_label, 1);
    m_row->addWidget(close, 0, Qt::AlignTop);
    connect(close, &QToolButton::clicked, this, &NoticeBanner::dismiss);
}

QString NoticeBanner::text() const
{
    return m_label->text();
}

QPushButton *NoticeBanner::addButton(const QString &text, std::function<void()> action)
{
    auto *button = new QPushButton(text, this);
    m_row->insertWidget(m_row->count() - 1, button, 0, Qt::AlignTop);
    connect(button, &QPushButton::clicked, this, std::move(action));
    return button;
}

void NoticeBanner::dismiss()
{
    Q_EMIT dismissed();
    hide();
    deleteLater();
}

} // namespace wsi
