// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/widgets/Theme.h"

#include <QObject>

class QEvent;
class QLabel;

namespace wsi {

// A label drawn in a colour of the theme: coloured text, a chip, a note, a flag. The colours are those of the
// palette the label inherits, taken again whenever that palette changes (the desktop turning dark,
// QApplication::setPalette): the fill is painted under the label's text from the current palette, and the text's
// colour is set on the label's palette, for that one role, so the rest of it keeps following its parent's. Not a
// style sheet: Qt freezes the whole palette of a widget with a style sheet, which then keeps the text and
// background of the palette it was polished with. It watches its label as a child of it and goes with it.
class ThemedStyle final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThemedStyle)

public:
    enum class Look : quint8 {
        Text, // the text in the colour
        Chip, // filled with the colour, rounded, its text in black or white
        Note, // a box tinted with the colour and framed by it, its text in the palette's; padded
        Flag, // a bar of the colour on the left, the text in the palette's; padded
    };

    // Draws the label with `look` in `color`, now and after every palette change until the next apply() or clear().
    static void apply(QLabel *label, Look look, Theme::Color color);
    // Back to a plain label.
    static void clear(QLabel *label);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit ThemedStyle(QLabel *label);
    static ThemedStyle *of(const QLabel *label);
    // The palette the label would have without the text colour set here.
    QPalette inheritedPalette() const;
    void setTextColor();
    void paintFill();

    QLabel *m_label;
    Look m_look = Look::Text;
    Theme::Color m_color = Theme::Color::Neutral;
};

} // namespace wsi
