// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace wsi {

// The kinds of file a real session can be read from (diagnose, simulate --from, import). Told apart by their
// content, never by their name: a HAR saved as .json or a transcript saved as .har is still what it is.
enum class SessionFileFormat : quint8 {
    Transcript, // JSON lines of `wsinspector-cli connect --json`
    Har,        // HAR 1.2 (Chrome, Firefox, mitmproxy, Playwright, WS Inspector's own export)
    Recording,  // a recording (SQLite)
    Empty,
    Unreadable,
};

namespace SessionFileFormats {

// From the first bytes of a file (a few KiB are plenty).
SessionFileFormat detect(QByteArrayView head);
// From the file itself; Unreadable with *error when it cannot be opened.
SessionFileFormat detectFile(const QString &path, QString *error);
// "a HAR file", "a recording (SQLite)" ... for messages.
QString name(SessionFileFormat format);

} // namespace SessionFileFormats
} // namespace wsi
