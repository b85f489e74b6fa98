// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SessionFileFormat.h"

#include <QFile>

namespace wsi::SessionFileFormats {
namespace {

qsizetype skipSpace(QByteArrayView text, qsizetype i)
{
    while (i < text.size() && (text.at(i) == ' ' || text.at(i) == '\t' || text.at(i) == '\n' || text.at(i) == '\r'))
        ++i;
    return i;
}

} // namespace

SessionFileFormat detect(QByteArrayView head)
{
    if (head.startsWith("SQLite format 3"))
        return SessionFileFormat::Recording;
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.sliced(3);
    qsizetype i = skipSpace(head, 0);
    if (i == head.size())
        return SessionFileFormat::Empty;
    // A HAR file is one object whose member is "log"; a transcript's lines are objects that start with "event".
    // Writers put "log" first (it is the only member HAR 1.2 defines), so the first name decides; a file with
    // something else first is a HAR when "log" and "entries" both appear early on.
    if (head.at(i) == '{') {
        i = skipSpace(head, i + 1);
        if (head.sliced(i).startsWith("\"log\""))
            return SessionFileFormat::Har;
        if (!head.sliced(i).startsWith("\"event\"") && head.toByteArray().contains("\"log\"") &&
            head.toByteArray().contains("\"entries\""))
            return SessionFileFormat::Har;
    }
    return SessionFileFormat::Transcript;
}

SessionFileFormat detectFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read '%1': %2").arg(path, file.errorString());
        return SessionFileFormat::Unreadable;
    }
    return detect(file.read(4096));
}

QString name(SessionFileFormat format)
{
    switch (format) {
    case SessionFileFormat::Transcript:
        return QStringLiteral("the JSON lines of 'wsinspector-cli connect --json'");
    case SessionFileFormat::Har:
        return QStringLiteral("a HAR file");
    case SessionFileFormat::Recording:
        return QStringLiteral("a recording (SQLite)");
    case SessionFileFormat::Empty:
        return QStringLiteral("an empty file");
    case SessionFileFormat::Unreadable:
        break;
    }
    return QStringLiteral("an unreadable file");
}

} // namespace wsi::SessionFileFormats
