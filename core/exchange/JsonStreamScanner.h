// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

class QIODevice;

namespace wsi {

// Reads one JSON document (RFC 8259) from a device a chunk at a time, driven by its caller: the caller enters
// objects and arrays, walks their members and elements, and for each value decides to skip it, build it (within a
// size limit) or take a string piece by piece. So only the value in hand is ever in memory: a HAR file of
// gigabytes is walked with one chunk of buffer, and a string of a gigabyte can be counted without being kept.
//
// The grammar is checked as far as the document is read, skipped values included. The first error stops the
// scanner; error() says what was expected and what was found, errorPosition() where (byte offset, line and column,
// columns counted in bytes). Not a QObject; it reads the device only when asked to.
class JsonStreamScanner final
{
public:
    enum class Kind : quint8 { Object, Array, String, Number, Bool, Null, EndOfContainer, EndOfInput, Invalid };

    struct Position {
        qint64 offset = 0; // bytes from the start of the device
        qint64 line = 1;
        qint64 column = 1;
    };

    // A string's content as UTF-8 pieces, in order; return false to stop reading (after calling fail()).
    using StringPieces = std::function<bool(QByteArrayView)>;

    static constexpr int maxDepth = 256;          // deeper nesting is refused rather than followed
    static constexpr qint64 maxNameBytes = 65536; // member names are short; a longer one is not a HAR file

    explicit JsonStreamScanner(QIODevice *device, qint64 chunkSize = 64 * 1024);
    Q_DISABLE_COPY_MOVE(JsonStreamScanner)

    // What the next value is, after whitespace; consumes nothing else.
    Kind peek();

    // Consume '{' or '['; false (with an error) when the next value is something else.
    bool enterObject();
    bool enterArray();
    // Inside an object: reads the next member's name and its ':', leaving its value to be read next. False at the
    // object's end ('}' consumed) or on an error; failed() tells them apart. `name` may be null.
    bool nextMember(QString *name);
    // Inside an array: true when an element follows (to be read next); false at ']' (consumed) or on an error.
    bool nextElement();

    bool skipValue();
    // The next value built as a QJsonValue; refused (nullopt, with an error) when it spans more than maxBytes.
    std::optional<QJsonValue> readValue(qint64 maxBytes);
    // The next value, which must be a string, handed over in pieces (escapes decoded).
    bool readString(const StringPieces &pieces);
    std::optional<QString> readShortString(qint64 maxBytes);
    // A string of at most maxBytes (UTF-8), read whole; past that, refuse() says why and nothing is returned.
    std::optional<QString> readStringWithin(qint64 maxBytes, const std::function<void()> &refuse);
    std::optional<double> readNumber();

    // Only whitespace is left.
    bool atEndOfDocument();

    // Where the next unread byte is. A random-access device can be taken back to a position seen before, to read a
    // value again later (the caller keeps track of which container it is in).
    Position position() const;
    bool canSeek() const;
    bool seek(const Position &position);

    // Stops the scanner with this error at the current position (used by callers for errors of meaning).
    void fail(const QString &what);
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    Position errorPosition() const { return m_errorPosition; }

    // "'x'", "byte 0xC3", "the end of the file": the next byte, for messages.
    QString describeNext();
    static QString kindName(Kind kind);

private:
    struct Container {
        bool object = false;
        bool empty = true; // no member or element read yet: no comma expected
    };

    // Before the innermost container's next member or element: consumes its closing bracket (false: it ended) or,
    // after the first item, the comma between items (false with the error when neither is there).
    bool nextItem(char close, const QString &separatorExpected);
    int peekByte(); // -1 at the end of the input
    bool fill();
    void advance();
    void skipWhitespace();
    bool expectByte(char byte, const char *expected);
    bool push(bool object);
    bool readLiteral(QByteArrayView literal);
    std::optional<QJsonValue> buildValue(qint64 limitOffset, qint64 maxBytes);
    void failExpected(const QString &expected);

    QIODevice *m_device;
    qint64 m_chunkSize;
    QByteArray m_buffer;
    qsizetype m_next = 0;
    qint64 m_bufferStart = 0; // offset of m_buffer[0] in the device
    qint64 m_line = 1;
    qint64 m_column = 1;
    bool m_endOfInput = false;
    bool m_started = false; // the byte order mark, if any, is behind us
    std::vector<Container> m_stack;
    QString m_error;
    Position m_errorPosition;
};

} // namespace wsi
