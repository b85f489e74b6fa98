// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi::cli {

// Where a command's help lists a flag: the rows of one group are listed together under "<title>:", in the order of
// the table, followed by the group's note.
struct ArgumentGroup {
    QString title{}; // "Request", "TLS and proxy"
    QString note{};  // said once after the group's flags (wrapped like their help); empty for none
};

} // namespace wsi::cli
