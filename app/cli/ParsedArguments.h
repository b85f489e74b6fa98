// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace wsi::cli {

enum class ArgumentParseOutcome : quint8 { Parsed, HelpAsked, Invalid };

// What parsing a command's arguments gives the command: its arguments (with only `help` set when help was asked
// for), or the message naming the offending argument, a usage error (exit status 2).
template<typename Arguments>
struct ParsedArguments {
    std::optional<Arguments> arguments;
    QString error;

    // From the outcome of the command's ArgumentTable::parse() and what it built.
    static ParsedArguments from(ArgumentParseOutcome outcome, const QString &error, const Arguments &built)
    {
        switch (outcome) {
        case ArgumentParseOutcome::HelpAsked: {
            Arguments helpOnly;
            helpOnly.help = true;
            return {helpOnly, {}};
        }
        case ArgumentParseOutcome::Invalid:
            return {std::nullopt, error};
        case ArgumentParseOutcome::Parsed:
            break;
        }
        return {built, {}};
    }
};

} // namespace wsi::cli
