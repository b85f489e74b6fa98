// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HttpHeaders.h"

#include <algorithm>

namespace wsi {

HttpHeaders::HttpHeaders(std::initializer_list<HttpHeader> headers)
    : m_headers(headers)
{}

void HttpHeaders::append(const QByteArray &name, const QByteArray &value)
{
    m_headers.append(HttpHeader{name, value});
}

qsizetype HttpHeaders::removeAll(QByteArrayView name)
{
    return m_headers.removeIf([name](const HttpHeader &h) { return HttpSyntax::equalsIgnoringCase(h.name, name); });
}

bool HttpHeaders::contains(QByteArrayView name) const noexcept
{
    return count(name) > 0;
}

qsizetype HttpHeaders::count(QByteArrayView name) const noexcept
{
    qsizetype n = 0;
    for (const HttpHeader &h : m_headers) {
        if (HttpSyntax::equalsIgnoringCase(h.name, name))
            ++n;
    }
    return n;
}

QByteArray HttpHeaders::value(QByteArrayView name) const
{
    for (const HttpHeader &h : m_headers) {
        if (HttpSyntax::equalsIgnoringCase(h.name, name))
            return h.value;
    }
    return {};
}

QList<QByteArray> HttpHeaders::values(QByteArrayView name) const
{
    QList<QByteArray> result;
    for (const HttpHeader &h : m_headers) {
        if (HttpSyntax::equalsIgnoringCase(h.name, name))
            result.append(h.value);
    }
    return result;
}

QByteArray HttpHeaders::combined(QByteArrayView name) const
{
    QByteArray result;
    bool first = true;
    for (const HttpHeader &h : m_headers) {
        if (!HttpSyntax::equalsIgnoringCase(h.name, name))
            continue;
        if (!first)
            result += ", ";
        result += h.value;
        first = false;
    }
    return result;
}

QList<QByteArray> HttpHeaders::listElements(QByteArrayView name) const
{
    QList<QByteArray> result;
    for (const HttpHeader &h : m_headers) {
        if (HttpSyntax::equalsIgnoringCase(h.name, name))
            result += HttpSyntax::splitList(h.value);
    }
    return result;
}

bool HttpHeaders::containsToken(QByteArrayView name, QByteArrayView token) const
{
    const QList<QByteArray> elements = listElements(name);
    return std::any_of(elements.cbegin(), elements.cend(),
                       [token](const QByteArray &e) { return HttpSyntax::equalsIgnoringCase(e, token); });
}

QByteArray HttpHeaders::toWire() const
{
    QByteArray out;
    for (const HttpHeader &h : m_headers) {
        out += h.name;
        out += ": ";
        out += h.value;
        out += "\r\n";
    }
    return out;
}

namespace HttpSyntax {
namespace {

constexpr char toLowerAscii(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

constexpr bool isOws(char c) noexcept
{
    return c == ' ' || c == '\t';
}

// qdtext and the second byte of a quoted-pair may be HTAB, SP, VCHAR or obs-text (RFC 9110 §5.6.4).
constexpr bool isQuotedTextChar(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7F);
}

} // namespace

bool isTokenChar(char c) noexcept
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text) noexcept
{
    if (text.isEmpty())
        return false;
    return std::all_of(text.begin(), text.end(), isTokenChar);
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (toLowerAscii(a[i]) != toLowerAscii(b[i]))
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text) noexcept
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isOws(text[begin]))
        ++begin;
    while (end > begin && isOws(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

QList<QByteArray> splitList(QByteArrayView value)
{
    QList<QByteArray> elements;
    qsizetype start = 0;
    bool inQuotes = false;
    auto flush = [&](qsizetype end) {
        const QByteArrayView element = trimmed(value.sliced(start, end - start));
        if (!element.isEmpty())
            elements.append(element.toByteArray());
        start = end + 1;
    };
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (inQuotes) {
            if (c == '\\')
                ++i; // the escaped byte cannot end the string
            else if (c == '"')
                inQuotes = false;
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == ',') {
            flush(i);
        }
    }
    flush(value.size());
    return elements;
}

std::optional<QByteArray> unquote(QByteArrayView quoted)
{
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"')
        return std::nullopt;
    QByteArray out;
    out.reserve(quoted.size() - 2);
    for (qsizetype i = 1; i < quoted.size() - 1; ++i) {
        char c = quoted[i];
        if (c == '"')
            return std::nullopt; // an unescaped quote ends the string before the last byte
        if (c == '\\') {
            if (++i >= quoted.size() - 1)
                return std::nullopt; // the backslash escapes the closing quote
            c = quoted[i];
        }
        if (!isQuotedTextChar(c))
            return std::nullopt;
        out.append(c);
    }
    return out;
}

QString quoted(QByteArrayView bytes, qsizetype maxLength)
{
    static constexpr char hexDigits[] = "0123456789abcdef";
    QString out;
    out.reserve(qMin(bytes.size(), maxLength) + 8);
    out += u'"';
    const qsizetype shown = qMin(bytes.size(), maxLength);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto u = static_cast<unsigned char>(bytes[i]);
        switch (u) {
        case '\r':
            out += QLatin1StringView("\\r");
            break;
        case '\n':
            out += QLatin1StringView("\\n");
            break;
        case '\t':
            out += QLatin1StringView("\\t");
            break;
        case '"':
            out += QLatin1StringView("\\\"");
            break;
        case '\\':
            out += QLatin1StringView("\\\\");
            break;
        default:
            if (u >= 0x20 && u < 0x7F) {
                out += QLatin1Char(char(u));
            } else {
                out += QLatin1StringView("\\x");
                out += QLatin1Char(hexDigits[u >> 4]);
                out += QLatin1Char(hexDigits[u & 0xF]);
            }
        }
    }
    out += u'"';
    if (shown < bytes.size())
        out += QLatin1StringView("...");
    return out;
}

} // namespace HttpSyntax
} // namespace wsi
