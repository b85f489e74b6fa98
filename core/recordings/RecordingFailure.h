// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi::RecordingFailure {

// Why a recording could not be written, in the operating system's words ("No space left on device", "Permission
// denied"), for the user and for the Close frame's reason: SQLite's own messages ("database or disk is full", "disk
// I/O error") do not name the cause a user can act on. Found from the writer's error and the state of the file's
// location now; the writer's error as it is when neither says more.
QString osReason(const QString &path, const QString &writerError);

// The writer's error when the file at `path` was removed or renamed away while it was being written (the writer
// would go on filling a file no name leads to). osReason() keeps it as it is: it says all there is to say.
QString fileRemoved(const QString &path);

} // namespace wsi::RecordingFailure
