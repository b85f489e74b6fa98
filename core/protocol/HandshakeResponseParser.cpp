// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HandshakeResponseParser.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace wsi {
namespace {

constexpr QByteArrayView httpName{"HTTP/"};
constexpr QByteArrayView exampleStatusLine{"\"HTTP/1.1 101 Switching Protocols\""};
// Shorter than any real status line with its line end ("HTTP/1.1 200\r\n" is 14 bytes).
constexpr qsizetype sniffLength = 12;

constexpr bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

constexpr int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Field values and reason phrases may hold HTAB, SP, VCHAR and obs-text, nothing else (RFC 9110 §5.5, RFC 9112 §4).
constexpr bool isControl(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7F;
}

QString describeByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

qsizetype firstControl(QByteArrayView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (isControl(text[i]))
            return i;
    }
    return -1;
}

// Content-Length may be repeated or a list only when every value is the same number (RFC 9110 §8.6).
std::optional<quint64> parseContentLength(const QList<QByteArray> &elements)
{
    if (elements.isEmpty())
        return std::nullopt;
    for (const QByteArray &e : elements) {
        if (e != elements.front())
            return std::nullopt;
    }
    const QByteArray &digits = elements.front();
    // 18 digits cannot overflow; longer is absurd for a refusal page anyway.
    if (digits.isEmpty() || digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), isDigit))
        return std::nullopt;
    quint64 n = 0;
    for (char c : digits)
        n = n * 10 + quint64(c - '0');
    return n;
}

} // namespace

HandshakeResponseParser::HandshakeResponseParser(const ProtocolLimits &limits)
    : m_limits(limits)
{}

void HandshakeResponseParser::reset()
{
    *this = HandshakeResponseParser(m_limits);
}

QByteArray HandshakeResponseParser::takeLeftover()
{
    return std::exchange(m_leftover, QByteArray());
}

HandshakeResponseParser::State HandshakeResponseParser::feed(QByteArrayView bytes)
{
    if (m_state == State::Failed)
        return m_state;
    qsizetype pos = 0;
    while (m_state == State::NeedMore && step(bytes, pos)) {
    }
    if (m_state == State::Complete && pos < bytes.size())
        m_leftover.append(bytes.sliced(pos));
    return m_state;
}

HandshakeResponseParser::State HandshakeResponseParser::finishAtEndOfStream()
{
    if (m_state != State::NeedMore)
        return m_state;
    switch (m_phase) {
    case Phase::StatusLine:
        if (m_response.raw.isEmpty()) {
            fail(ViolationRule::HandshakeMalformedStatusLine,
                 QStringLiteral("the connection closed before the server sent any response"));
        } else if (m_response.raw.size() == m_lineStart) {
            fail(ViolationRule::HandshakeMalformedStatusLine,
                 QStringLiteral("the connection closed after the interim response %1, before the final response")
                     .arg(HttpSyntax::quoted(m_statusLine)));
        } else {
            fail(ViolationRule::HandshakeMalformedStatusLine,
                 lineLabel() + QStringLiteral("the connection closed inside the status line, after %1")
                                   .arg(HttpSyntax::quoted(QByteArrayView(m_response.raw).sliced(m_lineStart))));
        }
        break;
    case Phase::Fields:
        // Between lines, the line that never came is the one to name.
        if (m_response.raw.size() == m_lineStart)
            ++m_lineNumber;
        fail(ViolationRule::HandshakeMalformedHeader,
             lineLabel() + QStringLiteral(
                               "the connection closed inside the header fields, before the blank line that ends them"));
        break;
    case Phase::BodyUntilEnd:
    case Phase::Trailers: // the body itself is whole
        complete(false);
        break;
    case Phase::BodyByLength:
    case Phase::ChunkSize:
    case Phase::ChunkData:
    case Phase::ChunkDataEnd:
        complete(true);
        break;
    case Phase::Done:
        break;
    }
    return m_state;
}

bool HandshakeResponseParser::step(QByteArrayView input, qsizetype &pos)
{
    switch (m_phase) {
    case Phase::StatusLine:
    case Phase::Fields:
        return stepHeaderLine(input, pos);
    case Phase::BodyByLength:
    case Phase::BodyUntilEnd:
    case Phase::ChunkData:
        return stepBody(input, pos);
    case Phase::ChunkSize:
    case Phase::ChunkDataEnd:
    case Phase::Trailers:
        return stepChunkLine(input, pos);
    case Phase::Done:
        break;
    }
    return false;
}

bool HandshakeResponseParser::stepHeaderLine(QByteArrayView input, qsizetype &pos)
{
    if (pos == input.size())
        return false;
    if (m_response.raw.size() == m_lineStart)
        ++m_lineNumber;
    qsizetype room = m_limits.maxHandshakeSize - m_response.raw.size();
    if (room <= 0) {
        failTooLarge();
        return false;
    }
    // The first bytes of a status line are looked at on their own, so that a peer that does not speak HTTP (a TLS
    // record, a WebSocket frame, an SSH banner) fails the parse at once instead of after a line end that may never
    // come. Stopping at exactly sniffLength bytes makes the failure, and what raw holds, the same for every split.
    const qsizetype partialLength = m_response.raw.size() - m_lineStart;
    if (m_phase == Phase::StatusLine && partialLength < sniffLength)
        room = qMin(room, sniffLength - partialLength);
    if (!takeLine(input, pos, room)) {
        const QByteArrayView partial = QByteArrayView(m_response.raw).sliced(m_lineStart);
        if (m_phase == Phase::StatusLine && partial.size() >= sniffLength && !partial.startsWith(httpName))
            parseStatusLine(partial);
        else if (m_response.raw.size() >= m_limits.maxHandshakeSize)
            failTooLarge();
        return m_state == State::NeedMore && pos < input.size();
    }
    const QByteArrayView line = completedLine();
    m_lineStart = m_response.raw.size();
    if (m_phase == Phase::StatusLine)
        parseStatusLine(line);
    else
        parseFieldLine(line);
    return m_state == State::NeedMore;
}

bool HandshakeResponseParser::stepBody(QByteArrayView input, qsizetype &pos)
{
    if (bodyRoom() == 0) {
        // At the cap. With a known length still outstanding, or reading until the end, the rest is not kept.
        complete(true);
        return false;
    }
    if (pos == input.size())
        return false;
    if (m_phase == Phase::BodyUntilEnd) {
        appendBody(input, pos, input.size() - pos);
        return true;
    }
    appendBody(input, pos, qsizetype(qMin<quint64>(m_remaining, quint64(input.size() - pos))));
    if (m_remaining == 0) {
        if (m_phase == Phase::BodyByLength)
            complete(false);
        else
            m_phase = Phase::ChunkDataEnd;
    }
    return true;
}

bool HandshakeResponseParser::stepChunkLine(QByteArrayView input, qsizetype &pos)
{
    if (pos == input.size())
        return false;
    // Chunk framing carries no body bytes, so it gets its own budget: without one, endless chunk extensions or
    // trailers would grow raw without ever reaching the body cap.
    const qsizetype framingLimit = m_limits.maxHandshakeSize;
    const qsizetype room = framingLimit - m_framingBytes;
    if (room <= 0) {
        complete(true);
        return false;
    }
    const qsizetype before = m_response.raw.size();
    const bool whole = takeLine(input, pos, room);
    m_framingBytes += m_response.raw.size() - before;
    if (!whole) {
        if (m_framingBytes >= framingLimit)
            complete(true);
        return false;
    }
    const QByteArrayView line = completedLine();
    m_lineStart = m_response.raw.size();
    switch (m_phase) {
    case Phase::ChunkSize:
        parseChunkSize(line);
        break;
    case Phase::ChunkDataEnd:
        if (!line.isEmpty()) {
            m_violations.append(
                {ViolationRule::HandshakeMalformedHeader,
                 QStringLiteral("chunked body: chunk %1 is followed by %2 instead of CRLF; it is longer than its size")
                     .arg(m_chunkIndex)
                     .arg(HttpSyntax::quoted(line, 40))});
            complete(true);
        } else {
            m_phase = Phase::ChunkSize;
        }
        break;
    case Phase::Trailers:
        if (line.isEmpty())
            complete(false); // trailer fields are not shown: they cannot explain a refusal
        break;
    default:
        break;
    }
    return m_state == State::NeedMore;
}

bool HandshakeResponseParser::takeLine(QByteArrayView input, qsizetype &pos, qsizetype room)
{
    const QByteArrayView window = input.sliced(pos, qMin(room, input.size() - pos));
    const qsizetype lf = window.indexOf('\n');
    const qsizetype n = lf < 0 ? window.size() : lf + 1;
    m_response.raw.append(window.first(n));
    pos += n;
    return lf >= 0;
}

QByteArrayView HandshakeResponseParser::completedLine()
{
    QByteArrayView line = QByteArrayView(m_response.raw).sliced(m_lineStart);
    line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    else
        m_response.bareLineFeeds = true;
    return line;
}

void HandshakeResponseParser::appendBody(QByteArrayView input, qsizetype &pos, qsizetype maxBytes)
{
    const qsizetype n = qMin(maxBytes, bodyRoom());
    const QByteArrayView bytes = input.sliced(pos, n);
    m_response.raw.append(bytes);
    m_response.body.append(bytes);
    pos += n;
    if (m_phase != Phase::BodyUntilEnd)
        m_remaining -= quint64(n);
    m_lineStart = m_response.raw.size();
}

void HandshakeResponseParser::parseStatusLine(QByteArrayView line)
{
    const auto malformed = [this](const QString &what) {
        fail(ViolationRule::HandshakeMalformedStatusLine, lineLabel() + what);
    };
    if (!line.startsWith(httpName)) {
        QString what = QStringLiteral("expected a status line such as %1, got %2")
                           .arg(QLatin1StringView(exampleStatusLine), HttpSyntax::quoted(line, 40));
        // A TLS record starts with 0x16 0x03: the server expects wss:// on this port.
        if (line.size() >= 2 && line[0] == '\x16' && line[1] == '\x03')
            what += QStringLiteral(" (this looks like a TLS handshake: use wss://)");
        malformed(what);
        return;
    }
    if (line.size() < 8 || !isDigit(line[5]) || line[6] != '.' || !isDigit(line[7])) {
        malformed(QStringLiteral("HTTP version %1 is malformed; expected HTTP/<digit>.<digit>")
                      .arg(HttpSyntax::quoted(line.first(qMin(line.size(), qsizetype(12))))));
        return;
    }
    if (line.size() == 8 || line[8] != ' ') {
        malformed(QStringLiteral("expected a space after %1 in %2")
                      .arg(QString::fromLatin1(line.first(8)), HttpSyntax::quoted(line, 40)));
        return;
    }
    const QByteArrayView code = line.sliced(9).first(qMin(line.size() - 9, qsizetype(3)));
    if (code.size() != 3 || !std::all_of(code.begin(), code.end(), isDigit) || (line.size() > 12 && line[12] != ' ')) {
        malformed(QStringLiteral("the status code in %1 is not three digits").arg(HttpSyntax::quoted(line, 40)));
        return;
    }
    const int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    if (status < 100 || status > 599) {
        malformed(QStringLiteral("status code %1 is outside 100-599").arg(QString::fromLatin1(code)));
        return;
    }
    // "HTTP/1.1 101" without the space before an empty reason is common enough to accept.
    const QByteArrayView reason = line.size() > 13 ? line.sliced(13) : QByteArrayView();
    if (line.contains('\r')) {
        malformed(QStringLiteral("a CR that does not end the line in %1").arg(HttpSyntax::quoted(line, 60)));
        return;
    }
    if (const qsizetype bad = firstControl(reason); bad >= 0) {
        malformed(QStringLiteral("the reason phrase %1 contains the control character %2")
                      .arg(HttpSyntax::quoted(reason, 60), describeByte(reason[bad])));
        return;
    }
    m_response.httpVersion = line.first(8).toByteArray();
    m_response.statusCode = status;
    m_response.reasonPhrase = reason.toByteArray();
    m_statusLine = line.toByteArray();
    m_phase = Phase::Fields;
}

void HandshakeResponseParser::parseFieldLine(QByteArrayView line)
{
    const auto malformed = [this](const QString &what) {
        fail(ViolationRule::HandshakeMalformedHeader, lineLabel() + what);
    };
    if (line.isEmpty()) {
        endOfFields();
        return;
    }
    if (const qsizetype cr = line.indexOf('\r'); cr >= 0) {
        malformed(QStringLiteral("a CR that does not end the line in %1").arg(HttpSyntax::quoted(line, 60)));
        return;
    }
    if (line[0] == ' ' || line[0] == '\t') {
        if (!m_pendingField) {
            malformed(QStringLiteral("begins with whitespace but there is no field before it to continue: %1")
                          .arg(HttpSyntax::quoted(line, 60)));
            return;
        }
        const QByteArrayView continuation = HttpSyntax::trimmed(line);
        if (const qsizetype bad = firstControl(continuation); bad >= 0) {
            malformed(QStringLiteral("the continued value of %1 contains the control character %2")
                          .arg(HttpSyntax::quoted(m_pendingField->name), describeByte(continuation[bad])));
            return;
        }
        // RFC 9112 §5.2: a user agent replaces obs-fold with a space.
        if (!continuation.isEmpty()) {
            if (!m_pendingField->value.isEmpty())
                m_pendingField->value += ' ';
            m_pendingField->value += continuation;
        }
        m_response.obsoleteLineFolding = true;
        return;
    }
    flushPendingField();
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        malformed(QStringLiteral("no colon in the field line %1").arg(HttpSyntax::quoted(line, 60)));
        return;
    }
    const QByteArrayView name = line.first(colon);
    if (name.isEmpty()) {
        malformed(QStringLiteral("the field line %1 has no name before the colon").arg(HttpSyntax::quoted(line, 60)));
        return;
    }
    if (name.back() == ' ' || name.back() == '\t') {
        malformed(QStringLiteral("whitespace between the field name %1 and the colon")
                      .arg(HttpSyntax::quoted(HttpSyntax::trimmed(name), 60)));
        return;
    }
    for (char c : name) {
        if (!HttpSyntax::isTokenChar(c)) {
            malformed(QStringLiteral("the field name %1 contains %2, which a field name may not contain")
                          .arg(HttpSyntax::quoted(name, 60), describeByte(c)));
            return;
        }
    }
    const QByteArrayView value = HttpSyntax::trimmed(line.sliced(colon + 1));
    if (const qsizetype bad = firstControl(value); bad >= 0) {
        malformed(QStringLiteral("the value of %1 contains the control character %2")
                      .arg(HttpSyntax::quoted(name, 60), describeByte(value[bad])));
        return;
    }
    m_pendingField = HttpHeader{name.toByteArray(), value.toByteArray()};
}

void HandshakeResponseParser::flushPendingField()
{
    if (m_pendingField) {
        m_response.headers.append(m_pendingField->name, m_pendingField->value);
        m_pendingField.reset();
    }
}

void HandshakeResponseParser::endOfFields()
{
    flushPendingField();
    const int status = m_response.statusCode;
    if (status == 101) {
        complete(false);
        return;
    }
    if (status < 200) {
        m_response.interimStatusLines.append(m_statusLine);
        m_response.headers = HttpHeaders();
        m_phase = Phase::StatusLine;
        return;
    }
    chooseBodyFraming();
}

void HandshakeResponseParser::chooseBodyFraming()
{
    // RFC 9112 §6.3, in its order of precedence.
    const int status = m_response.statusCode;
    if (status == 204 || status == 304) {
        complete(false);
        return;
    }
    const HttpHeaders &headers = m_response.headers;
    if (headers.contains("Transfer-Encoding")) {
        const QList<QByteArray> codings = headers.listElements("Transfer-Encoding");
        const bool chunked = !codings.isEmpty() && HttpSyntax::equalsIgnoringCase(codings.back(), "chunked");
        m_phase = chunked ? Phase::ChunkSize : Phase::BodyUntilEnd;
        return;
    }
    if (headers.contains("Content-Length")) {
        const std::optional<quint64> length = parseContentLength(headers.listElements("Content-Length"));
        if (!length) {
            m_violations.append({ViolationRule::HandshakeMalformedHeader,
                                 QStringLiteral("Content-Length %1 is not one decimal number; the body is read "
                                                "until the connection closes")
                                     .arg(HttpSyntax::quoted(headers.combined("Content-Length"), 60))});
            m_phase = Phase::BodyUntilEnd;
            return;
        }
        m_remaining = *length;
        m_phase = Phase::BodyByLength;
        if (m_remaining == 0)
            complete(false);
        return;
    }
    m_phase = Phase::BodyUntilEnd;
}

void HandshakeResponseParser::parseChunkSize(QByteArrayView line)
{
    ++m_chunkIndex;
    const auto broken = [this](const QString &what) {
        m_violations.append({ViolationRule::HandshakeMalformedHeader,
                             QStringLiteral("chunked body: chunk %1: ").arg(m_chunkIndex) + what});
        complete(true);
    };
    // chunk-size [chunk-ext] (RFC 9112 §7.1); extensions carry nothing we show and are skipped.
    quint64 size = 0;
    qsizetype i = 0;
    for (; i < line.size() && hexValue(line[i]) >= 0; ++i) {
        if (size > (std::numeric_limits<quint64>::max() >> 8)) {
            broken(QStringLiteral("the size %1 is too large").arg(HttpSyntax::quoted(line, 40)));
            return;
        }
        size = size * 16 + quint64(hexValue(line[i]));
    }
    const QByteArrayView rest = HttpSyntax::trimmed(line.sliced(i));
    if (i == 0 || (!rest.isEmpty() && rest.front() != ';')) {
        broken(QStringLiteral("the size line %1 is not a hexadecimal size").arg(HttpSyntax::quoted(line, 40)));
        return;
    }
    if (size == 0) {
        m_phase = Phase::Trailers;
        return;
    }
    if (bodyRoom() == 0) {
        complete(true); // another chunk follows a body already at the cap
        return;
    }
    m_remaining = size;
    m_phase = Phase::ChunkData;
}

void HandshakeResponseParser::fail(ViolationRule rule, const QString &detail)
{
    flushPendingField();
    m_violations.append({rule, detail});
    m_state = State::Failed;
    m_phase = Phase::Done;
}

void HandshakeResponseParser::complete(bool truncated)
{
    m_response.bodyTruncated = m_response.bodyTruncated || truncated;
    m_state = State::Complete;
    m_phase = Phase::Done;
}

void HandshakeResponseParser::failTooLarge()
{
    fail(ViolationRule::HandshakeTooLarge,
         lineLabel() + QStringLiteral("the status line and header fields exceed the %1-byte limit without the blank "
                                      "line that ends them")
                           .arg(m_limits.maxHandshakeSize));
}

QString HandshakeResponseParser::lineLabel() const
{
    return QStringLiteral("line %1: ").arg(m_lineNumber);
}

qsizetype HandshakeResponseParser::bodyRoom() const noexcept
{
    return qMax(qsizetype(0), m_limits.maxRefusalBodySize - m_response.body.size());
}

} // namespace wsi
