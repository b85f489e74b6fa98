// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi::WriteCoalescingVfs {

// An SQLite VFS over the platform's own that hands a recording's writes to the operating system in runs of 64 KiB
// instead of one or two calls per page, and reads the WAL ahead while a checkpoint copies it into the file.
//
// Why: SQLite writes each WAL frame as two calls (its 24-byte header, then the page), and a checkpoint reads each
// frame back and writes each page into the file with a call of its own: four system calls per page. With the 4 KiB
// pages a slow feed needs, recording 1 KiB or 64 KiB payloads spent most of its time entering the kernel (on a
// virtual machine, about as long as copying the page), and wrote at half the rate of 64 KiB pages
// (docs/performance.md). What reaches the file, and when, does not change where it matters: a commit is handed to
// the operating system before it returns (the write of its commit frame sends the run), a sync, lock, read, size or
// truncate sends what is pending first, so a process killed after a commit loses nothing more than before.
//
// Only the writer's database and its WAL are coalesced; rollback journals and readers go through unchanged.

// Registers the VFS with the SQLite library Qt's driver uses (once; later calls only answer). False when it could
// not be: the writer then opens its file the ordinary way.
bool registerOnce();

// What to give Qt's SQLite driver as the database name (with the connect option QSQLITE_OPEN_URI) to have the file
// at `path` written through this VFS.
QString uriFor(const QString &path);

} // namespace wsi::WriteCoalescingVfs
