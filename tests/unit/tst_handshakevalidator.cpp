// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireBytes.h"
#include "core/protocol/HandshakeResponseParser.h"
#include "core/protocol/HandshakeValidator.h"

#include <QCryptographicHash>
#include <QTest>

using namespace wsi;

namespace {

constexpr QByteArrayView rfcKey{"dGhlIHNhbXBsZSBub25jZQ=="};
constexpr QByteArrayView rfcAccept{"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="};

// The client side of every row: RFC 6455 §1.3's key, two subprotocols, and optionally the browsers' deflate offer.
HandshakeRequest request(bool offerDeflate = true,
                         const QStringList &subprotocols = {QStringLiteral("chat"), QStringLiteral("superchat")})
{
    HandshakeRequestOptions options;
    options.url = QUrl(QStringLiteral("ws://server.example.com/chat"));
    options.key = rfcKey.toByteArray();
    options.subprotocols = subprotocols;
    if (!offerDeflate)
        options.deflate.reset();
    return *buildHandshakeRequest(options);
}

HandshakeResponse parse(const QByteArray &text)
{
    HandshakeResponseParser parser;
    parser.feed(test::crlf(text));
    parser.finishAtEndOfStream();
    if (parser.state() != HandshakeResponseParser::State::Complete)
        qFatal("test response does not parse: %s", qPrintable(Violations::describe(parser.violations().front())));
    return parser.response();
}

// A correct 101 for request() plus extra field lines ("Name: value\n" each).
QByteArray switching(const QByteArray &extraFields = {})
{
    return "HTTP/1.1 101 Switching Protocols\n"
           "Upgrade: websocket\n"
           "Connection: Upgrade\n"
           "Sec-WebSocket-Accept: " +
           rfcAccept.toByteArray() + "\n" + extraFields + "\n";
}

QString rulesOf(const HandshakeOutcome &outcome)
{
    QStringList ids;
    for (const Violation &v : outcome.violations)
        ids.append(Violations::id(v.rule));
    return ids.join(u',');
}

} // namespace

Q_DECLARE_METATYPE(wsi::ViolationRule)

class tst_HandshakeValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void violation_data();
    void violation();
    void refusalExplanations_data();
    void refusalExplanations();
    void acceptMismatchExplanation_data();
    void acceptMismatchExplanation();
    void everyProblemIsReported();
    void acceptedExplanationNamesWhatWasAgreed();
    void expectationWithoutRequest();
    void userOfferedExtensionIsAccepted();
    void unreadableUserDeflateOfferStillYieldsParameters();
    void responseWithoutStatusLine();
};

void tst_HandshakeValidator::accepted_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("subprotocol");
    QTest::addColumn<bool>("deflate");
    QTest::newRow("RFC 6455 example without options") << switching() << QString() << false;
    QTest::newRow("RFC 6455 example with subprotocol")
        << switching("Sec-WebSocket-Protocol: chat\n") << QStringLiteral("chat") << false;
    QTest::newRow("deflate accepted") << switching("Sec-WebSocket-Extensions: permessage-deflate\n") << QString()
                                      << true;
    QTest::newRow("header names and tokens in any case")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nupgrade: WebSocket\nCONNECTION: keep-alive, UPGRADE\n"
                      "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << QString() << false;
    QTest::newRow("Upgrade listing websocket among others")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket, x-other\nConnection: Upgrade\n"
                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << QString() << false;
    QTest::newRow("everything") << switching(
                                       "Sec-WebSocket-Protocol: superchat\n"
                                       "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                                       "client_max_window_bits=12\n")
                                << QStringLiteral("superchat") << true;
    QTest::newRow("empty extension list elements ignored")
        << switching("Sec-WebSocket-Extensions: , \n") << QString() << false;
}

void tst_HandshakeValidator::accepted()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, subprotocol);
    QFETCH(bool, deflate);
    const HandshakeOutcome outcome = HandshakeValidator::validate(parse(response), request());
    QVERIFY2(outcome.accepted, qPrintable(outcome.explanation));
    QVERIFY(outcome.violations.isEmpty());
    QCOMPARE(outcome.negotiatedSubprotocol, subprotocol);
    QCOMPARE(outcome.deflate.has_value(), deflate);
    QCOMPARE(outcome.negotiatedExtensions.size(), deflate ? 1 : 0);
    QVERIFY(outcome.explanation.startsWith(QStringLiteral("The server accepted the WebSocket upgrade")));
}

// One row per check; each response breaks exactly one rule.
void tst_HandshakeValidator::violation_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("offerDeflate");
    QTest::addColumn<ViolationRule>("rule");
    QTest::addColumn<QString>("detail");

    QTest::newRow("status 403") << QByteArray("HTTP/1.1 403 Forbidden\nContent-Length: 0\n\n") << true
                                << ViolationRule::HandshakeStatusNot101
                                << QStringLiteral("status line \"HTTP/1.1 403 Forbidden\": status 403 Forbidden, "
                                                  "expected 101 Switching Protocols");
    QTest::newRow("status 200") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi") << true
                                << ViolationRule::HandshakeStatusNot101 << QStringLiteral("status 200 OK");

    QTest::newRow("Upgrade missing") << QByteArray("HTTP/1.1 101 Switching Protocols\nConnection: Upgrade\n"
                                                   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
                                     << true << ViolationRule::HandshakeUpgradeHeaderInvalid
                                     << QStringLiteral("Upgrade header is missing; expected \"websocket\"");
    QTest::newRow("Upgrade not websocket")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: h2c\nConnection: Upgrade\n"
                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << true << ViolationRule::HandshakeUpgradeHeaderInvalid
        << QStringLiteral("Upgrade is \"h2c\"; expected \"websocket\"");
    QTest::newRow("Upgrade websockets (plural)")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websockets\nConnection: Upgrade\n"
                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << true << ViolationRule::HandshakeUpgradeHeaderInvalid << QStringLiteral("Upgrade is \"websockets\"");

    QTest::newRow("Connection missing")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n"
                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << true << ViolationRule::HandshakeConnectionHeaderInvalid
        << QStringLiteral("Connection header is missing; expected it to contain the token \"Upgrade\"");
    QTest::newRow("Connection without upgrade")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: keep-alive\n"
                      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << true << ViolationRule::HandshakeConnectionHeaderInvalid
        << QStringLiteral("Connection is \"keep-alive\"; it does not contain the token \"Upgrade\"");

    QTest::newRow("Sec-WebSocket-Accept missing")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n") << true
        << ViolationRule::HandshakeAcceptMismatch
        << QStringLiteral("Sec-WebSocket-Accept is missing; expected \"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\" for "
                          "Sec-WebSocket-Key \"dGhlIHNhbXBsZSBub25jZQ==\"");
    QTest::newRow("Sec-WebSocket-Accept wrong")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n"
                      "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n")
        << true << ViolationRule::HandshakeAcceptMismatch
        << QStringLiteral("Sec-WebSocket-Accept is \"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\" but should be "
                          "\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\" for Sec-WebSocket-Key \"dGhlIHNhbXBsZSBub25jZQ==\"");
    QTest::newRow("Sec-WebSocket-Accept repeated")
        << QByteArray(switching().chopped(1) + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n") << true
        << ViolationRule::HandshakeAcceptMismatch
        << QStringLiteral("Sec-WebSocket-Accept appears 2 times (\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\", "
                          "\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\"); it must appear once");
    QTest::newRow("Sec-WebSocket-Accept case differs")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n"
                      "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=\n\n")
        << true << ViolationRule::HandshakeAcceptMismatch << QStringLiteral("but should be");

    QTest::newRow("extension not offered")
        << switching("Sec-WebSocket-Extensions: x-webkit-deflate-frame\n") << true
        << ViolationRule::HandshakeUnofferedExtension
        << QStringLiteral("Sec-WebSocket-Extensions contains \"x-webkit-deflate-frame\", which the client did not "
                          "offer (offered: \"permessage-deflate\")");
    QTest::newRow("permessage-deflate not offered")
        << switching("Sec-WebSocket-Extensions: permessage-deflate\n") << false
        << ViolationRule::HandshakeUnofferedExtension
        << QStringLiteral("contains \"permessage-deflate\", which the client did not offer (offered: none)");
    QTest::newRow("permessage-deflate accepted twice")
        << switching("Sec-WebSocket-Extensions: permessage-deflate\nSec-WebSocket-Extensions: permessage-deflate\n")
        << true << ViolationRule::HandshakeUnofferedExtension
        << QStringLiteral("Sec-WebSocket-Extensions accepts \"permessage-deflate\" more than once "
                          "(\"permessage-deflate, permessage-deflate\")");
    QTest::newRow("extension name case differs")
        << switching("Sec-WebSocket-Extensions: Permessage-Deflate\n") << true
        << ViolationRule::HandshakeUnofferedExtension << QStringLiteral("contains \"Permessage-Deflate\"");

    QTest::newRow("deflate unknown parameter")
        << switching("Sec-WebSocket-Extensions: permessage-deflate; max_window=10\n") << true
        << ViolationRule::HandshakeBadExtensionParameters
        << QStringLiteral("Sec-WebSocket-Extensions element \"permessage-deflate; max_window=10\": unknown parameter "
                          "\"max_window\"");
    QTest::newRow("deflate window out of range")
        << switching("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\n") << true
        << ViolationRule::HandshakeBadExtensionParameters
        << QStringLiteral("server_max_window_bits=\"16\" is outside 8-15");
    QTest::newRow("deflate duplicate parameter")
        << switching("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9; "
                     "client_max_window_bits=9\n")
        << true << ViolationRule::HandshakeBadExtensionParameters
        << QStringLiteral("parameter client_max_window_bits appears more than once");

    QTest::newRow("subprotocol not offered")
        << switching("Sec-WebSocket-Protocol: mqtt\n") << true << ViolationRule::HandshakeUnofferedSubprotocol
        << QStringLiteral("Sec-WebSocket-Protocol is \"mqtt\", which the client "
                          "did not offer (offered: \"chat\", \"superchat\")");
    QTest::newRow("subprotocol case differs")
        << switching("Sec-WebSocket-Protocol: Chat\n") << true << ViolationRule::HandshakeUnofferedSubprotocol
        << QStringLiteral("Sec-WebSocket-Protocol is \"Chat\"");
    QTest::newRow("two subprotocols in one field")
        << switching("Sec-WebSocket-Protocol: chat, superchat\n") << true
        << ViolationRule::HandshakeUnofferedSubprotocol
        << QStringLiteral("Sec-WebSocket-Protocol selects 2 subprotocols (\"chat, superchat\"); a server selects at "
                          "most one");
    QTest::newRow("subprotocol field repeated")
        << switching("Sec-WebSocket-Protocol: chat\nSec-WebSocket-Protocol: chat\n") << true
        << ViolationRule::HandshakeUnofferedSubprotocol << QStringLiteral("selects 2 subprotocols");
    QTest::newRow("empty subprotocol field")
        << switching("Sec-WebSocket-Protocol:\n") << true << ViolationRule::HandshakeUnofferedSubprotocol
        << QStringLiteral("Sec-WebSocket-Protocol is present but empty");
}

void tst_HandshakeValidator::violation()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, offerDeflate);
    QFETCH(ViolationRule, rule);
    QFETCH(QString, detail);
    const HandshakeOutcome outcome = HandshakeValidator::validate(parse(response), request(offerDeflate));
    QVERIFY(!outcome.accepted);
    QCOMPARE(rulesOf(outcome), Violations::id(rule));
    QVERIFY2(outcome.violations.front().detail.contains(detail), qPrintable(outcome.violations.front().detail));
    QVERIFY(!outcome.explanation.isEmpty());
    QVERIFY2(!outcome.explanation.contains(QStringLiteral("more problem")), qPrintable(outcome.explanation));
}

void tst_HandshakeValidator::refusalExplanations_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("explanation");
    QTest::newRow("403") << QByteArray("HTTP/1.1 403 Forbidden\nContent-Length: 0\n\n")
                         << QStringLiteral("The server answered 403 Forbidden instead of 101 Switching Protocols: it "
                                           "refused the upgrade.");
    QTest::newRow("404 without reason phrase")
        << QByteArray("HTTP/1.1 404 \nContent-Length: 0\n\n")
        << QStringLiteral("The server answered 404 Not Found instead of 101 Switching Protocols: there is no "
                          "WebSocket endpoint at this path.");
    QTest::newRow("200") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 0\n\n")
                         << QStringLiteral("The server answered 200 OK instead of 101 Switching Protocols: it handled "
                                           "the request as plain HTTP, so this URL is probably not a WebSocket "
                                           "endpoint or a proxy in between dropped the Upgrade header.");
    QTest::newRow("301 with Location")
        << QByteArray("HTTP/1.1 301 Moved Permanently\nLocation: wss://example.com/chat\nContent-Length: 0\n\n")
        << QStringLiteral("The server answered 301 Moved Permanently instead of 101 Switching Protocols: it "
                          "redirects to \"wss://example.com/chat\", and WebSocket clients do not follow redirects.");
    QTest::newRow("426 with version")
        << QByteArray("HTTP/1.1 426 Upgrade Required\nSec-WebSocket-Version: 8, 7\nContent-Length: 0\n\n")
        << QStringLiteral("The server answered 426 Upgrade Required instead of 101 Switching Protocols: it wants a "
                          "different WebSocket version (it supports 8, 7).");
    QTest::newRow("502") << QByteArray("HTTP/1.1 502 Bad Gateway\nContent-Length: 0\n\n")
                         << QStringLiteral("The server answered 502 Bad Gateway instead of 101 Switching Protocols: a "
                                           "proxy or load balancer in front of the server got no proper answer from "
                                           "it.");
    QTest::newRow("unusual 418") << QByteArray("HTTP/1.1 418 I'm a teapot\nContent-Length: 0\n\n")
                                 << QStringLiteral("The server answered 418 I'm a teapot instead of 101 Switching "
                                                   "Protocols: it refused the upgrade.");
}

void tst_HandshakeValidator::refusalExplanations()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, explanation);
    const HandshakeOutcome outcome = HandshakeValidator::validate(parse(response), request());
    QVERIFY(!outcome.accepted);
    QCOMPARE(outcome.explanation, explanation);
    // A refusal is one problem; the refusal's own fields are not held to WebSocket rules.
    QCOMPARE(rulesOf(outcome), Violations::id(ViolationRule::HandshakeStatusNot101));
}

void tst_HandshakeValidator::acceptMismatchExplanation_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<QString>("explanation");
    const QString base =
        QStringLiteral("Sec-WebSocket-Accept was \"%1\" but should be \"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\" "
                       "for key \"dGhlIHNhbXBsZSBub25jZQ==\": the server computed it wrongly (a "
                       "browser refuses this connection).");
    QTest::newRow("wrong") << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                           << base.arg(QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    QTest::newRow("hex instead of base64")
        << QByteArray("b37a4f2cc0624f1690f64606cf385945b2bec4ea")
        << base.arg(QStringLiteral("b37a4f2cc0624f1690f64606cf385945b2bec4ea")) +
               QStringLiteral(" It sent the SHA-1 in hexadecimal instead of base64.");
    QTest::newRow("key echoed") << rfcKey.toByteArray()
                                << base.arg(QString::fromLatin1(rfcKey)) +
                                       QStringLiteral(" It echoed the key back instead of hashing it.");
    const QByteArray withoutGuid = QCryptographicHash::hash(rfcKey, QCryptographicHash::Sha1).toBase64();
    QTest::newRow("hashed without GUID")
        << withoutGuid
        << base.arg(QString::fromLatin1(withoutGuid)) +
               QStringLiteral(" It hashed the key without the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11.");
}

void tst_HandshakeValidator::acceptMismatchExplanation()
{
    QFETCH(QByteArray, accept);
    QFETCH(QString, explanation);
    const QByteArray response =
        "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: " + accept +
        "\n\n";
    const HandshakeOutcome outcome = HandshakeValidator::validate(parse(response), request());
    QVERIFY(!outcome.accepted);
    QCOMPARE(outcome.explanation, explanation);
}

void tst_HandshakeValidator::everyProblemIsReported()
{
    const QByteArray response = "HTTP/1.1 101 Switching Protocols\n"
                                "Upgrade: h2c\n"
                                "Sec-WebSocket-Accept: nope\n"
                                "Sec-WebSocket-Extensions: x-foo, permessage-deflate; server_max_window_bits=99\n"
                                "Sec-WebSocket-Protocol: soap\n"
                                "\n";
    const HandshakeOutcome outcome = HandshakeValidator::validate(parse(response), request());
    QVERIFY(!outcome.accepted);
    QCOMPARE(rulesOf(outcome), QStringLiteral("handshake-upgrade-header-invalid,handshake-connection-header-invalid,"
                                              "handshake-accept-mismatch,handshake-unoffered-extension,"
                                              "handshake-bad-extension-parameters,handshake-unoffered-subprotocol"));
    QCOMPARE(outcome.explanation,
             QStringLiteral("The server answered 101 but its Upgrade header is \"h2c\" instead of \"websocket\": a "
                            "browser refuses this connection. There are 5 more problems."));
    QVERIFY(!outcome.deflate);
    QCOMPARE(outcome.negotiatedExtensions,
             (QList<QByteArray>{"x-foo", "permessage-deflate; server_max_window_bits=99"}));
    QCOMPARE(outcome.negotiatedSubprotocol, QStringLiteral("soap"));
}

void tst_HandshakeValidator::acceptedExplanationNamesWhatWasAgreed()
{
    const HandshakeOutcome outcome = HandshakeValidator::validate(
        parse(switching("Sec-WebSocket-Protocol: chat\nSec-WebSocket-Extensions: permessage-deflate; "
                        "server_no_context_takeover; client_max_window_bits=10\n")),
        request());
    QVERIFY(outcome.accepted);
    QCOMPARE(outcome.explanation,
             QStringLiteral("The server accepted the WebSocket upgrade (101 Switching Protocols) with the subprotocol "
                            "\"chat\", compressing messages with permessage-deflate (server window 15 bits, client "
                            "window 10 bits, server resets its context per message)."));
    QVERIFY(outcome.deflate);
    QCOMPARE(outcome.deflate->clientMaxWindowBits, 10);
    QVERIFY(outcome.deflate->serverNoContextTakeover);
    QCOMPARE(outcome.negotiatedExtensions,
             QList<QByteArray>{"permessage-deflate; server_no_context_takeover; client_max_window_bits=10"});
}

void tst_HandshakeValidator::expectationWithoutRequest()
{
    HandshakeExpectation expectation;
    expectation.key = rfcKey.toByteArray(); // expectedAccept left empty: computed from the key
    expectation.subprotocols = {QStringLiteral("chat")};
    const HandshakeOutcome outcome =
        HandshakeValidator::validate(parse(switching("Sec-WebSocket-Protocol: chat\n")), expectation);
    QVERIFY2(outcome.accepted, qPrintable(outcome.explanation));

    const HandshakeOutcome withDeflate =
        HandshakeValidator::validate(parse(switching("Sec-WebSocket-Extensions: permessage-deflate\n")), expectation);
    QCOMPARE(rulesOf(withDeflate), QStringLiteral("handshake-unoffered-extension"));
}

void tst_HandshakeValidator::userOfferedExtensionIsAccepted()
{
    HandshakeRequestOptions options;
    options.url = QUrl(QStringLiteral("ws://h/"));
    options.key = rfcKey.toByteArray();
    options.extraHeaders = {{"Sec-WebSocket-Extensions", "x-webkit-deflate-frame, permessage-deflate"}};
    const HandshakeRequest userRequest = *buildHandshakeRequest(options);
    const HandshakeOutcome outcome = HandshakeValidator::validate(
        parse(switching("Sec-WebSocket-Extensions: x-webkit-deflate-frame\n")), userRequest);
    QVERIFY2(outcome.accepted, qPrintable(outcome.explanation));
    QVERIFY(!outcome.deflate);

    // The user's offer had no client_max_window_bits, so the server may not set it.
    const HandshakeOutcome narrowed = HandshakeValidator::validate(
        parse(switching("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\n")), userRequest);
    QCOMPARE(rulesOf(narrowed), QStringLiteral("handshake-bad-extension-parameters"));
}

void tst_HandshakeValidator::unreadableUserDeflateOfferStillYieldsParameters()
{
    HandshakeRequestOptions options;
    options.url = QUrl(QStringLiteral("ws://h/"));
    options.key = rfcKey.toByteArray();
    options.extraHeaders = {{"Sec-WebSocket-Extensions", "permessage-deflate; bogus"}};
    const HandshakeRequest userRequest = *buildHandshakeRequest(options);
    QVERIFY(!userRequest.deflateOffer);
    QCOMPARE(userRequest.offeredExtensions, QList<QByteArray>{"permessage-deflate"});
    const HandshakeOutcome outcome = HandshakeValidator::validate(
        parse(switching("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\n")), userRequest);
    QVERIFY2(outcome.accepted, qPrintable(outcome.explanation));
    QVERIFY(outcome.deflate);
    QCOMPARE(outcome.deflate->clientMaxWindowBits, 9);
}

void tst_HandshakeValidator::responseWithoutStatusLine()
{
    const HandshakeOutcome outcome = HandshakeValidator::validate(HandshakeResponse{}, request());
    QVERIFY(!outcome.accepted);
    QCOMPARE(rulesOf(outcome), QStringLiteral("handshake-malformed-status-line"));
    QCOMPARE(outcome.explanation,
             QStringLiteral("The server sent no HTTP response, so the WebSocket connection was not opened."));
}

QTEST_GUILESS_MAIN(tst_HandshakeValidator)
#include "tst_handshakevalidator.moc"
