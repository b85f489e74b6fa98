// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HandshakeValidator.h"

#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/HttpHeaders.h"

#include <QCryptographicHash>

namespace wsi {
namespace {

constexpr QLatin1StringView browserRefuses{": a browser refuses this connection."};

QString latin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes);
}

QString standardReason(int status)
{
    switch (status) {
    case 100:
        return QStringLiteral("Continue");
    case 101:
        return QStringLiteral("Switching Protocols");
    case 200:
        return QStringLiteral("OK");
    case 204:
        return QStringLiteral("No Content");
    case 301:
        return QStringLiteral("Moved Permanently");
    case 302:
        return QStringLiteral("Found");
    case 303:
        return QStringLiteral("See Other");
    case 307:
        return QStringLiteral("Temporary Redirect");
    case 308:
        return QStringLiteral("Permanent Redirect");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 407:
        return QStringLiteral("Proxy Authentication Required");
    case 408:
        return QStringLiteral("Request Timeout");
    case 426:
        return QStringLiteral("Upgrade Required");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

// Why a status other than 101 matters to someone trying to open a WebSocket.
QString statusMeaning(const HandshakeResponse &response)
{
    const int status = response.statusCode;
    switch (status) {
    case 200:
        return QStringLiteral("it handled the request as plain HTTP, so this URL is probably not a WebSocket endpoint "
                              "or a proxy in between dropped the Upgrade header");
    case 400:
        return QStringLiteral("it rejected the handshake request as malformed (often a wrong Host, Origin, "
                              "Sec-WebSocket-Key or Sec-WebSocket-Version)");
    case 401:
        return QStringLiteral("it requires authentication before it upgrades");
    case 403:
        return QStringLiteral("it refused the upgrade");
    case 404:
        return QStringLiteral("there is no WebSocket endpoint at this path");
    case 405:
        return QStringLiteral("it does not accept a GET upgrade request at this path");
    case 407:
        return QStringLiteral("a proxy in between requires authentication");
    case 426: {
        const QByteArray versions = response.headers.combined("Sec-WebSocket-Version");
        if (versions.isEmpty())
            return QStringLiteral("it wants a different protocol version than WebSocket 13");
        return QStringLiteral("it wants a different WebSocket version (it supports %1)").arg(latin1(versions));
    }
    case 429:
        return QStringLiteral("it is limiting requests; try again later");
    case 502:
    case 504:
        return QStringLiteral("a proxy or load balancer in front of the server got no proper answer from it");
    case 503:
        return QStringLiteral("the service is unavailable or overloaded");
    default:
        break;
    }
    if (status >= 300 && status < 400) {
        const QByteArray location = response.headers.value("Location");
        if (location.isEmpty())
            return QStringLiteral("it redirects, and WebSocket clients do not follow redirects");
        return QStringLiteral("it redirects to %1, and WebSocket clients do not follow redirects")
            .arg(HttpSyntax::quoted(location));
    }
    if (status >= 400 && status < 500)
        return QStringLiteral("it refused the upgrade");
    if (status >= 500)
        return QStringLiteral("the server failed while handling the upgrade");
    return QStringLiteral("it did not switch to WebSocket");
}

QString statusText(const HandshakeResponse &response)
{
    const QString reason =
        response.reasonPhrase.isEmpty() ? standardReason(response.statusCode) : latin1(response.reasonPhrase);
    if (reason.isEmpty())
        return QString::number(response.statusCode);
    return QString::number(response.statusCode) + u' ' + reason;
}

QString quotedList(const QStringList &items)
{
    if (items.isEmpty())
        return QStringLiteral("none");
    QStringList quotedItems;
    for (const QString &item : items)
        quotedItems.append(u'"' + item + u'"');
    return quotedItems.join(QLatin1StringView(", "));
}

QString quotedList(const QList<QByteArray> &items)
{
    QStringList strings;
    for (const QByteArray &item : items)
        strings.append(latin1(item));
    return quotedList(strings);
}

// Accumulates violations with the sentence that explains each to a person.
class Findings
{
public:
    void add(ViolationRule rule, const QString &detail, const QString &sentence)
    {
        m_violations.append({rule, detail});
        m_sentences.append(sentence);
    }
    bool isEmpty() const { return m_violations.isEmpty(); }
    ViolationList violations() const { return m_violations; }
    QString explanation() const
    {
        if (m_sentences.isEmpty())
            return {};
        QString text = m_sentences.front();
        const qsizetype others = m_sentences.size() - 1;
        if (others == 1)
            text += QStringLiteral(" There is 1 more problem.");
        else if (others > 1)
            text += QStringLiteral(" There are %1 more problems.").arg(others);
        return text;
    }

private:
    ViolationList m_violations;
    QStringList m_sentences;
};

// Names the usual way a server gets Sec-WebSocket-Accept wrong, when the value shows it.
QString acceptMistake(QByteArrayView got, QByteArrayView key)
{
    const QByteArray withGuid = key.toByteArray() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    const QByteArray digest = QCryptographicHash::hash(withGuid, QCryptographicHash::Sha1);
    if (HttpSyntax::equalsIgnoringCase(got, digest.toHex()))
        return QStringLiteral(" It sent the SHA-1 in hexadecimal instead of base64.");
    if (got == QCryptographicHash::hash(key, QCryptographicHash::Sha1).toBase64())
        return QStringLiteral(" It hashed the key without the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11.");
    if (got == key)
        return QStringLiteral(" It echoed the key back instead of hashing it.");
    return {};
}

void checkUpgrade(const HttpHeaders &headers, Findings &findings)
{
    if (!headers.contains("Upgrade")) {
        findings.add(ViolationRule::HandshakeUpgradeHeaderInvalid,
                     QStringLiteral("Upgrade header is missing; expected \"websocket\""),
                     QStringLiteral("The server answered 101 without an Upgrade header") + browserRefuses);
    } else if (!headers.containsToken("Upgrade", "websocket")) {
        const QString value = HttpSyntax::quoted(headers.combined("Upgrade"));
        findings.add(
            ViolationRule::HandshakeUpgradeHeaderInvalid,
            QStringLiteral("Upgrade is %1; expected \"websocket\"").arg(value),
            QStringLiteral("The server answered 101 but its Upgrade header is %1 instead of \"websocket\"").arg(value) +
                browserRefuses);
    }
}

void checkConnection(const HttpHeaders &headers, Findings &findings)
{
    if (!headers.contains("Connection")) {
        findings.add(ViolationRule::HandshakeConnectionHeaderInvalid,
                     QStringLiteral("Connection header is missing; expected it to contain the token \"Upgrade\""),
                     QStringLiteral("The server answered 101 without a Connection header") + browserRefuses);
    } else if (!headers.containsToken("Connection", "upgrade")) {
        const QString value = HttpSyntax::quoted(headers.combined("Connection"));
        findings.add(ViolationRule::HandshakeConnectionHeaderInvalid,
                     QStringLiteral("Connection is %1; it does not contain the token \"Upgrade\"").arg(value),
                     QStringLiteral("The server answered 101 but its Connection header is %1, without \"Upgrade\" "
                                    "(a proxy in between may have rewritten it)")
                             .arg(value) +
                         browserRefuses);
    }
}

void checkAccept(const HttpHeaders &headers, const HandshakeExpectation &expectation, const QByteArray &expected,
                 Findings &findings)
{
    const QList<QByteArray> values = headers.values("Sec-WebSocket-Accept");
    const QString key = HttpSyntax::quoted(expectation.key);
    const QString should = HttpSyntax::quoted(expected);
    if (values.isEmpty()) {
        findings.add(
            ViolationRule::HandshakeAcceptMismatch,
            QStringLiteral("Sec-WebSocket-Accept is missing; expected %1 for Sec-WebSocket-Key %2").arg(should, key),
            QStringLiteral("The server answered 101 without Sec-WebSocket-Accept") + browserRefuses);
        return;
    }
    if (values.size() > 1) {
        findings.add(
            ViolationRule::HandshakeAcceptMismatch,
            QStringLiteral("Sec-WebSocket-Accept appears %1 times (%2); it must appear once with %3")
                .arg(values.size())
                .arg(quotedList(values), should),
            QStringLiteral("The server sent Sec-WebSocket-Accept %1 times instead of once").arg(values.size()) +
                browserRefuses);
        return;
    }
    const QByteArray &got = values.front();
    if (got != expected) {
        const QString gotText = HttpSyntax::quoted(got);
        findings.add(ViolationRule::HandshakeAcceptMismatch,
                     QStringLiteral("Sec-WebSocket-Accept is %1 but should be %2 for Sec-WebSocket-Key %3")
                         .arg(gotText, should, key),
                     QStringLiteral("Sec-WebSocket-Accept was %1 but should be %2 for key %3: the server computed it "
                                    "wrongly (a browser refuses this connection).")
                             .arg(gotText, should, key) +
                         acceptMistake(got, expectation.key));
    }
}

void checkExtensions(const HttpHeaders &headers, const HandshakeExpectation &expectation, HandshakeOutcome &outcome,
                     Findings &findings)
{
    QList<QByteArray> offered = expectation.offeredExtensions;
    if (expectation.deflate && !offered.contains(DeflateNegotiation::extensionName))
        offered.prepend(DeflateNegotiation::extensionName.toByteArray());
    QList<QByteArray> seen;
    for (const QByteArray &element : headers.listElements("Sec-WebSocket-Extensions")) {
        outcome.negotiatedExtensions.append(element);
        const qsizetype semicolon = element.indexOf(';');
        const QByteArray name =
            HttpSyntax::trimmed(QByteArrayView(element).first(semicolon < 0 ? element.size() : semicolon))
                .toByteArray();
        const QString nameText = HttpSyntax::quoted(name);
        if (!offered.contains(name)) {
            findings.add(
                ViolationRule::HandshakeUnofferedExtension,
                QStringLiteral("Sec-WebSocket-Extensions contains %1, which the client did not offer "
                               "(offered: %2)")
                    .arg(HttpSyntax::quoted(element), quotedList(offered)),
                QStringLiteral("The server enabled the extension %1, which the client did not offer").arg(nameText) +
                    browserRefuses);
            continue;
        }
        if (seen.contains(name)) {
            findings.add(ViolationRule::HandshakeUnofferedExtension,
                         QStringLiteral("Sec-WebSocket-Extensions accepts %1 more than once (%2); it was offered "
                                        "once")
                             .arg(nameText, HttpSyntax::quoted(headers.combined("Sec-WebSocket-Extensions"))),
                         QStringLiteral("The server enabled the extension %1 more than once").arg(nameText) +
                             browserRefuses);
            continue;
        }
        seen.append(name);
        if (name != DeflateNegotiation::extensionName)
            continue;
        // Offered but without a readable offer (a user's malformed Sec-WebSocket-Extensions): check the answer
        // against the browsers' offer, which at least yields parameters the session can decompress with.
        const DeflateResponseCheck check =
            DeflateNegotiation::checkResponse(element, expectation.deflate.value_or(DeflateOffer{}));
        if (check.violation) {
            findings.add(check.violation->rule, check.violation->detail,
                         QStringLiteral("The server accepted permessage-deflate with parameters that do not fit the "
                                        "offer (%1)")
                                 .arg(check.problems) +
                             browserRefuses);
        } else {
            outcome.deflate = check.parameters;
        }
    }
}

void checkSubprotocol(const HttpHeaders &headers, const HandshakeExpectation &expectation, HandshakeOutcome &outcome,
                      Findings &findings)
{
    if (!headers.contains("Sec-WebSocket-Protocol"))
        return;
    const QList<QByteArray> selected = headers.listElements("Sec-WebSocket-Protocol");
    const QString all = HttpSyntax::quoted(headers.combined("Sec-WebSocket-Protocol"));
    const QString offered = quotedList(expectation.subprotocols);
    if (selected.isEmpty()) {
        findings.add(ViolationRule::HandshakeUnofferedSubprotocol,
                     QStringLiteral("Sec-WebSocket-Protocol is present but empty (offered: %1)").arg(offered),
                     QStringLiteral("The server sent an empty Sec-WebSocket-Protocol header") + browserRefuses);
        return;
    }
    if (selected.size() > 1) {
        findings.add(ViolationRule::HandshakeUnofferedSubprotocol,
                     QStringLiteral("Sec-WebSocket-Protocol selects %1 subprotocols (%2); a server selects at most one "
                                    "(offered: %3)")
                         .arg(selected.size())
                         .arg(all, offered),
                     QStringLiteral("The server chose more than one subprotocol (%1)").arg(all) + browserRefuses);
        return;
    }
    outcome.negotiatedSubprotocol = QString::fromUtf8(selected.front());
    if (!expectation.subprotocols.contains(outcome.negotiatedSubprotocol)) {
        const QString chosen = HttpSyntax::quoted(selected.front());
        findings.add(ViolationRule::HandshakeUnofferedSubprotocol,
                     QStringLiteral("Sec-WebSocket-Protocol is %1, which the client did not offer (offered: %2)")
                         .arg(chosen, offered),
                     QStringLiteral("The server chose the subprotocol %1, which the client did not offer").arg(chosen) +
                         browserRefuses);
    }
}

QString acceptedSentence(const HandshakeOutcome &outcome)
{
    QString text = QStringLiteral("The server accepted the WebSocket upgrade (101 Switching Protocols)");
    if (!outcome.negotiatedSubprotocol.isEmpty())
        text += QStringLiteral(" with the subprotocol \"%1\"").arg(outcome.negotiatedSubprotocol);
    if (outcome.deflate) {
        text += QStringLiteral(", compressing messages with permessage-deflate (server window %1 bits, client window "
                               "%2 bits")
                    .arg(outcome.deflate->serverMaxWindowBits)
                    .arg(outcome.deflate->clientMaxWindowBits);
        if (outcome.deflate->serverNoContextTakeover)
            text += QStringLiteral(", server resets its context per message");
        if (outcome.deflate->clientNoContextTakeover)
            text += QStringLiteral(", client resets its context per message");
        text += u')';
    }
    return text + u'.';
}

} // namespace

HandshakeExpectation HandshakeExpectation::fromRequest(const HandshakeRequest &request)
{
    return {request.key, request.expectedAccept, request.offeredSubprotocols, request.deflateOffer,
            request.offeredExtensions};
}

namespace HandshakeValidator {

HandshakeOutcome validate(const HandshakeResponse &response, const HandshakeRequest &request)
{
    return validate(response, HandshakeExpectation::fromRequest(request));
}

HandshakeOutcome validate(const HandshakeResponse &response, const HandshakeExpectation &expectation)
{
    HandshakeOutcome outcome;
    Findings findings;
    if (response.statusCode == 0) {
        findings.add(ViolationRule::HandshakeMalformedStatusLine, QStringLiteral("no status line was received"),
                     QStringLiteral("The server sent no HTTP response, so the WebSocket connection was not opened."));
    } else if (response.statusCode != 101) {
        // Nothing else in a refusal is held to WebSocket rules; the status alone says what happened.
        const QString status = statusText(response);
        QByteArray statusLine = response.httpVersion + ' ' + QByteArray::number(response.statusCode);
        if (!response.reasonPhrase.isEmpty())
            statusLine += ' ' + response.reasonPhrase;
        findings.add(ViolationRule::HandshakeStatusNot101,
                     QStringLiteral("status line %1: status %2, expected 101 Switching Protocols")
                         .arg(HttpSyntax::quoted(statusLine), status),
                     QStringLiteral("The server answered %1 instead of 101 Switching Protocols: %2.")
                         .arg(status, statusMeaning(response)));
    } else {
        const QByteArray expected = expectation.expectedAccept.isEmpty()
                                        ? HandshakeRequest::computeAccept(expectation.key)
                                        : expectation.expectedAccept;
        checkUpgrade(response.headers, findings);
        checkConnection(response.headers, findings);
        checkAccept(response.headers, expectation, expected, findings);
        checkExtensions(response.headers, expectation, outcome, findings);
        checkSubprotocol(response.headers, expectation, outcome, findings);
    }
    outcome.accepted = findings.isEmpty();
    outcome.violations = findings.violations();
    outcome.explanation = outcome.accepted ? acceptedSentence(outcome) : findings.explanation();
    return outcome;
}

} // namespace HandshakeValidator
} // namespace wsi
