// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/JsonStreamScanner.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>

namespace wsi {
namespace {

bool isDigit(int c)
{
    return c >= '0' && c <= '9';
}

// The number grammar of RFC 8259 §6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(QByteArrayView text)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    const auto digits = [&] {
        const qsizetype start = i;
        while (i < n && isDigit(text.at(i)))
            ++i;
        return i > start;
    };
    if (i < n && text.at(i) == '-')
        ++i;
    if (i < n && text.at(i) == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < n && text.at(i) == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < n && (text.at(i) == 'e' || text.at(i) == 'E')) {
        ++i;
        if (i < n && (text.at(i) == '+' || text.at(i) == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == n;
}

void appendUtf8(QByteArray &out, char32_t code)
{
    if (code < 0x80) {
        out.append(char(code));
    } else if (code < 0x800) {
        out.append(char(0xC0 | (code >> 6)));
        out.append(char(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.append(char(0xE0 | (code >> 12)));
        out.append(char(0x80 | ((code >> 6) & 0x3F)));
        out.append(char(0x80 | (code & 0x3F)));
    } else {
        out.append(char(0xF0 | (code >> 18)));
        out.append(char(0x80 | ((code >> 12) & 0x3F)));
        out.append(char(0x80 | ((code >> 6) & 0x3F)));
        out.append(char(0x80 | (code & 0x3F)));
    }
}

int hexValue(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString mebibytes(qint64 bytes)
{
    return bytes >= 1024 * 1024 ? QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024))
                                : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

JsonStreamScanner::JsonStreamScanner(QIODevice *device, qint64 chunkSize)
    : m_device(device)
    , m_chunkSize(std::max<qint64>(16, chunkSize))
{}

JsonStreamScanner::Position JsonStreamScanner::position() const
{
    return {m_bufferStart + m_next, m_line, m_column};
}

bool JsonStreamScanner::canSeek() const
{
    return !m_device->isSequential();
}

bool JsonStreamScanner::seek(const Position &position)
{
    if (failed())
        return false;
    if (!canSeek() || !m_device->seek(position.offset)) {
        fail(QStringLiteral("cannot go back to byte %1 of the input: %2")
                 .arg(position.offset)
                 .arg(m_device->errorString()));
        return false;
    }
    m_buffer.clear();
    m_next = 0;
    m_bufferStart = position.offset;
    m_line = position.line;
    m_column = position.column;
    m_endOfInput = false;
    return true;
}

void JsonStreamScanner::fail(const QString &what)
{
    if (failed())
        return; // the first error is the one that explains the rest
    m_error = what;
    m_errorPosition = position();
}

void JsonStreamScanner::failExpected(const QString &expected)
{
    fail(QStringLiteral("expected %1, found %2").arg(expected, describeNext()));
}

QString JsonStreamScanner::describeNext()
{
    const int c = peekByte();
    if (c < 0)
        return QStringLiteral("the end of the file");
    if (c >= 0x20 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QChar(c));
    return QStringLiteral("byte 0x%1").arg(QString::number(c, 16).toUpper().rightJustified(2, u'0'));
}

QString JsonStreamScanner::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Object:
        return QStringLiteral("an object");
    case Kind::Array:
        return QStringLiteral("an array");
    case Kind::String:
        return QStringLiteral("a string");
    case Kind::Number:
        return QStringLiteral("a number");
    case Kind::Bool:
        return QStringLiteral("a boolean");
    case Kind::Null:
        return QStringLiteral("null");
    case Kind::EndOfContainer:
        return QStringLiteral("the end of the enclosing object or array");
    case Kind::EndOfInput:
        return QStringLiteral("the end of the file");
    case Kind::Invalid:
        break;
    }
    return QStringLiteral("something that is not JSON");
}

bool JsonStreamScanner::fill()
{
    if (m_endOfInput)
        return false;
    m_bufferStart += m_next;
    m_buffer.remove(0, m_next);
    m_next = 0;
    const qsizetype kept = m_buffer.size();
    m_buffer.resize(kept + m_chunkSize);
    const qint64 got = m_device->read(m_buffer.data() + kept, m_chunkSize);
    m_buffer.resize(kept + std::max<qint64>(0, got));
    if (got < 0) {
        m_endOfInput = true;
        fail(QStringLiteral("read error: %1").arg(m_device->errorString()));
        return false;
    }
    if (got == 0) {
        m_endOfInput = true;
        return false;
    }
    if (!m_started) {
        m_started = true;
        // A UTF-8 byte order mark (some Windows tools write one) is not part of the document.
        if (m_bufferStart == 0 && m_buffer.startsWith("\xEF\xBB\xBF"))
            m_next = 3;
    }
    return m_next < m_buffer.size() || fill();
}

int JsonStreamScanner::peekByte()
{
    if (m_next >= m_buffer.size() && !fill())
        return -1;
    return quint8(m_buffer.at(m_next));
}

void JsonStreamScanner::advance()
{
    if (m_buffer.at(m_next++) == '\n') {
        ++m_line;
        m_column = 1;
    } else {
        ++m_column;
    }
}

void JsonStreamScanner::skipWhitespace()
{
    for (int c = peekByte(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peekByte())
        advance();
}

bool JsonStreamScanner::expectByte(char byte, const char *expected)
{
    if (failed())
        return false;
    skipWhitespace();
    if (peekByte() != quint8(byte)) {
        failExpected(QString::fromLatin1(expected));
        return false;
    }
    advance();
    return true;
}

JsonStreamScanner::Kind JsonStreamScanner::peek()
{
    if (failed())
        return Kind::Invalid;
    skipWhitespace();
    const int c = peekByte();
    switch (c) {
    case -1:
        return Kind::EndOfInput;
    case '{':
        return Kind::Object;
    case '[':
        return Kind::Array;
    case '"':
        return Kind::String;
    case 't':
    case 'f':
        return Kind::Bool;
    case 'n':
        return Kind::Null;
    case '}':
    case ']':
        return Kind::EndOfContainer;
    default:
        break;
    }
    return c == '-' || isDigit(c) ? Kind::Number : Kind::Invalid;
}

bool JsonStreamScanner::push(bool object)
{
    if (m_stack.size() >= size_t(maxDepth)) {
        fail(QStringLiteral("objects and arrays nested deeper than %1 levels").arg(maxDepth));
        return false;
    }
    m_stack.push_back(Container{object, true});
    return true;
}

bool JsonStreamScanner::enterObject()
{
    return expectByte('{', "an object ('{')") && push(true);
}

bool JsonStreamScanner::enterArray()
{
    return expectByte('[', "an array ('[')") && push(false);
}

bool JsonStreamScanner::nextItem(char close, const QString &separatorExpected)
{
    skipWhitespace();
    if (peekByte() == close) {
        advance();
        m_stack.pop_back();
        return false;
    }
    if (!m_stack.back().empty) {
        if (peekByte() != ',') {
            failExpected(separatorExpected);
            return false;
        }
        advance();
        skipWhitespace();
    }
    return true;
}

bool JsonStreamScanner::nextMember(QString *name)
{
    if (failed() || m_stack.empty() || !m_stack.back().object)
        return false;
    const bool first = m_stack.back().empty;
    if (!nextItem('}', QStringLiteral("',' or '}' after an object member")))
        return false;
    if (peekByte() != '"') {
        failExpected(first ? QStringLiteral("a member name (a string in double quotes) or '}'")
                           : QStringLiteral("a member name (a string in double quotes)"));
        return false;
    }
    m_stack.back().empty = false;
    const std::optional<QString> text = readShortString(maxNameBytes);
    if (!text)
        return false;
    if (name)
        *name = *text;
    return expectByte(':', "':' after a member name");
}

bool JsonStreamScanner::nextElement()
{
    if (failed() || m_stack.empty() || m_stack.back().object)
        return false;
    if (!nextItem(']', QStringLiteral("',' or ']' after an array element")))
        return false;
    m_stack.back().empty = false;
    return true;
}

bool JsonStreamScanner::readLiteral(QByteArrayView literal)
{
    for (const char expected : literal) {
        if (peekByte() != quint8(expected)) {
            failExpected(QStringLiteral("'%1'").arg(QString::fromLatin1(literal)));
            return false;
        }
        advance();
    }
    return true;
}

std::optional<double> JsonStreamScanner::readNumber()
{
    if (peek() != Kind::Number) {
        failExpected(QStringLiteral("a number"));
        return std::nullopt;
    }
    QByteArray text;
    for (int c = peekByte(); isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; c = peekByte()) {
        if (text.size() >= 64) {
            fail(QStringLiteral("a number longer than 64 characters"));
            return std::nullopt;
        }
        text.append(char(c));
        advance();
    }
    if (!isJsonNumber(text)) {
        fail(QStringLiteral("'%1' is not a JSON number").arg(QString::fromLatin1(text)));
        return std::nullopt;
    }
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok) {
        fail(QStringLiteral("the number %1 is out of range").arg(QString::fromLatin1(text)));
        return std::nullopt;
    }
    return value;
}

bool JsonStreamScanner::readString(const StringPieces &pieces)
{
    if (peek() != Kind::String) {
        failExpected(QStringLiteral("a string"));
        return false;
    }
    const Position start = position();
    advance(); // the opening quote
    QByteArray piece;
    const qsizetype pieceSize = 16 * 1024;
    const auto flush = [&] {
        if (piece.isEmpty())
            return true;
        const bool more = pieces(piece);
        piece.clear();
        return more;
    };
    char16_t highSurrogate = 0; // a high surrogate waiting for its low half, or 0
    for (;;) {
        if (m_next >= m_buffer.size() && !fill()) {
            if (!failed())
                fail(QStringLiteral("the string that starts at line %1, column %2 is not terminated")
                         .arg(start.line)
                         .arg(start.column));
            return false;
        }
        // A run of plain bytes at once: no escapes, no quotes, no control characters (so no line breaks either).
        qsizetype end = m_next;
        while (end < m_buffer.size()) {
            const quint8 b = quint8(m_buffer.at(end));
            if (b == '"' || b == '\\' || b < 0x20)
                break;
            ++end;
        }
        if (end > m_next) {
            if (highSurrogate) {
                appendUtf8(piece, 0xFFFD); // a lone high surrogate
                highSurrogate = 0;
            }
            piece.append(m_buffer.constData() + m_next, end - m_next);
            m_column += end - m_next;
            m_next = end;
            if (piece.size() >= pieceSize && !flush())
                return false;
            continue;
        }
        const int c = peekByte();
        if (c == '"') {
            advance();
            if (highSurrogate)
                appendUtf8(piece, 0xFFFD);
            return flush();
        }
        if (c < 0x20) {
            fail(QStringLiteral("a control character (byte 0x%1) inside a string; JSON needs it escaped")
                     .arg(c, 2, 16, QChar(u'0')));
            return false;
        }
        advance(); // the backslash
        const int e = peekByte();
        if (e < 0)
            continue; // reported as an unterminated string above
        char32_t code = 0;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            code = char32_t(e);
            break;
        case 'b':
            code = '\b';
            break;
        case 'f':
            code = '\f';
            break;
        case 'n':
            code = '\n';
            break;
        case 'r':
            code = '\r';
            break;
        case 't':
            code = '\t';
            break;
        case 'u': {
            advance();
            char16_t unit = 0;
            for (int i = 0; i < 4; ++i) {
                const int h = hexValue(peekByte());
                if (h < 0) {
                    failExpected(QStringLiteral("four hex digits after \\u"));
                    return false;
                }
                unit = char16_t(unit * 16 + h);
                advance();
            }
            if (QChar::isHighSurrogate(unit)) {
                if (highSurrogate)
                    appendUtf8(piece, 0xFFFD);
                highSurrogate = unit;
                continue;
            }
            if (QChar::isLowSurrogate(unit)) {
                if (highSurrogate)
                    appendUtf8(piece, QChar::surrogateToUcs4(highSurrogate, unit));
                else
                    appendUtf8(piece, 0xFFFD);
                highSurrogate = 0;
                continue;
            }
            if (highSurrogate) {
                appendUtf8(piece, 0xFFFD);
                highSurrogate = 0;
            }
            appendUtf8(piece, unit);
            continue;
        }
        default:
            failExpected(QStringLiteral("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX) after '\\'"));
            return false;
        }
        if (highSurrogate) {
            appendUtf8(piece, 0xFFFD);
            highSurrogate = 0;
        }
        advance();
        appendUtf8(piece, code);
    }
}

std::optional<QString> JsonStreamScanner::readShortString(qint64 maxBytes)
{
    return readStringWithin(maxBytes, [&] {
        fail(QStringLiteral("a string longer than %1; refused rather than held in memory").arg(mebibytes(maxBytes)));
    });
}

std::optional<QString> JsonStreamScanner::readStringWithin(qint64 maxBytes, const std::function<void()> &refuse)
{
    QByteArray text;
    const bool read = readString([&](QByteArrayView piece) {
        if (text.size() + piece.size() > maxBytes) {
            refuse();
            return false;
        }
        text.append(piece);
        return true;
    });
    if (!read)
        return std::nullopt;
    return QString::fromUtf8(text);
}

bool JsonStreamScanner::skipValue()
{
    switch (peek()) {
    case Kind::Object:
        if (!enterObject())
            return false;
        while (nextMember(nullptr)) {
            if (!skipValue())
                return false;
        }
        return !failed();
    case Kind::Array:
        if (!enterArray())
            return false;
        while (nextElement()) {
            if (!skipValue())
                return false;
        }
        return !failed();
    case Kind::String:
        return readString([](QByteArrayView) { return true; });
    case Kind::Number:
        return readNumber().has_value();
    case Kind::Bool:
        return readLiteral(peekByte() == 't' ? QByteArrayView("true") : QByteArrayView("false"));
    case Kind::Null:
        return readLiteral("null");
    case Kind::EndOfContainer:
    case Kind::EndOfInput:
    case Kind::Invalid:
        break;
    }
    if (!failed())
        failExpected(QStringLiteral("a value"));
    return false;
}

std::optional<QJsonValue> JsonStreamScanner::readValue(qint64 maxBytes)
{
    if (peek() == Kind::Invalid && failed())
        return std::nullopt;
    return buildValue(position().offset + maxBytes, maxBytes);
}

std::optional<QJsonValue> JsonStreamScanner::buildValue(qint64 limitOffset, qint64 maxBytes)
{
    const auto tooLarge = [&] {
        fail(QStringLiteral("a value larger than %1; refused rather than held in memory").arg(mebibytes(maxBytes)));
        return std::nullopt;
    };
    switch (peek()) {
    case Kind::Object: {
        if (!enterObject())
            return std::nullopt;
        QJsonObject object;
        QString name;
        while (nextMember(&name)) {
            std::optional<QJsonValue> value = buildValue(limitOffset, maxBytes);
            if (!value)
                return std::nullopt;
            object.insert(name, *value);
            if (position().offset > limitOffset)
                return tooLarge();
        }
        if (failed())
            return std::nullopt;
        return object;
    }
    case Kind::Array: {
        if (!enterArray())
            return std::nullopt;
        QJsonArray array;
        while (nextElement()) {
            std::optional<QJsonValue> value = buildValue(limitOffset, maxBytes);
            if (!value)
                return std::nullopt;
            array.append(*value);
            if (position().offset > limitOffset)
                return tooLarge();
        }
        if (failed())
            return std::nullopt;
        return array;
    }
    case Kind::String: {
        const std::optional<QString> text = readStringWithin(limitOffset - position().offset, tooLarge);
        if (!text)
            return std::nullopt;
        return *text;
    }
    case Kind::Number: {
        const std::optional<double> number = readNumber();
        if (!number)
            return std::nullopt;
        return *number;
    }
    case Kind::Bool: {
        const bool value = peekByte() == 't';
        if (!readLiteral(value ? QByteArrayView("true") : QByteArrayView("false")))
            return std::nullopt;
        return value;
    }
    case Kind::Null:
        if (!readLiteral("null"))
            return std::nullopt;
        return QJsonValue(QJsonValue::Null);
    case Kind::EndOfContainer:
    case Kind::EndOfInput:
    case Kind::Invalid:
        break;
    }
    if (!failed())
        failExpected(QStringLiteral("a value"));
    return std::nullopt;
}

bool JsonStreamScanner::atEndOfDocument()
{
    if (failed())
        return false;
    skipWhitespace();
    return peekByte() < 0 && !failed();
}

} // namespace wsi
