// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/AppProtocol.h"
#include "core/appprotocol/ConnectionDecoder.h"
#include "core/appprotocol/DecodedMessage.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/exchange/SecretRedaction.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace wsi {

class FrameLog;
struct HandshakeRecord;
struct MessageRecord;

// The "decoded" member of one connection's message events, for every JSON output (connect --json, the message
// events of proxy and capture --json, the JSONL export, the HAR export's "_decoded"): the connection's messages fed
// in the order they crossed to one ConnectionDecoder, so all of them say the same of the same message.
//
// "decoded" is always an array of {"protocol", "kind", ...fields, "violation", "correlation"} objects
// (DecodedMessage::toJson), one per protocol message the WebSocket message carries: one in the usual case, several
// for MQTT packets, SignalR records or a JSON-RPC batch sharing a message. A message event has no "decoded" while
// (or when) the connection's protocol is not recognised, and when its payload was not kept whole (a relay's log
// keeps only what it prints): a protocol message cannot be read from part of it.
//
// With a protobuf schema (--proto FILE --proto-message TYPE), every binary message is read as that type instead:
// [{"protocol": "protobuf", "kind": TYPE, "message": {fields by name}, "violation": {...}}]. The user said what the
// binary messages are, so they are not given to the recognised protocol (nor count towards recognising one); text
// messages are decoded as before.
class MessageDecoding final
{
public:
    static constexpr QLatin1StringView field{"decoded"};

    // `forced`: the protocol the user said the connection speaks (`connect --protocol`), recognised otherwise.
    // `binarySchema`: what binary messages are, when the user said so.
    explicit MessageDecoding(const HandshakeRecord &handshake, std::optional<AppProtocol> forced = std::nullopt,
                             std::optional<ProtobufSchemaView> binarySchema = std::nullopt);

    // Whether later messages can still be decoded: false once recognition gave up on the connection (and no schema
    // reads its binary messages), so a writer need not fetch whole payloads for it.
    bool active() const noexcept { return m_binarySchema || !m_decoder.gaveUp(); }

    // The next message of the connection and its whole payload (it may be cut: then it is not decoded). The
    // decoded array, empty when there is nothing to say.
    QJsonArray decode(const MessageRecord &record, QByteArrayView payload);
    // Adds "decoded" to `event` when decode() says something.
    void addTo(QJsonObject &event, const MessageRecord &record, QByteArrayView payload);
    // The same for message `index` of `log`, with the payload the log kept.
    void addTo(QJsonObject &event, const FrameLog &log, qsizetype index);

    // The connection's protocol, once recognised (or forced).
    std::optional<AppProtocol> protocol() const;

    // decode() for an export: the decoded array and, when `redaction` replaces a client's credentials in it (see
    // SecretRedaction::protocolPayload), the payload to export instead.
    struct Exported {
        QJsonArray decoded;
        std::optional<QByteArray> redactedPayload;
    };
    Exported decodeForExport(const MessageRecord &record, QByteArrayView payload, const SecretRedaction &redaction);

    static QJsonArray toJson(const DecodedMessages &messages);
    // {"protocol": "protobuf", "kind": TYPE, "message": ..., "violation": ...}.
    static QJsonObject toJson(const PayloadView &protobuf, const QString &messageType);

private:
    ConnectionDecoder m_decoder;
    std::optional<ProtobufSchemaView> m_binarySchema;
};

} // namespace wsi
