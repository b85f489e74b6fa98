// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ArgumentGroup.h"
#include "app/cli/ArgumentOccurrence.h"

#include <QChar>
#include <QString>

#include <functional>

namespace wsi::cli {

// What a flag takes after it on the command line.
enum class ArgumentValueKind : quint8 {
    None,     // --json
    Required, // --send TEXT or --send=TEXT: the next argument, whatever it looks like
    Optional, // --ping [TEXT]: --ping=TEXT, else the next argument only when it reads as a value (ArgumentTable)
};

// One flag of a command: how it is written, what its help says, and how it applies to what the command's parser
// builds (Target). A command's flags are its table's rows (ArgumentTable): adding a flag is adding a row. Rows
// are written with designated initializers, naming only what they need; every member has an initializer so that
// the rest is not a missing-initializer warning.
template<typename Target>
struct ArgumentRow {
    QString longName{}; // "header" for --header
    QChar shortName{};  // 'H' for -H (then -HVALUE works too, as in curl); null for none
    ArgumentValueKind value = ArgumentValueKind::None;
    QString valueName{}; // as the help shows it: "TEXT", "[CODE [REASON]]"
    ArgumentGroup group{};
    // One paragraph, wrapped by the help; "\n" starts a new line, which keeps its leading spaces. Empty: the row
    // shares the help of the next row that has one (--client-heartbeat and --server-heartbeat).
    QString help{};
    // Applies one use of the flag, in command-line order (a repeated flag once per use); returns what is wrong,
    // naming the flag as written (ArgumentOccurrence::written) and the value, or nothing.
    std::function<QString(Target &, const ArgumentOccurrence &)> apply{};
    // Optional values only: how many the flag takes at most (--close [CODE [REASON]]: 2), and which arguments
    // qualify besides reading as a value (--reconnect [MAX]: numbers only). A value after '=' always does.
    int maxOptionalValues = 1;
    bool (*acceptsOptionalValue)(const QString &) = nullptr;
    // Applied before every other flag wherever it stands, so that they build on it (--profile).
    bool appliedFirst = false;
};

} // namespace wsi::cli
