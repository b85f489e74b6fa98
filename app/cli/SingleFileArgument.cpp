// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/SingleFileArgument.h"

namespace wsi::cli {

SingleFileArgument::SingleFileArgument(QString command, QString what)
    : m_command(std::move(command))
    , m_what(std::move(what))
{}

QString SingleFileArgument::take(const QString &argument)
{
    if (m_file)
        return QStringLiteral("unexpected argument '%1': %2 reads one FILE").arg(argument, m_command);
    m_file = argument;
    return {};
}

QString SingleFileArgument::finish(QString *file) const
{
    if (!m_file)
        return QStringLiteral("FILE missing: give %1").arg(m_what);
    *file = *m_file;
    return {};
}

} // namespace wsi::cli
