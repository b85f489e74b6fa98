// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace wsi::cli {

// `wsinspector-cli profiles list|show NAME|export NAME FILE|import FILE [--dir DIR]`: the profile library from
// scripts. Synchronous: no event loop needed.
class ProfilesCommand final
{
public:
    // arguments: what follows "profiles" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);
};

} // namespace wsi::cli
