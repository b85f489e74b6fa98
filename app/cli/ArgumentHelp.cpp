// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ArgumentHelp.h"

#include <algorithm>

namespace wsi::cli {
namespace {

constexpr qsizetype indent = 2;
constexpr qsizetype gap = 2;

void appendLine(QString &out, const QString &text)
{
    QStringView line(text);
    while (line.endsWith(u' '))
        line.chop(1);
    out += line;
    out += u'\n';
}

void appendText(QString &out, const QString &text)
{
    out += text;
    if (!text.endsWith(u'\n'))
        out += u'\n';
}

bool isNumber(const QString &word)
{
    return !word.isEmpty() && std::all_of(word.cbegin(), word.cend(), [](QChar c) { return c.isDigit() || c == u'.'; });
}

// A unit after a number: "s", "ms", "KiB", "s)." ...
bool isUnit(const QString &word)
{
    qsizetype letters = 0;
    while (letters < word.size() && word.at(letters).isLetter())
        ++letters;
    return letters > 0 && letters <= 3 &&
           std::none_of(word.cbegin() + letters, word.cend(), [](QChar c) { return c.isLetterOrNumber(); });
}

// The words of a line, where a number and its unit ("30 s", "4 KiB") count as one, so that no line ends between them.
QStringList words(const QString &line)
{
    QStringList words = line.split(u' ', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i + 1 < words.size(); ++i) {
        if (isNumber(words.at(i)) && isUnit(words.at(i + 1)))
            words[i] += u' ' + words.takeAt(i + 1);
    }
    return words;
}

} // namespace

ArgumentHelp::ArgumentHelp(QString usage, QString description)
    : m_usage(std::move(usage))
    , m_description(std::move(description))
{}

void ArgumentHelp::addRow(const ArgumentGroup &group, QChar shortName, const QString &longName,
                          const QString &valueName, const QString &help)
{
    QString names = shortName.isNull() ? QString() : QStringLiteral("-%1, ").arg(shortName);
    names += QStringLiteral("--") + longName;
    if (!valueName.isEmpty())
        names += u' ' + valueName;
    for (Group &known : m_groups) {
        if (known.group.title == group.title) {
            known.rows.append({names, help});
            return;
        }
    }
    m_groups.append({group, {{names, help}}});
}

QString ArgumentHelp::text(const QString &epilogue) const
{
    QList<Group> groups = m_groups;
    if (groups.isEmpty())
        groups.append(Group{{QStringLiteral("Options"), {}}, {}});
    groups.last().rows.append({QStringLiteral("-h, --help"), QStringLiteral("Show this help.")});

    qsizetype widest = 0;
    for (const Group &group : std::as_const(groups)) {
        for (const Row &row : group.rows) {
            if (row.names.size() <= maxNameWidth)
                widest = std::max(widest, row.names.size());
        }
    }
    const qsizetype column = indent + widest + gap;

    QString out;
    appendText(out, m_usage);
    if (!m_description.isEmpty()) {
        out += u'\n';
        appendText(out, m_description);
    }
    for (const Group &group : std::as_const(groups)) {
        out += u'\n';
        appendLine(out, group.group.title + u':');
        appendRows(out, group.rows, column);
        for (const QString &line : wrap(group.group.note, lineWidth - indent))
            appendLine(out, QString(indent, u' ') + line);
    }
    if (!epilogue.isEmpty()) {
        out += u'\n';
        appendText(out, epilogue);
    }
    return out;
}

void ArgumentHelp::appendRows(QString &out, const QList<Row> &rows, qsizetype column)
{
    // A block: rows without help of their own, then the row whose help they share.
    qsizetype blockStart = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).help.isEmpty() && i + 1 < rows.size())
            continue;
        const QStringList help = wrap(rows.at(i).help, lineWidth - column);
        qsizetype helpLine = 0;
        for (qsizetype j = blockStart; j <= i; ++j) {
            QString line = QString(indent, u' ') + rows.at(j).names;
            if (indent + rows.at(j).names.size() + gap <= column && helpLine < help.size())
                line = line.leftJustified(column) + help.at(helpLine++);
            appendLine(out, line);
        }
        for (; helpLine < help.size(); ++helpLine)
            appendLine(out, QString(column, u' ') + help.at(helpLine));
        blockStart = i + 1;
    }
}

QStringList ArgumentHelp::wrap(const QString &text, qsizetype width)
{
    QStringList lines;
    if (text.isEmpty())
        return lines;
    for (const QString &paragraph : text.split(u'\n')) {
        qsizetype leading = 0;
        while (leading < paragraph.size() && paragraph.at(leading) == u' ')
            ++leading;
        const QString lineIndent(leading, u' ');
        QString line = lineIndent;
        for (const QString &word : words(paragraph)) {
            if (line.size() > leading && line.size() + 1 + word.size() > width) {
                lines.append(line);
                line = lineIndent;
            }
            if (line.size() > leading)
                line += u' ';
            line += word;
        }
        lines.append(line);
    }
    return lines;
}

bool ArgumentHelp::isAskedFor(const QStringList &arguments)
{
    for (const QString &argument : arguments) {
        if (argument == QLatin1StringView("--"))
            break;
        if (isHelpFlag(argument))
            return true;
    }
    return false;
}

bool ArgumentHelp::isHelpFlag(const QString &written)
{
    return written == QLatin1StringView("--help") || written == QLatin1StringView("-h");
}

} // namespace wsi::cli
