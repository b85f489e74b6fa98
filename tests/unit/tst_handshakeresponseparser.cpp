// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/HandshakeResponseParser.h"

#include <QTest>

using namespace wsi;

Q_DECLARE_METATYPE(wsi::HandshakeResponseParser::State)

namespace {

using State = HandshakeResponseParser::State;

constexpr int defaultLimit = -1; // a row column value meaning "ProtocolLimits default"

ProtocolLimits limitsFor(int headerLimit, int bodyLimit)
{
    ProtocolLimits limits;
    if (headerLimit != defaultLimit)
        limits.maxHandshakeSize = headerLimit;
    if (bodyLimit != defaultLimit)
        limits.maxRefusalBodySize = bodyLimit;
    return limits;
}

// Everything observable about a finished parse, as text, so that results of different splits compare field by
// field and a mismatch shows where.
QString summarize(const HandshakeResponseParser &parser)
{
    const HandshakeResponse &r = parser.response();
    QString text;
    text += QStringLiteral("state=%1 status=%2 version=%3 reason=%4\n")
                .arg(int(parser.state()))
                .arg(r.statusCode)
                .arg(QString::fromLatin1(r.httpVersion), QString::fromLatin1(r.reasonPhrase));
    for (const HttpHeader &h : r.headers)
        text += QStringLiteral("field %1\n").arg(HttpSyntax::quoted(QByteArray(h.name + ": " + h.value), 1000));
    text += QStringLiteral("body=%1 truncated=%2\n").arg(HttpSyntax::quoted(r.body, 1000)).arg(r.bodyTruncated);
    text += QStringLiteral("raw=%1\n").arg(HttpSyntax::quoted(r.raw, 100000));
    text += QStringLiteral("leftover=%1\n").arg(HttpSyntax::quoted(parser.leftover(), 1000));
    for (const QByteArray &line : r.interimStatusLines)
        text += QStringLiteral("interim %1\n").arg(HttpSyntax::quoted(line));
    text += QStringLiteral("bareLF=%1 folding=%2\n").arg(r.bareLineFeeds).arg(r.obsoleteLineFolding);
    for (const Violation &v : parser.violations())
        text += Violations::describe(v) + u'\n';
    return text;
}

QString parsePieces(const QList<QByteArrayView> &pieces, bool endOfStream, const ProtocolLimits &limits)
{
    HandshakeResponseParser parser(limits);
    for (QByteArrayView piece : pieces)
        parser.feed(piece);
    if (endOfStream)
        parser.finishAtEndOfStream();
    return summarize(parser);
}

QByteArray repeated(QByteArrayView unit, int times)
{
    QByteArray out;
    for (int i = 0; i < times; ++i)
        out += unit;
    return out;
}

} // namespace

class tst_HandshakeResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void everySplitPointGivesTheSameResult_data() { parse_data(); }
    void everySplitPointGivesTheSameResult();
    void fieldsOf101WithDeflate();
    void leftoverFrameBytesAfter101();
    void bytesFedAfterCompletionAreLeftover();
    void forbiddenWithBody();
    void chunkedBadRequestBody();
    void interimResponsesSkipped();
    void megabyteHeaderBlockRefused_data();
    void megabyteHeaderBlockRefused();
    void bodyBeyondCapIsNotBuffered();
    void feedAfterFailureIsIgnored();
    void finishIsIdempotent();
    void resetStartsOver();
};

void tst_HandshakeResponseParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("endOfStream");
    QTest::addColumn<int>("headerLimit");
    QTest::addColumn<int>("bodyLimit");
    QTest::addColumn<State>("state");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<QByteArray>("leftover");
    QTest::addColumn<QString>("violation"); // Violations::describe() must contain this; empty: no violation

    const int d = defaultLimit;
    const QByteArray switching = test::crlf("HTTP/1.1 101 Switching Protocols\n"
                                            "Upgrade: websocket\n"
                                            "Connection: Upgrade\n"
                                            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n"
                                            "\n");
    const QByteArray frame = test::bytes({0x81, 0x05, 'H', 'e', 'l', 'l', 'o'});

    // --- complete
    QTest::newRow("101") << switching << false << d << d << State::Complete << 101 << QByteArray() << false
                         << QByteArray() << QString();
    QTest::newRow("101 with a frame in the same packet") << switching + frame << false << d << d << State::Complete
                                                         << 101 << QByteArray() << false << frame << QString();
    QTest::newRow("101 without reason phrase")
        << test::crlf("HTTP/1.1 101\nUpgrade: websocket\n\n") << false << d << d << State::Complete << 101
        << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("101 with bare LF line ends")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n") << false << d << d << State::Complete
        << 101 << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("101 with folded field")
        << test::crlf("HTTP/1.1 101 OK\nConnection: keep-alive,\n\t Upgrade\n\n") << false << d << d << State::Complete
        << 101 << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("101 after 103 Early Hints")
        << test::crlf("HTTP/1.1 103 Early Hints\nLink: </s.css>; rel=preload\n\n") + switching << false << d << d
        << State::Complete << 101 << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("101 with Content-Length has no body")
        << test::crlf("HTTP/1.1 101 X\nContent-Length: 5\n\n") + frame << false << d << d << State::Complete << 101
        << QByteArray() << false << frame << QString();
    QTest::newRow("101 exactly at the header limit")
        << switching << false << int(switching.size()) << d << State::Complete << 101 << QByteArray() << false
        << QByteArray() << QString();

    QTest::newRow("403 with Content-Length body")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Type: text/plain\nContent-Length: 9\n\nForbidden") << false << d
        << d << State::Complete << 403 << QByteArray("Forbidden") << false << QByteArray() << QString();
    QTest::newRow("403 body then more bytes")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 2\n\nnoEXTRA") << false << d << d << State::Complete
        << 403 << QByteArray("no") << false << QByteArray("EXTRA") << QString();
    QTest::newRow("repeated equal Content-Length")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 2\nContent-Length: 2\n\nno") << false << d << d
        << State::Complete << 403 << QByteArray("no") << false << QByteArray() << QString();
    QTest::newRow("400 chunked body") << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n"
                                                    "5\nHello\n7;ext=1\n, world\n0\nX-Trailer: t\n\n")
                                      << false << d << d << State::Complete << 400 << QByteArray("Hello, world")
                                      << false << QByteArray() << QString();
    QTest::newRow("chunked with upper-case hex and bare LF")
        << QByteArray("HTTP/1.1 400 Bad Request\nTransfer-Encoding: gzip, CHUNKED\n\nA\n0123456789\n0\n\n") << false
        << d << d << State::Complete << 400 << QByteArray("0123456789") << false << QByteArray() << QString();
    QTest::newRow("404 body until end of stream")
        << test::crlf("HTTP/1.1 404 Not Found\nConnection: close\n\nno such path") << true << d << d << State::Complete
        << 404 << QByteArray("no such path") << false << QByteArray() << QString();
    QTest::newRow("transfer coding other than chunked reads until end")
        << test::crlf("HTTP/1.1 500 Oops\nTransfer-Encoding: gzip\n\nxyz") << true << d << d << State::Complete << 500
        << QByteArray("xyz") << false << QByteArray() << QString();
    QTest::newRow("204 has no body") << test::crlf("HTTP/1.1 204 No Content\n\n") << false << d << d << State::Complete
                                     << 204 << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("Content-Length 0") << test::crlf("HTTP/1.1 401 Unauthorized\nContent-Length: 0\n\n") << false << d
                                      << d << State::Complete << 401 << QByteArray() << false << QByteArray()
                                      << QString();
    QTest::newRow("body capped by Content-Length")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 20\n\n0123456789") << false << d << 8 << State::Complete
        << 403 << QByteArray("01234567") << true << QByteArray("89") << QString();
    QTest::newRow("body exactly at cap is whole")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 8\n\n01234567") << false << d << 8 << State::Complete
        << 403 << QByteArray("01234567") << false << QByteArray() << QString();
    QTest::newRow("body until end capped without waiting")
        << test::crlf("HTTP/1.1 502 Bad Gateway\n\n0123456789") << false << d << 4 << State::Complete << 502
        << QByteArray("0123") << true << QByteArray("456789") << QString();
    QTest::newRow("chunked body capped inside a chunk")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n6\nabcdef\n0\n\n") << false << d << 4
        << State::Complete << 400 << QByteArray("abcd") << true << QByteArray("ef\r\n0\r\n\r\n") << QString();
    QTest::newRow("chunked body at cap, then more chunks")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n4\nabcd\n2\nef\n0\n\n") << false << d
        << 4 << State::Complete << 400 << QByteArray("abcd") << true << QByteArray("ef\r\n0\r\n\r\n") << QString();
    QTest::newRow("chunked body exactly at cap, then the last chunk")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n4\nabcd\n0\n\n") << false << d << 4
        << State::Complete << 400 << QByteArray("abcd") << false << QByteArray() << QString();
    QTest::newRow("stream ends before Content-Length")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 10\n\nabc") << true << d << d << State::Complete << 403
        << QByteArray("abc") << true << QByteArray() << QString();
    QTest::newRow("stream ends inside a chunk")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n5\nab") << true << d << d
        << State::Complete << 400 << QByteArray("ab") << true << QByteArray() << QString();
    QTest::newRow("invalid Content-Length read until end")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 12abc\n\nbody") << true << d << d << State::Complete
        << 403 << QByteArray("body") << false << QByteArray()
        << QStringLiteral("handshake-malformed-header: Content-Length \"12abc\" is not one decimal number");
    QTest::newRow("conflicting Content-Length read until end")
        << test::crlf("HTTP/1.1 403 Forbidden\nContent-Length: 1, 2\n\nbody") << true << d << d << State::Complete
        << 403 << QByteArray("body") << false << QByteArray()
        << QStringLiteral("Content-Length \"1, 2\" is not one decimal number");
    QTest::newRow("malformed chunk size")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n2\nok\nzz\nmore") << false << d << d
        << State::Complete << 400 << QByteArray("ok") << true << QByteArray("more")
        << QStringLiteral("chunked body: chunk 2: the size line \"zz\" is not a hexadecimal size");
    QTest::newRow("chunk longer than its size")
        << test::crlf("HTTP/1.1 400 Bad Request\nTransfer-Encoding: chunked\n\n2\nokay\n0\n\n") << false << d << d
        << State::Complete << 400 << QByteArray("ok") << true << test::crlf("0\n\n")
        << QStringLiteral("chunk 1 is followed by \"ay\" instead of CRLF");

    // --- need more
    QTest::newRow("headers without blank line yet")
        << test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: ") << false << d << d << State::NeedMore << 101
        << QByteArray() << false << QByteArray() << QString();
    QTest::newRow("body until end, stream still open")
        << test::crlf("HTTP/1.1 404 Not Found\n\npartial") << false << d << d << State::NeedMore << 404
        << QByteArray("partial") << false << QByteArray() << QString();

    // --- failed
    QTest::newRow("TLS instead of HTTP")
        << test::hex("16 03 01 02 00 01 00 01 fc 03 03 aa bb cc dd ee") << false << d << d << State::Failed << 0
        << QByteArray() << false << QByteArray()
        << QStringLiteral("handshake-malformed-status-line: line 1: expected a status line such as \"HTTP/1.1 101 "
                          "Switching Protocols\", got \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03\\xaa\" "
                          "(this looks like a TLS handshake: use wss://)");
    QTest::newRow("SSH banner") << QByteArray("SSH-2.0-OpenSSH_9.2p1\r\n") << false << d << d << State::Failed << 0
                                << QByteArray() << false << QByteArray() << QStringLiteral("got \"SSH-2.0-Open\"");
    QTest::newRow("short junk line") << QByteArray("hello\r\n") << false << d << d << State::Failed << 0 << QByteArray()
                                     << false << QByteArray() << QStringLiteral("got \"hello\"");
    QTest::newRow("lower-case http") << QByteArray("http/1.1 101 Switching\r\n\r\n") << false << d << d << State::Failed
                                     << 0 << QByteArray() << false << QByteArray()
                                     << QStringLiteral("line 1: expected a status line");
    QTest::newRow("version without minor")
        << QByteArray("HTTP/2 101 Switching Protocols\r\n") << false << d << d << State::Failed << 0 << QByteArray()
        << false << QByteArray() << QStringLiteral("line 1: HTTP version \"HTTP/2 101 S\" is malformed");
    QTest::newRow("no status code") << QByteArray("HTTP/1.1\r\n\r\n") << false << d << d << State::Failed << 0
                                    << QByteArray() << false << QByteArray()
                                    << QStringLiteral("line 1: expected a space after HTTP/1.1");
    QTest::newRow("status code with a letter") << QByteArray("HTTP/1.1 1O1 Switching Protocols\r\n") << false << d << d
                                               << State::Failed << 0 << QByteArray() << false << QByteArray()
                                               << QStringLiteral("line 1: the status code in \"HTTP/1.1 1O1 "
                                                                 "Switching Protocols\" is not three digits");
    QTest::newRow("four-digit status code")
        << QByteArray("HTTP/1.1 1010 Switching\r\n") << false << d << d << State::Failed << 0 << QByteArray() << false
        << QByteArray() << QStringLiteral("is not three digits");
    QTest::newRow("status code 600") << QByteArray("HTTP/1.1 600 Odd\r\n") << false << d << d << State::Failed << 0
                                     << QByteArray() << false << QByteArray()
                                     << QStringLiteral("line 1: status code 600 is outside 100-599");
    QTest::newRow("control character in reason")
        << QByteArray("HTTP/1.1 101 Switching\x01Protocols\r\n") << false << d << d << State::Failed << 0
        << QByteArray() << false << QByteArray()
        << QStringLiteral("line 1: the reason phrase \"Switching\\x01Protocols\" contains the control character 0x01");
    QTest::newRow("bare CR in status line")
        << QByteArray("HTTP/1.1 101 A\rB\r\n") << false << d << d << State::Failed << 0 << QByteArray() << false
        << QByteArray() << QStringLiteral("line 1: a CR that does not end the line");
    QTest::newRow("field without colon")
        << test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection Upgrade\n\n") << false << d << d
        << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("handshake-malformed-header: line 3: no colon in the field line \"Connection Upgrade\"");
    QTest::newRow("field without name") << test::crlf("HTTP/1.1 101 Switching Protocols\n: websocket\n\n") << false << d
                                        << d << State::Failed << 101 << QByteArray() << false << QByteArray()
                                        << QStringLiteral("line 2: the field line \": websocket\" has no name");
    QTest::newRow("space before colon") << test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade : websocket\n\n")
                                        << false << d << d << State::Failed << 101 << QByteArray() << false
                                        << QByteArray()
                                        << QStringLiteral(
                                               "line 2: whitespace between the field name \"Upgrade\" and the colon");
    QTest::newRow("bad character in field name")
        << test::crlf("HTTP/1.1 101 Switching Protocols\nSec-WebSocket(Accept): x\n\n") << false << d << d
        << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 2: the field name \"Sec-WebSocket(Accept)\" contains '('");
    QTest::newRow("NUL in field value")
        << test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: web") + QByteArray("\0socket\r\n\r\n", 11) << false
        << d << d << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 2: the value of \"Upgrade\" contains the control character 0x00");
    QTest::newRow("folded line with nothing to continue")
        << test::crlf("HTTP/1.1 101 Switching Protocols\n Upgrade: websocket\n\n") << false << d << d << State::Failed
        << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 2: begins with whitespace but there is no field before it to continue");
    QTest::newRow("bare CR in field line")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: web\rsocket\r\n\r\n") << false << d << d
        << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 2: a CR that does not end the line in \"Upgrade: web\\rsocket\"");
    QTest::newRow("closed before any byte")
        << QByteArray() << true << d << d << State::Failed << 0 << QByteArray() << false << QByteArray()
        << QStringLiteral("the connection closed before the server sent any "
                          "response");
    QTest::newRow("closed inside the status line")
        << QByteArray("HTTP/1.1 10") << true << d << d << State::Failed << 0 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 1: the connection closed inside the status line, after \"HTTP/1.1 10\"");
    QTest::newRow("closed inside the fields")
        << test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n") << true << d << d << State::Failed
        << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("line 3: the connection closed inside the header fields");
    QTest::newRow("closed after an interim response")
        << test::crlf("HTTP/1.1 100 Continue\n\n") << true << d << d << State::Failed << 100 << QByteArray() << false
        << QByteArray() << QStringLiteral("the connection closed after the interim response \"HTTP/1.1 100 Continue\"");
    // The first two lines are 54 bytes.
    QTest::newRow("limit reached exactly at a line end")
        << switching << false << 54 << d << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("handshake-too-large: line 3: the status line and header fields exceed the 54-byte limit "
                          "without the blank line that ends them");
    QTest::newRow("limit reached one byte into a line")
        << switching << false << 55 << d << State::Failed << 101 << QByteArray() << false << QByteArray()
        << QStringLiteral("handshake-too-large: line 3: the status line and header fields exceed the 55-byte limit");
    QTest::newRow("header block over the limit")
        << switching << false << int(switching.size() - 1) << d << State::Failed << 101 << QByteArray() << false
        << QByteArray()
        << QStringLiteral("handshake-too-large: line 5: the status line and header fields exceed the 128-byte limit");
}

void tst_HandshakeResponseParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, endOfStream);
    QFETCH(int, headerLimit);
    QFETCH(int, bodyLimit);
    QFETCH(State, state);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, truncated);
    QFETCH(QByteArray, leftover);
    QFETCH(QString, violation);

    HandshakeResponseParser parser(limitsFor(headerLimit, bodyLimit));
    parser.feed(input);
    if (endOfStream)
        parser.finishAtEndOfStream();
    QCOMPARE(parser.state(), state);
    QCOMPARE(parser.response().statusCode, status);
    QCOMPARE(parser.response().body, body);
    QCOMPARE(parser.response().bodyTruncated, truncated);
    QCOMPARE(test::toHex(parser.leftover()), test::toHex(leftover));
    if (violation.isEmpty()) {
        if (!parser.violations().isEmpty())
            QFAIL(qPrintable(Violations::describe(parser.violations().front())));
    } else {
        QCOMPARE(parser.violations().size(), 1);
        const QString described = Violations::describe(parser.violations().front());
        QVERIFY2(described.contains(violation), qPrintable(described));
    }
    // raw is exactly what was read from the input: a prefix of it, never more than the header limit plus body.
    QVERIFY(input.startsWith(parser.response().raw));
    if (state == State::Complete)
        QCOMPARE(parser.response().raw + leftover, input);
    QVERIFY(parser.bufferedBytes() <= input.size());
}

void tst_HandshakeResponseParser::everySplitPointGivesTheSameResult()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, endOfStream);
    QFETCH(int, headerLimit);
    QFETCH(int, bodyLimit);
    const ProtocolLimits limits = limitsFor(headerLimit, bodyLimit);
    const QString whole = parsePieces({input}, endOfStream, limits);

    for (qsizetype split = 0; split <= input.size(); ++split) {
        const QByteArrayView view(input);
        const QString pieces = parsePieces({view.first(split), view.sliced(split)}, endOfStream, limits);
        if (pieces != whole)
            QFAIL(qPrintable(QStringLiteral("split at %1 differs:\n%2\nwhole:\n%3").arg(split).arg(pieces, whole)));
    }

    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < input.size(); ++i)
        bytes.append(QByteArrayView(input).sliced(i, 1));
    QCOMPARE(parsePieces(bytes, endOfStream, limits), whole);
}

void tst_HandshakeResponseParser::fieldsOf101WithDeflate()
{
    const QByteArray response = test::crlf("HTTP/1.1 101 Switching Protocols\n"
                                           "Upgrade: websocket\n"
                                           "Connection: Upgrade\n"
                                           "Sec-WebSocket-Accept:s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  \n"
                                           "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\n"
                                           "X-Empty:\n"
                                           "Set-Cookie: a=1\n"
                                           "Set-Cookie: b=2\n"
                                           "\n");
    HandshakeResponseParser parser;
    QCOMPARE(parser.feed(response), State::Complete);
    const HandshakeResponse &r = parser.response();
    QCOMPARE(r.httpVersion, QByteArray("HTTP/1.1"));
    QCOMPARE(r.statusCode, 101);
    QCOMPARE(r.reasonPhrase, QByteArray("Switching Protocols"));
    QVERIFY(r.isSwitchingProtocols());
    QCOMPARE(r.raw, response);
    QCOMPARE(r.headers.size(), 7);
    QCOMPARE(r.headers.value("sec-websocket-accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(r.headers.value("Sec-WebSocket-Extensions"), QByteArray("permessage-deflate; client_max_window_bits=10"));
    QVERIFY(r.headers.contains("X-Empty"));
    QCOMPARE(r.headers.value("X-Empty"), QByteArray());
    QCOMPARE(r.headers.values("Set-Cookie"), (QList<QByteArray>{"a=1", "b=2"}));
    QVERIFY(!r.bareLineFeeds);
    QVERIFY(!r.obsoleteLineFolding);
    QVERIFY(r.body.isEmpty());
    QVERIFY(parser.violations().isEmpty());
}

void tst_HandshakeResponseParser::leftoverFrameBytesAfter101()
{
    // The server's first frame (a text "Hi") and the start of a second arrive with the handshake.
    const QByteArray head = test::crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n");
    const QByteArray frames = test::bytes({0x81, 0x02, 'H', 'i', 0x89, 0x00, 0x82});
    HandshakeResponseParser parser;
    QCOMPARE(parser.feed(QByteArray(head + frames)), State::Complete);
    QCOMPARE(parser.response().raw, head);
    QCOMPARE(test::toHex(parser.leftover()), test::toHex(frames));
    QCOMPARE(test::toHex(parser.takeLeftover()), test::toHex(frames));
    QVERIFY(parser.leftover().isEmpty());
}

void tst_HandshakeResponseParser::bytesFedAfterCompletionAreLeftover()
{
    HandshakeResponseParser parser;
    parser.feed(QByteArray(test::crlf("HTTP/1.1 101 Switching Protocols\n\n") + "\x81"));
    QCOMPARE(parser.feed("\x01"), State::Complete);
    QCOMPARE(parser.feed("A"), State::Complete);
    QCOMPARE(parser.leftover(), QByteArray("\x81\x01"
                                           "A"));
    QCOMPARE(parser.finishAtEndOfStream(), State::Complete);
}

void tst_HandshakeResponseParser::forbiddenWithBody()
{
    const QByteArray html = "<html><body><h1>403 Forbidden</h1>Origin not allowed</body></html>";
    const QByteArray response = test::crlf("HTTP/1.1 403 Forbidden\n"
                                           "Server: nginx\n"
                                           "Content-Type: text/html\n"
                                           "Content-Length: ") +
                                QByteArray::number(html.size()) + "\r\n\r\n" + html;
    HandshakeResponseParser parser;
    QCOMPARE(parser.feed(response), State::Complete);
    QCOMPARE(parser.response().statusCode, 403);
    QCOMPARE(parser.response().reasonPhrase, QByteArray("Forbidden"));
    QCOMPARE(parser.response().headers.value("Server"), QByteArray("nginx"));
    QCOMPARE(parser.response().body, html);
    QVERIFY(!parser.response().bodyTruncated);
    QCOMPARE(parser.response().raw, response);
}

void tst_HandshakeResponseParser::chunkedBadRequestBody()
{
    // Written out with explicit CRLFs: the second chunk is a single LF byte.
    const QByteArray response = "HTTP/1.1 400 Bad Request\r\n"
                                "Transfer-Encoding: chunked\r\n"
                                "\r\n"
                                "1a\r\n"
                                "Missing Sec-WebSocket-Key.\r\n"
                                "1\r\n"
                                "\n\r\n"
                                "0\r\n"
                                "\r\n";
    HandshakeResponseParser parser;
    QCOMPARE(parser.feed(response), State::Complete);
    QCOMPARE(parser.response().body, QByteArray("Missing Sec-WebSocket-Key.\n"));
    QVERIFY(!parser.response().bodyTruncated);
    // raw keeps the chunk framing as it came.
    QCOMPARE(parser.response().raw, response);
}

void tst_HandshakeResponseParser::interimResponsesSkipped()
{
    HandshakeResponseParser parser;
    parser.feed(test::crlf("HTTP/1.1 100 Continue\n\nHTTP/1.1 103 Early Hints\nLink: </a>\n\n"
                           "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n"));
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.response().statusCode, 101);
    QCOMPARE(parser.response().interimStatusLines,
             (QList<QByteArray>{"HTTP/1.1 100 Continue", "HTTP/1.1 103 Early Hints"}));
    // Only the final response's fields are kept.
    QCOMPARE(parser.response().headers.size(), 1);
    QVERIFY(!parser.response().headers.contains("Link"));
}

void tst_HandshakeResponseParser::megabyteHeaderBlockRefused_data()
{
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<int>("chunkSize");
    const QByteArray status = "HTTP/1.1 101 Switching Protocols\r\n";
    const QByteArray manyFields =
        status + repeated("X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 1024 * 1024 / 60);
    const QByteArray oneLongField = status + "X-Long: " + QByteArray(1024 * 1024, 'a');
    const QByteArray endlessStatusLine = "HTTP/1.1 101 " + QByteArray(1024 * 1024, 'S');
    QTest::newRow("many fields, all at once") << manyFields << int(manyFields.size());
    QTest::newRow("many fields, 4 KiB reads") << manyFields << 4096;
    QTest::newRow("one long field, 1000-byte reads") << oneLongField << 1000;
    QTest::newRow("endless status line, 64 KiB + 1 reads") << endlessStatusLine << 65537;
}

void tst_HandshakeResponseParser::megabyteHeaderBlockRefused()
{
    QFETCH(QByteArray, block);
    QFETCH(int, chunkSize);
    QVERIFY(block.size() >= 1024 * 1024);
    HandshakeResponseParser parser;
    const qsizetype limit = parser.limits().maxHandshakeSize;
    qsizetype fed = 0;
    for (qsizetype pos = 0; pos < block.size() && parser.state() == State::NeedMore; pos += chunkSize) {
        parser.feed(QByteArrayView(block).sliced(pos, qMin(qsizetype(chunkSize), block.size() - pos)));
        fed = pos + chunkSize;
        QVERIFY2(parser.bufferedBytes() <= limit,
                 qPrintable(QStringLiteral("holds %1 bytes after %2 fed").arg(parser.bufferedBytes()).arg(fed)));
    }
    QCOMPARE(parser.state(), State::Failed);
    QCOMPARE(parser.violations().size(), 1);
    QCOMPARE(Violations::id(parser.violations().front().rule), Violations::id(ViolationRule::HandshakeTooLarge));
    QVERIFY(parser.violations().front().detail.contains(QStringLiteral("65536-byte limit")));
    QCOMPARE(parser.response().raw.size(), limit);
    QVERIFY(parser.bufferedBytes() <= limit);
    // Refused as soon as the limit was reached, not after reading everything.
    QVERIFY(fed < limit + qsizetype(chunkSize) + 1);
}

void tst_HandshakeResponseParser::bodyBeyondCapIsNotBuffered()
{
    ProtocolLimits limits;
    limits.maxRefusalBodySize = 1000;
    HandshakeResponseParser parser(limits);
    parser.feed(test::crlf("HTTP/1.1 500 Internal Server Error\nContent-Length: 100000000\n\n"));
    QCOMPARE(parser.state(), State::NeedMore);
    parser.feed(QByteArray(600, 'x'));
    QCOMPARE(parser.state(), State::NeedMore);
    parser.feed(QByteArray(600, 'y'));
    QCOMPARE(parser.state(), State::Complete);
    QCOMPARE(parser.response().body.size(), 1000);
    QVERIFY(parser.response().bodyTruncated);
    QCOMPARE(parser.leftover().size(), 200);
}

void tst_HandshakeResponseParser::feedAfterFailureIsIgnored()
{
    HandshakeResponseParser parser;
    QCOMPARE(parser.feed("NOT HTTP AT ALL\r\n"), State::Failed);
    const QString before = summarize(parser);
    QCOMPARE(parser.feed("HTTP/1.1 101 Switching Protocols\r\n\r\n"), State::Failed);
    QCOMPARE(parser.finishAtEndOfStream(), State::Failed);
    QCOMPARE(summarize(parser), before);
}

void tst_HandshakeResponseParser::finishIsIdempotent()
{
    HandshakeResponseParser parser;
    parser.feed(test::crlf("HTTP/1.1 404 Not Found\n\nnope"));
    QCOMPARE(parser.finishAtEndOfStream(), State::Complete);
    const QString before = summarize(parser);
    QCOMPARE(parser.finishAtEndOfStream(), State::Complete);
    QCOMPARE(summarize(parser), before);
}

void tst_HandshakeResponseParser::resetStartsOver()
{
    ProtocolLimits limits;
    limits.maxHandshakeSize = 100;
    HandshakeResponseParser parser(limits);
    parser.feed("garbage garbage\r\n");
    QCOMPARE(parser.state(), State::Failed);
    parser.reset();
    QCOMPARE(parser.state(), State::NeedMore);
    QVERIFY(parser.violations().isEmpty());
    QCOMPARE(parser.bufferedBytes(), 0);
    QCOMPARE(parser.limits().maxHandshakeSize, 100);
    QCOMPARE(parser.feed(test::crlf("HTTP/1.1 101 Switching Protocols\n\n")), State::Complete);
}

QTEST_GUILESS_MAIN(tst_HandshakeResponseParser)
#include "tst_handshakeresponseparser.moc"
