// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ProtobufSchemaView.h"

#include <QJsonObject>
#include <QString>

class QFile;

namespace wsi {
class ProxyConnection;
}

namespace wsi::cli {

// What `proxy` and `capture` print: each event as a JSON line (--json) or a line for people, and as JSON to the
// --record file when there is one. watch() prints a relayed connection's events as they happen: "upgrade",
// "frame" (from "client" or "server"), with messages also "message" (the completed message, inflated, and "decoded"
// when the connection's application protocol is recognised: MessageDecoding), "held" (a message a pause rule holds:
// its "id" for decisions, "frame", "rule") and "hold_decided" ("outcome", "held_s"), "cut", "end_closed" and
// "closed".
//
// Frames and messages come in batches (a relay announces new frames at most every 16 ms): a batch's lines are
// written with one write and one flush, and each frame's JSON object is built only when it is printed or recorded,
// so that printing keeps up with a relay that moves hundreds of thousands of frames a second.
class RelayEventPrinter final
{
public:
    RelayEventPrinter(bool json, QFile *record);

    // The most bytes of a frame's or message's payload that printing reads: the preview for people (80 bytes, and a
    // Close payload is at most 125), or the JSON's payload limit and the bytes that say where a cut character ends.
    // A command whose log nothing else reads keeps no more of each payload than this.
    qint64 payloadBytesPrinted() const noexcept;

    // Which relayed connections' completed messages get "message" events.
    enum class MessageEvents : quint8 {
        None,
        JsonOnly, // in the JSON events (--json, the --record file), not in the lines for people
        All,
    };

    // Prints one event now.
    void event(const QString &name, QJsonObject object, const QString &human);
    void watch(ProxyConnection *connection, MessageEvents messages);
    // Binary messages read as a protobuf type in "decoded" (--proto, --proto-message).
    void setBinarySchema(std::optional<ProtobufSchemaView> schema) { m_binarySchema = std::move(schema); }

private:
    // Whether events need their JSON form (printed with --json, or recorded).
    bool wantsJson() const noexcept { return m_json || m_record; }
    // Adds one event's lines to the batch; `object` is only read when wantsJson(), a null `human` has no line.
    void queue(const QString &name, QJsonObject object, QByteArrayView human);
    // Writes the batch.
    void flush();

    bool m_json;
    QFile *m_record;
    std::optional<ProtobufSchemaView> m_binarySchema;
    QByteArray m_out;     // lines for stdout not yet written
    QByteArray m_records; // lines for the --record file not yet written
};

} // namespace wsi::cli
