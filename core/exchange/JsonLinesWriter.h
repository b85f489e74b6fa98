// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/exchange/SecretRedaction.h"
#include "core/records/SessionRecords.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>

class QIODevice;

namespace wsi {

// Writes captured sessions as JSON lines, the events `wsinspector-cli connect --json` prints (CaptureJson), so
// whatever reads one reads the other: for each session its "handshake" (with "url" and "started", the wall time
// of the session's time 0), then its "frame"s, each "message" right after the frame that completed it and the
// "heartbeat" replies and misses in time order with them, then its "close" when the file says how it ended and,
// after an abnormal end, the "diagnosis". Every line has "session": 1, 2 ... in file order; "t" is seconds on that
// session's own clock (the handshake's: when it finished, from its phase durations). Messages of a recognised
// application protocol carry "decoded" as connect --json's do (MessageDecoding).
//
// Payloads are whole by default: one the log's memory budget cut is read back from the session's recording
// (WholePayloads). With a payload limit they are cut there, as connect --json cuts them, with "truncated": true.
//
// Secrets: the handshake's credentials (Authorization, cookies, token-like query parameters ...) are replaced by
// SecretRedaction::placeholder in "url" and in the handshake's headers and raw bytes, and so are the credentials of
// an application protocol's connect message (a STOMP passcode, an MQTT password, secret members of a Socket.IO auth
// object) in its "payload" and "decoded" and in the payload of its frame, each such event marked "redacted": true
// ("length" stays the one on the wire); unless setRedaction(SecretRedaction::keepingSecrets()) says the user asked
// for them. The frames of a connect message sent in fragments keep their pieces (only its message event is
// redacted).
//
// Streams: one event at a time is built and written, so a session of a million frames never exists as one
// document in memory.
class JsonLinesWriter final
{
public:
    static constexpr qsizetype wholePayloads = -1;

    explicit JsonLinesWriter(QIODevice *out, qsizetype payloadLimit = wholePayloads);

    // What leaves the handshakes out: by default SecretRedaction's built-in rules.
    void setRedaction(SecretRedaction redaction) { m_redaction = std::move(redaction); }
    // Binary messages read as a protobuf type in "decoded" (MessageDecoding), when the user gave one.
    void setBinarySchema(std::optional<ProtobufSchemaView> schema) { m_binarySchema = std::move(schema); }

    // false with errorString() when the device refused a write.
    bool write(const QList<SessionRecords> &sessions);
    // One session, live (its records as they are now) or from a file; its recordingPath is where payloads the log
    // cut are read back from.
    bool write(const SessionRecords &session, int sessionNumber);
    QString errorString() const { return m_error; }

    // Payloads the log had cut that the recording could not give back (written cut, "truncated": true), and why
    // the first of them could not be read.
    qsizetype unreadPayloadCount() const noexcept { return m_unreadPayloadCount; }
    QString unreadPayloadError() const { return m_unreadPayloadError; }

private:
    bool put(const QString &event, QJsonObject object, int sessionNumber);

    QIODevice *m_out;
    qsizetype m_payloadLimit;
    SecretRedaction m_redaction;
    std::optional<ProtobufSchemaView> m_binarySchema;
    QString m_error;
    qsizetype m_unreadPayloadCount = 0;
    QString m_unreadPayloadError;
};

} // namespace wsi
