// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appprotocol/ProtobufSchema.h"
#include "core/appprotocol/ProtobufSchemaView.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <optional>

// --proto FILE --proto-message TYPE in the parser tests of the commands that take them (connect, proxy, capture,
// export): the .proto they read while parsing, written to the test's directory, and what a summary says of them.
namespace wsi::test::ProtoArgumentCase {

// Writes DIR/trade.proto (market.Trade); false when it cannot.
inline bool writeProto(const QString &directory)
{
    QFile file(QDir(directory).filePath(QStringLiteral("trade.proto")));
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write("syntax = \"proto3\";\npackage market;\nmessage Trade { string symbol = 1; }\n") > 0;
}

// The flags as a case writes them ("DIR/" is the test's directory).
inline QStringList arguments()
{
    return {QStringLiteral("--proto"), QStringLiteral("DIR/trade.proto"), QStringLiteral("--proto-message"),
            QStringLiteral("market.Trade")};
}

// The summary line for the parsed schema: "proto trade.proto market.Trade"; none without one.
inline QStringList summary(const std::optional<ProtobufSchemaView> &schema)
{
    if (!schema)
        return {};
    return {QStringLiteral("proto %1 %2").arg(QFileInfo(schema->schema()->path()).fileName(), schema->messageType())};
}

inline QString line()
{
    return QStringLiteral("proto trade.proto market.Trade");
}

} // namespace wsi::test::ProtoArgumentCase
