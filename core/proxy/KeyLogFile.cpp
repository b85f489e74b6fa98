// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/KeyLogFile.h"

#include "core/home/DataHome.h"

#include <QDir>

#include <cstring>

namespace wsi {

std::shared_ptr<KeyLogFile> KeyLogFile::open(const QString &path, QString *error)
{
    std::shared_ptr<KeyLogFile> log(new KeyLogFile);
    log->m_file.setFileName(path);
    // The permissions apply only when the file is new; an existing key log keeps its own (and its lines).
    if (!log->m_file.open(QIODevice::WriteOnly | QIODevice::Append, DataHome::privateFile)) {
        *error = QStringLiteral("cannot open the key log %1: %2")
                     .arg(QDir::toNativeSeparators(path), log->m_file.errorString());
        return nullptr;
    }
    return log;
}

void KeyLogFile::append(const char *line)
{
    QByteArray bytes(line, static_cast<qsizetype>(std::strlen(line)));
    bytes.append('\n');
    const std::lock_guard lock(m_mutex);
    if ((m_file.write(bytes) != bytes.size() || !m_file.flush()) && m_error.isEmpty())
        m_error = m_file.errorString();
}

QString KeyLogFile::errorString() const
{
    const std::lock_guard lock(m_mutex);
    return m_error;
}

} // namespace wsi
