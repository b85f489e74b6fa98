// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <memory>

namespace google::protobuf {
class Descriptor;
class DynamicMessageFactory;
class Message;
} // namespace google::protobuf

namespace wsi {

// A .proto file the user gave, parsed at run time with libprotobuf's compiler library (no protoc): the message
// types it declares, for ProtobufSchemaView to read payloads with. Its imports are read from the file's own folder
// (and below it) only, so a schema cannot make the inspector read files elsewhere; the well-known types
// (google/protobuf/timestamp.proto ...) come from libprotobuf itself. Immutable once loaded: any thread may read
// payloads with it at once.
class ProtobufSchema final
{
public:
    // Why a .proto did not load: each problem libprotobuf reported, where it is.
    struct Problem {
        QString file; // as the import names it, or the path given
        int line = 0; // 1-based; 0 when the problem has no place in a file (the file is missing)
        int column = 0;
        QString message;

        // "chat.proto:12:3: \"Foo\" is not defined."
        QString describe() const;
    };

    struct Loaded {
        std::shared_ptr<const ProtobufSchema> schema; // null when problems say why
        QList<Problem> problems;

        // Every problem on a line of its own.
        QString describe() const;
    };

    ~ProtobufSchema();
    Q_DISABLE_COPY_MOVE(ProtobufSchema)

    // False in a build without libprotobuf: load() then says so.
    static bool isAvailable();
    static Loaded load(const QString &protoFile);

    // The file as given.
    const QString &path() const noexcept { return m_path; }
    // The full names of the message types the file declares, nested ones included ("chat.Envelope",
    // "chat.Envelope.Header"), in the file's order; map entries are left out.
    QStringList messageTypes() const;
    // Whether `fullName` is a message type of the file or its imports.
    bool hasMessageType(const QString &fullName) const { return descriptor(fullName) != nullptr; }
    // An empty message of that type to parse into, or null for a type the schema does not declare.
    std::unique_ptr<google::protobuf::Message> newMessage(const QString &fullName) const;

    // "unknown message type chat.Foo; the file declares: chat.Envelope, chat.Reply" for argument errors.
    QString unknownTypeMessage(const QString &fullName) const;

private:
    struct Files;
    explicit ProtobufSchema(QString path, std::unique_ptr<Files> files);
    const google::protobuf::Descriptor *descriptor(const QString &fullName) const;

    QString m_path;
    std::unique_ptr<Files> m_files;
};

} // namespace wsi
