// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

#include <optional>

namespace wsi {

// The colours of the window that a palette has no role for (what failed, what to watch, what works, the kinds of
// control frame on the timeline, the handshake's phases), each in a variant per kind of palette: light, dark, and
// high contrast either way round, chosen from the palette in use. Everything else the window draws takes a palette
// role (Text, PlaceholderText, Mid, Highlight, Link, ...), so this file is the only place in ui/ that writes a
// colour. Against the window and base colours of their variant, the colours that are read as words reach 4.5:1 and
// the marks 3:1 (tst_theme computes it), and each can be filled behind black or white text (textOn()).
class Theme final
{
public:
    enum class Variant : quint8 {
        Light,
        Dark,             // the window darker than its text
        HighContrastDark, // white on black
        HighContrastLight // black on white
    };
    static constexpr int variantCount = 4;

    enum class Color : quint8 {
        // Words as well as marks: 4.5:1.
        Failure, // an error, a failed or unclean end, a violation, where a keepalive timer cuts
        Warning, // connecting, closing, late; a note to heed; a frame made invalid on purpose
        Success, // open, healthy, an accepted handshake, a path that stays up
        // Marks: 3:1. Control frames on the timeline...
        Ping,
        Pong,
        Close,
        OtherControl,
        // ...and the handshake's phases in the timing bar.
        Dns,
        Connect,
        Tls,
        Upgrade,
        // No verdict: the palette's Mid, not a colour of the table.
        Neutral,
    };
    static constexpr int tableColorCount = int(Color::Neutral);

    explicit Theme(const QPalette &palette);

    // Dark when the window is darker than its text; high contrast when the two are black and white, or all but.
    static Variant variantOf(const QPalette &palette);
    // The table: `color` made for palettes of `variant` (Neutral has no entry: it is invalid here).
    static QColor color(Color color, Variant variant);
    // Read as words (4.5:1) rather than seen as marks (3:1).
    static bool isWords(Color color) noexcept { return color <= Color::Success; }

    Variant variant() const noexcept { return m_variant; }
    QColor color(Color color) const;
    // `color` washed into the palette's `ground` by `amount` (0 to 1): a background the palette's text stays
    // readable on.
    QColor tint(Color color, QPalette::ColorRole ground, double amount) const;

    static QColor mix(const QColor &a, const QColor &b, double amountOfB);
    // WCAG 2's contrast ratio, from 1 (the same luminance) to 21 (black and white).
    static double contrast(const QColor &a, const QColor &b);
    // Black or white, whichever reads better on `background` (never below 4.58:1).
    static QColor textOn(const QColor &background);

    // A whole palette of each variant, for `wsinspector --palette`, the screenshots and the tests; Light is the
    // Fusion style's own.
    static QPalette palette(Variant variant);
    // "light", "dark", "high-contrast" (white on black), "high-contrast-light".
    static std::optional<Variant> variantNamed(const QString &name);
    static QString variantName(Variant variant);

private:
    QPalette m_palette;
    Variant m_variant;
};

} // namespace wsi
