// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFileDevice>
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
    // Creates `path` and its missing parents as folders only their owner can enter (0700 on Unix): recordings and
    // profiles hold headers and payloads. Folders that exist already keep their permissions.
    static bool makePrivateFolder(const QString &path);
    // Owner read and write only (0600 on Unix), for files that hold a session's traffic.
    static constexpr QFileDevice::Permissions privateFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
};

} // namespace wsi
