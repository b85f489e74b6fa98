// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ArgumentRow.h"
#include "core/appprotocol/ProtobufSchemaView.h"

#include <QList>
#include <QString>

#include <optional>

namespace wsi::cli {

// --proto FILE and --proto-message TYPE, the same in connect, proxy, capture and export: binary messages read as
// TYPE of the .proto FILE in the "decoded" of the JSON output and of the exports (MessageDecoding). The file is
// read while the arguments are, so that a .proto with errors, or a type it does not declare, is a usage error
// naming the file, line and column, or the types it does declare.
class ProtoSchemaArgument final
{
public:
    // Once every argument is read: the two go together; loads FILE and checks TYPE. *view is set when given.
    QString finish(std::optional<ProtobufSchemaView> *view) const;

    // The two rows of a command's table whose builder holds a ProtoSchemaArgument as `member`.
    template<typename Builder>
    static QList<ArgumentRow<Builder>> rows(ProtoSchemaArgument Builder::*member, const ArgumentGroup &group)
    {
        return {
            {.longName = QStringLiteral("proto"),
             .value = ArgumentValueKind::Required,
             .valueName = QStringLiteral("FILE"),
             .group = group,
             .help = fileHelp(),
             .apply = [member](Builder &builder,
                               const ArgumentOccurrence &flag) { return (builder.*member).setFile(flag); }},
            {.longName = QStringLiteral("proto-message"),
             .value = ArgumentValueKind::Required,
             .valueName = QStringLiteral("TYPE"),
             .group = group,
             .help = typeHelp(),
             .apply = [member](Builder &builder,
                               const ArgumentOccurrence &flag) { return (builder.*member).setType(flag); }},
        };
    }

private:
    QString setFile(const ArgumentOccurrence &flag);
    QString setType(const ArgumentOccurrence &flag);
    static QString fileHelp();
    static QString typeHelp();

    QString m_file;
    QString m_type;
};

} // namespace wsi::cli
