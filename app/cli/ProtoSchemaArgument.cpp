// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ProtoSchemaArgument.h"

#include "core/appprotocol/ProtobufSchema.h"

namespace wsi::cli {

QString ProtoSchemaArgument::setFile(const ArgumentOccurrence &flag)
{
    if (!m_file.isEmpty())
        return QStringLiteral("%1 given twice: one .proto file").arg(flag.written);
    if (flag.value().isEmpty())
        return QStringLiteral("%1: the .proto file is empty").arg(flag.written);
    m_file = flag.value();
    return {};
}

QString ProtoSchemaArgument::setType(const ArgumentOccurrence &flag)
{
    if (!m_type.isEmpty())
        return QStringLiteral("%1 given twice: one message type").arg(flag.written);
    if (flag.value().isEmpty())
        return QStringLiteral("%1: the message type is empty").arg(flag.written);
    m_type = flag.value();
    return {};
}

QString ProtoSchemaArgument::finish(std::optional<ProtobufSchemaView> *view) const
{
    if (m_file.isEmpty() && m_type.isEmpty())
        return {};
    if (m_type.isEmpty())
        return QStringLiteral("--proto goes with --proto-message TYPE (the message type binary messages are)");
    if (m_file.isEmpty())
        return QStringLiteral("--proto-message goes with --proto FILE (the .proto that declares it)");
    const ProtobufSchema::Loaded loaded = ProtobufSchema::load(m_file);
    if (!loaded.schema)
        return QStringLiteral("--proto: ") + loaded.describe();
    if (!loaded.schema->hasMessageType(m_type))
        return QStringLiteral("--proto-message: ") + loaded.schema->unknownTypeMessage(m_type);
    view->emplace(loaded.schema, m_type);
    return {};
}

QString ProtoSchemaArgument::fileHelp()
{
    return QStringLiteral("Read binary messages as protobuf with this .proto (with --proto-message): \"decoded\" in "
                          "the JSON output then holds {\"protocol\": \"protobuf\", \"kind\": TYPE, \"message\": the "
                          "fields by name}. Its imports are read from FILE's folder and below (and libprotobuf's "
                          "well-known types); no protoc is needed.");
}

QString ProtoSchemaArgument::typeHelp()
{
    return QStringLiteral("The message type of every binary message, by its full name (package.Message).");
}

} // namespace wsi::cli
