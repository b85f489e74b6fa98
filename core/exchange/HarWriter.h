// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/exchange/SecretRedaction.h"
#include "core/records/SessionRecords.h"

#include <QDateTime>
#include <QUrl>

#include <memory>
#include <utility>

class QIODevice;

namespace wsi {

// Writes captured WebSocket sessions as a HAR 1.2 log the way Chrome DevTools exports them: one entry per session
// with the upgrade request and the 101 (or refusal) as request and response, `_resourceType: "websocket"`, and
// the data messages in `_webSocketMessages` ({type: send|receive, time: seconds since the epoch, opcode: 1 text
// or 2 binary, data: text, or base64 for binary}). Control frames are not part of Chrome's format and are left out.
// A message of a recognised application protocol also carries `_decoded`: the "decoded" array of the JSON lines
// (MessageDecoding), which HAR readers that do not know it skip.
//
// A message whose payload could not be had whole (cut by the memory budget, and no recording to read it back from)
// is written as far as it was kept, with `_truncated: true`.
//
// Secrets: the handshake's credentials (Authorization, cookies, token-like query parameters ...) are replaced by
// SecretRedaction::placeholder in the URL, "queryString", the headers and everywhere else, and so are the
// credentials of an application protocol's connect message (a STOMP passcode, an MQTT password, secret members of a
// Socket.IO auth object) in its "data" and "_decoded", the message marked "_redacted": true; unless
// setRedaction(SecretRedaction::keepingSecrets()) says the user asked for them.
//
// Streams: each message is written as it is read from the log, so a session of a million messages never exists
// as one JSON document in memory.
class HarWriter final
{
public:
    explicit HarWriter(QIODevice *out);

    // What leaves the handshakes out: by default SecretRedaction's built-in rules.
    void setRedaction(SecretRedaction redaction) { m_redaction = std::move(redaction); }
    // Binary messages read as a protobuf type in "decoded" (MessageDecoding), when the user gave one.
    void setBinarySchema(std::optional<ProtobufSchemaView> schema) { m_binarySchema = std::move(schema); }

    // Writes the whole document; false with errorString() when the device refused a write.
    // Each session's recordingPath, when it has one, is where payloads the log's memory budget cut are read back
    // from (WholePayloads, on the writing thread), so the HAR holds them whole.
    bool write(const QList<SessionRecords> &sessions, const QString &creatorVersion);
    QString errorString() const { return m_error; }
    // Messages written cut because their recording could not give them back, and why the first could not.
    qsizetype unreadPayloadCount() const noexcept { return m_unreadPayloadCount; }
    QString unreadPayloadError() const { return m_unreadPayloadError; }

private:
    bool put(const QByteArray &bytes);
    bool writeEntry(const SessionRecords &session);

    QIODevice *m_out;
    SecretRedaction m_redaction;
    std::optional<ProtobufSchemaView> m_binarySchema;
    QString m_error;
    qsizetype m_unreadPayloadCount = 0;
    QString m_unreadPayloadError;
};

} // namespace wsi
