// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HttpHeaders.h"

#include <QTest>

using namespace wsi;

class tst_HttpHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyHeaders();
    void lookupIgnoresCase();
    void repeatsStayInWireOrder();
    void combinedJoinsWithCommaSpace();
    void listElementsSpanAllLines();
    void containsToken_data();
    void containsToken();
    void removeAll();
    void toWire();
    void splitList_data();
    void splitList();
    void unquote_data();
    void unquote();
    void isToken_data();
    void isToken();
    void equalsIgnoringCaseIsAsciiOnly();
    void trimmed();
    void quotedEscapesAndCuts_data();
    void quotedEscapesAndCuts();
};

void tst_HttpHeaders::emptyHeaders()
{
    const HttpHeaders headers;
    QVERIFY(headers.isEmpty());
    QCOMPARE(headers.size(), 0);
    QVERIFY(!headers.contains("Upgrade"));
    QCOMPARE(headers.value("Upgrade"), QByteArray());
    QVERIFY(headers.values("Upgrade").isEmpty());
    QCOMPARE(headers.combined("Upgrade"), QByteArray());
    QCOMPARE(headers.toWire(), QByteArray());
}

void tst_HttpHeaders::lookupIgnoresCase()
{
    HttpHeaders headers;
    headers.append("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    QVERIFY(headers.contains("sec-websocket-accept"));
    QVERIFY(headers.contains("SEC-WEBSOCKET-ACCEPT"));
    QCOMPARE(headers.value("sec-WebSocket-ACCEPT"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(headers.count("SEC-websocket-accept"), 1);
    // The name keeps the spelling it was written with, for display.
    QCOMPARE(headers.at(0).name, QByteArray("Sec-WebSocket-Accept"));
}

void tst_HttpHeaders::repeatsStayInWireOrder()
{
    HttpHeaders headers;
    headers.append("Set-Cookie", "a=1");
    headers.append("Upgrade", "websocket");
    headers.append("set-cookie", "b=2");
    QCOMPARE(headers.size(), 3);
    QCOMPARE(headers.count("Set-Cookie"), 2);
    QCOMPARE(headers.value("Set-Cookie"), QByteArray("a=1"));
    QCOMPARE(headers.values("Set-Cookie"), (QList<QByteArray>{"a=1", "b=2"}));

    QList<QByteArray> names;
    for (const HttpHeader &h : headers)
        names.append(h.name);
    QCOMPARE(names, (QList<QByteArray>{"Set-Cookie", "Upgrade", "set-cookie"}));
    QCOMPARE(headers.at(1), (HttpHeader{"Upgrade", "websocket"}));
}

void tst_HttpHeaders::combinedJoinsWithCommaSpace()
{
    const HttpHeaders headers{{"Connection", "keep-alive"}, {"Host", "x"}, {"CONNECTION", "Upgrade"}};
    QCOMPARE(headers.combined("connection"), QByteArray("keep-alive, Upgrade"));
    QCOMPARE(headers.combined("Host"), QByteArray("x"));
}

void tst_HttpHeaders::listElementsSpanAllLines()
{
    const HttpHeaders headers{{"Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, x-foo"},
                              {"Sec-WebSocket-Extensions", " , x-bar; a=\"1,2\""}};
    QCOMPARE(headers.listElements("sec-websocket-extensions"),
             (QList<QByteArray>{"permessage-deflate; client_max_window_bits", "x-foo", "x-bar; a=\"1,2\""}));
}

void tst_HttpHeaders::containsToken_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("expected");
    QTest::newRow("exact") << QByteArray("Upgrade") << QByteArray("upgrade") << true;
    QTest::newRow("among others (Firefox)") << QByteArray("keep-alive, Upgrade") << QByteArray("upgrade") << true;
    QTest::newRow("upper case") << QByteArray("UPGRADE") << QByteArray("upgrade") << true;
    QTest::newRow("substring is not a token") << QByteArray("upgraded") << QByteArray("upgrade") << false;
    QTest::newRow("inside quotes is one element") << QByteArray("\"a, upgrade\"") << QByteArray("upgrade") << false;
    QTest::newRow("empty") << QByteArray("") << QByteArray("upgrade") << false;
}

void tst_HttpHeaders::containsToken()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, token);
    QFETCH(bool, expected);
    const HttpHeaders headers{{"Connection", value}};
    QCOMPARE(headers.containsToken("Connection", token), expected);
}

void tst_HttpHeaders::removeAll()
{
    HttpHeaders headers{{"Origin", "a"}, {"Host", "h"}, {"origin", "b"}};
    QCOMPARE(headers.removeAll("ORIGIN"), 2);
    QCOMPARE(headers.size(), 1);
    QCOMPARE(headers.at(0).name, QByteArray("Host"));
    QCOMPARE(headers.removeAll("Origin"), 0);
}

void tst_HttpHeaders::toWire()
{
    const HttpHeaders headers{{"Host", "example.com"}, {"Upgrade", "websocket"}};
    QCOMPARE(headers.toWire(), QByteArray("Host: example.com\r\nUpgrade: websocket\r\n"));
}

void tst_HttpHeaders::splitList_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QList<QByteArray>>("elements");
    QTest::newRow("one") << QByteArray("chat") << QList<QByteArray>{"chat"};
    QTest::newRow("two with spaces") << QByteArray("chat, superchat") << QList<QByteArray>{"chat", "superchat"};
    QTest::newRow("tabs and spaces trimmed") << QByteArray(" \ta ,\tb\t ") << QList<QByteArray>{"a", "b"};
    QTest::newRow("empty elements dropped (RFC 9110 5.6.1)") << QByteArray(", a, , b,,") << QList<QByteArray>{"a", "b"};
    QTest::newRow("only commas") << QByteArray(" , ,") << QList<QByteArray>{};
    QTest::newRow("empty value") << QByteArray() << QList<QByteArray>{};
    QTest::newRow("comma inside quotes") << QByteArray("x; a=\"1, 2\", y") << QList<QByteArray>{"x; a=\"1, 2\"", "y"};
    QTest::newRow("escaped quote inside quotes")
        << QByteArray("x; a=\"q\\\", r\", y") << QList<QByteArray>{"x; a=\"q\\\", r\"", "y"};
    QTest::newRow("unterminated quote runs to the end")
        << QByteArray("x; a=\"1, 2") << QList<QByteArray>{"x; a=\"1, 2"};
    QTest::newRow("parameters stay with their element")
        << QByteArray("permessage-deflate; client_max_window_bits, permessage-deflate")
        << QList<QByteArray>{"permessage-deflate; client_max_window_bits", "permessage-deflate"};
}

void tst_HttpHeaders::splitList()
{
    QFETCH(QByteArray, value);
    QFETCH(QList<QByteArray>, elements);
    QCOMPARE(HttpSyntax::splitList(value), elements);
}

void tst_HttpHeaders::unquote_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("simple") << QByteArray("\"10\"") << true << QByteArray("10");
    QTest::newRow("empty string") << QByteArray("\"\"") << true << QByteArray();
    QTest::newRow("quoted pair") << QByteArray("\"a\\\"b\\\\c\"") << true << QByteArray("a\"b\\c");
    QTest::newRow("spaces kept") << QByteArray("\" a b \"") << true << QByteArray(" a b ");
    QTest::newRow("not quoted") << QByteArray("10") << false << QByteArray();
    QTest::newRow("lone quote") << QByteArray("\"") << false << QByteArray();
    QTest::newRow("missing closing quote") << QByteArray("\"10") << false << QByteArray();
    QTest::newRow("escaped closing quote") << QByteArray("\"10\\\"") << false << QByteArray();
    QTest::newRow("quote in the middle") << QByteArray("\"a\"b\"") << false << QByteArray();
    QTest::newRow("control character") << QByteArray("\"a\x01\"") << false << QByteArray();
}

void tst_HttpHeaders::unquote()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, content);
    const std::optional<QByteArray> result = HttpSyntax::unquote(text);
    QCOMPARE(result.has_value(), valid);
    if (valid)
        QCOMPARE(*result, content);
}

void tst_HttpHeaders::isToken_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("expected");
    QTest::newRow("word") << QByteArray("websocket") << true;
    QTest::newRow("all tchar symbols") << QByteArray("!#$%&'*+-.^_`|~09AZaz") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("comma") << QByteArray("a,b") << false;
    QTest::newRow("quote") << QByteArray("\"a\"") << false;
    QTest::newRow("colon") << QByteArray("a:b") << false;
    QTest::newRow("non-ASCII") << QByteArray("ch\xc3\xa4t") << false;
}

void tst_HttpHeaders::isToken()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, expected);
    QCOMPARE(HttpSyntax::isToken(text), expected);
}

void tst_HttpHeaders::equalsIgnoringCaseIsAsciiOnly()
{
    QVERIFY(HttpSyntax::equalsIgnoringCase("WebSocket", "websocket"));
    QVERIFY(!HttpSyntax::equalsIgnoringCase("websocket", "websockets"));
    // Latin-1 letters are not folded: header names are ASCII tokens.
    QVERIFY(!HttpSyntax::equalsIgnoringCase("\xc4", "\xe4"));
}

void tst_HttpHeaders::trimmed()
{
    QCOMPARE(HttpSyntax::trimmed(" \t a b \t "), QByteArrayView("a b"));
    QCOMPARE(HttpSyntax::trimmed("   "), QByteArrayView(""));
    // Only OWS (space and tab) is trimmed, never CR or LF.
    QCOMPARE(HttpSyntax::trimmed("\ra\n"), QByteArrayView("\ra\n"));
}

void tst_HttpHeaders::quotedEscapesAndCuts_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QByteArray("abc") << 80 << QStringLiteral("\"abc\"");
    QTest::newRow("line ends and tab") << QByteArray("a\r\n\tb") << 80 << QStringLiteral("\"a\\r\\n\\tb\"");
    QTest::newRow("quote and backslash") << QByteArray("a\"\\") << 80 << QStringLiteral("\"a\\\"\\\\\"");
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\xff", 4) << 80 << QStringLiteral("\"\\x16\\x03\\x01\\xff\"");
    QTest::newRow("cut") << QByteArray("abcdef") << 3 << QStringLiteral("\"abc\"...");
}

void tst_HttpHeaders::quotedEscapesAndCuts()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxLength);
    QFETCH(QString, expected);
    QCOMPARE(HttpSyntax::quoted(bytes, maxLength), expected);
}

QTEST_GUILESS_MAIN(tst_HttpHeaders)
#include "tst_httpheaders.moc"
