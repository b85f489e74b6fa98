// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CommandArguments.h"

namespace wsi::cli {

CommandArgumentsParse parseCommandArguments(QCommandLineParser &parser, const QString &command,
                                            const QStringList &arguments, const QCommandLineOption &help,
                                            QString *error)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    // QCommandLineParser skips the first argument as the program name.
    if (!parser.parse(QStringList{command} + arguments)) {
        if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h")))
            return CommandArgumentsParse::HelpAsked;
        if (error)
            *error = parser.errorText();
        return CommandArgumentsParse::Invalid;
    }
    return parser.isSet(help) ? CommandArgumentsParse::HelpAsked : CommandArgumentsParse::Parsed;
}

QString unexpectedPositionalArgument(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    return positional.isEmpty() ? QString() : QStringLiteral("unexpected argument '%1'").arg(positional.constFirst());
}

QString singleFileArgument(const QCommandLineParser &parser, const QString &command, const QString &what, QString *file)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return QStringLiteral("FILE missing: give %1").arg(what);
    if (positional.size() > 1)
        return QStringLiteral("unexpected argument '%1': %2 reads one FILE").arg(positional.at(1), command);
    *file = positional.constFirst();
    return {};
}

} // namespace wsi::cli
