// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/SnippetView.h"

#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QTextDocument>
#include <QtMath>

namespace wsi {

SnippetView::SnippetView(const QString &text, QWidget *parent)
    : QTextEdit(parent)
{
    setObjectName(QStringLiteral("snippet"));
    setReadOnly(true);
    setAcceptRichText(false);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumWidth(120);
    document()->setDocumentMargin(4);
    setPlainText(text);
    // The document re-wraps to the viewport's width on each resize; the height follows it.
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &SnippetView::fitHeight);
    fitHeight();
}

SnippetView::~SnippetView() = default;

void SnippetView::fitHeight()
{
    const QMargins margins = contentsMargins();
    setFixedHeight(qCeil(document()->size().height()) + 2 * frameWidth() + margins.top() + margins.bottom());
}

} // namespace wsi
