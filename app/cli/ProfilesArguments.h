// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ParsedArguments.h"

#include <QString>

#include <optional>

namespace wsi::cli {

// What `wsinspector-cli profiles` was asked to do.
struct ProfilesArguments {
    enum class Action : quint8 { List, Show, Export, Import };
    Action action = Action::List;
    QString name;      // show, export
    QString file;      // export: where to write; import: what to read
    QString directory; // --dir, else $WSI_PROFILE_DIR, else the default (see ProfileStore)
    bool help = false;
};

// Arguments, or a message naming the offending argument (exit status 2).
using ProfilesParseResult = ParsedArguments<ProfilesArguments>;

// arguments: what follows "profiles" on the command line.
ProfilesParseResult parseProfilesArguments(const QStringList &arguments);
QString profilesHelpText();
// Every flag's long name, in the help's order.
QStringList profilesOptionNames();
// --dir, else $WSI_PROFILE_DIR (for tests and scripts), else empty for the store's default.
QString profileDirectory(const QString &dirOption);

} // namespace wsi::cli
