// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/OrderedJson.h"

#include "core/exchange/JsonStreamScanner.h"

#include <QBuffer>

#include <limits>

namespace wsi {
namespace {

// A string value may be as long as the text itself: the whole text is in memory already.
constexpr qint64 maxStringBytes = std::numeric_limits<qint32>::max();

class Reader
{
public:
    Reader(JsonStreamScanner &scanner, QByteArrayView text, qsizetype maxNodes)
        : m_scanner(scanner)
        , m_text(text)
        , m_budget(maxNodes < 0 ? std::numeric_limits<qsizetype>::max() : maxNodes)
    {}

    bool cut() const noexcept { return m_cut; }

    // Reads the next value into `node`, or (past the budget: keep is false) checks and skips it.
    bool read(OrderedJson::Node &node, bool keep)
    {
        using Kind = JsonStreamScanner::Kind;
        using Type = OrderedJson::Node::Type;
        if (!keep) {
            m_cut = true;
            return m_scanner.skipValue();
        }
        --m_budget;
        switch (m_scanner.peek()) {
        case Kind::Object: {
            node.type = Type::Object;
            if (!m_scanner.enterObject())
                return false;
            QString name;
            while (m_scanner.nextMember(&name)) {
                OrderedJson::Node member;
                member.name = name;
                const bool kept = m_budget > 0;
                if (!read(member, kept))
                    return false;
                ++node.size;
                if (kept)
                    node.children.append(std::move(member));
            }
            return !m_scanner.failed();
        }
        case Kind::Array: {
            node.type = Type::Array;
            if (!m_scanner.enterArray())
                return false;
            while (m_scanner.nextElement()) {
                OrderedJson::Node element;
                const bool kept = m_budget > 0;
                if (!read(element, kept))
                    return false;
                ++node.size;
                if (kept)
                    node.children.append(std::move(element));
            }
            return !m_scanner.failed();
        }
        case Kind::String: {
            node.type = Type::String;
            const std::optional<QString> text = m_scanner.readShortString(maxStringBytes);
            node.value = text.value_or(QString());
            return text.has_value();
        }
        case Kind::Number: {
            // The number's own text, not the double it reads as: large integers and trailing zeros stay.
            node.type = Type::Number;
            const qint64 start = m_scanner.position().offset;
            if (!m_scanner.readNumber())
                return false;
            node.value = QString::fromLatin1(m_text.sliced(start, m_scanner.position().offset - start));
            return true;
        }
        case Kind::Bool:
        case Kind::Null: {
            node.type = m_scanner.peek() == Kind::Null ? Type::Null : Type::Bool;
            const qint64 start = m_scanner.position().offset;
            if (!m_scanner.skipValue())
                return false;
            node.value = QString::fromLatin1(m_text.sliced(start, m_scanner.position().offset - start));
            return true;
        }
        case Kind::EndOfContainer:
        case Kind::EndOfInput:
        case Kind::Invalid:
            break;
        }
        return m_scanner.skipValue(); // fails with what was expected and what was found
    }

private:
    JsonStreamScanner &m_scanner;
    QByteArrayView m_text;
    qsizetype m_budget;
    bool m_cut = false;
};

// indent < 0: compact, no whitespace at all.
void write(const OrderedJson::Node &node, int indent, int depth, QString &out)
{
    using Type = OrderedJson::Node::Type;
    switch (node.type) {
    case Type::String:
        out += OrderedJson::quoted(node.value);
        return;
    case Type::Number:
    case Type::Bool:
    case Type::Null:
        out += node.value;
        return;
    case Type::Object:
    case Type::Array:
        break;
    }
    const bool object = node.type == Type::Object;
    if (node.children.isEmpty()) {
        out += object ? QStringLiteral("{}") : QStringLiteral("[]");
        return;
    }
    const bool compact = indent < 0;
    out += object ? u'{' : u'[';
    if (!compact)
        out += u'\n';
    const QString inner(compact ? 0 : indent * (depth + 1), u' ');
    for (qsizetype i = 0; i < node.children.size(); ++i) {
        const OrderedJson::Node &child = node.children.at(i);
        out += inner;
        if (object)
            out += OrderedJson::quoted(child.name) + (compact ? QStringLiteral(":") : QStringLiteral(": "));
        write(child, indent, depth + 1, out);
        if (i + 1 < node.children.size())
            out += u',';
        if (!compact)
            out += u'\n';
    }
    if (!compact)
        out += QString(indent * depth, u' ');
    out += object ? u'}' : u']';
}

} // namespace

OrderedJson::Result OrderedJson::parse(QByteArrayView text, qsizetype maxNodes)
{
    QByteArray bytes = text.toByteArray();
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    JsonStreamScanner scanner(&buffer);
    Reader reader(scanner, bytes, maxNodes);
    Result result;
    Node root;
    if (reader.read(root, maxNodes != 0) && scanner.atEndOfDocument()) {
        result.root = std::move(root);
        result.cut = reader.cut();
        return result;
    }
    if (!scanner.failed())
        scanner.fail(QStringLiteral("only whitespace after the value, not %1").arg(scanner.describeNext()));
    const JsonStreamScanner::Position at = scanner.errorPosition();
    result.error = QStringLiteral("line %1, column %2: %3").arg(at.line).arg(at.column).arg(scanner.error());
    return result;
}

QString OrderedJson::pretty(const Node &node, int indent)
{
    QString out;
    write(node, indent, 0, out);
    return out;
}

QString OrderedJson::compact(const Node &node)
{
    QString out;
    write(node, -1, 0, out);
    return out;
}

QString OrderedJson::quoted(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'"';
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += QStringLiteral("\\\"");
            break;
        case u'\\':
            out += QStringLiteral("\\\\");
            break;
        case u'\n':
            out += QStringLiteral("\\n");
            break;
        case u'\r':
            out += QStringLiteral("\\r");
            break;
        case u'\t':
            out += QStringLiteral("\\t");
            break;
        case u'\b':
            out += QStringLiteral("\\b");
            break;
        case u'\f':
            out += QStringLiteral("\\f");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(uint(c.unicode()), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += u'"';
    return out;
}

} // namespace wsi
