// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for core/appprotocol: every application-protocol decoder, and recognition, on hostile messages.
// Input layout:
//   byte 0: the decoder (modulo the number of protocols, Socket.IO twice: Engine.IO 4 and 3)
//   then messages, each a header byte (bit 0 sent by the client, bit 1 binary, bits 2-7 ignored), a length byte
//   (0xff: the rest of the input) and that many payload bytes.
// Besides crashes, sanitizer reports and hangs it checks what must hold for every input:
// - every message decodes to at least one decoded message, each with a kind or a violation;
// - a violation names its rule, where it is written and what was wrong;
// - a request or reply always has a key; toJson() names the protocol;
// - the CBOR, MessagePack and protobuf views of every payload (protobuf also as a message type of a small fixed
//   .proto, with a nested message, an enum, repeated, map and oneof fields and recursion) end in a tree or a
//   violation with its rule;
// - MQTT: the packets a message stream holds do not depend on where the stream is cut into messages, as long as no
//   packet breaks a rule.
#include "core/appprotocol/AppProtocolRegistry.h"
#include "core/appprotocol/CborView.h"
#include "core/appprotocol/MessagePackView.h"
#include "core/appprotocol/MqttDecoder.h"
#include "core/appprotocol/ProtobufSchema.h"
#include "core/appprotocol/ProtobufSchemaView.h"
#include "core/appprotocol/ProtobufWireView.h"
#include "core/appprotocol/SocketIoDecoder.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace wsi;

namespace {

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_app_decoders: %s\n", what);
        std::abort();
    }
}

QList<AppMessage> splitMessages(QByteArrayView input)
{
    QList<AppMessage> messages;
    qsizetype at = 0;
    while (at + 2 <= input.size()) {
        const quint8 header = quint8(input[at]);
        const quint8 length = quint8(input[at + 1]);
        at += 2;
        const qsizetype size = length == 0xff ? input.size() - at : std::min<qsizetype>(length, input.size() - at);
        AppMessage message;
        message.sender = (header & 1) ? Endpoint::Client : Endpoint::Server;
        message.binary = header & 2;
        message.payload = input.sliced(at, size).toByteArray();
        messages.append(message);
        at += size;
    }
    return messages;
}

// The schema the payloads are also read as, written once to a file of its own (ProtobufSchema reads files).
const ProtobufSchemaView &fixedSchemaView()
{
    static const ProtobufSchemaView view = [] {
        static QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("fuzz.proto")));
        require(file.open(QIODevice::WriteOnly), "cannot write the fixed .proto");
        file.write(R"(syntax = "proto3";
package fuzz;
enum Level { LEVEL_UNSPECIFIED = 0; LOW = 1; HIGH = 2; }
message Envelope {
  message Header { string id = 1; sint64 sequence = 2; fixed32 flags = 3; }
  Header header = 1;
  repeated string tags = 2;
  map<string, Envelope> children = 3;
  oneof body { string text = 4; bytes data = 5; double value = 6; }
  Level level = 7;
  repeated sint32 packed = 8;
  Envelope next = 9;
}
)");
        file.close();
        const ProtobufSchema::Loaded loaded = ProtobufSchema::load(file.fileName());
        require(loaded.schema != nullptr, "the fixed .proto does not load");
        return ProtobufSchemaView(loaded.schema, QStringLiteral("fuzz.Envelope"));
    }();
    return view;
}

void checkDecoded(const DecodedMessages &decoded, AppProtocol protocol)
{
    require(!decoded.isEmpty(), "a message decoded to nothing");
    for (const DecodedMessage &message : decoded) {
        require(message.protocol == protocol, "a decoded message names another protocol");
        require(!message.kind.isEmpty() || message.violation.has_value(), "neither a kind nor a violation");
        if (message.violation) {
            require(!message.violation->rule.isEmpty() && !message.violation->reference.isEmpty() &&
                        !message.violation->detail.isEmpty(),
                    "a violation without its rule, reference or detail");
        }
        require(message.correlation.role == Correlation::Role::None || !message.correlation.key.isEmpty(),
                "a request or reply without a key");
        const QJsonObject json = message.toJson();
        require(json.value(QStringLiteral("protocol")).toString() == AppProtocols::name(protocol),
                "toJson lost the protocol");
        QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
}

// The whole packets of a client's byte stream cut into the given messages, or nullopt once one breaks a rule.
std::optional<QList<QJsonObject>> mqttPackets(const QList<QByteArray> &pieces)
{
    MqttDecoder decoder;
    QList<QJsonObject> packets;
    for (const QByteArray &piece : pieces) {
        for (DecodedMessage &packet : decoder.decode(AppMessage::bytes(Endpoint::Client, piece))) {
            if (packet.violation)
                return std::nullopt;
            if (packet.fields.value(QStringLiteral("partial")).toBool())
                continue;
            packet.fields.remove(QStringLiteral("continued"));
            QJsonObject json = packet.toJson();
            packets.append(json);
        }
    }
    return packets;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<AppProtocol> &protocols = AppProtocols::all();
    const int choice = data[0] % (protocols.size() + 1);
    std::unique_ptr<MessageDecoder> decoder = choice == protocols.size()
                                                  ? std::make_unique<SocketIoDecoder>(3)
                                                  : AppProtocolRegistry::createDecoder(protocols[choice]);
    const QList<AppMessage> messages = splitMessages(input.sliced(1));
    for (const AppMessage &message : messages) {
        checkDecoded(decoder->decode(message), decoder->protocol());
        for (const PayloadView &view :
             {CborView::read(message.payload), MessagePackView::read(message.payload),
              ProtobufWireView::read(message.payload), fixedSchemaView().read(message.payload)}) {
            require(!view.violation || !view.violation->rule.isEmpty(), "a payload view's violation without a rule");
            QJsonDocument(QJsonObject{{QStringLiteral("v"), view.value}}).toJson(QJsonDocument::Compact);
        }
    }

    // Recognition reads the same messages, and the input as a URL and a subprotocol.
    const QString text = QString::fromUtf8(input.sliced(1));
    const ConnectionFacts facts{QUrl(QStringLiteral("ws://h/") + text), {text}, text.left(32)};
    for (const Recognition &recognition : AppProtocolRegistry::candidates(facts, messages)) {
        require(recognition.confidence > 0 && recognition.confidence < 100, "confidence out of range");
        require(!recognition.reason.isEmpty(), "a recognition without a reason");
        require(AppProtocolRegistry::createDecoder(recognition) != nullptr, "no decoder for a recognised protocol");
    }

    // MQTT: the same client bytes as one message and cut where the messages were cut.
    if (choice == 2) {
        QList<QByteArray> pieces;
        QByteArray whole;
        for (const AppMessage &message : messages) {
            pieces.append(message.payload);
            whole.append(message.payload);
        }
        pieces.removeAll(QByteArray());
        const std::optional<QList<QJsonObject>> cut = mqttPackets(pieces);
        const std::optional<QList<QJsonObject>> joined = mqttPackets({whole});
        if (cut && joined && !whole.isEmpty())
            require(*cut == *joined, "MQTT packets depend on where the messages were cut");
    }
    return 0;
}
