// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ArgumentHelp.h"
#include "app/cli/ArgumentRow.h"
#include "app/cli/ParsedArguments.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace wsi::cli {

// A command's arguments as one table: its flags (rows), what it does with the other arguments, the checks that
// need every flag, and the text around them. The parser and the help both read it, so a flag is written once.
//
// The command line: --name VALUE and --name=VALUE; -X VALUE and -XVALUE for a row with a short name; "--" ends
// the flags; an argument that does not start with '-' (or is "-") is positional. --help or -h anywhere before
// "--" asks for help, even on a command line that does not parse. The whole command line is read first, then the
// rows marked appliedFirst are applied, then the other flags and the positional arguments in command-line order,
// then finish(); the first problem is the error, and names the argument as written. Like its rows, a table is
// written with designated initializers.
template<typename Target>
struct ArgumentTable {
    QString usage{};       // the "Usage:" lines, as printed
    QString description{}; // what the command does: paragraphs printed as written, after the usage
    QList<ArgumentRow<Target>> rows{};
    // The arguments that are not flags or their values, in order (connect's URL, export's FILE). Without it any
    // such argument is an error.
    std::function<QString(Target &, const QString &)> positional{};
    // Whether an argument that could be a flag's optional value is the next positional argument instead, given
    // how many came before it (connect: something with "://" before the URL is the URL).
    std::function<bool(const QString &, qsizetype)> isPositionalNotOptionalValue{};
    // The checks that need every flag (flags that go together, required ones), once all are applied.
    std::function<QString(Target &)> finish{};
    QString epilogue{}; // printed as written after the flags: notes on them, the exit statuses

    ArgumentParseOutcome parse(const QStringList &arguments, Target &target, QString *error) const;
    // A command's parse function: the table applied to a new Target, whose member `out` is the command's
    // arguments (ConnectArguments ...), and what the command does next (go on, show the help, or the usage error).
    // (A template so that a table over a Target without `out` still compiles.)
    template<typename Built = Target>
    auto parseArguments(const QStringList &arguments) const -> ParsedArguments<decltype(Built::out)>
    {
        Built target;
        QString error;
        const ArgumentParseOutcome outcome = parse(arguments, target, &error);
        return ParsedArguments<decltype(Built::out)>::from(outcome, error, target.out);
    }
    QString helpText() const;
    // Every row's long name, in table order.
    QStringList longNames() const;

private:
    struct Token {
        const ArgumentRow<Target> *row = nullptr; // null: a positional argument (occurrence.written)
        ArgumentOccurrence occurrence;
    };
    // The tokens of the command line up to the first argument that cannot be read (then *error says why).
    QList<Token> scan(const QStringList &arguments, QString *error) const;
    const ArgumentRow<Target> *findRow(const QString &longName, QChar shortName) const;
};

template<typename Target>
ArgumentParseOutcome ArgumentTable<Target>::parse(const QStringList &arguments, Target &target, QString *error) const
{
    if (ArgumentHelp::isAskedFor(arguments))
        return ArgumentParseOutcome::HelpAsked;
    QString scanError;
    const QList<Token> tokens = scan(arguments, &scanError);
    const auto apply = [this, &target](const Token &token) {
        if (token.row)
            return token.row->apply(target, token.occurrence);
        if (positional)
            return positional(target, token.occurrence.written);
        return QStringLiteral("unexpected argument '%1'").arg(token.occurrence.written);
    };
    QString problem;
    for (const Token &token : tokens) {
        if (token.row && token.row->appliedFirst && problem.isEmpty())
            problem = apply(token);
    }
    for (const Token &token : tokens) {
        if ((!token.row || !token.row->appliedFirst) && problem.isEmpty())
            problem = apply(token);
    }
    if (problem.isEmpty())
        problem = scanError;
    if (problem.isEmpty() && finish)
        problem = finish(target);
    if (problem.isEmpty())
        return ArgumentParseOutcome::Parsed;
    if (error)
        *error = problem;
    return ArgumentParseOutcome::Invalid;
}

template<typename Target>
auto ArgumentTable<Target>::scan(const QStringList &arguments, QString *error) const -> QList<Token>
{
    QList<Token> tokens;
    qsizetype positionals = 0;
    bool flagsEnded = false;
    qsizetype next = 0;
    // An optional value is the next argument unless that reads as a flag or as the next positional argument.
    const auto nextIsOptionalValue = [&](const ArgumentRow<Target> &row) {
        if (next >= arguments.size())
            return false;
        const QString &candidate = arguments.at(next);
        if (candidate.size() > 1 && candidate.startsWith(u'-'))
            return false;
        if (isPositionalNotOptionalValue && isPositionalNotOptionalValue(candidate, positionals))
            return false;
        return !row.acceptsOptionalValue || row.acceptsOptionalValue(candidate);
    };
    while (next < arguments.size()) {
        const QString argument = arguments.at(next++);
        if (flagsEnded || argument.size() < 2 || !argument.startsWith(u'-')) {
            tokens.append({nullptr, {argument, {}}});
            ++positionals;
            continue;
        }
        if (argument == QLatin1StringView("--")) {
            flagsEnded = true;
            continue;
        }
        QString written;
        std::optional<QString> inlineValue;
        const ArgumentRow<Target> *row = nullptr;
        if (argument.startsWith(QLatin1StringView("--"))) {
            const qsizetype equals = argument.indexOf(u'=');
            written = argument.first(equals < 0 ? argument.size() : equals);
            if (equals >= 0)
                inlineValue = argument.mid(equals + 1);
            row = findRow(written.mid(2), {});
            if (!row && inlineValue && ArgumentHelp::isHelpFlag(written)) {
                *error = QStringLiteral("option '%1' takes no value").arg(written);
                break;
            }
        } else {
            written = argument.first(2);
            if (argument.size() > 2)
                inlineValue = argument.mid(2);
            row = findRow({}, argument.at(1));
            // -xyz is not a bundle of short flags: only a flag that takes a value has more after its letter.
            if (row && row->value == ArgumentValueKind::None && inlineValue)
                row = nullptr;
            if (!row)
                written = argument;
        }
        if (!row) {
            *error = QStringLiteral("unknown option '%1'").arg(written);
            break;
        }

        ArgumentOccurrence occurrence{written, {}};
        if (row->value == ArgumentValueKind::None) {
            if (inlineValue) {
                *error = QStringLiteral("option '%1' takes no value").arg(written);
                break;
            }
        } else if (row->value == ArgumentValueKind::Required) {
            if (!inlineValue && next >= arguments.size()) {
                *error = QStringLiteral("option '%1' needs a value").arg(written);
                break;
            }
            occurrence.values.append(inlineValue ? *inlineValue : arguments.at(next++));
        } else {
            if (inlineValue)
                occurrence.values.append(*inlineValue);
            else if (nextIsOptionalValue(*row))
                occurrence.values.append(arguments.at(next++));
            // A later value only follows an earlier one: --close CODE REASON, never --close REASON.
            while (!occurrence.values.isEmpty() && occurrence.values.size() < row->maxOptionalValues &&
                   nextIsOptionalValue(*row))
                occurrence.values.append(arguments.at(next++));
        }
        tokens.append({row, std::move(occurrence)});
    }
    return tokens;
}

template<typename Target>
const ArgumentRow<Target> *ArgumentTable<Target>::findRow(const QString &longName, QChar shortName) const
{
    for (const ArgumentRow<Target> &row : rows) {
        if ((!longName.isEmpty() && row.longName == longName) || (!shortName.isNull() && row.shortName == shortName))
            return &row;
    }
    return nullptr;
}

template<typename Target>
QString ArgumentTable<Target>::helpText() const
{
    ArgumentHelp help(usage, description);
    for (const ArgumentRow<Target> &row : rows)
        help.addRow(row.group, row.shortName, row.longName, row.valueName, row.help);
    return help.text(epilogue);
}

template<typename Target>
QStringList ArgumentTable<Target>::longNames() const
{
    QStringList names;
    for (const ArgumentRow<Target> &row : rows)
        names.append(row.longName);
    return names;
}

} // namespace wsi::cli
