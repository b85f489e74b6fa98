// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/HandshakeRequest.h"

#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/HostPort.h"
#include "core/protocol/WebSocketUrl.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>
#include <array>

namespace wsi {
namespace {

constexpr QByteArrayView acceptGuid{"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"};

// How a user's field with a generated name is merged; see buildHandshakeRequest() in the header.
enum class Merge : quint8 { Single, List, Cookie };

struct Field {
    QByteArrayView name;
    Merge merge = Merge::Single;
    QByteArray value;
    bool wanted = false;   // the generated field is sent (before any user override)
    bool fromUser = false; // extraHeaders supplied it
    QByteArray userName;   // the user's spelling of the name
};

Field generated(QByteArrayView name, Merge merge, const QByteArray &value, bool wanted)
{
    Field field;
    field.name = name;
    field.merge = merge;
    field.value = value;
    field.wanted = wanted;
    return field;
}

enum FieldIndex : qsizetype { Host, Upgrade, Connection, Key, Version, Origin, Protocol, Extensions, Cookie, Count };

bool isSafeValue(QByteArrayView value) noexcept
{
    return !value.contains('\r') && !value.contains('\n') && !value.contains('\0');
}

QString latin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes);
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

bool describeTarget(const QUrl &url, QByteArray *host, QByteArray *target, QString *error)
{
    if (url.isEmpty())
        return fail(error, QStringLiteral("No URL was given; a WebSocket URL starts with ws:// or wss://."));
    if (!url.isValid()) {
        // In words, never QUrl's errorString(), which is written for programmers (`scheme = "ws", host = ""`).
        const QString why = WebSocketUrl::problem(url.toString());
        return fail(error, QStringLiteral("The URL is not valid: %1.")
                               .arg(why.isEmpty() ? QStringLiteral("check its host and port") : why));
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1StringView("ws") && scheme != QLatin1StringView("wss")) {
        if (scheme.isEmpty())
            return fail(error, QStringLiteral("The URL has no scheme; a WebSocket URL starts with ws:// or wss://."));
        return fail(error, QStringLiteral("The URL scheme is \"%1\"; a WebSocket URL starts with ws:// or wss:// "
                                          "(ws:// for http://, wss:// for https://).")
                               .arg(scheme));
    }
    // FullyEncoded gives the ACE (punycode) form of an internationalised name, which is what Host must carry.
    const QString hostName = url.host(QUrl::FullyEncoded);
    if (hostName.isEmpty())
        return fail(error, QStringLiteral("The URL %1 has no host.").arg(url.toDisplayString()));
    *host = HostPort::hostField(url);

    *target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target->isEmpty())
        *target = "/";
    if (url.hasQuery())
        *target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return true;
}

bool checkSubprotocols(const QStringList &subprotocols, QString *error)
{
    for (qsizetype i = 0; i < subprotocols.size(); ++i) {
        const QString &protocol = subprotocols[i];
        // RFC 6455 §4.1: each element must be a token, and browsers refuse repeats.
        if (!HttpSyntax::isToken(protocol.toUtf8()))
            return fail(error, QStringLiteral("The subprotocol \"%1\" is not a token: use letters, digits and "
                                              "!#$%&'*+-.^_`|~ only, without spaces or commas.")
                                   .arg(protocol));
        if (subprotocols.indexOf(protocol) < i)
            return fail(error, QStringLiteral("The subprotocol \"%1\" is listed twice.").arg(protocol));
    }
    return true;
}

bool cookieHeaderValue(const QList<QPair<QByteArray, QByteArray>> &cookies, QByteArray *out, QString *error)
{
    for (const auto &[name, value] : cookies) {
        if (!HttpSyntax::isToken(name))
            return fail(error, QStringLiteral("The cookie name %1 is not a token.").arg(HttpSyntax::quoted(name)));
        if (!isSafeValue(value) || value.contains(';'))
            return fail(
                error, QStringLiteral("The value of cookie %1 contains a semicolon, CR, LF or NUL.").arg(latin1(name)));
        if (!out->isEmpty())
            *out += "; ";
        *out += name + '=' + value;
    }
    return true;
}

QList<QByteArray> extensionNames(QByteArrayView headerValue)
{
    QList<QByteArray> names;
    for (const QByteArray &element : HttpSyntax::splitList(headerValue)) {
        const qsizetype semicolon = element.indexOf(';');
        const QByteArrayView name =
            HttpSyntax::trimmed(QByteArrayView(element).first(semicolon < 0 ? element.size() : semicolon));
        if (!name.isEmpty())
            names.append(name.toByteArray());
    }
    return names;
}

} // namespace

QByteArray HandshakeRequest::computeAccept(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(acceptGuid);
    return sha1.result().toBase64();
}

QByteArray HandshakeRequest::generateKey()
{
    std::array<quint32, 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toBase64();
}

std::optional<HandshakeRequest> buildHandshakeRequest(const HandshakeRequestOptions &options, QString *error)
{
    HandshakeRequest request;
    QByteArray host;
    if (!describeTarget(options.url, &host, &request.requestTarget, error))
        return std::nullopt;
    if (!checkSubprotocols(options.subprotocols, error))
        return std::nullopt;
    if (options.deflate) {
        if (const QString problem = DeflateNegotiation::offerProblem(*options.deflate); !problem.isEmpty()) {
            fail(error, QStringLiteral("The permessage-deflate offer is invalid: %1.").arg(problem));
            return std::nullopt;
        }
    }
    QByteArray cookies;
    if (!cookieHeaderValue(options.cookies, &cookies, error))
        return std::nullopt;
    const QByteArray origin = options.origin.toUtf8();
    if (!isSafeValue(origin) || !isSafeValue(options.key)) {
        fail(error, QStringLiteral("The origin or key contains CR, LF or NUL."));
        return std::nullopt;
    }

    std::array<Field, FieldIndex::Count> fields{
        generated("Host", Merge::Single, host, true),
        generated("Upgrade", Merge::List, "websocket", true),
        generated("Connection", Merge::List, "Upgrade", true),
        generated("Sec-WebSocket-Key", Merge::Single, {}, true),
        generated("Sec-WebSocket-Version", Merge::Single, "13", true),
        generated("Origin", Merge::Single, origin, !origin.isEmpty()),
        generated("Sec-WebSocket-Protocol", Merge::List, options.subprotocols.join(QLatin1StringView(", ")).toUtf8(),
                  !options.subprotocols.isEmpty()),
        generated("Sec-WebSocket-Extensions", Merge::List,
                  options.deflate ? DeflateNegotiation::offerHeaderValue(*options.deflate) : QByteArray(),
                  options.deflate.has_value()),
        generated("Cookie", Merge::Cookie, {}, !cookies.isEmpty()),
    };

    HttpHeaders rest;
    for (const HttpHeader &h : options.extraHeaders) {
        if (!HttpSyntax::isToken(h.name)) {
            fail(error, QStringLiteral("The header name %1 is not a token.").arg(HttpSyntax::quoted(h.name)));
            return std::nullopt;
        }
        if (!isSafeValue(h.value)) {
            fail(error, QStringLiteral("The value of header %1 contains CR, LF or NUL.").arg(latin1(h.name)));
            return std::nullopt;
        }
        const auto field = std::find_if(fields.begin(), fields.end(), [&h](const Field &f) {
            return HttpSyntax::equalsIgnoringCase(f.name, h.name);
        });
        if (field == fields.end()) {
            rest.append(h.name, h.value);
            continue;
        }
        if (!field->fromUser) {
            field->fromUser = true;
            field->userName = h.name;
            field->value = h.value;
            continue;
        }
        switch (field->merge) {
        case Merge::Single:
            fail(error, QStringLiteral("The header %1 is given twice; it may appear only once.").arg(latin1(h.name)));
            return std::nullopt;
        case Merge::List:
            field->value += ", " + h.value;
            break;
        case Merge::Cookie:
            field->value += "; " + h.value;
            break;
        }
    }

    Field &keyField = fields[FieldIndex::Key];
    request.key = keyField.fromUser        ? keyField.value
                  : !options.key.isEmpty() ? options.key
                                           : HandshakeRequest::generateKey();
    keyField.value = request.key;
    Field &cookieField = fields[FieldIndex::Cookie];
    if (!cookies.isEmpty())
        cookieField.value = cookieField.value.isEmpty() ? cookies : cookieField.value + "; " + cookies;

    for (const Field &f : fields) {
        if (f.fromUser)
            request.headers.append(f.userName, f.value);
        else if (f.wanted)
            request.headers.append(f.name.toByteArray(), f.value);
    }
    for (const HttpHeader &h : rest)
        request.headers.append(h.name, h.value);

    request.expectedAccept = HandshakeRequest::computeAccept(request.key);
    for (const QByteArray &protocol : request.headers.listElements("Sec-WebSocket-Protocol"))
        request.offeredSubprotocols.append(QString::fromUtf8(protocol));
    const Field &extensionsField = fields[FieldIndex::Extensions];
    if (extensionsField.fromUser) {
        request.offeredExtensions = extensionNames(extensionsField.value);
        const QList<DeflateOffer> offers = DeflateNegotiation::parseOffers(extensionsField.value);
        if (!offers.isEmpty())
            request.deflateOffer = offers.front();
    } else if (options.deflate) {
        request.offeredExtensions = {DeflateNegotiation::extensionName.toByteArray()};
        request.deflateOffer = options.deflate;
    }

    request.bytes = "GET " + request.requestTarget + " HTTP/1.1\r\n" + request.headers.toWire() + "\r\n";
    return request;
}

} // namespace wsi
