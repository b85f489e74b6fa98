// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace wsi::cli {

// The FILE of a command that reads exactly one (diagnose, export, import): its table's positional argument.
class SingleFileArgument final
{
public:
    // command: its name, what: what FILE may be ("a HAR file"), both for messages.
    SingleFileArgument(QString command, QString what);

    // A positional argument: the FILE, or "unexpected argument 'x': <command> reads one FILE" when one came.
    QString take(const QString &argument);
    // Once every argument is read: sets *file, or "FILE missing: give <what>".
    QString finish(QString *file) const;

private:
    QString m_command;
    QString m_what;
    std::optional<QString> m_file;
};

} // namespace wsi::cli
