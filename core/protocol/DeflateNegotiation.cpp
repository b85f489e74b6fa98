// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/DeflateNegotiation.h"

#include "core/protocol/HttpHeaders.h"

#include <QStringList>

namespace wsi::DeflateNegotiation {
namespace {

constexpr QByteArrayView serverNoContextTakeover{"server_no_context_takeover"};
constexpr QByteArrayView clientNoContextTakeover{"client_no_context_takeover"};
constexpr QByteArrayView serverMaxWindowBits{"server_max_window_bits"};
constexpr QByteArrayView clientMaxWindowBits{"client_max_window_bits"};

QString latin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes);
}

// Splits an element on ';' outside quoted strings, keeping empty pieces: unlike commas between list elements, an
// empty parameter is a syntax error that must be reported.
QList<QByteArrayView> splitParameters(QByteArrayView element)
{
    QList<QByteArrayView> pieces;
    qsizetype start = 0;
    bool inQuotes = false;
    for (qsizetype i = 0; i < element.size(); ++i) {
        const char c = element[i];
        if (inQuotes) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inQuotes = false;
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == ';') {
            pieces.append(element.sliced(start, i - start));
            start = i + 1;
        }
    }
    pieces.append(element.sliced(qMin(start, element.size())));
    return pieces;
}

// RFC 7692 §7.1.2: "1*DIGIT" without leading zeros, 8 to 15. Returns the problem, or empty when valid.
QString windowBitsProblem(QByteArrayView name, QByteArrayView value, int *bits)
{
    const QString shown = latin1(name) + u'=' + HttpSyntax::quoted(value, 20);
    if (value.isEmpty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return shown + QStringLiteral(" is not a decimal integer");
    if (value.size() > 1 && value.front() == '0')
        return shown + QStringLiteral(" has a leading zero");
    if (value.size() > 2)
        return shown + QStringLiteral(" is outside 8-15");
    const int n = value.size() == 1 ? value[0] - '0' : (value[0] - '0') * 10 + (value[1] - '0');
    if (n < minWindowBits || n > maxWindowBits)
        return shown + QStringLiteral(" is outside 8-15");
    *bits = n;
    return {};
}

// The parameters of one permessage-deflate element after the checks common to offers and answers: names known,
// none repeated, no value on the no_context_takeover flags, window values valid when present.
struct ParsedDeflateElement {
    // "named": the parameter appears at all, whatever its value; the other members hold only valid values.
    bool namedServerNoContextTakeover = false;
    bool namedClientNoContextTakeover = false;
    bool namedServerMaxWindowBits = false;
    bool namedClientMaxWindowBits = false;
    bool serverMaxWindowBitsHasValue = false;
    bool clientMaxWindowBitsHasValue = false;
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    std::optional<int> serverMaxWindowBits;
    std::optional<int> clientMaxWindowBits;
    QStringList problems;
};

ParsedDeflateElement parseDeflateParameters(const ExtensionElement &element)
{
    ParsedDeflateElement parsed;
    for (const ExtensionParameter &p : element.parameters) {
        const QString name = latin1(p.name);
        const bool isServerFlag = p.name == serverNoContextTakeover;
        const bool isServerWindow = p.name == serverMaxWindowBits;
        if (isServerFlag || p.name == clientNoContextTakeover) {
            bool &named = isServerFlag ? parsed.namedServerNoContextTakeover : parsed.namedClientNoContextTakeover;
            if (named) {
                parsed.problems.append(QStringLiteral("parameter %1 appears more than once").arg(name));
                continue;
            }
            named = true;
            if (p.value) {
                parsed.problems.append(
                    QStringLiteral("%1 must not have a value (it has %2)").arg(name, HttpSyntax::quoted(*p.value, 20)));
            } else {
                (isServerFlag ? parsed.serverNoContextTakeover : parsed.clientNoContextTakeover) = true;
            }
        } else if (isServerWindow || p.name == clientMaxWindowBits) {
            bool &named = isServerWindow ? parsed.namedServerMaxWindowBits : parsed.namedClientMaxWindowBits;
            if (named) {
                parsed.problems.append(QStringLiteral("parameter %1 appears more than once").arg(name));
                continue;
            }
            named = true;
            if (!p.value)
                continue;
            (isServerWindow ? parsed.serverMaxWindowBitsHasValue : parsed.clientMaxWindowBitsHasValue) = true;
            int bits = 0;
            const QString problem = windowBitsProblem(p.name, *p.value, &bits);
            if (!problem.isEmpty())
                parsed.problems.append(problem);
            else
                (isServerWindow ? parsed.serverMaxWindowBits : parsed.clientMaxWindowBits) = bits;
        } else {
            parsed.problems.append(QStringLiteral("unknown parameter %1").arg(HttpSyntax::quoted(p.name, 40)));
        }
    }
    return parsed;
}

void appendParameter(QByteArray &out, QByteArrayView name, std::optional<int> value = std::nullopt)
{
    out += "; ";
    out += name;
    if (value) {
        out += '=';
        out += QByteArray::number(*value);
    }
}

bool windowInRange(int bits) noexcept
{
    return bits >= minWindowBits && bits <= maxWindowBits;
}

} // namespace

std::optional<ExtensionElement> parseExtensionElement(QByteArrayView element, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QList<QByteArrayView> pieces = splitParameters(element);
    ExtensionElement result;
    const QByteArrayView name = HttpSyntax::trimmed(pieces.front());
    if (!HttpSyntax::isToken(name))
        return fail(QStringLiteral("extension name %1 is not a token").arg(HttpSyntax::quoted(name, 40)));
    result.name = name.toByteArray();
    for (qsizetype i = 1; i < pieces.size(); ++i) {
        const QByteArrayView piece = HttpSyntax::trimmed(pieces[i]);
        if (piece.isEmpty())
            return fail(QStringLiteral("parameter %1 of %2 is empty").arg(i).arg(latin1(name)));
        const qsizetype eq = piece.indexOf('=');
        const QByteArrayView paramName = HttpSyntax::trimmed(eq < 0 ? piece : piece.first(eq));
        if (!HttpSyntax::isToken(paramName))
            return fail(QStringLiteral("parameter name %1 is not a token").arg(HttpSyntax::quoted(paramName, 40)));
        ExtensionParameter parameter{paramName.toByteArray(), std::nullopt};
        if (eq >= 0) {
            const QByteArrayView raw = HttpSyntax::trimmed(piece.sliced(eq + 1));
            QByteArray value;
            if (raw.startsWith('"')) {
                const std::optional<QByteArray> unquoted = HttpSyntax::unquote(raw);
                if (!unquoted)
                    return fail(QStringLiteral("value of %1 is a malformed quoted string: %2")
                                    .arg(latin1(paramName), HttpSyntax::quoted(raw, 40)));
                value = *unquoted;
            } else {
                value = raw.toByteArray();
            }
            // RFC 6455 §9.1: a quoted value must still be a token once unquoted.
            if (!HttpSyntax::isToken(value))
                return fail(QStringLiteral("value of %1 is not a token: %2")
                                .arg(latin1(paramName), HttpSyntax::quoted(raw, 40)));
            parameter.value = value;
        }
        result.parameters.append(parameter);
    }
    return result;
}

QByteArray offerHeaderValue(const DeflateOffer &offer)
{
    QByteArray out = extensionName.toByteArray();
    if (offer.serverNoContextTakeover)
        appendParameter(out, serverNoContextTakeover);
    if (offer.clientNoContextTakeover)
        appendParameter(out, clientNoContextTakeover);
    if (offer.serverMaxWindowBits)
        appendParameter(out, serverMaxWindowBits, *offer.serverMaxWindowBits);
    if (offer.clientMaxWindowBitsValue)
        appendParameter(out, clientMaxWindowBits, *offer.clientMaxWindowBitsValue);
    else if (offer.clientMaxWindowBits)
        appendParameter(out, clientMaxWindowBits);
    return out;
}

QString offerProblem(const DeflateOffer &offer)
{
    if (offer.serverMaxWindowBits && !windowInRange(*offer.serverMaxWindowBits))
        return QStringLiteral("server_max_window_bits=%1 is outside 8-15").arg(*offer.serverMaxWindowBits);
    if (offer.clientMaxWindowBitsValue && !windowInRange(*offer.clientMaxWindowBitsValue))
        return QStringLiteral("client_max_window_bits=%1 is outside 8-15").arg(*offer.clientMaxWindowBitsValue);
    return {};
}

DeflateResponseCheck checkResponse(QByteArrayView element, const DeflateOffer &offer)
{
    const QString where =
        QStringLiteral("Sec-WebSocket-Extensions element %1: ").arg(HttpSyntax::quoted(HttpSyntax::trimmed(element)));
    DeflateResponseCheck check;
    QString syntaxError;
    const std::optional<ExtensionElement> parsedElement = parseExtensionElement(element, &syntaxError);
    if (!parsedElement) {
        check.problems = syntaxError;
        check.violation = Violation{ViolationRule::HandshakeBadExtensionParameters, where + syntaxError};
        return check;
    }
    if (parsedElement->name != extensionName) {
        check.problems = QStringLiteral("the extension is %1, not permessage-deflate")
                             .arg(HttpSyntax::quoted(parsedElement->name, 40));
        check.violation = Violation{ViolationRule::HandshakeUnofferedExtension, where + check.problems};
        return check;
    }

    ParsedDeflateElement parsed = parseDeflateParameters(*parsedElement);
    // A response states sizes; only an offer may name a window parameter without a value.
    if (parsed.namedServerMaxWindowBits && !parsed.serverMaxWindowBitsHasValue)
        parsed.problems.append(QStringLiteral("server_max_window_bits has no value; a response must give one"));
    if (parsed.namedClientMaxWindowBits && !parsed.clientMaxWindowBitsHasValue)
        parsed.problems.append(QStringLiteral("client_max_window_bits has no value; a response must give one"));

    const bool offeredClientWindow = offer.clientMaxWindowBits || offer.clientMaxWindowBitsValue.has_value();
    if (parsed.namedClientMaxWindowBits && !offeredClientWindow) {
        parsed.problems.append(
            QStringLiteral("client_max_window_bits is present but the offer did not include client_max_window_bits"));
    } else if (parsed.clientMaxWindowBits && offer.clientMaxWindowBitsValue &&
               *parsed.clientMaxWindowBits > *offer.clientMaxWindowBitsValue) {
        parsed.problems.append(QStringLiteral("client_max_window_bits=%1 is larger than the %2 the offer announced")
                                   .arg(*parsed.clientMaxWindowBits)
                                   .arg(*offer.clientMaxWindowBitsValue));
    }
    if (offer.serverMaxWindowBits) {
        if (!parsed.namedServerMaxWindowBits) {
            parsed.problems.append(QStringLiteral("server_max_window_bits is missing but the offer asked for "
                                                  "server_max_window_bits=%1; a server accepts it by confirming it")
                                       .arg(*offer.serverMaxWindowBits));
        } else if (parsed.serverMaxWindowBits && *parsed.serverMaxWindowBits > *offer.serverMaxWindowBits) {
            parsed.problems.append(QStringLiteral("server_max_window_bits=%1 is larger than the %2 the offer asked for")
                                       .arg(*parsed.serverMaxWindowBits)
                                       .arg(*offer.serverMaxWindowBits));
        }
    }
    if (offer.serverNoContextTakeover && !parsed.namedServerNoContextTakeover) {
        parsed.problems.append(QStringLiteral("server_no_context_takeover is missing but the offer asked for it; a "
                                              "server accepts it by confirming it"));
    }

    if (!parsed.problems.isEmpty()) {
        check.problems = parsed.problems.join(QLatin1StringView("; "));
        check.violation = Violation{ViolationRule::HandshakeBadExtensionParameters, where + check.problems};
        return check;
    }
    DeflateParameters agreed;
    agreed.serverNoContextTakeover = parsed.serverNoContextTakeover;
    // The offer's client_no_context_takeover is a promise the client keeps whatever the answer (RFC 7692 §7.1.1.2).
    agreed.clientNoContextTakeover = parsed.clientNoContextTakeover || offer.clientNoContextTakeover;
    agreed.serverMaxWindowBits = parsed.serverMaxWindowBits.value_or(maxWindowBits);
    agreed.clientMaxWindowBits =
        parsed.clientMaxWindowBits.value_or(offer.clientMaxWindowBitsValue.value_or(maxWindowBits));
    check.parameters = agreed;
    return check;
}

std::optional<DeflateOffer> parseOffer(QByteArrayView element, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString syntaxError;
    const std::optional<ExtensionElement> parsedElement = parseExtensionElement(element, &syntaxError);
    if (!parsedElement)
        return fail(syntaxError);
    if (parsedElement->name != extensionName)
        return fail(QStringLiteral("%1 is not permessage-deflate").arg(HttpSyntax::quoted(parsedElement->name, 40)));
    ParsedDeflateElement parsed = parseDeflateParameters(*parsedElement);
    // In an offer only client_max_window_bits may stand without a value (RFC 7692 §7.1.2.1, §7.1.2.2).
    if (parsed.namedServerMaxWindowBits && !parsed.serverMaxWindowBitsHasValue)
        parsed.problems.append(QStringLiteral("server_max_window_bits has no value"));
    if (!parsed.problems.isEmpty())
        return fail(parsed.problems.join(QLatin1StringView("; ")));
    DeflateOffer offer;
    offer.serverNoContextTakeover = parsed.serverNoContextTakeover;
    offer.clientNoContextTakeover = parsed.clientNoContextTakeover;
    offer.serverMaxWindowBits = parsed.serverMaxWindowBits;
    offer.clientMaxWindowBits = parsed.namedClientMaxWindowBits;
    offer.clientMaxWindowBitsValue = parsed.clientMaxWindowBits;
    return offer;
}

QList<DeflateOffer> parseOffers(QByteArrayView headerValue)
{
    QList<DeflateOffer> offers;
    for (const QByteArray &element : HttpSyntax::splitList(headerValue)) {
        if (std::optional<DeflateOffer> offer = parseOffer(element))
            offers.append(*offer);
    }
    return offers;
}

std::optional<DeflateAcceptance> accept(const QList<DeflateOffer> &offers, const DeflateServerPolicy &policy)
{
    // zlib refuses an 8-bit window for raw deflate streams, so 9 is the smallest window our compressor can keep to.
    constexpr int smallestCompressorWindow = 9;
    if (policy.serverMaxWindowBits < smallestCompressorWindow || policy.serverMaxWindowBits > maxWindowBits)
        return std::nullopt;
    if (policy.clientMaxWindowBits && !windowInRange(*policy.clientMaxWindowBits))
        return std::nullopt;

    for (const DeflateOffer &offer : offers) {
        if (!offerProblem(offer).isEmpty())
            continue;
        const int serverBits = qMin(offer.serverMaxWindowBits.value_or(maxWindowBits), policy.serverMaxWindowBits);
        if (serverBits < smallestCompressorWindow)
            continue;
        // RFC 7692 §7.1.2.2: the client's window may only be named when the offer named client_max_window_bits.
        const bool clientWindowNamed = offer.clientMaxWindowBits || offer.clientMaxWindowBitsValue.has_value();
        const int clientBits = clientWindowNamed ? qMin(offer.clientMaxWindowBitsValue.value_or(maxWindowBits),
                                                        policy.clientMaxWindowBits.value_or(maxWindowBits))
                                                 : maxWindowBits;

        DeflateAcceptance acceptance;
        DeflateParameters &p = acceptance.parameters;
        p.serverNoContextTakeover = offer.serverNoContextTakeover || policy.serverNoContextTakeover;
        p.clientNoContextTakeover = offer.clientNoContextTakeover || policy.clientNoContextTakeover;
        p.serverMaxWindowBits = serverBits;
        p.clientMaxWindowBits = clientBits;

        QByteArray &out = acceptance.responseHeaderValue;
        out = extensionName.toByteArray();
        if (p.serverNoContextTakeover)
            appendParameter(out, serverNoContextTakeover);
        if (p.clientNoContextTakeover)
            appendParameter(out, clientNoContextTakeover);
        // Confirming a requested window is how the offer is accepted (RFC 7692 §7.1.2.1), even when it is 15.
        if (offer.serverMaxWindowBits || serverBits < maxWindowBits)
            appendParameter(out, serverMaxWindowBits, serverBits);
        if (clientWindowNamed && clientBits < maxWindowBits)
            appendParameter(out, clientMaxWindowBits, clientBits);
        return acceptance;
    }
    return std::nullopt;
}

} // namespace wsi::DeflateNegotiation
