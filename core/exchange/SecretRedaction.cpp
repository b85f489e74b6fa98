// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SecretRedaction.h"

#include "core/appprotocol/MqttFieldReader.h"
#include "core/appprotocol/MqttFixedHeader.h"
#include "core/exchange/OrderedJson.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <utility>

namespace wsi {
namespace {

// The words that make a name secret. Drawn from the names credentials travel under in practice: HTTP's own
// (Authorization, cookies), OAuth 2.0 (access_token as a URI query parameter, RFC 6750 §2.3; refresh_token,
// id_token, client_secret), signed URLs (AWS SigV4's X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token;
// Azure SAS's sig; Google's key), session identifiers (PHPSESSID, JSESSIONID, Socket.IO's sid) and the field names
// error trackers scrub by default (password, passwd, secret, api_key, apikey, auth, credentials, token, bearer), and
// STOMP's passcode.
// Whole words only, so "monkey", "author", "keyboard" or "passage" are not matched.
constexpr QLatin1StringView secretWords[] = {
    QLatin1StringView("accesskey"),  QLatin1StringView("accesstoken"),   QLatin1StringView("apikey"),
    QLatin1StringView("auth"),       QLatin1StringView("authorization"), QLatin1StringView("authtoken"),
    QLatin1StringView("bearer"),     QLatin1StringView("clientsecret"),  QLatin1StringView("cookie"),
    QLatin1StringView("credential"), QLatin1StringView("credentials"),   QLatin1StringView("csrf"),
    QLatin1StringView("idtoken"),    QLatin1StringView("jsessionid"),    QLatin1StringView("jwt"),
    QLatin1StringView("key"),        QLatin1StringView("otp"),           QLatin1StringView("pass"),
    QLatin1StringView("passcode"),   QLatin1StringView("passphrase"),    QLatin1StringView("passwd"),
    QLatin1StringView("password"),   QLatin1StringView("phpsessid"),     QLatin1StringView("privatekey"),
    QLatin1StringView("pwd"),        QLatin1StringView("refreshtoken"),  QLatin1StringView("secret"),
    QLatin1StringView("secretkey"),  QLatin1StringView("session"),       QLatin1StringView("sessionid"),
    QLatin1StringView("sessid"),     QLatin1StringView("sid"),           QLatin1StringView("sig"),
    QLatin1StringView("signature"),  QLatin1StringView("token"),         QLatin1StringView("xsrf"),
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

// STOMP: a CONNECT or STOMP frame (the client's first, which carries login and passcode) with the values of its
// secret headers replaced; these two frames are never escaped (STOMP 1.2, Value Encoding). nullopt when it is not
// such a frame or has no secret header.
std::optional<QByteArray> stompCredentials(QByteArrayView data)
{
    if (!data.startsWith("CONNECT\n") && !data.startsWith("CONNECT\r\n") && !data.startsWith("STOMP\n") &&
        !data.startsWith("STOMP\r\n"))
        return std::nullopt;
    QByteArray out;
    out.reserve(data.size());
    bool changed = false;
    qsizetype at = 0;
    bool command = true;
    while (at < data.size()) {
        // A payload cut within the headers ends with part of a line, which is read as one.
        const qsizetype newline = data.indexOf('\n', at);
        const qsizetype lineEnd = newline < 0 ? data.size() : newline;
        QByteArrayView line = data.sliced(at, lineEnd - at);
        const bool carriageReturn = line.endsWith('\r');
        if (carriageReturn)
            line.chop(1);
        at = newline < 0 ? data.size() : newline + 1;
        const qsizetype colon = line.indexOf(':');
        if (!command && colon > 0 && SecretRedaction::isSecretName(QString::fromUtf8(line.first(colon)))) {
            out.append(line.first(colon + 1)).append(placeholderBytes());
            changed = true;
        } else {
            out.append(line);
        }
        if (newline >= 0)
            out.append(carriageReturn ? "\r\n" : "\n");
        else if (carriageReturn)
            out.append('\r');
        command = false;
        if (line.isEmpty())
            break; // the blank line: the body follows, kept
    }
    if (!changed)
        return std::nullopt;
    out.append(data.sliced(at));
    return out;
}

// The body of a CONNECT packet with its password replaced by the placeholder's bytes; nullopt when it has none.
// A CONNECT that may carry a password and cannot be read up to it gets the placeholder for its whole body: which
// of its bytes are the password cannot be told.
std::optional<QByteArray> mqttConnectBody(QByteArrayView body)
{
    MqttFieldReader fields(body);
    // Binary data that only starts like a CONNECT is no packet of MQTT's: its protocol name tells.
    if (const QByteArrayView name = fields.binary("protocol name"); name != "MQTT" && name != "MQIsdp")
        return std::nullopt;
    const int level = fields.byte("protocol level");
    const int flags = fields.byte("connect flags");
    if (!fields.ok())
        return placeholderBytes();
    if (!(flags & 0x40))
        return std::nullopt;
    fields.skip(2, "keep alive");
    if (level == 5)
        fields.skipProperties();
    fields.binary("client identifier");
    if (flags & 0x04) {
        if (level == 5)
            fields.skipProperties();
        fields.binary("will topic");
        fields.binary("will payload");
    }
    if (flags & 0x80)
        fields.binary("user name");
    const qsizetype passwordAt = fields.position();
    fields.binary("password");
    if (!fields.ok())
        return placeholderBytes();
    const QByteArray hidden = placeholderBytes();
    QByteArray out = body.first(passwordAt).toByteArray();
    out.append(char(hidden.size() >> 8)).append(char(hidden.size() & 0xff)).append(hidden);
    out.append(body.sliced(fields.position()));
    return out;
}

// MQTT: the packets of a binary message (mqtt.js writes one per message; several may share one), each CONNECT with
// its password replaced. nullopt when no packet had one.
std::optional<QByteArray> mqttCredentials(QByteArrayView data)
{
    QByteArray out;
    bool changed = false;
    qsizetype copiedUpTo = 0;
    qsizetype at = 0;
    while (at < data.size()) {
        const MqttFixedHeader header = MqttFixedHeader::read(data, at);
        const qsizetype length = qsizetype(header.remainingLength);
        if (header.state != MqttFixedHeader::State::Complete || length > data.size() - at - header.size)
            break; // not a whole packet: kept as it is
        const QByteArrayView body = data.sliced(at + header.size, length);
        if (const std::optional<QByteArray> connect = header.first == 0x10 ? mqttConnectBody(body) : std::nullopt) {
            // Copied from the first change on: most binary messages have no CONNECT and are never copied.
            out.append(data.sliced(copiedUpTo, at - copiedUpTo));
            out.append(char(header.first))
                .append(MqttFixedHeader::encodeRemainingLength(quint32(connect->size())))
                .append(*connect);
            changed = true;
            copiedUpTo = at + header.size + length;
        }
        at += header.size + length;
    }
    if (!changed)
        return std::nullopt;
    out.append(data.sliced(copiedUpTo));
    return out;
}

// A JSON value written compactly, members in their order and numbers as written, with the value of every member
// whose name is secret replaced by the placeholder string; *changed tells whether one was.
void writeRedactedJson(const OrderedJson::Node &node, QString &out, bool *changed)
{
    switch (node.type) {
    case OrderedJson::Node::Type::Object:
    case OrderedJson::Node::Type::Array: {
        const bool object = node.type == OrderedJson::Node::Type::Object;
        out.append(object ? u'{' : u'[');
        for (qsizetype i = 0; i < node.children.size(); ++i) {
            const OrderedJson::Node &child = node.children.at(i);
            if (i > 0)
                out.append(u',');
            if (object) {
                out.append(OrderedJson::quoted(child.name)).append(u':');
                if (SecretRedaction::isSecretName(child.name)) {
                    out.append(OrderedJson::quoted(SecretRedaction::placeholder));
                    *changed = true;
                    continue;
                }
            }
            writeRedactedJson(child, out, changed);
        }
        out.append(object ? u'}' : u']');
        return;
    }
    case OrderedJson::Node::Type::String:
        out.append(OrderedJson::quoted(node.value));
        return;
    case OrderedJson::Node::Type::Number:
    case OrderedJson::Node::Type::Bool:
    case OrderedJson::Node::Type::Null:
        out.append(node.value);
        return;
    }
}

// The same for a decoded value (QJsonValue keeps no member order of its own to keep).
QJsonValue redactedJsonValue(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &element : value.toArray())
            out.append(redactedJsonValue(element));
        return out;
    }
    if (!value.isObject())
        return value;
    QJsonObject out = value.toObject();
    for (auto it = out.begin(); it != out.end(); ++it)
        it.value() = SecretRedaction::isSecretName(it.key()) ? QJsonValue(SecretRedaction::placeholder)
                                                             : redactedJsonValue(it.value());
    return out;
}

bool isSocketIoConnect(QByteArrayView data)
{
    return data.startsWith("40");
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

// Socket.IO: a client's CONNECT packet, "40", the namespace and ',' unless it is "/", then the auth object. Socket.IO
// 2 carried the handshake's query in the namespace instead ("40/admin?token=abc,").
std::optional<QByteArray> SecretRedaction::socketIoCredentials(QByteArrayView data) const
{
    if (!isSocketIoConnect(data))
        return std::nullopt;
    QByteArrayView rest = data.sliced(2);
    QByteArray namespacePart;
    if (rest.startsWith('/')) {
        const qsizetype comma = rest.indexOf(',');
        const QByteArrayView name = comma < 0 ? rest : rest.first(comma + 1);
        namespacePart = name.toByteArray();
        if (const qsizetype question = name.indexOf('?'); question >= 0) {
            const QByteArrayView query = name.sliced(question + 1, name.size() - question - 1 - (comma < 0 ? 0 : 1));
            namespacePart = name.first(question + 1).toByteArray() + this->query(QString::fromUtf8(query)).toUtf8() +
                            (comma < 0 ? QByteArray() : QByteArray(","));
        }
        rest = rest.sliced(name.size());
    }
    bool changed = namespacePart != data.sliced(2, namespacePart.size());
    QString auth;
    if (rest.trimmed().startsWith('{')) {
        const OrderedJson::Result parsed = OrderedJson::parse(rest);
        if (parsed.root && !parsed.cut)
            writeRedactedJson(*parsed.root, auth, &changed);
    }
    if (!changed)
        return std::nullopt;
    return QByteArray("40") + namespacePart + (auth.isEmpty() ? rest.toByteArray() : auth.toUtf8());
}

std::optional<QByteArray> SecretRedaction::protocolPayload(QByteArrayView payload, bool binary, bool fromClient,
                                                           std::optional<AppProtocol> protocol) const
{
    if (!m_enabled || !fromClient || payload.isEmpty())
        return std::nullopt;
    const auto speaks = [&protocol](AppProtocol candidate) { return !protocol || *protocol == candidate; };
    if (binary)
        return speaks(AppProtocol::Mqtt) ? mqttCredentials(payload) : std::nullopt;
    if (speaks(AppProtocol::Stomp))
        if (std::optional<QByteArray> stomp = stompCredentials(payload))
            return stomp;
    if (speaks(AppProtocol::SocketIo))
        return socketIoCredentials(payload);
    return std::nullopt;
}

QJsonArray SecretRedaction::decoded(const QJsonArray &decoded, bool fromClient) const
{
    if (!m_enabled || !fromClient)
        return decoded;
    QJsonArray out;
    for (const QJsonValue &value : decoded) {
        QJsonObject message = value.toObject();
        const QString protocol = message.value(QLatin1StringView("protocol")).toString();
        const QString kind = message.value(QLatin1StringView("kind")).toString();
        if (protocol == AppProtocols::name(AppProtocol::Stomp) &&
            (kind == QLatin1StringView("CONNECT") || kind == QLatin1StringView("STOMP"))) {
            message.insert(QLatin1StringView("headers"),
                           redactedJsonValue(message.value(QLatin1StringView("headers"))));
            // Repeated headers: [[name, value], ...].
            if (message.contains(QLatin1StringView("headerLines"))) {
                QJsonArray lines;
                for (const QJsonValue &line : message.value(QLatin1StringView("headerLines")).toArray()) {
                    const QJsonArray pair = line.toArray();
                    lines.append(pair.size() == 2 && isSecretName(pair.at(0).toString())
                                     ? QJsonArray{pair.at(0), QJsonValue(placeholder)}
                                     : pair);
                }
                message.insert(QLatin1StringView("headerLines"), lines);
            }
        } else if (protocol == AppProtocols::name(AppProtocol::SocketIo) && kind == QLatin1StringView("CONNECT") &&
                   message.contains(QLatin1StringView("data"))) {
            message.insert(QLatin1StringView("data"), redactedJsonValue(message.value(QLatin1StringView("data"))));
        } else if (protocol == AppProtocols::name(AppProtocol::Mqtt) && kind == QLatin1StringView("CONNECT") &&
                   message.contains(QLatin1StringView("passwordLength"))) {
            // MQTT's decoded CONNECT carries the password's length only, which says something of the password
            // too: it becomes what the exported packet decodes to, the placeholder's length.
            const qint64 length = message.value(QLatin1StringView("passwordLength")).toInteger();
            const qint64 hidden = placeholder.size();
            message.insert(QLatin1StringView("passwordLength"), hidden);
            if (message.contains(QLatin1StringView("remainingLength")))
                message.insert(QLatin1StringView("remainingLength"),
                               message.value(QLatin1StringView("remainingLength")).toInteger() - length + hidden);
        }
        out.append(message);
    }
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
