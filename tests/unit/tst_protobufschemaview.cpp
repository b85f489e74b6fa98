// SPDX-License-Identifier: GPL-3.0-or-later
// ProtobufSchema and ProtobufSchemaView: a .proto written here, payloads made from text format by protoc --encode
// (the real encoder), read back by field name: nested messages, enums, repeated fields, maps, oneofs, an import from
// the file's folder and a well-known type; fields the schema does not know by number; payloads that do not parse;
// .proto files with errors (file, line, column), imports outside the folder, unknown types.
#include "ProtocEncoder.h"
#include "core/appprotocol/ProtobufSchema.h"
#include "core/appprotocol/ProtobufSchemaView.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace wsi;

namespace {

const QByteArray chatProto = R"(syntax = "proto3";
package chat;

import "common/meta.proto";
import "google/protobuf/timestamp.proto";

enum Mood {
  MOOD_UNSPECIFIED = 0;
  HAPPY = 1;
  GRUMPY = 2;
}

message Envelope {
  message Header {
    string id = 1;
    int64 sequence = 2;
  }
  Header header = 1;
  repeated string tags = 2;
  map<string, int32> counts = 3;
  oneof body {
    string text = 4;
    bytes image = 5;
  }
  Mood mood = 6;
  repeated Mood history = 7;
  double score = 8;
  uint64 big = 9;
  common.Meta meta = 10;
  google.protobuf.Timestamp sent = 11;
}

message Node {
  Node child = 1;
  int32 value = 2;
}
)";

const QByteArray metaProto = R"(syntax = "proto3";
package common;
message Meta { string source = 1; }
)";

// Envelope as a later version of the schema has it: field 15 is new, the reader's schema does not know it.
const QByteArray newerProto = R"(syntax = "proto3";
package chat;
message Envelope {
  string text = 4;
  int32 priority = 15;
  repeated string note = 16;
}
)";

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace

class tst_ProtobufSchemaView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const ProtobufSchema> m_schema;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QByteArray encode(const QString &proto, const QString &type, const QByteArray &text)
    {
        QString error;
        const QByteArray bytes = test::protocEncode(proto, type, text, &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return bytes;
    }

    QString loadProblems(const QString &name, const QByteArray &content)
    {
        writeFile(path(name), content);
        const ProtobufSchema::Loaded loaded = ProtobufSchema::load(path(name));
        return loaded.schema ? QString() : loaded.describe();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(ProtobufSchema::isAvailable(), "built without libprotobuf (Debian libprotobuf-dev, libprotoc-dev)");
        QVERIFY(m_dir.isValid());
        writeFile(path(QStringLiteral("chat.proto")), chatProto);
        writeFile(path(QStringLiteral("common/meta.proto")), metaProto);
        writeFile(path(QStringLiteral("newer/chat.proto")), newerProto);
        const ProtobufSchema::Loaded loaded = ProtobufSchema::load(path(QStringLiteral("chat.proto")));
        QVERIFY2(loaded.schema, qPrintable(loaded.describe()));
        m_schema = loaded.schema;
    }

    void listsTheFilesMessageTypes()
    {
        // Nested types included, the map's entry type left out; the import's types are not the file's.
        QCOMPARE(m_schema->messageTypes(),
                 (QStringList{QStringLiteral("chat.Envelope"), QStringLiteral("chat.Envelope.Header"),
                              QStringLiteral("chat.Node")}));
        QVERIFY(m_schema->hasMessageType(QStringLiteral("common.Meta")));
        QVERIFY(!m_schema->hasMessageType(QStringLiteral("chat.Missing")));
        QCOMPARE(m_schema->unknownTypeMessage(QStringLiteral("chat.Missing")),
                 path(QStringLiteral("chat.proto")) +
                     QStringLiteral(" declares no message type chat.Missing; it declares: chat.Envelope, "
                                    "chat.Envelope.Header, chat.Node"));
    }

    void readsFieldsByName()
    {
        const QByteArray payload = encode(path(QStringLiteral("chat.proto")), QStringLiteral("chat.Envelope"),
                                          R"(header { id: "a1" sequence: 42 }
tags: "x" tags: "y"
counts { key: "apples" value: 3 }
counts { key: "pears" value: 5 }
text: "hello"
mood: GRUMPY
history: HAPPY history: GRUMPY history: 7
score: 2.5
big: 18446744073709551615
meta { source: "test" }
sent { seconds: 1700000000 nanos: 5 }
)");
        QVERIFY(!payload.isEmpty());
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read(payload);
        QVERIFY2(view.isValid(), qPrintable(view.violation.value_or(DecodeViolation{}).describe()));
        QCOMPARE(view.format, QStringLiteral("protobuf:chat.Envelope"));
        const QJsonObject message = view.value.toObject();
        const QJsonObject header = message.value(QStringLiteral("header")).toObject();
        QCOMPARE(header.value(QStringLiteral("id")).toString(), QStringLiteral("a1"));
        QCOMPARE(header.value(QStringLiteral("sequence")).toInteger(), 42);
        QCOMPARE(message.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(message.value(QStringLiteral("counts")).toObject(),
                 (QJsonObject{{QStringLiteral("apples"), 3}, {QStringLiteral("pears"), 5}}));
        // The oneof's member that is set, by its own name; the other is absent.
        QCOMPARE(message.value(QStringLiteral("text")).toString(), QStringLiteral("hello"));
        QVERIFY(!message.contains(QStringLiteral("image")));
        QCOMPARE(message.value(QStringLiteral("mood")).toString(), QStringLiteral("GRUMPY"));
        // proto3 enums are open: a number the schema does not name stays a number.
        QCOMPARE(message.value(QStringLiteral("history")).toArray(),
                 (QJsonArray{QStringLiteral("HAPPY"), QStringLiteral("GRUMPY"), 7}));
        QCOMPARE(message.value(QStringLiteral("score")).toDouble(), 2.5);
        QCOMPARE(message.value(QStringLiteral("big")).toString(), QStringLiteral("18446744073709551615"));
        QCOMPARE(message.value(QStringLiteral("meta")).toObject().value(QStringLiteral("source")).toString(),
                 QStringLiteral("test"));
        const QJsonObject sent = message.value(QStringLiteral("sent")).toObject();
        QCOMPARE(sent.value(QStringLiteral("seconds")).toInteger(), 1700000000);
        QCOMPARE(sent.value(QStringLiteral("nanos")).toInt(), 5);
    }

    void oneofBytesMember()
    {
        const QByteArray payload =
            encode(path(QStringLiteral("chat.proto")), QStringLiteral("chat.Envelope"), R"(image: "\377\000\001")");
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read(payload);
        QVERIFY(view.isValid());
        const QJsonObject image = view.value.toObject().value(QStringLiteral("image")).toObject();
        QCOMPARE(image.value(QStringLiteral("base64")).toString(), QStringLiteral("/wAB"));
        QVERIFY(!view.value.toObject().contains(QStringLiteral("text")));
    }

    void unknownFieldsByNumber()
    {
        const QByteArray payload = encode(path(QStringLiteral("newer/chat.proto")), QStringLiteral("chat.Envelope"),
                                          R"(text: "hi" priority: 3 note: "a" note: "b")");
        QVERIFY(!payload.isEmpty());
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read(payload);
        QVERIFY(view.isValid());
        const QJsonObject message = view.value.toObject();
        QCOMPARE(message.value(QStringLiteral("text")).toString(), QStringLiteral("hi"));
        const QJsonObject priority = message.value(QStringLiteral("15")).toObject();
        QCOMPARE(priority.value(QStringLiteral("wireType")).toString(), QStringLiteral("VARINT"));
        QCOMPARE(priority.value(QStringLiteral("value")).toInt(), 3);
        const QJsonArray notes = message.value(QStringLiteral("16")).toArray();
        QCOMPARE(notes.size(), 2);
        QCOMPARE(notes[1].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("b"));
    }

    void truncatedPayloadIsAViolation_data()
    {
        QTest::addColumn<int>("cut");
        QTest::addColumn<QString>("detail");
        QTest::newRow("inside the nested header") << 4 << QStringLiteral("field 1's length runs past the end");
        QTest::newRow("inside a varint") << -1 << QStringLiteral("varint runs past the end");
    }

    void truncatedPayloadIsAViolation()
    {
        QFETCH(int, cut);
        QFETCH(QString, detail);
        const QByteArray payload = encode(path(QStringLiteral("chat.proto")), QStringLiteral("chat.Envelope"),
                                          R"(header { id: "a1" sequence: 42 } tags: "x" big: 300)");
        QVERIFY(!payload.isEmpty());
        const QByteArray cutPayload = cut > 0 ? payload.left(cut) : payload.chopped(1);
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read(cutPayload);
        QVERIFY(!view.isValid());
        QCOMPARE(view.violation->rule, QStringLiteral("protobuf-parse"));
        QVERIFY2(view.violation->detail.contains(detail), qPrintable(view.violation->detail));
        QVERIFY(view.value.isObject());
    }

    void invalidUtf8SaysLibprotobufsError()
    {
        // Field 4 (text, a proto3 string) holding 0xFF, which libprotobuf refuses with a message of its own.
        const PayloadView view =
            ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read(QByteArray::fromHex("2201ff"));
        QVERIFY(!view.isValid());
        QCOMPARE(view.violation->rule, QStringLiteral("protobuf-parse"));
        QVERIFY2(view.violation->detail.contains(QStringLiteral("UTF-8")), qPrintable(view.violation->detail));
    }

    void nestingBeyondTheLimitIsAViolation()
    {
        // Node { child { child { ... } } } 100 deep, built from the inside out.
        QByteArray node = QByteArray::fromHex("1001");
        for (int i = 0; i < 100; ++i) {
            QByteArray outer = QByteArray::fromHex("0a");
            qsizetype size = node.size();
            while (size >= 0x80) {
                outer.append(char(0x80 | (size & 0x7f)));
                size >>= 7;
            }
            outer.append(char(size));
            node = outer + node;
        }
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Node")).read(node);
        QVERIFY(!view.isValid());
        QCOMPARE(view.violation->rule, QStringLiteral("protobuf-parse"));
        // Within the limit it reads.
        QString error;
        const QByteArray shallow =
            encode(path(QStringLiteral("chat.proto")), QStringLiteral("chat.Node"), "child { child { value: 3 } }");
        const PayloadView read = ProtobufSchemaView(m_schema, QStringLiteral("chat.Node")).read(shallow);
        QVERIFY(read.isValid());
        QCOMPARE(read.value.toObject()
                     .value(QStringLiteral("child"))
                     .toObject()
                     .value(QStringLiteral("child"))
                     .toObject()
                     .value(QStringLiteral("value"))
                     .toInt(),
                 3);
    }

    void emptyPayloadIsAnEmptyMessage()
    {
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Envelope")).read({});
        QVERIFY(view.isValid());
        QCOMPARE(view.value.toObject(), QJsonObject());
    }

    void unknownTypeIsAViolation()
    {
        const PayloadView view = ProtobufSchemaView(m_schema, QStringLiteral("chat.Missing")).read("\x08\x01");
        QVERIFY(!view.isValid());
        QCOMPARE(view.violation->rule, QStringLiteral("protobuf-unknown-type"));
    }

    void protoErrorsSayFileLineAndColumn_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("syntax error") << QStringLiteral("broken.proto")
                                      << QByteArray("syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}\n")
                                      << QStringLiteral("broken.proto:3:13: Expected field number.");
        QTest::newRow("undefined type") << QStringLiteral("undefined.proto")
                                        << QByteArray("syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n")
                                        << QStringLiteral("undefined.proto:3:3: \"Missing\" is not defined.");
        QTest::newRow("error in an import")
            << QStringLiteral("importer.proto") << QByteArray("syntax = \"proto3\";\nimport \"bad/imported.proto\";\n")
            << QStringLiteral("bad/imported.proto:1:1: Expected top-level statement");
        QTest::newRow("import outside the folder")
            << QStringLiteral("escape.proto") << QByteArray("syntax = \"proto3\";\nimport \"../outside.proto\";\n")
            << QStringLiteral("escape.proto:2:1: Import \"../outside.proto\" was not found or had errors.");
        QTest::newRow("missing import") << QStringLiteral("lonely.proto")
                                        << QByteArray("syntax = \"proto3\";\nimport \"nowhere.proto\";\n")
                                        << QStringLiteral("lonely.proto:2:1: Import \"nowhere.proto\" was not found "
                                                          "or had errors.");
    }

    void protoErrorsSayFileLineAndColumn()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        writeFile(path(QStringLiteral("bad/imported.proto")), "this is not a proto file\n");
        // A file outside the folder the imports are read from, which exists: still refused.
        QTemporaryDir outer;
        QDir(outer.path()).mkpath(QStringLiteral("inner"));
        writeFile(outer.filePath(QStringLiteral("outside.proto")), "syntax = \"proto3\";\nmessage O {}\n");
        const QString file =
            name == QLatin1StringView("escape.proto") ? outer.filePath(QStringLiteral("inner/") + name) : path(name);
        writeFile(file, content);
        const ProtobufSchema::Loaded loaded = ProtobufSchema::load(file);
        QVERIFY(!loaded.schema);
        QVERIFY2(loaded.describe().contains(problem), qPrintable(loaded.describe()));
    }

    void missingFile()
    {
        const ProtobufSchema::Loaded loaded = ProtobufSchema::load(path(QStringLiteral("absent.proto")));
        QVERIFY(!loaded.schema);
        QCOMPARE(loaded.describe(), path(QStringLiteral("absent.proto")) + QStringLiteral(": no such file"));
    }
};

QTEST_GUILESS_MAIN(tst_ProtobufSchemaView)
#include "tst_protobufschemaview.moc"
