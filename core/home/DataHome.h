// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace wsi {

// The one folder the window and the command line share for what they keep: profiles, recordings. Both programs
// find the same files whatever their application names: QStandardPaths' GenericDataLocation + "/wsinspector"
// (~/.local/share/wsinspector on Linux, ~/Library/Application Support/wsinspector on macOS,
// %LOCALAPPDATA%\wsinspector on Windows).
//
// Earlier versions kept them per program (the window under "WS Inspector/WS Inspector", the command line under
// "wsinspector-cli"); the first time a part of the home is asked for and does not exist yet, the files found there
// are moved in, so no profile or recording is left behind.
class DataHome
{
public:
    static QString directory();
    // directory() + "/" + part ("profiles", "recordings"), with the earlier versions' files moved in if the part
    // does not exist yet.
    static QString part(const QString &name);
    // Where earlier versions kept `name`, for each program.
    static QStringList earlierLocations(const QString &name);
};

} // namespace wsi
