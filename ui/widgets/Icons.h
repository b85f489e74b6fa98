// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>

class QPalette;

namespace wsi {

// The app's icons, drawn as SVG in resources/icons/ui. Line icons are drawn in "currentColor" and take the
// palette's button text colour here (a lighter one when disabled), so they stay legible in light and dark themes;
// state icons keep their own colours. Rendered with QSvgRenderer at the usual sizes, so no image plugin is needed.
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
QIcon icon(Name name, const QPalette &palette);

} // namespace Icons
} // namespace wsi
