// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/FrameLog.h"
#include "core/records/SessionRecords.h"

#include <QList>
#include <QString>

#include <optional>

class QIODevice;

namespace wsi {

// Reads the WebSocket sessions of a HAR 1.2 file: one SessionRecords (read-only, complete) per WebSocket entry,
// with its handshake rebuilt from the entry's request and response and every message as one frame and one message
// in a FrameLog. The files of Chrome DevTools, Firefox, mitmproxy (savehar) and Playwright (recordHar) are read:
//  - an entry is a WebSocket when it has `_webSocketMessages`, `_resourceType: "websocket"`, a 101 response, or an
//    `Upgrade: websocket` request header (Firefox writes the upgrade but not the messages);
//  - each message is {type: "send"|"receive", time: seconds since the epoch, opcode, data}: opcode 1 is text with
//    the data as it is, any other opcode has its data in base64 (the DevTools protocol's rule). Close, ping and
//    pong (8, 9, 10) become control frames without a message; a Close frame's code and reason fill the close
//    record. Chrome's {type: "error"} entries say the connection failed, with its words.
//
// Streams: the file is read a chunk at a time (JsonStreamScanner). Entries are walked member by member, the other
// entries' bodies skipped without being built, and messages read one at a time straight into the FrameLog, whose
// budget bounds what is kept of their payloads. So memory is the logs' budget plus one message's kept part, however
// large the file; any other single value larger than Options::maxValueBytes is refused instead of buffered.
// Errors name the file, the byte offset with line and column, the JSON path (log.entries[3]._webSocketMessages[12]
// .opcode), what was expected and what was found.
class HarReader final
{
public:
    struct Options {
        FrameLog::Budget budget; // for each session's log
        qint64 maxValueBytes = 64ll * 1024 * 1024;
    };

    HarReader()
        : HarReader(Options{})
    {}
    explicit HarReader(const Options &options);

    std::optional<QList<SessionRecords>> readFile(const QString &path);
    // `sourceName` names the input in errors; a random-access device lets messages that come before their entry's
    // startedDateTime (Chrome's member order) be timed from it.
    std::optional<QList<SessionRecords>> read(QIODevice *device, const QString &sourceName,
                                              const QString &sourcePath = {});

    QString errorString() const { return m_error; }
    // Entries in the last file read, WebSocket or not.
    qsizetype entryCount() const { return m_entryCount; }

private:
    Options m_options;
    QString m_error;
    qsizetype m_entryCount = 0;
};

} // namespace wsi
