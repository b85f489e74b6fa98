// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/Theme.h"

#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace wsi {

namespace {

// One row per Theme::Color, one column per Theme::Variant: Light, Dark, HighContrastDark, HighContrastLight. Light
// and high-contrast-light colours are dark enough for white text on them, the others light enough for black.
constexpr std::array<std::array<QRgb, Theme::variantCount>, Theme::tableColorCount> table{{
    {0xb3261e, 0xff8a80, 0xff6e6e, 0xa50000}, // Failure
    {0x8a5300, 0xf2c14e, 0xffd83d, 0x6b4000}, // Warning
    {0x1b6e30, 0x6fd08c, 0x4dff88, 0x005a1e}, // Success
    {0xb35c00, 0xffa94d, 0xffb347, 0x8a4000}, // Ping
    {0x1b7a3a, 0x69db8f, 0x4dff88, 0x005a1e}, // Pong
    {0x8a3fb0, 0xd0a0ff, 0xe0b0ff, 0x6a1b9a}, // Close
    {0x00798c, 0x5fd4e6, 0x5ff0ff, 0x005f6b}, // OtherControl
    {0x3b6ea5, 0x7aa9e0, 0x8cc4ff, 0x1f4e8c}, // Dns
    {0xb35c00, 0xf0a45d, 0xffb347, 0x8a4000}, // Connect
    {0x2f7d32, 0x7ccf7f, 0x7dff7d, 0x1b5e20}, // Tls
    {0x8e4f88, 0xd39bd0, 0xffa6f2, 0x6f2d6a}, // Upgrade
}};

// The palettes of the variants other than Light (which is Fusion's): what `--palette` and the screenshots use.
struct PaletteColors {
    QRgb window, text, base, alternateBase, mid, highlight, highlightedText, link, placeholder, disabledText;
};
constexpr PaletteColors darkPalette{0x2b2d31, 0xe6e6e6, 0x1f2124, 0x2b2d31, 0x5a5d63,
                                    0x2f6fc4, 0xffffff, 0x6cb4ff, 0x8a8f98, 0x808080};
// After Windows' "High Contrast Black" and "High Contrast White". Fields are a shade off the black window: Fusion
// outlines them in the window's colour darkened, which on black is no outline at all.
constexpr PaletteColors highContrastDarkPalette{0x000000, 0xffffff, 0x1c1c1c, 0x2a2a2a, 0x808080,
                                                0x1aebff, 0x000000, 0xffff00, 0xb0b0b0, 0x9a9a9a};
constexpr PaletteColors highContrastLightPalette{0xffffff, 0x000000, 0xffffff, 0xf0f0f0, 0x767676,
                                                 0x37006e, 0xffffff, 0x00009f, 0x595959, 0x6d6d6d};

constexpr QRgb black = 0x000000;
constexpr QRgb white = 0xffffff;

// Fusion's own light palette is 18.3:1 (#efefef and black); a high-contrast one is black and white or all but.
constexpr double highContrastRatio = 19.0;

double channel(float value)
{
    return value <= 0.04045f ? double(value) / 12.92 : std::pow((double(value) + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

QPalette paletteOf(const PaletteColors &c)
{
    QPalette p{QColor(c.window), QColor(c.window)}; // Light, Dark, Midlight and Shadow worked out from the window
    const QColor text(c.text);
    for (const auto role : {QPalette::Window, QPalette::Button})
        p.setColor(role, QColor(c.window));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
        p.setColor(role, text);
    for (const auto role : {QPalette::Base, QPalette::ToolTipBase})
        p.setColor(role, QColor(c.base));
    p.setColor(QPalette::AlternateBase, QColor(c.alternateBase));
    p.setColor(QPalette::Mid, QColor(c.mid));
    p.setColor(QPalette::Highlight, QColor(c.highlight));
    p.setColor(QPalette::HighlightedText, QColor(c.highlightedText));
    p.setColor(QPalette::Link, QColor(c.link));
    p.setColor(QPalette::LinkVisited, QColor(c.link));
    p.setColor(QPalette::PlaceholderText, QColor(c.placeholder));
    p.setColor(QPalette::BrightText, QColor(c.base));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(c.disabledText));
    return p;
}

constexpr std::array<const char *, Theme::variantCount> variantNames{"light", "dark", "high-contrast",
                                                                     "high-contrast-light"};

} // namespace

Theme::Theme(const QPalette &palette)
    : m_palette(palette)
    , m_variant(variantOf(palette))
{}

Theme::Variant Theme::variantOf(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::WindowText);
    const bool dark = luminance(window) < luminance(text);
    if (contrast(window, text) >= highContrastRatio)
        return dark ? Variant::HighContrastDark : Variant::HighContrastLight;
    return dark ? Variant::Dark : Variant::Light;
}

QColor Theme::color(Color color, Variant variant)
{
    if (color == Color::Neutral)
        return {};
    return QColor(table[size_t(color)][size_t(variant)]);
}

QColor Theme::color(Color color) const
{
    if (color == Color::Neutral)
        return m_palette.color(QPalette::Mid);
    return Theme::color(color, m_variant);
}

QColor Theme::tint(Color color, QPalette::ColorRole ground, double amount) const
{
    return mix(m_palette.color(ground), this->color(color), amount);
}

QColor Theme::mix(const QColor &a, const QColor &b, double amountOfB)
{
    const double amountOfA = 1 - amountOfB;
    return QColor::fromRgbF(float(a.redF() * amountOfA + b.redF() * amountOfB),
                            float(a.greenF() * amountOfA + b.greenF() * amountOfB),
                            float(a.blueF() * amountOfA + b.blueF() * amountOfB));
}

double Theme::contrast(const QColor &a, const QColor &b)
{
    const double first = luminance(a);
    const double second = luminance(b);
    return (std::max(first, second) + 0.05) / (std::min(first, second) + 0.05);
}

QColor Theme::textOn(const QColor &background)
{
    const QColor onBlack{black};
    const QColor onWhite{white};
    return contrast(background, onBlack) >= contrast(background, onWhite) ? onBlack : onWhite;
}

QPalette Theme::palette(Variant variant)
{
    switch (variant) {
    case Variant::Light:
        return std::unique_ptr<QStyle>(QStyleFactory::create(QStringLiteral("Fusion")))->standardPalette();
    case Variant::Dark:
        return paletteOf(darkPalette);
    case Variant::HighContrastDark:
        return paletteOf(highContrastDarkPalette);
    case Variant::HighContrastLight:
        return paletteOf(highContrastLightPalette);
    }
    return {};
}

std::optional<Theme::Variant> Theme::variantNamed(const QString &name)
{
    for (size_t i = 0; i < variantNames.size(); ++i) {
        if (name == QLatin1StringView(variantNames[i]))
            return Variant(i);
    }
    return std::nullopt;
}

QString Theme::variantName(Variant variant)
{
    return QLatin1StringView(variantNames[size_t(variant)]);
}

} // namespace wsi
