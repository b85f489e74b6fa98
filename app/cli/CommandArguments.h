// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineParser>

#include <optional>

namespace wsi::cli {

enum class CommandArgumentsParse : quint8 { Parsed, HelpAsked, Invalid };

// Parses a command's own arguments (those after its name) with `parser`, whose options are already added.
// --help / -h wins even when the rest does not parse, so that whoever asks for help gets it. On Invalid, *error
// holds the parser's message (which option, what was wrong).
CommandArgumentsParse parseCommandArguments(QCommandLineParser &parser, const QString &command,
                                            const QStringList &arguments, const QCommandLineOption &help,
                                            QString *error);

// What every command's parser returns at once after parseCommandArguments(): on HelpAsked, arguments with only
// `help` set; on Invalid, the parser's message. Empty on Parsed: the command goes on reading its options.
template<typename ParseResult, typename Arguments>
std::optional<ParseResult> finishedEarly(CommandArgumentsParse outcome, const QString &parseError)
{
    switch (outcome) {
    case CommandArgumentsParse::HelpAsked: {
        Arguments helpOnly;
        helpOnly.help = true;
        return ParseResult{helpOnly, {}};
    }
    case CommandArgumentsParse::Invalid:
        return ParseResult{std::nullopt, parseError};
    case CommandArgumentsParse::Parsed:
        break;
    }
    return std::nullopt;
}

// "unexpected argument 'x'" for a command that takes no positional arguments; empty when there are none.
QString unexpectedPositionalArgument(const QCommandLineParser &parser);

// For a command that reads exactly one FILE: sets *file, or returns what is wrong ("FILE missing: give <what>",
// "unexpected argument 'x': <command> reads one FILE").
QString singleFileArgument(const QCommandLineParser &parser, const QString &command, const QString &what,
                           QString *file);

} // namespace wsi::cli
