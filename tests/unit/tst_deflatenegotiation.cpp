// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/DeflateNegotiation.h"

#include <QTest>

using namespace wsi;

Q_DECLARE_METATYPE(wsi::DeflateOffer)
Q_DECLARE_METATYPE(wsi::DeflateParameters)
Q_DECLARE_METATYPE(wsi::DeflateServerPolicy)
Q_DECLARE_METATYPE(wsi::ViolationRule)

namespace wsi {
// Readable QCOMPARE failures.
char *toString(const DeflateParameters &p)
{
    return qstrdup(QStringLiteral("{server_nct=%1 client_nct=%2 server_bits=%3 client_bits=%4}")
                       .arg(p.serverNoContextTakeover)
                       .arg(p.clientNoContextTakeover)
                       .arg(p.serverMaxWindowBits)
                       .arg(p.clientMaxWindowBits)
                       .toUtf8()
                       .constData());
}
} // namespace wsi

namespace {

DeflateParameters params(int serverBits = 15, int clientBits = 15, bool serverNct = false, bool clientNct = false)
{
    DeflateParameters p;
    p.serverMaxWindowBits = serverBits;
    p.clientMaxWindowBits = clientBits;
    p.serverNoContextTakeover = serverNct;
    p.clientNoContextTakeover = clientNct;
    return p;
}

DeflateOffer offerAskingServerWindow(int bits)
{
    DeflateOffer offer;
    offer.serverMaxWindowBits = bits;
    return offer;
}

DeflateOffer offerAnnouncingClientWindow(int bits)
{
    DeflateOffer offer;
    offer.clientMaxWindowBitsValue = bits;
    return offer;
}

DeflateOffer offerAskingServerNoContextTakeover()
{
    DeflateOffer offer;
    offer.serverNoContextTakeover = true;
    return offer;
}

DeflateOffer offerWithoutClientWindow()
{
    DeflateOffer offer;
    offer.clientMaxWindowBits = false;
    return offer;
}

} // namespace

class tst_DeflateNegotiation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offerHeaderValue_data();
    void offerHeaderValue();
    void offerProblem_data();
    void offerProblem();
    void parseExtensionElement_data();
    void parseExtensionElement();
    void parseExtensionElementErrors_data();
    void parseExtensionElementErrors();
    void validResponse_data();
    void validResponse();
    void invalidResponse_data();
    void invalidResponse();
    void everyProblemIsReported();
    void parseOffer_data();
    void parseOffer();
    void parseOffersSkipsWhatMustBeDeclined();
    void accept_data();
    void accept();
    void acceptDeclines_data();
    void acceptDeclines();
    void acceptedAnswerPassesTheClientCheck_data();
    void acceptedAnswerPassesTheClientCheck();
};

void tst_DeflateNegotiation::offerHeaderValue_data()
{
    QTest::addColumn<DeflateOffer>("offer");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("default offer is what browsers send")
        << DeflateOffer{} << QByteArray("permessage-deflate; client_max_window_bits");
    QTest::newRow("without client window") << offerWithoutClientWindow() << QByteArray("permessage-deflate");
    QTest::newRow("announced client window")
        << offerAnnouncingClientWindow(10) << QByteArray("permessage-deflate; client_max_window_bits=10");
    DeflateOffer all;
    all.serverNoContextTakeover = true;
    all.clientNoContextTakeover = true;
    all.serverMaxWindowBits = 12;
    QTest::newRow("every parameter")
        << all
        << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                      "server_max_window_bits=12; client_max_window_bits");
}

void tst_DeflateNegotiation::offerHeaderValue()
{
    QFETCH(DeflateOffer, offer);
    QFETCH(QByteArray, expected);
    QCOMPARE(DeflateNegotiation::offerHeaderValue(offer), expected);
    // What we send is what a server reads back.
    const std::optional<DeflateOffer> parsed = DeflateNegotiation::parseOffer(expected);
    QVERIFY(parsed);
    QCOMPARE(*parsed, offer);
}

void tst_DeflateNegotiation::offerProblem_data()
{
    QTest::addColumn<DeflateOffer>("offer");
    QTest::addColumn<QString>("problem");
    QTest::newRow("default") << DeflateOffer{} << QString();
    QTest::newRow("server window 8") << offerAskingServerWindow(8) << QString();
    QTest::newRow("server window 16") << offerAskingServerWindow(16)
                                      << QStringLiteral("server_max_window_bits=16 is outside 8-15");
    QTest::newRow("client window 7") << offerAnnouncingClientWindow(7)
                                     << QStringLiteral("client_max_window_bits=7 is outside 8-15");
}

void tst_DeflateNegotiation::offerProblem()
{
    QFETCH(DeflateOffer, offer);
    QFETCH(QString, problem);
    QCOMPARE(DeflateNegotiation::offerProblem(offer), problem);
}

void tst_DeflateNegotiation::parseExtensionElement_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QList<QByteArray>>("parameterNames");
    QTest::addColumn<QList<QByteArray>>("parameterValues"); // "-" for no value
    QTest::newRow("name only") << QByteArray("permessage-deflate") << QByteArray("permessage-deflate")
                               << QList<QByteArray>{} << QList<QByteArray>{};
    QTest::newRow("flag and value") << QByteArray("permessage-deflate; server_no_context_takeover; x=10")
                                    << QByteArray("permessage-deflate")
                                    << QList<QByteArray>{"server_no_context_takeover", "x"}
                                    << QList<QByteArray>{"-", "10"};
    QTest::newRow("whitespace around ; and =") << QByteArray(" ext \t;\ta = 1 ;b ") << QByteArray("ext")
                                               << QList<QByteArray>{"a", "b"} << QList<QByteArray>{"1", "-"};
    QTest::newRow("quoted value is unquoted (RFC 6455 9.1)")
        << QByteArray("ext; a=\"10\"") << QByteArray("ext") << QList<QByteArray>{"a"} << QList<QByteArray>{"10"};
    QTest::newRow("repeats kept") << QByteArray("ext; a; a") << QByteArray("ext") << QList<QByteArray>{"a", "a"}
                                  << QList<QByteArray>{"-", "-"};
}

void tst_DeflateNegotiation::parseExtensionElement()
{
    QFETCH(QByteArray, element);
    QFETCH(QByteArray, name);
    QFETCH(QList<QByteArray>, parameterNames);
    QFETCH(QList<QByteArray>, parameterValues);
    QString error;
    const std::optional<ExtensionElement> parsed = DeflateNegotiation::parseExtensionElement(element, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->name, name);
    QCOMPARE(parsed->parameters.size(), parameterNames.size());
    for (qsizetype i = 0; i < parameterNames.size(); ++i) {
        QCOMPARE(parsed->parameters[i].name, parameterNames[i]);
        QCOMPARE(parsed->parameters[i].value.value_or("-"), parameterValues[i]);
    }
}

void tst_DeflateNegotiation::parseExtensionElementErrors_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("extension name \"\" is not a token");
    QTest::newRow("name with space") << QByteArray("per message") << QStringLiteral("extension name \"per message\"");
    QTest::newRow("empty parameter") << QByteArray("ext;; a") << QStringLiteral("parameter 1 of ext is empty");
    QTest::newRow("trailing semicolon") << QByteArray("ext; a;") << QStringLiteral("parameter 2 of ext is empty");
    QTest::newRow("bad parameter name") << QByteArray("ext; a b=1") << QStringLiteral("parameter name \"a b\"");
    QTest::newRow("empty value") << QByteArray("ext; a=") << QStringLiteral("value of a is not a token");
    QTest::newRow("unterminated quote") << QByteArray("ext; a=\"10") << QStringLiteral("malformed quoted string");
    QTest::newRow("quoted value not a token")
        << QByteArray("ext; a=\"1 0\"") << QStringLiteral("value of a is not a token");
    // The quoted ';' does not split the parameter (that would report a malformed quoted string), but a value
    // must still be a token once unquoted.
    QTest::newRow("quoted semicolon") << QByteArray("ext; a=\"x;y\"; b")
                                      << QStringLiteral("value of a is not a token: \"\\\"x;y\\\"\"");
}

void tst_DeflateNegotiation::parseExtensionElementErrors()
{
    QFETCH(QByteArray, element);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!DeflateNegotiation::parseExtensionElement(element, &actual));
    QVERIFY2(actual.contains(error), qPrintable(actual));
}

void tst_DeflateNegotiation::validResponse_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<DeflateOffer>("offer");
    QTest::addColumn<DeflateParameters>("expected");
    QTest::newRow("bare answer to the browser offer") << QByteArray("permessage-deflate") << DeflateOffer{} << params();
    QTest::newRow("server_no_context_takeover without being asked (RFC 7692 7.1.1.1)")
        << QByteArray("permessage-deflate; server_no_context_takeover") << DeflateOffer{}
        << params(15, 15, true, false);
    QTest::newRow("client_no_context_takeover from the server")
        << QByteArray("permessage-deflate; client_no_context_takeover") << DeflateOffer{}
        << params(15, 15, false, true);
    QTest::newRow("client window given to a bare client_max_window_bits")
        << QByteArray("permessage-deflate; client_max_window_bits=10") << DeflateOffer{} << params(15, 10);
    QTest::newRow("quoted window value (RFC 7692 7.1)")
        << QByteArray("permessage-deflate; client_max_window_bits=\"10\"") << DeflateOffer{} << params(15, 10);
    QTest::newRow("server window smaller than asked")
        << QByteArray("permessage-deflate; server_max_window_bits=9") << offerAskingServerWindow(12) << params(9, 15);
    QTest::newRow("server window equal to asked")
        << QByteArray("permessage-deflate; server_max_window_bits=12") << offerAskingServerWindow(12) << params(12, 15);
    QTest::newRow("server window without being asked (RFC 7692 7.1.2.1)")
        << QByteArray("permessage-deflate; server_max_window_bits=8") << DeflateOffer{} << params(8, 15);
    QTest::newRow("asked server_no_context_takeover confirmed")
        << QByteArray("permessage-deflate; server_no_context_takeover") << offerAskingServerNoContextTakeover()
        << params(15, 15, true, false);
    QTest::newRow("announced client window kept when the answer omits it")
        << QByteArray("permessage-deflate") << offerAnnouncingClientWindow(12) << params(15, 12);
    QTest::newRow("announced client window narrowed") << QByteArray("permessage-deflate; client_max_window_bits=9")
                                                      << offerAnnouncingClientWindow(12) << params(15, 9);
    DeflateOffer clientNct;
    clientNct.clientNoContextTakeover = true;
    QTest::newRow("offered client_no_context_takeover holds without echo")
        << QByteArray("permessage-deflate") << clientNct << params(15, 15, false, true);
    QTest::newRow("whitespace everywhere")
        << QByteArray("  permessage-deflate ;server_max_window_bits = 10\t; client_max_window_bits=11 ")
        << DeflateOffer{} << params(10, 11);
}

void tst_DeflateNegotiation::validResponse()
{
    QFETCH(QByteArray, element);
    QFETCH(DeflateOffer, offer);
    QFETCH(DeflateParameters, expected);
    const DeflateResponseCheck check = DeflateNegotiation::checkResponse(element, offer);
    QVERIFY2(check.isValid(), check.violation ? qPrintable(check.violation->detail) : "no violation either");
    QVERIFY(!check.violation);
    QCOMPARE(*check.parameters, expected);
}

void tst_DeflateNegotiation::invalidResponse_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<DeflateOffer>("offer");
    QTest::addColumn<ViolationRule>("rule");
    QTest::addColumn<QString>("detail");
    const ViolationRule bad = ViolationRule::HandshakeBadExtensionParameters;
    QTest::newRow("unknown parameter") << QByteArray("permessage-deflate; max_bits=10") << DeflateOffer{} << bad
                                       << QStringLiteral("unknown parameter \"max_bits\"");
    QTest::newRow("parameter names are case-sensitive")
        << QByteArray("permessage-deflate; Server_No_Context_Takeover") << DeflateOffer{} << bad
        << QStringLiteral("unknown parameter \"Server_No_Context_Takeover\"");
    QTest::newRow("duplicate parameter")
        << QByteArray("permessage-deflate; server_no_context_takeover; server_no_context_takeover") << DeflateOffer{}
        << bad << QStringLiteral("parameter server_no_context_takeover appears more than once");
    QTest::newRow("duplicate window") << QByteArray("permessage-deflate; server_max_window_bits=10; "
                                                    "server_max_window_bits=10")
                                      << DeflateOffer{} << bad
                                      << QStringLiteral("parameter server_max_window_bits appears more than once");
    QTest::newRow("window 16 above range")
        << QByteArray("permessage-deflate; server_max_window_bits=16") << DeflateOffer{} << bad
        << QStringLiteral("server_max_window_bits=\"16\" is outside 8-15");
    QTest::newRow("window 7 below range")
        << QByteArray("permessage-deflate; client_max_window_bits=7") << DeflateOffer{} << bad
        << QStringLiteral("client_max_window_bits=\"7\" is outside 8-15");
    QTest::newRow("window huge") << QByteArray("permessage-deflate; server_max_window_bits=99999999999999999999")
                                 << DeflateOffer{} << bad << QStringLiteral("is outside 8-15");
    QTest::newRow("window not an integer")
        << QByteArray("permessage-deflate; server_max_window_bits=ten") << DeflateOffer{} << bad
        << QStringLiteral("server_max_window_bits=\"ten\" is not a decimal integer");
    QTest::newRow("window negative") << QByteArray("permessage-deflate; server_max_window_bits=-9") << DeflateOffer{}
                                     << bad << QStringLiteral("is not a decimal integer");
    QTest::newRow("window with leading zero")
        << QByteArray("permessage-deflate; server_max_window_bits=010") << DeflateOffer{} << bad
        << QStringLiteral("server_max_window_bits=\"010\" has a leading zero");
    QTest::newRow("value on server_no_context_takeover")
        << QByteArray("permessage-deflate; server_no_context_takeover=1") << DeflateOffer{} << bad
        << QStringLiteral("server_no_context_takeover must not have a value (it has \"1\")");
    QTest::newRow("value on client_no_context_takeover")
        << QByteArray("permessage-deflate; client_no_context_takeover=true") << DeflateOffer{} << bad
        << QStringLiteral("client_no_context_takeover must not have a value (it has \"true\")");
    QTest::newRow("client window when not offered (RFC 7692 7.1.2.2)")
        << QByteArray("permessage-deflate; client_max_window_bits=10") << offerWithoutClientWindow() << bad
        << QStringLiteral("client_max_window_bits is present but the offer did not include client_max_window_bits");
    QTest::newRow("client window without value in a response")
        << QByteArray("permessage-deflate; client_max_window_bits") << DeflateOffer{} << bad
        << QStringLiteral("client_max_window_bits has no value; a response must give one");
    QTest::newRow("server window without value in a response")
        << QByteArray("permessage-deflate; server_max_window_bits") << DeflateOffer{} << bad
        << QStringLiteral("server_max_window_bits has no value; a response must give one");
    QTest::newRow("server window larger than asked")
        << QByteArray("permessage-deflate; server_max_window_bits=15") << offerAskingServerWindow(10) << bad
        << QStringLiteral("server_max_window_bits=15 is larger than the 10 the offer asked for");
    QTest::newRow("asked server window missing")
        << QByteArray("permessage-deflate") << offerAskingServerWindow(10) << bad
        << QStringLiteral("server_max_window_bits is missing but the offer asked for server_max_window_bits=10");
    QTest::newRow("asked server_no_context_takeover missing")
        << QByteArray("permessage-deflate") << offerAskingServerNoContextTakeover() << bad
        << QStringLiteral("server_no_context_takeover is missing but the offer asked for it");
    QTest::newRow("client window larger than announced")
        << QByteArray("permessage-deflate; client_max_window_bits=12") << offerAnnouncingClientWindow(10) << bad
        << QStringLiteral("client_max_window_bits=12 is larger than the 10 the offer announced");
    QTest::newRow("malformed quoted value") << QByteArray("permessage-deflate; client_max_window_bits=\"10")
                                            << DeflateOffer{} << bad << QStringLiteral("malformed quoted string");
    QTest::newRow("empty parameter") << QByteArray("permessage-deflate;;") << DeflateOffer{} << bad
                                     << QStringLiteral("parameter 1 of permessage-deflate is empty");
    QTest::newRow("another extension") << QByteArray("x-webkit-deflate-frame") << DeflateOffer{}
                                       << ViolationRule::HandshakeUnofferedExtension
                                       << QStringLiteral("the extension is \"x-webkit-deflate-frame\"");
}

void tst_DeflateNegotiation::invalidResponse()
{
    QFETCH(QByteArray, element);
    QFETCH(DeflateOffer, offer);
    QFETCH(ViolationRule, rule);
    QFETCH(QString, detail);
    const DeflateResponseCheck check = DeflateNegotiation::checkResponse(element, offer);
    QVERIFY(!check.isValid());
    QVERIFY(check.violation);
    QCOMPARE(Violations::id(check.violation->rule), Violations::id(rule));
    QVERIFY2(check.violation->detail.contains(detail), qPrintable(check.violation->detail));
    // The detail names the header and the exact element the server sent.
    QVERIFY2(check.violation->detail.startsWith(QStringLiteral("Sec-WebSocket-Extensions element \"")),
             qPrintable(check.violation->detail));
    QVERIFY(check.problems.contains(detail));
}

void tst_DeflateNegotiation::everyProblemIsReported()
{
    const DeflateResponseCheck check = DeflateNegotiation::checkResponse(
        "permessage-deflate; foo; server_max_window_bits=20; client_no_context_takeover=1",
        offerAskingServerNoContextTakeover());
    QVERIFY(check.violation);
    const QString &detail = check.violation->detail;
    QVERIFY2(detail.contains(QStringLiteral("unknown parameter \"foo\"")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("is outside 8-15")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("client_no_context_takeover must not have a value")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("server_no_context_takeover is missing")), qPrintable(detail));
}

void tst_DeflateNegotiation::parseOffer_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<DeflateOffer>("expected");
    QTest::addColumn<QString>("error");
    DeflateOffer bare;
    bare.clientMaxWindowBits = false;
    QTest::newRow("bare") << QByteArray("permessage-deflate") << true << bare << QString();
    QTest::newRow("browser") << QByteArray("permessage-deflate; client_max_window_bits") << true << DeflateOffer{}
                             << QString();
    QTest::newRow("client window value") << QByteArray("permessage-deflate; client_max_window_bits=10") << true
                                         << offerAnnouncingClientWindow(10) << QString();
    DeflateOffer asked = offerAskingServerWindow(10);
    asked.clientMaxWindowBits = false;
    QTest::newRow("server window") << QByteArray("permessage-deflate; server_max_window_bits=10") << true << asked
                                   << QString();
    QTest::newRow("server window needs a value")
        << QByteArray("permessage-deflate; server_max_window_bits") << false << DeflateOffer{}
        << QStringLiteral("server_max_window_bits has no value");
    QTest::newRow("unknown parameter (RFC 7692 5: decline)")
        << QByteArray("permessage-deflate; x") << false << DeflateOffer{} << QStringLiteral("unknown parameter \"x\"");
    QTest::newRow("repeat (decline)") << QByteArray("permessage-deflate; client_max_window_bits; "
                                                    "client_max_window_bits")
                                      << false << DeflateOffer{} << QStringLiteral("appears more than once");
    QTest::newRow("bad value (decline)") << QByteArray("permessage-deflate; client_max_window_bits=16") << false
                                         << DeflateOffer{} << QStringLiteral("is outside 8-15");
    QTest::newRow("another extension") << QByteArray("x-foo") << false << DeflateOffer{}
                                       << QStringLiteral("\"x-foo\" is not permessage-deflate");
}

void tst_DeflateNegotiation::parseOffer()
{
    QFETCH(QByteArray, element);
    QFETCH(bool, valid);
    QFETCH(DeflateOffer, expected);
    QFETCH(QString, error);
    QString actualError;
    const std::optional<DeflateOffer> offer = DeflateNegotiation::parseOffer(element, &actualError);
    QCOMPARE(offer.has_value(), valid);
    if (valid)
        QCOMPARE(*offer, expected);
    else
        QVERIFY2(actualError.contains(error), qPrintable(actualError));
}

void tst_DeflateNegotiation::parseOffersSkipsWhatMustBeDeclined()
{
    const QList<DeflateOffer> offers = DeflateNegotiation::parseOffers(
        "x-foo, permessage-deflate; bogus, permessage-deflate; client_max_window_bits=10, permessage-deflate; "
        "client_max_window_bits");
    QCOMPARE(offers.size(), 2);
    QCOMPARE(offers[0], offerAnnouncingClientWindow(10));
    QCOMPARE(offers[1], DeflateOffer{});
    QVERIFY(DeflateNegotiation::parseOffers("").isEmpty());
}

void tst_DeflateNegotiation::accept_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<DeflateServerPolicy>("policy");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<DeflateParameters>("expected");
    QTest::newRow("browser offer") << QByteArray("permessage-deflate; client_max_window_bits") << DeflateServerPolicy{}
                                   << QByteArray("permessage-deflate") << params();
    QTest::newRow("server_no_context_takeover honoured")
        << QByteArray("permessage-deflate; server_no_context_takeover") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate; server_no_context_takeover") << params(15, 15, true, false);
    QTest::newRow("requested server window confirmed")
        << QByteArray("permessage-deflate; server_max_window_bits=10") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate; server_max_window_bits=10") << params(10, 15);
    QTest::newRow("requested window 15 still confirmed")
        << QByteArray("permessage-deflate; server_max_window_bits=15") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate; server_max_window_bits=15") << params(15, 15);
    QTest::newRow("offered client_no_context_takeover echoed")
        << QByteArray("permessage-deflate; client_no_context_takeover") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate; client_no_context_takeover") << params(15, 15, false, true);
    QTest::newRow("announced client window echoed")
        << QByteArray("permessage-deflate; client_max_window_bits=11") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate; client_max_window_bits=11") << params(15, 11);
    QTest::newRow("window 8 declined, next offer taken")
        << QByteArray("permessage-deflate; server_max_window_bits=8, permessage-deflate") << DeflateServerPolicy{}
        << QByteArray("permessage-deflate") << params();
    DeflateServerPolicy narrow;
    narrow.serverMaxWindowBits = 12;
    narrow.clientMaxWindowBits = 10;
    QTest::newRow("policy narrows both windows")
        << QByteArray("permessage-deflate; client_max_window_bits") << narrow
        << QByteArray("permessage-deflate; server_max_window_bits=12; client_max_window_bits=10") << params(12, 10);
    QTest::newRow("offer narrower than policy wins")
        << QByteArray("permessage-deflate; server_max_window_bits=9; client_max_window_bits=9") << narrow
        << QByteArray("permessage-deflate; server_max_window_bits=9; client_max_window_bits=9") << params(9, 9);
    QTest::newRow("client window policy ignored when the offer does not name it (RFC 7692 7.1.2.2)")
        << QByteArray("permessage-deflate") << narrow << QByteArray("permessage-deflate; server_max_window_bits=12")
        << params(12, 15);
    DeflateServerPolicy resets;
    resets.serverNoContextTakeover = true;
    resets.clientNoContextTakeover = true;
    QTest::newRow("policy adds both no_context_takeover flags")
        << QByteArray("permessage-deflate") << resets
        << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        << params(15, 15, true, true);
}

void tst_DeflateNegotiation::accept()
{
    QFETCH(QByteArray, offers);
    QFETCH(DeflateServerPolicy, policy);
    QFETCH(QByteArray, response);
    QFETCH(DeflateParameters, expected);
    const std::optional<DeflateAcceptance> acceptance =
        DeflateNegotiation::accept(DeflateNegotiation::parseOffers(offers), policy);
    QVERIFY(acceptance);
    QCOMPARE(acceptance->responseHeaderValue, response);
    QCOMPARE(acceptance->parameters, expected);
}

void tst_DeflateNegotiation::acceptDeclines_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<DeflateServerPolicy>("policy");
    QTest::newRow("no offers") << QByteArray("") << DeflateServerPolicy{};
    QTest::newRow("only other extensions") << QByteArray("x-foo; a=1") << DeflateServerPolicy{};
    QTest::newRow("only invalid offers") << QByteArray("permessage-deflate; nope") << DeflateServerPolicy{};
    QTest::newRow("only a window zlib cannot compress to")
        << QByteArray("permessage-deflate; server_max_window_bits=8") << DeflateServerPolicy{};
    DeflateServerPolicy badPolicy;
    badPolicy.serverMaxWindowBits = 8;
    QTest::newRow("policy out of range") << QByteArray("permessage-deflate") << badPolicy;
}

void tst_DeflateNegotiation::acceptDeclines()
{
    QFETCH(QByteArray, offers);
    QFETCH(DeflateServerPolicy, policy);
    QVERIFY(!DeflateNegotiation::accept(DeflateNegotiation::parseOffers(offers), policy));
}

// Our server's answer to any offer must satisfy our client's checks of that offer, with the same parameters.
void tst_DeflateNegotiation::acceptedAnswerPassesTheClientCheck_data()
{
    QTest::addColumn<DeflateOffer>("offer");
    QTest::addColumn<DeflateServerPolicy>("policy");
    DeflateServerPolicy narrow;
    narrow.serverMaxWindowBits = 10;
    narrow.clientMaxWindowBits = 9;
    narrow.clientNoContextTakeover = true;
    DeflateOffer everything;
    everything.serverNoContextTakeover = true;
    everything.clientNoContextTakeover = true;
    everything.serverMaxWindowBits = 11;
    everything.clientMaxWindowBitsValue = 12;
    for (const auto &[name, offer] :
         {std::pair{"default", DeflateOffer{}}, std::pair{"no client window", offerWithoutClientWindow()},
          std::pair{"server window", offerAskingServerWindow(9)},
          std::pair{"client window", offerAnnouncingClientWindow(8)},
          std::pair{"server reset", offerAskingServerNoContextTakeover()}, std::pair{"everything", everything}}) {
        QTest::addRow("%s, default policy", name) << offer << DeflateServerPolicy{};
        QTest::addRow("%s, narrow policy", name) << offer << narrow;
    }
}

void tst_DeflateNegotiation::acceptedAnswerPassesTheClientCheck()
{
    QFETCH(DeflateOffer, offer);
    QFETCH(DeflateServerPolicy, policy);
    const std::optional<DeflateAcceptance> acceptance = DeflateNegotiation::accept({offer}, policy);
    QVERIFY(acceptance);
    const DeflateResponseCheck check = DeflateNegotiation::checkResponse(acceptance->responseHeaderValue, offer);
    QVERIFY2(check.isValid(), check.violation ? qPrintable(check.violation->detail) : "");
    QCOMPARE(*check.parameters, acceptance->parameters);
}

QTEST_GUILESS_MAIN(tst_DeflateNegotiation)
#include "tst_deflatenegotiation.moc"
