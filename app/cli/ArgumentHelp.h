// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ArgumentGroup.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace wsi::cli {

// A command's --help, laid out from its table (ArgumentTable::helpText): the usage and description as written,
// then each group's flags, their names in one column and their help wrapped in the next, then the epilogue. Every
// command gets -h, --help as the last flag of its last group.
class ArgumentHelp final
{
public:
    ArgumentHelp(QString usage, QString description);

    // Rows are listed by group, the groups in the order their first row was added.
    void addRow(const ArgumentGroup &group, QChar shortName, const QString &longName, const QString &valueName,
                const QString &help);
    QString text(const QString &epilogue) const;

    // --help or -h before "--".
    static bool isAskedFor(const QStringList &arguments);
    static bool isHelpFlag(const QString &written);

    // Lines are at most this long, unless a single word is longer.
    static constexpr qsizetype lineWidth = 116;
    // Names longer than this stand on a line of their own, with the help below, rather than pushing every help
    // to the right.
    static constexpr qsizetype maxNameWidth = 28;

private:
    struct Row {
        QString names; // "-H, --header \"Name: value\""
        QString help;
    };
    struct Group {
        ArgumentGroup group;
        QList<Row> rows;
    };
    static void appendRows(QString &out, const QList<Row> &rows, qsizetype column);
    // Lines of at most `width` characters; "\n" starts a new line, which keeps its leading spaces.
    static QStringList wrap(const QString &text, qsizetype width);

    QString m_usage;
    QString m_description;
    QList<Group> m_groups;
};

} // namespace wsi::cli
