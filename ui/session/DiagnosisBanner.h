// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QScrollArea;
class QToolButton;

namespace wsi {

// After an abnormal end: what most likely cut the connection, the intermediary's own clue and the fix, across the top
// of the session. A diagnosis can run to many lines (every knob that could be set to the silence), so the banner
// keeps to a few lines and scrolls, with "Show all" to open it fully: the frame table below must stay usable on a
// 700-pixel-high screen.
class DiagnosisBanner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosisBanner)

public:
    // Lines shown before "Show all" is needed.
    static constexpr int collapsedLines = 4;

    explicit DiagnosisBanner(QWidget *parent = nullptr);

    // `text`: the summary and the intermediary's clue, kept to a few lines; `fix`: what to do, always in view under it.
    void setText(const QString &text, const QString &fix, const QString &toolTip);
    QString text() const;
    bool isExpanded() const noexcept { return m_expanded; }
    void setExpanded(bool expanded);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Fits the scroll area to the text at the current width: all of it when expanded or short, else the first lines.
    void fitHeight();

    QScrollArea *m_area;
    QLabel *m_label;
    // Never shown: a label like m_label holding exactly collapsedLines lines, whose height is the collapsed height,
    // so the cut falls between two lines whatever the font, the margins and the text layout's line pitch.
    QLabel *m_probe;
    QLabel *m_fix;
    QToolButton *m_toggle;
    bool m_expanded = false;
};

} // namespace wsi
