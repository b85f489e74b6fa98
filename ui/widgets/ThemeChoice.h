// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/widgets/Theme.h"

#include <QString>

#include <optional>

namespace wsi {

// Which palette the window is drawn in, changed at run time (View > Theme, `wsinspector --palette`): the desktop's
// own style and palette ("system"), or one of Theme's palettes in the Fusion style. Everything the window paints
// follows, since every colour comes from the palette or from a Theme built from it when painting (labels drawn by
// ThemedStyle take it again on the PaletteChange that QApplication::setPalette sends).
//
// The choice is kept in QSettings ("view/theme": system, light, dark, high-contrast, high-contrast-light).
namespace ThemeChoice {

// Applies the choice to the application: nullopt is the desktop's style and palette as they were before the first
// call (remembered then).
void apply(std::optional<Theme::Variant> variant);
// What apply() last set; nullopt: the desktop's.
std::optional<Theme::Variant> current();
// "system", or Theme::variantName().
QString name(std::optional<Theme::Variant> variant);
// The saved choice (default: the desktop's); an unknown name is the desktop's too.
std::optional<Theme::Variant> saved();
void save(std::optional<Theme::Variant> variant);

} // namespace ThemeChoice
} // namespace wsi
