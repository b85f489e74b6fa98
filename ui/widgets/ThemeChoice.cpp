// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/ThemeChoice.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>

namespace wsi::ThemeChoice {
namespace {

constexpr QLatin1StringView settingsKey{"view/theme"};
constexpr QLatin1StringView systemName{"system"};

struct State {
    bool remembered = false;
    QString desktopStyle;
    QPalette desktopPalette;
    std::optional<Theme::Variant> current;
};

State &state()
{
    static State s;
    return s;
}

} // namespace

void apply(std::optional<Theme::Variant> variant)
{
    State &s = state();
    if (!s.remembered) {
        s.remembered = true;
        s.desktopStyle = QApplication::style()->name();
        s.desktopPalette = QApplication::palette();
    }
    s.current = variant;
    // The style first: setting one makes its own palette the application's, which the palette then replaces.
    QApplication::setStyle(variant ? QStringLiteral("Fusion") : s.desktopStyle);
    QApplication::setPalette(variant ? Theme::palette(*variant) : s.desktopPalette);
}

std::optional<Theme::Variant> current()
{
    return state().current;
}

QString name(std::optional<Theme::Variant> variant)
{
    return variant ? Theme::variantName(*variant) : QString(systemName);
}

std::optional<Theme::Variant> saved()
{
    return Theme::variantNamed(QSettings().value(settingsKey, QString(systemName)).toString());
}

void save(std::optional<Theme::Variant> variant)
{
    QSettings().setValue(settingsKey, name(variant));
}

} // namespace wsi::ThemeChoice
