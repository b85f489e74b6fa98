// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace wsi {

// OpenSSL's thread-local error queue as words: the reasons of every queued error ("wrong version number; ..."),
// without the "error:0A00010B:SSL routines::" prefix, and the queue emptied so the next operation starts clean.
class OpenSslErrors
{
public:
    // The queued reasons joined by "; ", or `fallback` when the queue is empty.
    static QString take(const QString &fallback = QStringLiteral("unknown OpenSSL error"));
    // Empties the queue (before an operation whose errors are read afterwards).
    static void clear();
};

} // namespace wsi
