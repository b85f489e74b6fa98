// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/HandshakeRequest.h"

#include <QTest>

using namespace wsi;

namespace {

constexpr QByteArrayView rfcKey{"dGhlIHNhbXBsZSBub25jZQ=="};

HandshakeRequestOptions optionsFor(const char *url)
{
    HandshakeRequestOptions options;
    options.url = QUrl(QString::fromUtf8(url));
    options.key = rfcKey.toByteArray();
    return options;
}

HandshakeRequest build(const HandshakeRequestOptions &options)
{
    QString error;
    std::optional<HandshakeRequest> request = buildHandshakeRequest(options, &error);
    if (!request)
        qFatal("buildHandshakeRequest failed: %s", qPrintable(error));
    return *request;
}

} // namespace

class tst_HandshakeRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcAcceptExample();
    void randomKeyIs16BytesBase64AndFresh();
    void fixedKeyIsUsed();
    void defaultRequestBytes();
    void rfcOpeningHandshake();
    void bytesMatchHeaders();
    void hostAndTarget_data();
    void hostAndTarget();
    void invalidUrl_data();
    void invalidUrl();
    void subprotocolsInOneField();
    void invalidSubprotocol_data();
    void invalidSubprotocol();
    void originOnlyWhenGiven();
    void cookiesInOneField();
    void invalidCookie_data();
    void invalidCookie();
    void noDeflateOffer();
    void customDeflateOffer();
    void invalidDeflateOffer();
    void extraHeadersFollowInOrder();
    void userFieldReplacesGenerated_data();
    void userFieldReplacesGenerated();
    void userProtocolAndExtensionsAreWhatIsOffered();
    void userKeyBecomesTheKey();
    void userCookieMergedWithCookies();
    void invalidExtraHeader_data();
    void invalidExtraHeader();
};

// RFC 6455 §1.3 and §4.2.2.
void tst_HandshakeRequest::rfcAcceptExample()
{
    QCOMPARE(HandshakeRequest::computeAccept(rfcKey), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_HandshakeRequest::randomKeyIs16BytesBase64AndFresh()
{
    HandshakeRequestOptions options;
    options.url = QUrl(QStringLiteral("ws://example.com/"));
    const HandshakeRequest first = build(options);
    const HandshakeRequest second = build(options);
    for (const HandshakeRequest &request : {first, second}) {
        QCOMPARE(request.key.size(), 24);
        const auto decoded = QByteArray::fromBase64Encoding(request.key, QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(decoded);
        QCOMPARE(decoded.decoded.size(), 16);
        QCOMPARE(request.headers.value("Sec-WebSocket-Key"), request.key);
        QCOMPARE(request.expectedAccept, HandshakeRequest::computeAccept(request.key));
    }
    QVERIFY(first.key != second.key);
    QVERIFY(HandshakeRequest::generateKey() != HandshakeRequest::generateKey());
}

void tst_HandshakeRequest::fixedKeyIsUsed()
{
    const HandshakeRequest request = build(optionsFor("ws://example.com/"));
    QCOMPARE(request.key, rfcKey.toByteArray());
    QCOMPARE(request.expectedAccept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_HandshakeRequest::defaultRequestBytes()
{
    const HandshakeRequest request = build(optionsFor("ws://example.com/chat"));
    QCOMPARE(request.bytes, test::crlf("GET /chat HTTP/1.1\n"
                                       "Host: example.com\n"
                                       "Upgrade: websocket\n"
                                       "Connection: Upgrade\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n"
                                       "Sec-WebSocket-Version: 13\n"
                                       "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\n"
                                       "\n"));
    QCOMPARE(request.requestTarget, QByteArray("/chat"));
    QVERIFY(request.deflateOffer);
    QCOMPARE(*request.deflateOffer, DeflateOffer{});
    QCOMPARE(request.offeredExtensions, QList<QByteArray>{"permessage-deflate"});
    QVERIFY(request.offeredSubprotocols.isEmpty());
}

// The example of RFC 6455 §1.2/§1.3, field for field.
void tst_HandshakeRequest::rfcOpeningHandshake()
{
    HandshakeRequestOptions options = optionsFor("ws://server.example.com/chat");
    options.origin = QStringLiteral("http://example.com");
    options.subprotocols = {QStringLiteral("chat"), QStringLiteral("superchat")};
    options.deflate.reset();
    const HandshakeRequest request = build(options);
    QCOMPARE(request.bytes, test::crlf("GET /chat HTTP/1.1\n"
                                       "Host: server.example.com\n"
                                       "Upgrade: websocket\n"
                                       "Connection: Upgrade\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n"
                                       "Sec-WebSocket-Version: 13\n"
                                       "Origin: http://example.com\n"
                                       "Sec-WebSocket-Protocol: chat, superchat\n"
                                       "\n"));
    QCOMPARE(request.expectedAccept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(request.offeredSubprotocols, (QStringList{QStringLiteral("chat"), QStringLiteral("superchat")}));
}

void tst_HandshakeRequest::bytesMatchHeaders()
{
    HandshakeRequestOptions options = optionsFor("wss://example.com:8443/a?b=c");
    options.extraHeaders.append("X-Trace", "1");
    const HandshakeRequest request = build(options);
    QCOMPARE(request.bytes, "GET /a?b=c HTTP/1.1\r\n" + request.headers.toWire() + "\r\n");
}

void tst_HandshakeRequest::hostAndTarget_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("no path") << QStringLiteral("ws://example.com") << QByteArray("example.com") << QByteArray("/");
    QTest::newRow("default ws port omitted")
        << QStringLiteral("ws://example.com:80/") << QByteArray("example.com") << QByteArray("/");
    QTest::newRow("default wss port omitted")
        << QStringLiteral("wss://example.com:443/s") << QByteArray("example.com") << QByteArray("/s");
    QTest::newRow("other port kept") << QStringLiteral("ws://example.com:8080/a") << QByteArray("example.com:8080")
                                     << QByteArray("/a");
    QTest::newRow("port 80 on wss kept") << QStringLiteral("wss://example.com:80/") << QByteArray("example.com:80")
                                         << QByteArray("/");
    QTest::newRow("IPv6 literal in brackets")
        << QStringLiteral("ws://[::1]/") << QByteArray("[::1]") << QByteArray("/");
    QTest::newRow("IPv6 literal with port and query")
        << QStringLiteral("ws://[2001:db8::7]:9000/x?y=1") << QByteArray("[2001:db8::7]:9000") << QByteArray("/x?y=1");
    QTest::newRow("IPv4 literal") << QStringLiteral("ws://127.0.0.1:9001") << QByteArray("127.0.0.1:9001")
                                  << QByteArray("/");
    QTest::newRow("host lower-cased") << QStringLiteral("ws://EXAMPLE.com/") << QByteArray("example.com")
                                      << QByteArray("/");
    QTest::newRow("upper-case scheme") << QStringLiteral("WSS://example.com/") << QByteArray("example.com")
                                       << QByteArray("/");
    QTest::newRow("internationalised name as punycode")
        << QStringLiteral("ws://b\u00fccher.example/") << QByteArray("xn--bcher-kva.example") << QByteArray("/");
    QTest::newRow("query kept encoded") << QStringLiteral("ws://h/p?a=1&b=%20c") << QByteArray("h")
                                        << QByteArray("/p?a=1&b=%20c");
    QTest::newRow("space in path encoded") << QStringLiteral("ws://h/a b") << QByteArray("h") << QByteArray("/a%20b");
    QTest::newRow("fragment not sent (RFC 6455 3)")
        << QStringLiteral("ws://h/p?q#frag") << QByteArray("h") << QByteArray("/p?q");
    QTest::newRow("empty query kept") << QStringLiteral("ws://h/?") << QByteArray("h") << QByteArray("/?");
    QTest::newRow("query without path") << QStringLiteral("ws://h?x=1") << QByteArray("h") << QByteArray("/?x=1");
}

void tst_HandshakeRequest::hostAndTarget()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, target);
    HandshakeRequestOptions options;
    options.url = QUrl(url);
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.value("Host"), host);
    QCOMPARE(request.headers.count("Host"), 1);
    QCOMPARE(request.requestTarget, target);
    QVERIFY(request.bytes.startsWith(QByteArray("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n")));
}

void tst_HandshakeRequest::invalidUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("error");
    QTest::newRow("http scheme") << QUrl(QStringLiteral("http://example.com/"))
                                 << QStringLiteral("The URL scheme is \"http\"; a WebSocket URL starts with ws:// or "
                                                   "wss://");
    QTest::newRow("https scheme") << QUrl(QStringLiteral("https://example.com/"))
                                  << QStringLiteral("The URL scheme is \"https\"");
    QTest::newRow("no scheme") << QUrl(QStringLiteral("example.com/chat")) << QStringLiteral("The URL has no scheme");
    QTest::newRow("empty") << QUrl() << QStringLiteral("No URL was given");
    QTest::newRow("no host") << QUrl(QStringLiteral("ws:///chat")) << QStringLiteral("has no host");
    QTest::newRow("invalid") << QUrl(QStringLiteral("ws://exa mple.com/")) << QStringLiteral("The URL is not valid");
}

void tst_HandshakeRequest::invalidUrl()
{
    QFETCH(QUrl, url);
    QFETCH(QString, error);
    HandshakeRequestOptions options;
    options.url = url;
    QString actual;
    QVERIFY(!buildHandshakeRequest(options, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
    QVERIFY(!buildHandshakeRequest(options)); // no error string wanted
}

void tst_HandshakeRequest::subprotocolsInOneField()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.subprotocols = {QStringLiteral("v2.json"), QStringLiteral("v1.json"), QStringLiteral("mqtt")};
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.count("Sec-WebSocket-Protocol"), 1);
    QCOMPARE(request.headers.value("Sec-WebSocket-Protocol"), QByteArray("v2.json, v1.json, mqtt"));
    QCOMPARE(request.offeredSubprotocols, options.subprotocols);
}

void tst_HandshakeRequest::invalidSubprotocol_data()
{
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QString>("error");
    QTest::newRow("space") << QStringList{QStringLiteral("a b")} << QStringLiteral("\"a b\" is not a token");
    QTest::newRow("comma") << QStringList{QStringLiteral("a,b")} << QStringLiteral("\"a,b\" is not a token");
    QTest::newRow("empty") << QStringList{QString()} << QStringLiteral("\"\" is not a token");
    QTest::newRow("non-ASCII") << QStringList{QStringLiteral("ch\u00e4t")} << QStringLiteral("is not a token");
    QTest::newRow("twice") << QStringList{QStringLiteral("chat"), QStringLiteral("chat")}
                           << QStringLiteral("\"chat\" is listed twice");
}

void tst_HandshakeRequest::invalidSubprotocol()
{
    QFETCH(QStringList, subprotocols);
    QFETCH(QString, error);
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.subprotocols = subprotocols;
    QString actual;
    QVERIFY(!buildHandshakeRequest(options, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
}

void tst_HandshakeRequest::originOnlyWhenGiven()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    QVERIFY(!build(options).headers.contains("Origin"));
    options.origin = QStringLiteral("https://app.example");
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.values("Origin"), QList<QByteArray>{"https://app.example"});
}

void tst_HandshakeRequest::cookiesInOneField()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.cookies = {{"session", "abc123"}, {"theme", "dark"}};
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.values("Cookie"), QList<QByteArray>{"session=abc123; theme=dark"});
}

void tst_HandshakeRequest::invalidCookie_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("name with space") << QByteArray("a b") << QByteArray("1")
                                     << QStringLiteral("cookie name \"a b\" is not a token");
    QTest::newRow("empty name") << QByteArray() << QByteArray("1") << QStringLiteral("is not a token");
    QTest::newRow("semicolon in value") << QByteArray("a") << QByteArray("1; b=2")
                                        << QStringLiteral("value of cookie a contains a semicolon");
    QTest::newRow("CRLF in value") << QByteArray("a") << QByteArray("1\r\nX-Injected: 1")
                                   << QStringLiteral("value of cookie a contains");
}

void tst_HandshakeRequest::invalidCookie()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QString, error);
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.cookies = {{name, value}};
    QString actual;
    QVERIFY(!buildHandshakeRequest(options, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
}

void tst_HandshakeRequest::noDeflateOffer()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.deflate.reset();
    const HandshakeRequest request = build(options);
    QVERIFY(!request.headers.contains("Sec-WebSocket-Extensions"));
    QVERIFY(!request.deflateOffer);
    QVERIFY(request.offeredExtensions.isEmpty());
}

void tst_HandshakeRequest::customDeflateOffer()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    DeflateOffer offer;
    offer.serverNoContextTakeover = true;
    offer.serverMaxWindowBits = 10;
    offer.clientMaxWindowBits = false;
    options.deflate = offer;
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.value("Sec-WebSocket-Extensions"),
             QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=10"));
    QCOMPARE(request.deflateOffer, std::optional<DeflateOffer>(offer));
}

void tst_HandshakeRequest::invalidDeflateOffer()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    DeflateOffer offer;
    offer.serverMaxWindowBits = 7;
    options.deflate = offer;
    QString error;
    QVERIFY(!buildHandshakeRequest(options, &error));
    QCOMPARE(error,
             QStringLiteral("The permessage-deflate offer is invalid: server_max_window_bits=7 is outside 8-15."));
}

void tst_HandshakeRequest::extraHeadersFollowInOrder()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.deflate.reset();
    options.extraHeaders.append("X-B", "2");
    options.extraHeaders.append("Authorization", "Bearer t");
    options.extraHeaders.append("X-B", "3");
    const HandshakeRequest request = build(options);
    QCOMPARE(request.bytes, test::crlf("GET / HTTP/1.1\n"
                                       "Host: h\n"
                                       "Upgrade: websocket\n"
                                       "Connection: Upgrade\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n"
                                       "Sec-WebSocket-Version: 13\n"
                                       "X-B: 2\n"
                                       "Authorization: Bearer t\n"
                                       "X-B: 3\n"
                                       "\n"));
}

void tst_HandshakeRequest::userFieldReplacesGenerated_data()
{
    QTest::addColumn<HttpHeaders>("extra");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("Host") << HttpHeaders{{"host", "virtual.example"}} << QByteArray("Host")
                          << QByteArray("virtual.example");
    QTest::newRow("Origin overrides options.origin") << HttpHeaders{{"Origin", "https://user.example"}}
                                                     << QByteArray("Origin") << QByteArray("https://user.example");
    QTest::newRow("Connection as Firefox sends it") << HttpHeaders{{"Connection", "keep-alive, Upgrade"}}
                                                    << QByteArray("Connection") << QByteArray("keep-alive, Upgrade");
    QTest::newRow("Upgrade repeated lines joined") << HttpHeaders{{"Upgrade", "websocket"}, {"UPGRADE", "h2c"}}
                                                   << QByteArray("Upgrade") << QByteArray("websocket, h2c");
    QTest::newRow("Sec-WebSocket-Version")
        << HttpHeaders{{"Sec-WebSocket-Version", "8"}} << QByteArray("Sec-WebSocket-Version") << QByteArray("8");
    QTest::newRow("Sec-WebSocket-Protocol overrides subprotocols")
        << HttpHeaders{{"Sec-WebSocket-Protocol", "graphql-ws"}} << QByteArray("Sec-WebSocket-Protocol")
        << QByteArray("graphql-ws");
    QTest::newRow("Sec-WebSocket-Extensions overrides the offer")
        << HttpHeaders{{"Sec-WebSocket-Extensions", "permessage-deflate"}} << QByteArray("Sec-WebSocket-Extensions")
        << QByteArray("permessage-deflate");
}

void tst_HandshakeRequest::userFieldReplacesGenerated()
{
    QFETCH(HttpHeaders, extra);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, expected);
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.origin = QStringLiteral("https://options.example");
    options.subprotocols = {QStringLiteral("chat")};
    options.extraHeaders = extra;
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.values(name), QList<QByteArray>{expected});
    // No generated field is ever sent twice, and the generated order is kept.
    const QList<QByteArray> order{"Host",
                                  "Upgrade",
                                  "Connection",
                                  "Sec-WebSocket-Key",
                                  "Sec-WebSocket-Version",
                                  "Origin",
                                  "Sec-WebSocket-Protocol",
                                  "Sec-WebSocket-Extensions"};
    QCOMPARE(request.headers.size(), order.size());
    for (qsizetype i = 0; i < order.size(); ++i)
        QVERIFY(HttpSyntax::equalsIgnoringCase(request.headers.at(i).name, order[i]));
}

void tst_HandshakeRequest::userProtocolAndExtensionsAreWhatIsOffered()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.subprotocols = {QStringLiteral("ignored")};
    options.extraHeaders = {{"Sec-WebSocket-Protocol", "a, b"},
                            {"Sec-WebSocket-Extensions", "x-webkit-deflate-frame"},
                            {"Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10"}};
    const HandshakeRequest request = build(options);
    QCOMPARE(request.offeredSubprotocols, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(request.headers.values("Sec-WebSocket-Extensions"),
             QList<QByteArray>{"x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=10"});
    QCOMPARE(request.offeredExtensions, (QList<QByteArray>{"x-webkit-deflate-frame", "permessage-deflate"}));
    DeflateOffer expected;
    expected.serverMaxWindowBits = 10;
    expected.clientMaxWindowBits = false;
    QCOMPARE(request.deflateOffer, std::optional<DeflateOffer>(expected));
}

void tst_HandshakeRequest::userKeyBecomesTheKey()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.extraHeaders = {{"Sec-WebSocket-Key", "x3JJHMbDL1EzLkh9GBhXDw=="}};
    const HandshakeRequest request = build(options);
    QCOMPARE(request.key, QByteArray("x3JJHMbDL1EzLkh9GBhXDw=="));
    QCOMPARE(request.headers.values("Sec-WebSocket-Key"), QList<QByteArray>{"x3JJHMbDL1EzLkh9GBhXDw=="});
    QCOMPARE(request.expectedAccept, QByteArray("HSmrc0sMlYUkAGmm5OPpG2HaGWk="));
}

void tst_HandshakeRequest::userCookieMergedWithCookies()
{
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.cookies = {{"b", "2"}};
    options.extraHeaders = {{"Cookie", "a=1"}, {"X-Other", "x"}, {"cookie", "c=3"}};
    const HandshakeRequest request = build(options);
    QCOMPARE(request.headers.count("Cookie"), 1);
    QCOMPARE(request.headers.value("Cookie"), QByteArray("a=1; c=3; b=2"));
}

void tst_HandshakeRequest::invalidExtraHeader_data()
{
    QTest::addColumn<HttpHeaders>("extra");
    QTest::addColumn<QString>("error");
    QTest::newRow("Host twice") << HttpHeaders{{"Host", "a"}, {"host", "b"}}
                                << QStringLiteral("The header host is given twice; it may appear only once.");
    QTest::newRow("Sec-WebSocket-Key twice")
        << HttpHeaders{{"Sec-WebSocket-Key", "a"}, {"Sec-WebSocket-Key", "b"}} << QStringLiteral("is given twice");
    QTest::newRow("name with space") << HttpHeaders{{"X Bad", "1"}}
                                     << QStringLiteral("The header name \"X Bad\" is not a token.");
    QTest::newRow("empty name") << HttpHeaders{{"", "1"}} << QStringLiteral("The header name \"\" is not a token.");
    QTest::newRow("CRLF in value (field injection)")
        << HttpHeaders{{"X-A", "1\r\nHost: evil"}} << QStringLiteral("The value of header X-A contains CR, LF or NUL.");
    QTest::newRow("NUL in value") << HttpHeaders{{"X-A", QByteArray("1\0", 2)}}
                                  << QStringLiteral("contains CR, LF or NUL");
}

void tst_HandshakeRequest::invalidExtraHeader()
{
    QFETCH(HttpHeaders, extra);
    QFETCH(QString, error);
    HandshakeRequestOptions options = optionsFor("ws://h/");
    options.extraHeaders = extra;
    QString actual;
    QVERIFY(!buildHandshakeRequest(options, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
}

QTEST_GUILESS_MAIN(tst_HandshakeRequest)
#include "tst_handshakerequest.moc"
