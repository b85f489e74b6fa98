// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace wsi {

// Where recordings go: the window records every session into its recordings folder under a name that says when
// and where to ("20261121-093012-127.0.0.1-9001.wsirec"); `wsinspector-cli connect --record FILE` uses FILE for
// the first connection and FILE-2, FILE-3 ... (before the suffix) for reconnects.
namespace RecordingPaths {

// DataHome::part("recordings"): one folder for the window and the command line.
QString defaultDirectory();
// A file name in `directory` that does not exist yet.
QString newFileIn(const QString &directory, const QUrl &url, const QDateTime &when);
// newFileIn(), created empty (owner-only) at once, so no other recorder of this folder picks the same name in the
// same second before the writer opens it (the window's sessions and its captured connections share the folder;
// the writer takes over an empty file). Empty, with *error, when no file could be created.
QString reserveNewFileIn(const QString &directory, const QUrl &url, const QDateTime &when, QString *error);
// `path` for connection 1; "name-N.suffix" for connection N > 1.
QString forConnection(const QString &path, int connection);

} // namespace RecordingPaths
} // namespace wsi
