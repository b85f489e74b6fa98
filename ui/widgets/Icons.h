// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>

namespace wsi {

// The app's icons, drawn as SVG in resources/icons/ui in "currentColor": line icons take the palette's button text
// colour (a lighter one when disabled), state icons the theme's colour of their state (Theme), so they stay legible
// in light, dark and high-contrast palettes. Drawn with QSvgRenderer in the application palette's colours when
// painted, so they follow a change of palette; no image plugin is needed.
namespace Icons {

enum class Name : quint8 {
    Connect,
    Disconnect,
    Send,
    Ping,
    NewSession,
    Templates,
    StateOpen,       // connected
    StateConnecting, // connecting or closing
    StateClosed,     // ended cleanly, or never started
    StateFailed,     // ended without a clean close (1006 and the like) or refused
};

QIcon icon(Name name);

} // namespace Icons
} // namespace wsi
