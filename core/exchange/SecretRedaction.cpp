// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SecretRedaction.h"

#include <QRegularExpression>

#include <utility>

namespace wsi {
namespace {

// The words that make a name secret. Drawn from the names credentials travel under in practice: HTTP's own
// (Authorization, cookies), OAuth 2.0 (access_token as a URI query parameter, RFC 6750 §2.3; refresh_token,
// id_token, client_secret), signed URLs (AWS SigV4's X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token;
// Azure SAS's sig; Google's key), session identifiers (PHPSESSID, JSESSIONID, Socket.IO's sid) and the field names
// error trackers scrub by default (password, passwd, secret, api_key, apikey, auth, credentials, token, bearer).
// Whole words only, so "monkey", "author", "keyboard" or "passage" are not matched.
constexpr QLatin1StringView secretWords[] = {
    QLatin1StringView("accesskey"),    QLatin1StringView("accesstoken"),   QLatin1StringView("apikey"),
    QLatin1StringView("auth"),         QLatin1StringView("authorization"), QLatin1StringView("authtoken"),
    QLatin1StringView("bearer"),       QLatin1StringView("clientsecret"),  QLatin1StringView("cookie"),
    QLatin1StringView("credential"),   QLatin1StringView("credentials"),   QLatin1StringView("csrf"),
    QLatin1StringView("idtoken"),      QLatin1StringView("jsessionid"),    QLatin1StringView("jwt"),
    QLatin1StringView("key"),          QLatin1StringView("otp"),           QLatin1StringView("pass"),
    QLatin1StringView("passphrase"),   QLatin1StringView("passwd"),        QLatin1StringView("password"),
    QLatin1StringView("phpsessid"),    QLatin1StringView("privatekey"),    QLatin1StringView("pwd"),
    QLatin1StringView("refreshtoken"), QLatin1StringView("secret"),        QLatin1StringView("secretkey"),
    QLatin1StringView("session"),      QLatin1StringView("sessionid"),     QLatin1StringView("sessid"),
    QLatin1StringView("sid"),          QLatin1StringView("sig"),           QLatin1StringView("signature"),
    QLatin1StringView("token"),        QLatin1StringView("xsrf"),
};

// The handshake's nonce and the server's proof of it (RFC 6455 §4.2.2): they authenticate nothing and a reader
// of the export needs them to check the handshake.
constexpr QByteArrayView protocolHeaders[] = {"sec-websocket-key", "sec-websocket-accept"};
// CORS fields say which credentials and headers a browser may send ("Access-Control-Allow-Credentials: true",
// "Access-Control-Allow-Headers: authorization"), never a credential itself.
constexpr QByteArrayView corsPrefix = "access-control-";

QByteArray placeholderBytes()
{
    return QByteArray(SecretRedaction::placeholder.data(), SecretRedaction::placeholder.size());
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber();
}

bool isSecretWord(QStringView word)
{
    for (const QLatin1StringView secret : secretWords) {
        if (word.compare(secret, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// A run of letters and digits: secret as a whole ("aUtHoRiZaTiOn" is still Authorization) or by one of its
// camel-case words ("apiKey", "accessToken").
bool isSecretSegment(QStringView segment)
{
    if (isSecretWord(segment))
        return true;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= segment.size(); ++i) {
        if (i < segment.size() && !(segment.at(i).isUpper() && segment.at(i - 1).isLower()))
            continue;
        if (isSecretWord(segment.mid(start, i - start)))
            return true;
        start = i;
    }
    return false;
}

bool startsWithIgnoringCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && HttpSyntax::equalsIgnoringCase(text.first(prefix.size()), prefix);
}

// Kubernetes' API server reads a bearer token from this subprotocol, for browsers that cannot set Authorization.
constexpr QByteArrayView kubernetesBearerPrefix = "base64url.bearer.authorization.k8s.io.";

bool looksLikeJwt(QByteArrayView element)
{
    static const QRegularExpression jwt(QStringLiteral("^eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$"));
    return jwt.match(QString::fromLatin1(element)).hasMatch();
}

// One subprotocol name, redacted when it is itself a token.
QByteArray subprotocolElement(const QByteArray &element, bool followsSecretWord)
{
    if (startsWithIgnoringCase(element, kubernetesBearerPrefix))
        return element.first(kubernetesBearerPrefix.size()) + placeholderBytes();
    if (followsSecretWord || looksLikeJwt(element))
        return placeholderBytes();
    return element;
}

QByteArray joined(const QList<QByteArray> &parts, QByteArrayView separator)
{
    QByteArray out;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += separator;
        out += parts.at(i);
    }
    return out;
}

// "name=value" with the value replaced; a part without '=' has no value to hide.
QByteArray cookiePair(QByteArrayView pair)
{
    const QByteArrayView trimmed = HttpSyntax::trimmed(pair);
    const qsizetype equals = trimmed.indexOf('=');
    if (equals < 0)
        return trimmed.toByteArray();
    return trimmed.first(equals + 1).toByteArray() + placeholderBytes();
}

} // namespace

SecretRedaction::SecretRedaction(QStringList secretHeaders)
    : m_secretHeaders(std::move(secretHeaders))
{}

SecretRedaction SecretRedaction::keepingSecrets()
{
    SecretRedaction redaction;
    redaction.m_enabled = false;
    return redaction;
}

bool SecretRedaction::isSecretName(QStringView name)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i <= name.size(); ++i) {
        if (i < name.size() && isWordChar(name.at(i)))
            continue;
        if (i > start && isSecretSegment(name.mid(start, i - start)))
            return true;
        start = i + 1;
    }
    return false;
}

bool SecretRedaction::isSecretHeader(QByteArrayView name) const
{
    for (const QString &secret : m_secretHeaders) {
        if (HttpSyntax::equalsIgnoringCase(secret.toUtf8(), name))
            return true;
    }
    for (const QByteArrayView protocolHeader : protocolHeaders) {
        if (HttpSyntax::equalsIgnoringCase(name, protocolHeader))
            return false;
    }
    if (startsWithIgnoringCase(name, corsPrefix))
        return false;
    return isSecretName(QString::fromLatin1(name));
}

QByteArray SecretRedaction::headerValue(QByteArrayView name, const QByteArray &value) const
{
    if (!m_enabled || value.isEmpty())
        return value;
    if (HttpSyntax::equalsIgnoringCase(name, "sec-websocket-protocol") && !isSecretHeader(name))
        return subprotocols(value);
    if (!isSecretHeader(name))
        return value;
    const QByteArray hidden = placeholderBytes();
    if (HttpSyntax::equalsIgnoringCase(name, "authorization") ||
        HttpSyntax::equalsIgnoringCase(name, "proxy-authorization")) {
        // The scheme says what kind of credential it was (Bearer, Basic, Digest) without giving it away.
        const qsizetype space = value.indexOf(' ');
        if (space > 0 && HttpSyntax::isToken(QByteArrayView(value).first(space)))
            return value.first(space) + ' ' + hidden;
        return hidden;
    }
    if (HttpSyntax::equalsIgnoringCase(name, "cookie")) {
        QList<QByteArray> pairs;
        for (const QByteArray &pair : value.split(';')) {
            if (!HttpSyntax::trimmed(pair).isEmpty())
                pairs.append(cookiePair(pair));
        }
        return joined(pairs, "; ");
    }
    if (HttpSyntax::equalsIgnoringCase(name, "set-cookie")) {
        // Only the first pair is the cookie; Path, Expires, HttpOnly ... are no secret and tell how it was set.
        const qsizetype semicolon = value.indexOf(';');
        if (semicolon < 0)
            return cookiePair(value);
        return cookiePair(QByteArrayView(value).first(semicolon)) + value.mid(semicolon);
    }
    return hidden;
}

QByteArray SecretRedaction::subprotocols(const QByteArray &value) const
{
    const QList<QByteArray> elements = HttpSyntax::splitList(value);
    QList<QByteArray> out;
    bool changed = false;
    bool previousSecret = false;
    for (const QByteArray &element : elements) {
        out.append(subprotocolElement(element, previousSecret));
        const bool redacted = out.last() != element;
        changed = changed || redacted;
        // A marker such as "access_token" or "bearer" announces the token that follows it.
        previousSecret = !redacted && isSecretName(QString::fromLatin1(element));
    }
    return changed ? joined(out, ", ") : value;
}

HttpHeaders SecretRedaction::headers(const HttpHeaders &headers) const
{
    if (!m_enabled)
        return headers;
    HttpHeaders out;
    for (const HttpHeader &header : headers)
        out.append(header.name, headerValue(header.name, header.value));
    return out;
}

QString SecretRedaction::query(const QString &encodedQuery) const
{
    if (!m_enabled)
        return encodedQuery;
    QStringList parts = encodedQuery.split(u'&');
    for (QString &part : parts) {
        const qsizetype equals = part.indexOf(u'=');
        if (equals < 0)
            continue;
        // Form encoding writes spaces as '+'; the name is compared decoded.
        const QString name = QUrl::fromPercentEncoding(part.first(equals).replace(u'+', u' ').toUtf8());
        if (isSecretName(name) && equals + 1 < part.size())
            part = part.first(equals + 1) + placeholder;
    }
    return parts.join(u'&');
}

QUrl SecretRedaction::url(const QUrl &url) const
{
    if (!m_enabled)
        return url;
    QUrl out = url;
    if (url.hasQuery())
        out.setQuery(query(url.query(QUrl::FullyEncoded)), QUrl::TolerantMode);
    // A token after '#' is never sent, but it is in the URL the user typed (OAuth's implicit flow puts one there).
    if (url.hasFragment())
        out.setFragment(query(url.fragment(QUrl::FullyEncoded)), QUrl::TolerantMode);
    if (!url.password().isEmpty())
        out.setPassword(placeholder);
    return out;
}

QByteArray SecretRedaction::rawHead(const QByteArray &raw) const
{
    if (!m_enabled || raw.isEmpty())
        return raw;
    QByteArray out;
    out.reserve(raw.size());
    qsizetype at = 0;
    bool startLine = true;
    bool interim = false;      // the head being read is a 1xx response: another head follows its blank line
    bool secretFolded = false; // the previous field was secret: a folded continuation line belongs to its value
    while (at < raw.size()) {
        const qsizetype newline = raw.indexOf('\n', at);
        const qsizetype lineEnd = newline < 0 ? raw.size() : newline + 1;
        QByteArrayView line = QByteArrayView(raw).sliced(at, lineEnd - at);
        QByteArrayView ending;
        for (const QByteArrayView terminator : {QByteArrayView("\r\n"), QByteArrayView("\n")}) {
            if (line.endsWith(terminator)) {
                ending = line.last(terminator.size());
                line.chop(terminator.size());
                break;
            }
        }
        at = lineEnd;
        if (startLine) {
            startLine = false;
            if (line.startsWith("HTTP/")) {
                const QList<QByteArray> words = line.toByteArray().split(' ');
                interim = words.size() > 1 && words.at(1).startsWith('1');
                out.append(line).append(ending);
                continue;
            }
            // "GET /path?query HTTP/1.1": the target's query, as in the URL.
            const qsizetype firstSpace = line.indexOf(' ');
            const qsizetype lastSpace = line.lastIndexOf(' ');
            const qsizetype question = line.indexOf('?');
            if (firstSpace > 0 && question > firstSpace && lastSpace > question) {
                const QByteArrayView target = line.sliced(question + 1, lastSpace - question - 1);
                out.append(line.first(question + 1))
                    .append(query(QString::fromLatin1(target)).toLatin1())
                    .append(line.sliced(lastSpace))
                    .append(ending);
            } else {
                out.append(line).append(ending);
            }
            continue;
        }
        if (line.isEmpty()) {
            out.append(ending);
            // The end of a head: after an interim response the final one starts; otherwise the body, kept.
            if (interim && QByteArrayView(raw).sliced(at).startsWith("HTTP/")) {
                startLine = true;
                continue;
            }
            out.append(QByteArrayView(raw).sliced(at));
            break;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (!secretFolded)
                out.append(line).append(ending);
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        secretFolded = false;
        if (colon <= 0) {
            out.append(line).append(ending);
            continue;
        }
        const QByteArrayView name = line.first(colon);
        const QByteArray value = HttpSyntax::trimmed(line.sliced(colon + 1)).toByteArray();
        const QByteArray redacted = headerValue(name, value);
        if (redacted == value) {
            out.append(line).append(ending);
            continue;
        }
        secretFolded = true;
        out.append(name).append(": ").append(redacted).append(ending);
    }
    return out;
}

HandshakeRecord SecretRedaction::handshake(const HandshakeRecord &record) const
{
    if (!m_enabled)
        return record;
    HandshakeRecord out = record;
    out.requestBytes = rawHead(record.requestBytes);
    out.requestHeaders = headers(record.requestHeaders);
    out.response.raw = rawHead(record.response.raw);
    out.response.headers = headers(record.response.headers);
    if (!record.subprotocol.isEmpty())
        out.subprotocol = QString::fromLatin1(subprotocolElement(record.subprotocol.toLatin1(), false));
    return out;
}

SecretRedaction SecretRedaction::forSession(const SessionRecords &session) const
{
    SecretRedaction redaction = *this;
    if (m_enabled)
        redaction.m_secretHeaders.append(session.secretHeaders);
    return redaction;
}

SessionRecords SecretRedaction::session(const SessionRecords &session) const
{
    if (!m_enabled)
        return session;
    const SecretRedaction redaction = forSession(session);
    SessionRecords out = session;
    out.url = redaction.url(session.url);
    out.handshake = redaction.handshake(session.handshake);
    return out;
}

} // namespace wsi
