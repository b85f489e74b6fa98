// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ConnectCommandLine.h"

#include "core/profiles/SessionProfile.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace wsi::ConnectCommandLine {
namespace {

// One argument as pieces of literal text and shell variables, in order: quoted as a whole at the end, so that a
// variable stays expandable ("...${NAME}...") and everything else stays literal.
struct Word {
    struct Piece {
        QString text;
        bool variable = false;
    };
    QList<Piece> pieces;

    Word &text(QStringView literal)
    {
        if (!literal.isEmpty())
            pieces.append({literal.toString(), false});
        return *this;
    }
    Word &text(const QString &literal) { return text(QStringView(literal)); }
    Word &variable(const QString &name)
    {
        pieces.append({name, true});
        return *this;
    }
    // Text whose "{{name}}" placeholders (still open in the options) become the shell variable ${name}.
    Word &withPlaceholders(const QString &literal)
    {
        static const QRegularExpression placeholder(QStringLiteral("\\{\\{([A-Za-z_][A-Za-z0-9_.\\-]*)\\}\\}"));
        qsizetype from = 0;
        for (const QRegularExpressionMatch &match : placeholder.globalMatch(literal)) {
            text(QStringView(literal).mid(from, match.capturedStart() - from));
            variable(match.captured(1));
            from = match.capturedEnd();
        }
        return text(QStringView(literal).mid(from));
    }

    QString quoted() const
    {
        bool anyVariable = false;
        QString literal;
        for (const Piece &piece : pieces) {
            anyVariable = anyVariable || piece.variable;
            literal += piece.text;
        }
        if (!anyVariable)
            return shellQuote(literal);
        // Double quotes expand ${NAME} and nothing else once \ " $ and ` are escaped.
        QString out = QStringLiteral("\"");
        for (const Piece &piece : pieces) {
            if (piece.variable) {
                out += QStringLiteral("${") + shellName(piece.text) + u'}';
                continue;
            }
            for (const QChar c : piece.text) {
                if (c == u'\\' || c == u'"' || c == u'$' || c == u'`')
                    out += u'\\';
                out += c;
            }
        }
        return out + u'"';
    }

    // A shell variable name: letters, digits and '_', not starting with a digit ("X-Api-Key" -> X_API_KEY).
    static QString shellName(const QString &name)
    {
        QString out;
        for (const QChar c : name)
            out += (c.isLetterOrNumber() && c.unicode() < 0x80) || c == u'_' ? c : QChar(u'_');
        if (out.isEmpty() || out.front().isDigit())
            out.prepend(u'_');
        return out;
    }
};

// The variable a secret value is written as: the header's or cookie's name in capitals.
QString secretVariable(const QString &prefix, const QString &name)
{
    return Word::shellName(prefix + name).toUpper();
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 12);
}

// QUrl keeps "{{name}}" percent-encoded; the command line shows it as written, to become ${name}.
QString withBraces(QString encoded)
{
    return encoded.replace(QLatin1StringView("%7B%7B"), QLatin1StringView("{{"), Qt::CaseInsensitive)
        .replace(QLatin1StringView("%7D%7D"), QLatin1StringView("}}"), Qt::CaseInsensitive);
}

// The URL with the values of secret-looking query parameters as variables.
Word urlWord(const QUrl &url)
{
    QUrl withoutQuery = url;
    withoutQuery.setQuery(QString());
    Word word;
    word.withPlaceholders(withBraces(withoutQuery.toString()));
    if (!url.hasQuery())
        return word;
    word.text(u"?");
    const QList<QPair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyEncoded);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const auto &[name, value] = items.at(i);
        word.text(i > 0 ? QStringView(u"&") : QStringView()).withPlaceholders(withBraces(name)).text(u"=");
        const QString decodedName = QUrl::fromPercentEncoding(name.toUtf8());
        if (SessionProfile::looksSecret(decodedName))
            word.variable(secretVariable(QString(), decodedName));
        else
            word.withPlaceholders(withBraces(value));
    }
    return word;
}

// The proxy's URL with its password, if any, as ${PROXY_PASSWORD}.
Word proxyWord(const QUrl &proxy)
{
    if (proxy.password().isEmpty())
        return Word().text(proxy.toString());
    QUrl withoutPassword = proxy;
    withoutPassword.setPassword(QString());
    withoutPassword.setUserName(QString());
    const QString rest = withoutPassword.toString();
    const qsizetype afterScheme = rest.indexOf(QLatin1StringView("://")) + 3;
    return Word()
        .text(QStringView(rest).first(afterScheme))
        .text(proxy.userName(QUrl::FullyEncoded))
        .text(u":")
        .variable(QStringLiteral("PROXY_PASSWORD"))
        .text(u"@")
        .text(QStringView(rest).sliced(afterScheme));
}

// --protocol and its settings; the STOMP passcode and MQTT password as ${STOMP_PASSCODE} and ${MQTT_PASSWORD}.
void appendProtocol(QList<Word> &words, const AppProtocolSettings &protocol)
{
    if (!protocol.speaks())
        return;
    const auto option = [&words](const char *name, const QString &value) {
        words.append(Word().text(QLatin1StringView(name)));
        words.append(Word().text(value));
    };
    const AppProtocolSettings defaults;
    option("--protocol", protocol.mode == AppProtocolSettings::Mode::Auto ? QStringLiteral("auto")
                         : protocol.protocol == AppProtocol::SocketIo     ? QStringLiteral("socketio")
                                                                          : AppProtocols::name(protocol.protocol));
    if (!protocol.heartbeats)
        words.append(Word().text(u"--no-protocol-heartbeat"));
    const std::pair<const char *, QString> texts[] = {
        {"--namespace",
         protocol.socketIoNamespace == defaults.socketIoNamespace ? QString() : protocol.socketIoNamespace},
        {"--auth", QString::fromUtf8(protocol.socketIoAuth)},
        {"--stomp-host", protocol.stompHost},
        {"--stomp-login", protocol.stompLogin},
        {"--mqtt-client-id", protocol.mqttClientId},
        {"--mqtt-username", protocol.mqttUsername},
        {"--graphql-init", QString::fromUtf8(protocol.graphqlInitPayload)},
        {"--phoenix-topic", protocol.phoenixTopic},
        {"--actioncable-channel", QString::fromUtf8(protocol.actionCableIdentifier)},
        {"--wamp-realm", protocol.wampRealm}};
    for (const auto &[name, value] : texts) {
        if (!value.isEmpty())
            option(name, value);
    }
    struct Secret {
        const char *flag;
        const char *variable;
        const QString &value;
    };
    for (const Secret &secret : {Secret{"--stomp-passcode", "STOMP_PASSCODE", protocol.stompPasscode},
                                 Secret{"--mqtt-password", "MQTT_PASSWORD", protocol.mqttPassword}}) {
        if (!secret.value.isEmpty()) {
            words.append(Word().text(QLatin1StringView(secret.flag)));
            words.append(Word().variable(QLatin1StringView(secret.variable)));
        }
    }
    if (protocol.stompHeartbeatSendMs != defaults.stompHeartbeatSendMs ||
        protocol.stompHeartbeatReceiveMs != defaults.stompHeartbeatReceiveMs)
        option("--stomp-heartbeat",
               QStringLiteral("%1,%2").arg(protocol.stompHeartbeatSendMs).arg(protocol.stompHeartbeatReceiveMs));
    if (protocol.mqttKeepAliveSeconds != defaults.mqttKeepAliveSeconds)
        option("--mqtt-keepalive", QString::number(protocol.mqttKeepAliveSeconds));
    for (const ProtocolMessage &message : protocol.messages) {
        switch (message.kind) {
        case ProtocolMessage::Kind::Emit:
        case ProtocolMessage::Kind::Invoke:
            option(message.kind == ProtocolMessage::Kind::Emit ? "--emit" : "--invoke", message.target);
            for (const QByteArray &arg : message.args)
                option("--arg", QString::fromUtf8(arg));
            if (message.ack)
                words.append(Word().text(u"--ack"));
            break;
        case ProtocolMessage::Kind::Push:
            words.append(Word().text(QLatin1StringView("--push=") + message.target));
            words.append(Word().text(message.event));
            if (!message.body.trimmed().isEmpty())
                option("--arg", QString::fromUtf8(message.body));
            break;
        case ProtocolMessage::Kind::Perform:
            option("--perform", message.target);
            if (!message.body.trimmed().isEmpty())
                option("--arg", QString::fromUtf8(message.body));
            break;
        case ProtocolMessage::Kind::Subscribe:
            option(protocol.protocol == AppProtocol::Wamp ? "--wamp-subscribe" : "--subscribe", message.target);
            break;
        case ProtocolMessage::Kind::Call:
            option("--wamp-call", message.target);
            for (const QByteArray &arg : message.args)
                option("--arg", QString::fromUtf8(arg));
            break;
        case ProtocolMessage::Kind::Send:
        case ProtocolMessage::Kind::Publish:
            // The target after '=', so that one starting with '-' stays the target.
            words.append(Word().text(
                QLatin1StringView(message.kind == ProtocolMessage::Kind::Send ? "--stomp-send=" : "--publish=") +
                message.target));
            words.append(Word().text(QString::fromUtf8(message.body)));
            break;
        case ProtocolMessage::Kind::Query:
            option("--graphql-subscribe", QString::fromUtf8(message.body));
            break;
        }
    }
}

void appendHeartbeat(QList<Word> &words, const HeartbeatSettings &heartbeat)
{
    const auto flag = [&words](const char *name, const QString &value) {
        words.append(Word().text(QLatin1StringView(name)));
        words.append(Word().withPlaceholders(value));
    };
    if (!heartbeat.preset.isEmpty()) {
        // A preset is a whole heartbeat as its library behaves, misses and all.
        flag("--heartbeat", heartbeat.preset);
    } else {
        switch (heartbeat.kind) {
        case HeartbeatSettings::Kind::None:
            break;
        case HeartbeatSettings::Kind::Ping:
            flag("--ping-interval", seconds(heartbeat.intervalMs));
            break;
        case HeartbeatSettings::Kind::Pong:
            flag("--heartbeat", QStringLiteral("pong:") + seconds(heartbeat.intervalMs));
            break;
        case HeartbeatSettings::Kind::App:
            words.append(Word().text(u"--heartbeat-message"));
            words.append(Word().text(QString::fromUtf8(heartbeat.appMessage)));
            flag("--heartbeat-interval", seconds(heartbeat.intervalMs));
            break;
        }
        if (heartbeat.replyTimeoutMs &&
            (heartbeat.kind == HeartbeatSettings::Kind::Ping || heartbeat.kind == HeartbeatSettings::Kind::App))
            flag("--pong-timeout", seconds(*heartbeat.replyTimeoutMs));
        if (heartbeat.expectsReplies() && heartbeat.missesUntilDead != HeartbeatSettings{}.missesUntilDead)
            flag("--dead-after", QString::number(heartbeat.missesUntilDead));
        if (heartbeat.expectsReplies() && heartbeat.whenDead != HeartbeatSettings::WhenDead::Close)
            flag("--on-dead", heartbeat.whenDead == HeartbeatSettings::WhenDead::Abort ? QStringLiteral("abort")
                                                                                       : QStringLiteral("keep"));
    }
    if (heartbeat.stopAnsweringPingsAfter >= 0)
        flag("--stop-answering-pings-after", QString::number(heartbeat.stopAnsweringPingsAfter));
}

} // namespace

QString shellQuote(const QString &argument)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (safe.match(argument).hasMatch())
        return argument;
    return u'\'' + QString(argument).replace(u'\'', QLatin1StringView("'\\''")) + u'\'';
}

QString build(const SessionOptions &options)
{
    QList<Word> words{Word().text(u"wsinspector-cli"), Word().text(u"connect")};
    const auto flag = [&words](const char *name) { words.append(Word().text(QLatin1StringView(name))); };
    for (const HttpHeader &header : options.headers) {
        const QString name = QString::fromUtf8(header.name);
        flag("-H");
        Word value;
        value.text(name + QStringLiteral(": "));
        const bool secret =
            SessionProfile::looksSecret(name) || options.secretHeaders.contains(name, Qt::CaseInsensitive);
        if (secret)
            value.variable(secretVariable(QString(), name));
        else
            value.withPlaceholders(QString::fromUtf8(header.value));
        words.append(value);
    }
    if (!options.cookies.isEmpty()) {
        // The command line sends cookies as the Cookie header they make.
        flag("-H");
        Word cookie;
        cookie.text(u"Cookie: ");
        for (qsizetype i = 0; i < options.cookies.size(); ++i) {
            const QString name = QString::fromUtf8(options.cookies.at(i).first);
            cookie.text(i == 0 ? QString() : QStringLiteral("; ")).text(name + u'=');
            cookie.variable(secretVariable(QStringLiteral("cookie_"), name));
        }
        words.append(cookie);
    }
    for (const QString &subprotocol : options.subprotocols) {
        flag("--subprotocol");
        words.append(Word().text(subprotocol));
    }
    if (!options.origin.isEmpty()) {
        flag("--origin");
        words.append(Word().withPlaceholders(options.origin));
    }
    if (!options.offerDeflate)
        flag("--no-deflate");
    if (options.tls.ignoreErrors)
        flag("--insecure");
    const std::pair<const char *, QString> files[] = {{"--ca", options.tls.caFile},
                                                      {"--cert", options.tls.clientCertificateFile},
                                                      {"--key", options.tls.clientKeyFile}};
    for (const auto &[name, path] : files) {
        if (!path.isEmpty()) {
            flag(name);
            words.append(Word().text(path));
        }
    }
    if (!options.proxy.isEmpty()) {
        flag("--proxy");
        words.append(proxyWord(options.proxy));
    }
    if (!options.strict)
        flag("--tolerant");
    if (options.limits.maxMessageSize != ProtocolLimits::defaultMaxMessageSize) {
        flag("--max-message");
        words.append(Word().text(QString::number(options.limits.maxMessageSize)));
    }
    if (!options.autoPong)
        flag("--no-auto-pong");
    if (options.hasRules()) {
        // A command line has no room for a document: the rules go in a file the user names.
        flag("--rules");
        words.append(Word().variable(QLatin1StringView(rulesFileVariable)));
    }
    appendHeartbeat(words, options.heartbeat);
    appendProtocol(words, options.protocol);
    if (options.reconnect.enabled) {
        words.append(Word().text(options.reconnect.maxAttempts > 0
                                     ? QStringLiteral("--reconnect=%1").arg(options.reconnect.maxAttempts)
                                     : QStringLiteral("--reconnect")));
        if (options.reconnect.initialDelayMs != ReconnectPolicy{}.initialDelayMs) {
            flag("--reconnect-delay");
            words.append(Word().text(seconds(options.reconnect.initialDelayMs)));
        }
    }
    for (const OnConnectMessage &message : options.onConnectMessages) {
        switch (message.kind) {
        case OnConnectMessage::Kind::Text:
            flag("--send");
            words.append(Word().text(QString::fromUtf8(message.payload)));
            break;
        case OnConnectMessage::Kind::Binary:
            flag("--send-hex");
            words.append(Word().text(QString::fromLatin1(message.payload.toHex())));
            break;
        case OnConnectMessage::Kind::Ping:
            // Always with '=': a payload starting with '-', or an empty one, stays the ping's.
            words.append(Word().text(QStringLiteral("--ping=") + QString::fromUtf8(message.payload)));
            break;
        }
    }
    words.append(urlWord(options.url));

    QStringList quoted;
    for (const Word &word : std::as_const(words))
        quoted.append(word.quoted());
    return quoted.join(u' ');
}

} // namespace wsi::ConnectCommandLine
