// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rules/JsonPath.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cctype>

namespace wsi {
namespace {

// Deeper than any message a person means; a text nested deeper is not edited rather than walked by a recursion
// that could run out of stack.
constexpr int maxDepth = 256;

// Finds where values begin and end in a JSON text, checking the grammar as far as finding them needs (strings,
// numbers and literals are checked by their characters, not their full syntax).
class JsonSpans
{
public:
    explicit JsonSpans(QByteArrayView text)
        : m_text(text)
    {}

    qsizetype skipSpace(qsizetype at) const
    {
        while (at < m_text.size() &&
               (m_text[at] == ' ' || m_text[at] == '\t' || m_text[at] == '\n' || m_text[at] == '\r'))
            ++at;
        return at;
    }
    char at(qsizetype index) const { return index < m_text.size() ? m_text[index] : '\0'; }

    // The end of the string that starts at `at` (after its closing quote), or -1.
    qsizetype skipString(qsizetype at) const
    {
        if (this->at(at) != '"')
            return -1;
        for (qsizetype i = at + 1; i < m_text.size(); ++i) {
            const char c = m_text[i];
            if (c == '"')
                return i + 1;
            if (c == '\\')
                ++i;
            else if (uchar(c) < 0x20)
                return -1;
        }
        return -1;
    }

    // The end of the value that starts at `at`, or -1.
    qsizetype skipValue(qsizetype at, int depth = 0) const
    {
        if (depth > maxDepth)
            return -1;
        const char c = this->at(at);
        if (c == '"')
            return skipString(at);
        if (c == '{' || c == '[')
            return skipContainer(at, depth);
        qsizetype end = at;
        while (end < m_text.size() &&
               (std::isalnum(uchar(m_text[end])) || m_text[end] == '-' || m_text[end] == '+' || m_text[end] == '.'))
            ++end;
        const QByteArrayView word = m_text.sliced(at, end - at);
        if (word == "true" || word == "false" || word == "null")
            return end;
        return !word.isEmpty() && (word[0] == '-' || std::isdigit(uchar(word[0]))) ? end : -1;
    }

private:
    qsizetype skipContainer(qsizetype at, int depth) const
    {
        const bool object = m_text[at] == '{';
        const char close = object ? '}' : ']';
        qsizetype i = skipSpace(at + 1);
        if (this->at(i) == close)
            return i + 1;
        for (;;) {
            if (object) {
                i = skipString(i);
                if (i < 0)
                    return -1;
                i = skipSpace(i);
                if (this->at(i) != ':')
                    return -1;
                i = skipSpace(i + 1);
            }
            i = skipValue(i, depth + 1);
            if (i < 0)
                return -1;
            i = skipSpace(i);
            if (this->at(i) == close)
                return i + 1;
            if (this->at(i) != ',')
                return -1;
            i = skipSpace(i + 1);
        }
    }

    QByteArrayView m_text;
};

// A member name as written in the text (quotes included), unescaped.
QString memberName(QByteArrayView literal)
{
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    return QJsonDocument::fromJson("[" + literal.toByteArray() + "]").array().at(0).toString();
}

QByteArray quotedName(const QString &name)
{
    const QByteArray array = QJsonDocument(QJsonArray{name}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

} // namespace

// Where a path's last step is, in its parent object or array.
struct JsonPath::Place {
    bool isObject = false;
    qsizetype open = -1;        // the parent's { or [
    bool found = false;         // the member or element is there
    qsizetype memberStart = -1; // its name (object) or value (array)
    qsizetype valueStart = -1;
    qsizetype valueEnd = -1;
    qsizetype previousEnd = -1;  // the end of the value before it, if any
    qsizetype nextStart = -1;    // the start of the member or element after it, if any
    qsizetype lastValueEnd = -1; // the end of the parent's last value, if it has any
};

std::optional<JsonPath> JsonPath::parse(const QString &text, QString *error)
{
    JsonPath path;
    path.m_text = text;
    const auto fail = [&](const QString &what, qsizetype at) {
        *error = QStringLiteral("\"%1\": %2 at character %3").arg(text, what).arg(at + 1);
        return std::nullopt;
    };
    if (!text.startsWith(u'$'))
        return fail(QStringLiteral("a path starts with $ (the message)"), 0);
    qsizetype i = 1;
    while (i < text.size()) {
        if (text.at(i) == u'.') {
            const qsizetype start = ++i;
            while (i < text.size() && text.at(i) != u'.' && text.at(i) != u'[' && !text.at(i).isSpace())
                ++i;
            if (i == start)
                return fail(QStringLiteral("a member name is missing"), start);
            path.m_steps.append(Step{text.sliced(start, i - start), -1});
            continue;
        }
        if (text.at(i) != u'[')
            return fail(QStringLiteral("expected . or [, not '%1'").arg(text.at(i)), i);
        const qsizetype open = i++;
        if (i < text.size() && (text.at(i) == u'"' || text.at(i) == u'\'')) {
            const QChar quote = text.at(i++);
            QString name;
            while (i < text.size() && text.at(i) != quote) {
                if (text.at(i) == u'\\' && i + 1 < text.size())
                    ++i;
                name += text.at(i++);
            }
            if (i >= text.size() || i + 1 >= text.size() || text.at(i + 1) != u']')
                return fail(QStringLiteral("the quoted name is not closed by %1]").arg(quote), open);
            i += 2;
            path.m_steps.append(Step{name, -1});
            continue;
        }
        const qsizetype digits = i;
        while (i < text.size() && text.at(i).isDigit() && text.at(i).unicode() < 128)
            ++i;
        if (i == digits || i >= text.size() || text.at(i) != u']')
            return fail(QStringLiteral("expected an index (0, 1, ...) or a quoted name and ] after ["), open);
        bool ok = false;
        const qsizetype index = text.sliced(digits, i - digits).toLongLong(&ok);
        if (!ok || index > 1000000000)
            return fail(QStringLiteral("the index is too large"), digits);
        ++i;
        path.m_steps.append(Step{{}, index});
    }
    if (path.m_steps.isEmpty())
        return fail(QStringLiteral("a path names a member or an element ($.name, $[0]), not the whole message"), 1);
    return path;
}

std::optional<JsonPath::Place> JsonPath::find(QByteArrayView json) const
{
    const JsonSpans spans(json);
    qsizetype valueStart = spans.skipSpace(0);
    const qsizetype end = spans.skipValue(valueStart);
    if (end < 0 || spans.skipSpace(end) != json.size())
        return std::nullopt;
    for (qsizetype s = 0; s < m_steps.size(); ++s) {
        const Step &step = m_steps.at(s);
        Place place;
        place.isObject = step.index < 0;
        if (spans.at(valueStart) != (place.isObject ? '{' : '['))
            return std::nullopt;
        place.open = valueStart;
        const char close = place.isObject ? '}' : ']';
        qsizetype i = spans.skipSpace(valueStart + 1);
        for (qsizetype element = 0; spans.at(i) != close; ++element) {
            const qsizetype memberStart = i;
            QString name;
            if (place.isObject) {
                const qsizetype nameEnd = spans.skipString(i);
                name = memberName(json.sliced(i, nameEnd - i));
                i = spans.skipSpace(spans.skipSpace(nameEnd) + 1); // past the colon
            }
            const qsizetype start = i;
            const qsizetype stop = spans.skipValue(i);
            i = spans.skipSpace(stop);
            if (spans.at(i) == ',')
                i = spans.skipSpace(i + 1);
            if (place.found && place.nextStart < 0)
                place.nextStart = memberStart;
            // The last of equal names counts, as for JSON.parse and QJsonDocument.
            if (place.isObject ? name == step.member : element == step.index) {
                place.previousEnd = place.lastValueEnd;
                place.found = true;
                place.nextStart = -1;
                place.memberStart = memberStart;
                place.valueStart = start;
                place.valueEnd = stop;
            }
            place.lastValueEnd = stop;
        }
        if (s + 1 == m_steps.size())
            return place;
        if (!place.found)
            return std::nullopt;
        valueStart = place.valueStart;
    }
    return std::nullopt;
}

std::optional<QByteArray> JsonPath::set(QByteArrayView json, QByteArrayView valueJson) const
{
    const std::optional<Place> place = find(json);
    if (!place)
        return std::nullopt;
    QByteArray edited = json.toByteArray();
    if (place->found)
        return edited.replace(place->valueStart, place->valueEnd - place->valueStart, valueJson.toByteArray());
    if (!place->isObject)
        return std::nullopt;
    const QByteArray member = quotedName(m_steps.constLast().member) + ':' + valueJson.toByteArray();
    if (place->lastValueEnd < 0)
        return edited.insert(place->open + 1, member);
    return edited.insert(place->lastValueEnd, ',' + member);
}

std::optional<QByteArray> JsonPath::remove(QByteArrayView json) const
{
    const std::optional<Place> place = find(json);
    if (!place || !place->found)
        return std::nullopt;
    QByteArray edited = json.toByteArray();
    if (place->previousEnd >= 0)
        return edited.remove(place->previousEnd, place->valueEnd - place->previousEnd);
    if (place->nextStart >= 0)
        return edited.remove(place->memberStart, place->nextStart - place->memberStart);
    return edited.remove(place->memberStart, place->valueEnd - place->memberStart);
}

} // namespace wsi
