// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ConnectArguments.h"

#include "app/cli/ProfilesArguments.h"
#include "core/keepalive/HeartbeatPresets.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/ProfileVariables.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/text/DurationText.h"

#include <QFileInfo>
#include <QSet>

#include <cmath>

namespace wsi::cli {
namespace {

// QTimer takes milliseconds as an int.
constexpr double maxDurationSeconds = 2147483.0;
// RFC 6455 §5.5: control frame payloads are at most 125 bytes, so a Close reason is at most 123 after the code.
constexpr qsizetype maxPingPayload = 125;
constexpr qsizetype maxCloseReason = 123;
// Below this a heartbeat is a flood, not a keepalive.
constexpr qint64 minHeartbeatIntervalMs = 10;

enum class ValueKind : quint8 { None, Required, Optional };

struct OptionSpec {
    const char *name;
    ValueKind value;
};

constexpr OptionSpec options[] = {
    {"header", ValueKind::Required},
    {"subprotocol", ValueKind::Required},
    {"origin", ValueKind::Required},
    {"no-deflate", ValueKind::None},
    {"send", ValueKind::Required},
    {"send-hex", ValueKind::Required},
    {"ping", ValueKind::Optional},
    {"close", ValueKind::Optional},
    {"duration", ValueKind::Required},
    {"no-auto-pong", ValueKind::None},
    {"tolerant", ValueKind::None},
    {"insecure", ValueKind::None},
    {"ca", ValueKind::Required},
    {"cert", ValueKind::Required},
    {"key", ValueKind::Required},
    {"proxy", ValueKind::Required},
    {"max-message", ValueKind::Required},
    {"json", ValueKind::None},
    {"record", ValueKind::Required},
    {"help", ValueKind::None},
    {"profile", ValueKind::Required},
    {"var", ValueKind::Required},
    // The heartbeat engine and auto-reconnect.
    {"ping-interval", ValueKind::Required},
    {"pong-timeout", ValueKind::Required},
    {"heartbeat-message", ValueKind::Required},
    {"heartbeat-interval", ValueKind::Required},
    {"heartbeat", ValueKind::Required},
    {"dead-after", ValueKind::Required},
    {"on-dead", ValueKind::Required},
    {"stop-answering-pings-after", ValueKind::Required},
    {"reconnect", ValueKind::Optional},
    {"reconnect-delay", ValueKind::Required},
};

const OptionSpec *findOption(const QString &name)
{
    for (const OptionSpec &spec : options) {
        if (name == QLatin1StringView(spec.name))
            return &spec;
    }
    return nullptr;
}

std::optional<QByteArray> parseHex(const QString &text, QString *error)
{
    QByteArray digits;
    digits.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        // Separators people paste from hex dumps.
        if (c == u' ' || c == u'\t' || c == u':')
            continue;
        if (!c.isDigit() && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F')) {
            *error = QStringLiteral("'%1' is not a hexadecimal digit (position %2)").arg(c).arg(i + 1);
            return std::nullopt;
        }
        digits.append(char(c.unicode()));
    }
    if (digits.size() % 2 != 0) {
        *error = QStringLiteral("odd number of hexadecimal digits (%1); each byte needs two").arg(digits.size());
        return std::nullopt;
    }
    return QByteArray::fromHex(digits);
}

QString checkReadableFile(const QString &option, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 '%2': no such file").arg(option, path);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("%1 '%2': not a readable file").arg(option, path);
    return {};
}

class Parser
{
public:
    explicit Parser(const QStringList &arguments)
        : m_arguments(arguments)
    {}

    ConnectParseResult parse();

private:
    // An optional value is the next argument unless that looks like an option or, while the URL is still to
    // come, like the URL.
    bool nextIsOptionalValue() const
    {
        if (m_next >= m_arguments.size())
            return false;
        const QString &next = m_arguments.at(m_next);
        if (next.size() > 1 && next.startsWith(u'-'))
            return false;
        return m_url || !next.contains(QLatin1StringView("://"));
    }
    QString applyOption(const QString &written, const OptionSpec &spec, const std::optional<QString> &inlineValue);
    QString applyClose(const QString &written, const std::optional<QString> &inlineValue);
    QString applyHeartbeatOption(QLatin1StringView name, const QString &written, const QString &value);
    QString applyReconnect(const QString &written, const std::optional<QString> &inlineValue);
    QString finishHeartbeat();
    QString finish();
    QString loadProfile();
    QString applyVariable(const QString &written, const QString &value);
    QString fillProfileValues();

    // --profile: the profile's options are the starting point and the other flags override them. A repeatable
    // flag replaces the profile's list on its first use (the profile's -H of the same name, its subprotocols, its
    // on-connect messages) and appends after that, as it would without a profile.
    std::optional<SessionProfile> m_profile;
    QSet<QByteArray> m_overriddenHeaders; // lower-case names
    bool m_subprotocolsOverridden = false;
    bool m_messagesOverridden = false;
    // --var NAME=VALUE in command-line order (a later one wins).
    QList<QPair<QString, QString>> m_variables;
    void overrideMessages()
    {
        if (m_profile && !m_messagesOverridden)
            m_out.session.onConnectMessages.clear();
        m_messagesOverridden = true;
    }

    const QStringList &m_arguments;
    qsizetype m_next = 0;
    std::optional<QString> m_url;
    ConnectArguments m_out;

    // The heartbeat flags, combined in finishHeartbeat() once all are known.
    std::optional<HeartbeatSpec> m_heartbeatSpec; // --heartbeat
    std::optional<qint64> m_pingIntervalMs;
    std::optional<qint64> m_pongTimeoutMs;
    std::optional<QByteArray> m_heartbeatMessage;
    std::optional<qint64> m_heartbeatIntervalMs;
    std::optional<int> m_deadAfter;
    std::optional<HeartbeatSettings::WhenDead> m_onDead;
    std::optional<int> m_stopAnsweringAfter;
    std::optional<qint64> m_reconnectDelayMs;
};

// A whole number in [minimum, INT_MAX], or nothing.
std::optional<int> parseCount(const QString &text, int minimum)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum)
        return std::nullopt;
    return value;
}

ConnectParseResult Parser::parse()
{
    // --help wins over everything else, even over errors, so a half-typed command line can still ask for help.
    for (const QString &argument : m_arguments) {
        if (argument == QLatin1StringView("--"))
            break;
        if (argument == QLatin1StringView("--help") || argument == QLatin1StringView("-h")) {
            m_out.help = true;
            return {m_out, {}};
        }
    }
    if (QString error = loadProfile(); !error.isEmpty())
        return {std::nullopt, error};

    bool optionsEnded = false;
    while (m_next < m_arguments.size()) {
        const QString argument = m_arguments.at(m_next++);
        if (optionsEnded || argument.size() < 2 || !argument.startsWith(u'-')) {
            if (m_url)
                return {std::nullopt,
                        QStringLiteral("unexpected argument '%1' (the URL is '%2')").arg(argument, *m_url)};
            m_url = argument;
            continue;
        }
        if (argument == QLatin1StringView("--")) {
            optionsEnded = true;
            continue;
        }

        QString name;
        QString written;
        std::optional<QString> inlineValue;
        if (argument.startsWith(QLatin1StringView("--"))) {
            const qsizetype equals = argument.indexOf(u'=');
            name = argument.mid(2, equals < 0 ? -1 : equals - 2);
            if (equals >= 0)
                inlineValue = argument.mid(equals + 1);
            written = QStringLiteral("--") + name;
        } else if (argument.at(1) == u'H') {
            name = QStringLiteral("header");
            written = QStringLiteral("-H");
            if (argument.size() > 2)
                inlineValue = argument.mid(2); // -H"Name: value", as curl allows
        } else {
            return {std::nullopt, QStringLiteral("unknown option '%1'").arg(argument)};
        }

        const OptionSpec *spec = findOption(name);
        if (!spec)
            return {std::nullopt, QStringLiteral("unknown option '%1'").arg(written)};
        if (spec->value == ValueKind::None && inlineValue)
            return {std::nullopt, QStringLiteral("option '%1' takes no value").arg(written)};
        const QString error = applyOption(written, *spec, inlineValue);
        if (!error.isEmpty())
            return {std::nullopt, error};
    }
    const QString error = finish();
    if (!error.isEmpty())
        return {std::nullopt, error};
    return {m_out, {}};
}

QString Parser::applyOption(const QString &written, const OptionSpec &spec, const std::optional<QString> &inlineValue)
{
    const QLatin1StringView name(spec.name);
    QString value;
    if (spec.value == ValueKind::Required) {
        if (inlineValue) {
            value = *inlineValue;
        } else if (m_next < m_arguments.size()) {
            value = m_arguments.at(m_next++);
        } else {
            return QStringLiteral("option '%1' needs a value").arg(written);
        }
    }
    SessionOptions &session = m_out.session;

    if (name == QLatin1StringView("header")) {
        const qsizetype colon = value.indexOf(u':');
        const QString headerName = value.left(std::max<qsizetype>(colon, 0)).trimmed();
        if (colon < 0 || headerName.isEmpty())
            return QStringLiteral("%1 '%2': expected \"Name: value\"").arg(written, value);
        const QByteArray lowerName = headerName.toUtf8().toLower();
        if (m_profile && !m_overriddenHeaders.contains(lowerName)) {
            session.headers.removeAll(lowerName);
            // The profile's cookies are its Cookie header: the one given replaces them rather than being merged
            // with them (and with their secret values the file does not keep).
            if (lowerName == "cookie")
                session.cookies.clear();
            m_overriddenHeaders.insert(lowerName);
        }
        session.headers.append(headerName.toUtf8(), value.mid(colon + 1).trimmed().toUtf8());
    } else if (name == QLatin1StringView("profile")) {
        // Applied by loadProfile() before every other option, so that they override it wherever they are.
    } else if (name == QLatin1StringView("var")) {
        return applyVariable(written, value);
    } else if (name == QLatin1StringView("subprotocol")) {
        if (m_profile && !m_subprotocolsOverridden)
            session.subprotocols.clear();
        m_subprotocolsOverridden = true;
        session.subprotocols.append(value);
    } else if (name == QLatin1StringView("origin")) {
        session.origin = value;
    } else if (name == QLatin1StringView("no-deflate")) {
        session.offerDeflate = false;
    } else if (name == QLatin1StringView("send")) {
        overrideMessages();
        session.onConnectMessages.append({OnConnectMessage::Kind::Text, value.toUtf8()});
    } else if (name == QLatin1StringView("send-hex")) {
        QString error;
        const auto bytes = parseHex(value, &error);
        if (!bytes)
            return QStringLiteral("%1 '%2': %3").arg(written, value, error);
        overrideMessages();
        session.onConnectMessages.append({OnConnectMessage::Kind::Binary, *bytes});
    } else if (name == QLatin1StringView("ping")) {
        if (inlineValue)
            value = *inlineValue;
        else if (nextIsOptionalValue())
            value = m_arguments.at(m_next++);
        const QByteArray payload = value.toUtf8();
        if (payload.size() > maxPingPayload)
            return QStringLiteral("%1: the payload is %2 bytes; a ping carries at most %3 (RFC 6455 §5.5)")
                .arg(written)
                .arg(payload.size())
                .arg(maxPingPayload);
        overrideMessages();
        session.onConnectMessages.append({OnConnectMessage::Kind::Ping, payload});
    } else if (name == QLatin1StringView("close")) {
        return applyClose(written, inlineValue);
    } else if (name == QLatin1StringView("duration")) {
        bool ok = false;
        const double seconds = value.toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > maxDurationSeconds)
            return QStringLiteral("%1 '%2': expected a number of seconds greater than 0").arg(written, value);
        m_out.durationSeconds = seconds;
    } else if (name == QLatin1StringView("no-auto-pong")) {
        session.autoPong = false;
    } else if (name == QLatin1StringView("tolerant")) {
        session.strict = false;
    } else if (name == QLatin1StringView("insecure")) {
        session.tls.ignoreErrors = true;
    } else if (name == QLatin1StringView("ca") || name == QLatin1StringView("cert") ||
               name == QLatin1StringView("key")) {
        const QString error = checkReadableFile(written, value);
        if (!error.isEmpty())
            return error;
        if (name == QLatin1StringView("ca"))
            session.tls.caFile = value;
        else if (name == QLatin1StringView("cert"))
            session.tls.clientCertificateFile = value;
        else
            session.tls.clientKeyFile = value;
    } else if (name == QLatin1StringView("proxy")) {
        const QUrl proxy(value, QUrl::StrictMode);
        const QString scheme = proxy.scheme().toLower();
        if (!proxy.isValid() || (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("socks5")) ||
            proxy.host().isEmpty())
            return QStringLiteral("%1 '%2': expected http://[user:pass@]host:port or socks5://[user:pass@]host:port")
                .arg(written, value);
        session.proxy = proxy;
    } else if (name == QLatin1StringView("max-message")) {
        bool ok = false;
        const qulonglong bytes = value.toULongLong(&ok);
        if (!ok || bytes == 0)
            return QStringLiteral("%1 '%2': expected a number of bytes greater than 0").arg(written, value);
        // A frame larger than the largest message could never be part of one.
        session.limits.maxMessageSize = bytes;
        session.limits.maxFramePayload = bytes;
    } else if (name == QLatin1StringView("json")) {
        m_out.json = true;
    } else if (name == QLatin1StringView("record")) {
        if (value.isEmpty())
            return QStringLiteral("%1: expected a file name").arg(written);
        m_out.recordFile = value;
    } else if (name == QLatin1StringView("reconnect")) {
        return applyReconnect(written, inlineValue);
    } else {
        return applyHeartbeatOption(name, written, value);
    }
    return {};
}

QString Parser::applyHeartbeatOption(QLatin1StringView name, const QString &written, const QString &value)
{
    const auto duration = [&](std::optional<qint64> &target, qint64 minimumMs) -> QString {
        QString error;
        const auto ms = DurationText::parseMs(value, &error);
        if (!ms)
            return QStringLiteral("%1 '%2': %3").arg(written, value, error);
        if (*ms < minimumMs)
            return QStringLiteral("%1 '%2': must be at least %3").arg(written, value, DurationText::format(minimumMs));
        target = *ms;
        return {};
    };
    if (name == QLatin1StringView("ping-interval"))
        return duration(m_pingIntervalMs, minHeartbeatIntervalMs);
    if (name == QLatin1StringView("heartbeat-interval"))
        return duration(m_heartbeatIntervalMs, minHeartbeatIntervalMs);
    if (name == QLatin1StringView("pong-timeout"))
        return duration(m_pongTimeoutMs, 1);
    if (name == QLatin1StringView("reconnect-delay"))
        return duration(m_reconnectDelayMs, 0);
    if (name == QLatin1StringView("heartbeat-message")) {
        if (value.isEmpty())
            return QStringLiteral("%1: the message is empty").arg(written);
        m_heartbeatMessage = value.toUtf8();
        return {};
    }
    if (name == QLatin1StringView("heartbeat")) {
        QString error;
        m_heartbeatSpec = HeartbeatSpec::parse(value, Endpoint::Client, HeartbeatPresets::builtIn(), &error);
        if (!m_heartbeatSpec)
            return QStringLiteral("%1 %2").arg(written, error);
        return {};
    }
    if (name == QLatin1StringView("dead-after")) {
        m_deadAfter = parseCount(value, 1);
        if (!m_deadAfter)
            return QStringLiteral("%1 '%2': expected a number of missed pongs, 1 or more").arg(written, value);
        return {};
    }
    if (name == QLatin1StringView("on-dead")) {
        if (value == QLatin1StringView("close"))
            m_onDead = HeartbeatSettings::WhenDead::Close;
        else if (value == QLatin1StringView("abort"))
            m_onDead = HeartbeatSettings::WhenDead::Abort;
        else if (value == QLatin1StringView("keep"))
            m_onDead = HeartbeatSettings::WhenDead::KeepOpen;
        else
            return QStringLiteral("%1 '%2': expected close, abort or keep").arg(written, value);
        return {};
    }
    if (name == QLatin1StringView("stop-answering-pings-after")) {
        m_stopAnsweringAfter = parseCount(value, 0);
        if (!m_stopAnsweringAfter)
            return QStringLiteral("%1 '%2': expected a number of pings, 0 or more").arg(written, value);
        return {};
    }
    return QStringLiteral("unknown option '%1'").arg(written);
}

QString Parser::applyReconnect(const QString &written, const std::optional<QString> &inlineValue)
{
    ReconnectPolicy &policy = m_out.session.reconnect;
    policy.enabled = true;
    policy.maxAttempts = 0;
    std::optional<QString> maxText = inlineValue;
    // MAX is optional: only a plain number right after it is taken, so "--reconnect ws://..." still reads the URL.
    if (!maxText && nextIsOptionalValue()) {
        bool isNumber = false;
        m_arguments.at(m_next).toInt(&isNumber);
        if (isNumber)
            maxText = m_arguments.at(m_next++);
    }
    if (!maxText)
        return {};
    const auto max = parseCount(*maxText, 0);
    if (!max)
        return QStringLiteral("%1 '%2': expected the largest number of attempts in a row (0: no limit)")
            .arg(written, *maxText);
    policy.maxAttempts = *max;
    return {};
}

QString Parser::finishHeartbeat()
{
    HeartbeatSettings &heartbeat = m_out.session.heartbeat;
    if (m_heartbeatSpec && (m_pingIntervalMs || m_heartbeatMessage || m_heartbeatIntervalMs))
        return QStringLiteral("--heartbeat sets the whole heartbeat; it does not combine with --ping-interval, "
                              "--heartbeat-message or --heartbeat-interval");
    if (m_pingIntervalMs && (m_heartbeatMessage || m_heartbeatIntervalMs))
        return QStringLiteral("--ping-interval (protocol pings) and --heartbeat-message/--heartbeat-interval "
                              "(an application message) are two kinds of heartbeat: choose one");
    if (m_heartbeatMessage.has_value() != m_heartbeatIntervalMs.has_value())
        return m_heartbeatMessage
                   ? QStringLiteral("--heartbeat-message needs --heartbeat-interval S (how often)")
                   : QStringLiteral("--heartbeat-interval needs --heartbeat-message TEXT (what to send)");

    if (m_heartbeatSpec) {
        heartbeat = m_heartbeatSpec->toSettings();
        if (heartbeat.kind == HeartbeatSettings::Kind::App && heartbeat.appMessage.isEmpty())
            heartbeat.appMessage = QByteArrayLiteral("2"); // what an Engine.IO ping looks like
    } else if (m_pingIntervalMs) {
        heartbeat = HeartbeatSettings{}; // a profile's heartbeat is replaced, not mixed with this one
        heartbeat.kind = HeartbeatSettings::Kind::Ping;
        heartbeat.intervalMs = *m_pingIntervalMs;
    } else if (m_heartbeatMessage) {
        heartbeat = HeartbeatSettings{};
        heartbeat.kind = HeartbeatSettings::Kind::App;
        heartbeat.intervalMs = *m_heartbeatIntervalMs;
        heartbeat.appMessage = *m_heartbeatMessage;
    }
    const bool repliesPossible =
        heartbeat.kind == HeartbeatSettings::Kind::Ping || heartbeat.kind == HeartbeatSettings::Kind::App;
    if (m_pongTimeoutMs) {
        if (!repliesPossible)
            return QStringLiteral("--pong-timeout needs a heartbeat that expects a reply (--ping-interval, "
                                  "--heartbeat-message or a --heartbeat with pings)");
        heartbeat.replyTimeoutMs = m_pongTimeoutMs;
    }
    if ((m_deadAfter || m_onDead) && !heartbeat.expectsReplies())
        return QStringLiteral("%1 needs a heartbeat whose replies are awaited (--ping-interval, or "
                              "--heartbeat-message with --pong-timeout)")
            .arg(m_deadAfter ? QStringLiteral("--dead-after") : QStringLiteral("--on-dead"));
    if (m_deadAfter)
        heartbeat.missesUntilDead = *m_deadAfter;
    if (m_onDead)
        heartbeat.whenDead = *m_onDead;
    if (m_stopAnsweringAfter)
        heartbeat.stopAnsweringPingsAfter = *m_stopAnsweringAfter;
    if (m_reconnectDelayMs) {
        if (!m_out.session.reconnect.enabled)
            return QStringLiteral("--reconnect-delay needs --reconnect");
        m_out.session.reconnect.initialDelayMs = *m_reconnectDelayMs;
        m_out.session.reconnect.maxDelayMs = std::max(m_out.session.reconnect.maxDelayMs, *m_reconnectDelayMs);
    }
    return {};
}

QString Parser::applyClose(const QString &written, const std::optional<QString> &inlineValue)
{
    m_out.close = true;
    m_out.closeCode = 1000;
    m_out.closeReason.clear();
    std::optional<QString> codeText = inlineValue;
    if (!codeText && nextIsOptionalValue())
        codeText = m_arguments.at(m_next++);
    if (!codeText)
        return {};
    bool ok = false;
    const uint code = codeText->toUInt(&ok);
    if (!ok || code > 65535)
        return QStringLiteral("%1 '%2': not a close code (1000-1003, 1007-1014 or 3000-4999)").arg(written, *codeText);
    if (!CloseCodes::isValidOnWire(quint16(code)))
        return QStringLiteral("%1 %2: %3").arg(written, *codeText, CloseCodes::whyInvalidOnWire(quint16(code)));
    m_out.closeCode = quint16(code);
    if (nextIsOptionalValue()) {
        m_out.closeReason = m_arguments.at(m_next++);
        const qsizetype bytes = m_out.closeReason.toUtf8().size();
        if (bytes > maxCloseReason)
            return QStringLiteral("%1: the reason is %2 bytes in UTF-8; a Close frame has room for %3 (RFC 6455 §5.5)")
                .arg(written)
                .arg(bytes)
                .arg(maxCloseReason);
    }
    return {};
}

QString Parser::finish()
{
    SessionOptions &session = m_out.session;
    if (!m_url && m_profile)
        m_url = ProfileVariables::decodeUrlPlaceholders(m_profile->options.url.toString(QUrl::FullyEncoded));
    if (!m_url)
        return QStringLiteral("missing the URL to connect to (ws://host[:port][/path] or wss://...)");
    // With a profile "{{name}}" may stand in the path and query, the command line's URL included; QUrl refuses
    // braces, so they are kept percent-encoded until the variables are filled in.
    const QUrl url(m_profile ? ProfileVariables::encodeUrlPlaceholders(*m_url) : *m_url, QUrl::StrictMode);
    if (!url.isValid())
        return QStringLiteral("URL '%1' is not valid: %2").arg(*m_url, url.errorString());
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1StringView("ws") && scheme != QLatin1StringView("wss"))
        return QStringLiteral("URL '%1': the scheme must be ws:// or wss://").arg(*m_url);
    if (url.host().isEmpty())
        return QStringLiteral("URL '%1' has no host").arg(*m_url);
    session.url = url;

    if (session.tls.clientCertificateFile.isEmpty() != session.tls.clientKeyFile.isEmpty())
        return QStringLiteral("--cert and --key go together: a client certificate needs its private key");
    if (QString heartbeatError = finishHeartbeat(); !heartbeatError.isEmpty())
        return heartbeatError;
    if (!m_variables.isEmpty() && !m_profile)
        return QStringLiteral("--var fills in the {{variables}} of a profile: it needs --profile");
    if (m_profile) {
        if (QString error = fillProfileValues(); !error.isEmpty())
            return error;
    }
    // Secrets still to come from the keychain are checked again once they are in (ConnectCommand).
    return checkHandshakeOptions(session);
}

QString Parser::applyVariable(const QString &written, const QString &value)
{
    // The value is never repeated in a message: it may be a secret.
    const qsizetype equals = value.indexOf(u'=');
    if (equals < 0)
        return QStringLiteral("%1 '%2': expected NAME=VALUE").arg(written, value);
    const QString name = value.left(equals);
    if (!ProfileVariables::isValidName(name))
        return QStringLiteral("%1: '%2' is not a variable name (a letter or '_', then letters, digits, '_', '.' or "
                              "'-'; \"secret\" is reserved)")
            .arg(written, name);
    // A profile keeps an empty value as "ask when connecting": an empty answer cannot be told from none.
    if (equals + 1 == value.size())
        return QStringLiteral("%1 %2=: the value is empty").arg(written, name);
    m_variables.append({name, value.mid(equals + 1)});
    return {};
}

QString Parser::fillProfileValues()
{
    // The profile as the flags left it, so that the variables are filled in wherever ProfileVariables fills them
    // in the window (URL, header values, Origin, cookie values), including what a flag put there.
    SessionProfile merged = *m_profile;
    merged.options = m_out.session;

    QStringList known = ProfileVariables::referencedNames(merged);
    for (const ProfileVariable &variable : std::as_const(merged.variables)) {
        if (!known.contains(variable.name))
            known.append(variable.name);
    }
    const auto setValue = [&merged](const QString &name, const QString &value) {
        for (ProfileVariable &variable : merged.variables) {
            if (variable.name == name) {
                variable.value = value;
                return;
            }
        }
        merged.variables.append({name, value, false});
    };
    // The command line over the environment over the profile's own values (the keychain's come later, for what
    // is still open).
    for (const QString &name : std::as_const(known)) {
        const QByteArray variableName = QByteArray(variableEnvironmentPrefix) + name.toUtf8();
        const QString fromEnvironment = qEnvironmentVariable(variableName.constData());
        if (!fromEnvironment.isEmpty())
            setValue(name, fromEnvironment);
    }
    for (const auto &[name, value] : std::as_const(m_variables)) {
        if (!known.contains(name))
            return QStringLiteral("--var %1: profile '%2' has no variable '%1' (%3)")
                .arg(name, m_profile->name,
                     known.isEmpty() ? QStringLiteral("it has none")
                                     : QStringLiteral("it has ") + known.join(QStringLiteral(", ")));
        setValue(name, value);
    }

    QStringList missing;
    bool secretsOpen = false;
    for (const ProfileVariables::Question &question : ProfileVariables::unanswered(merged)) {
        if (question.kind == ProfileVariables::Question::Kind::Variable && !question.secret)
            missing.append(question.name);
        else
            secretsOpen = true;
    }
    // Every missing name at once: one corrected command line, not one per attempt.
    if (!missing.isEmpty()) {
        QStringList flags;
        QStringList environment;
        for (const QString &name : std::as_const(missing)) {
            flags.append(QStringLiteral("--var %1=VALUE").arg(name));
            environment.append(QStringLiteral("$") + QLatin1StringView(variableEnvironmentPrefix) + name);
        }
        return QStringLiteral("profile '%1': no value for %2 '%3'; give %4 with %5 (or in %6)")
            .arg(m_profile->name, missing.size() == 1 ? QStringLiteral("variable") : QStringLiteral("variables"),
                 missing.join(QStringLiteral("', '")),
                 missing.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"), flags.join(u' '),
                 environment.join(QStringLiteral(", ")));
    }
    if (secretsOpen) {
        m_out.profileAwaitingSecrets = merged;
        return {};
    }
    QString error;
    const std::optional<SessionOptions> resolved = ProfileVariables::resolve(merged, &error);
    if (!resolved)
        return error;
    m_out.session = *resolved;
    return {};
}

QString Parser::loadProfile()
{
    std::optional<QString> reference;
    for (qsizetype i = 0; i < m_arguments.size(); ++i) {
        const QString &argument = m_arguments.at(i);
        if (argument == QLatin1StringView("--"))
            break;
        if (argument == QLatin1StringView("--profile")) {
            if (i + 1 >= m_arguments.size())
                return QStringLiteral("option '--profile' needs a value");
            reference = m_arguments.at(++i);
        } else if (argument.startsWith(QLatin1StringView("--profile="))) {
            reference = argument.mid(qsizetype(sizeof("--profile=")) - 1);
        }
    }
    if (!reference)
        return {};
    QString error;
    // A path that exists is a file; anything else is a name in the profile directory ($WSI_PROFILE_DIR or the
    // default), the same one `profiles list` shows.
    if (QFileInfo(*reference).isFile())
        m_profile = ProfileStore::readProfileFile(*reference, &error);
    else
        m_profile = ProfileStore(profileDirectory({})).load(*reference, &error);
    if (!m_profile)
        return QStringLiteral("--profile: ") + error;
    m_out.session = m_profile->options;
    return {};
}

} // namespace

ConnectParseResult parseConnectArguments(const QStringList &arguments)
{
    return Parser(arguments).parse();
}

QString checkHandshakeOptions(const SessionOptions &options)
{
    // Build the request once now, so that a header or subprotocol the handshake cannot carry is a usage error
    // naming it instead of a failed connection.
    QString error;
    if (!buildHandshakeRequest(options.handshakeRequestOptions(), &error))
        return QStringLiteral("the opening handshake cannot be built from these options: ") + error;
    return {};
}

QString connectHelpText()
{
    return QStringLiteral(R"(Usage: wsinspector-cli connect [options] URL
       wsinspector-cli connect --profile NAME|FILE [options] [URL]

Opens a WebSocket connection to URL (ws:// or wss://) with WS Inspector's own RFC 6455 client, sends what the
options ask for, and prints everything that crosses the connection: the opening handshake, every frame in both
directions (control frames included) with any protocol violation and its RFC section, whole messages after
reassembly and inflation, and how the connection ended.

Without --close or --duration it runs until the server closes the connection. SIGINT (Ctrl-C) or SIGTERM sends
a Close frame with 1000 and ends as a clean close would; a second one drops the connection.

Profile:
  --profile NAME|FILE         Start from a saved profile (a file, else a name in $WSI_PROFILE_DIR or the profile
                              directory; see 'wsinspector-cli profiles'): its URL, headers, TLS, proxy, limits,
                              heartbeat, reconnect and on-connect messages. Other options override it: a URL
                              replaces its URL, -H NAME replaces its NAME headers, --subprotocol its
                              subprotocols, --send/--send-hex/--ping its on-connect messages, -H Cookie its
                              cookies.
  --var NAME=VALUE            Fill in the profile's {{NAME}} (repeatable), wherever the window does: the URL's
                              path and query (percent-encoded there), header values, Origin and cookie values,
                              including those given by the options above. $WSI_VAR_NAME (NAME as written) gives
                              a value too; --var wins over it, and it over the profile's own value. A profile
                              variable without a value is an error listing every missing name, as is a --var
                              the profile does not use.
  Secrets (header values the profile marks secret, cookie values, secret variables) are never in profile files:
  the values the window saved are read from the OS keychain (Secret Service, macOS Keychain, Windows Credential
  Manager) under the profile's name, waiting at most 30 s. A secret without a value there, or without a keychain
  to ask, is an error naming it and the option that gives it: -H "Name: value", -H "Cookie: ...", --var. Giving
  every secret on the command line leaves the keychain alone.

Request:
  -H, --header "Name: value"  Extra request header (repeatable, sent in order; replaces a generated field of
                              the same name, e.g. Host or Sec-WebSocket-Extensions).
  --subprotocol NAME          Offer this subprotocol (repeatable).
  --origin ORIGIN             Send an Origin header.
  --no-deflate                Do not offer permessage-deflate.

Traffic (in command-line order, once the connection is open):
  --send TEXT                 Send a text message (repeatable).
  --send-hex HEX              Send a binary message given in hex; spaces and colons are ignored ("01 ff:7e").
  --ping [TEXT]               Send a ping, with TEXT as its payload when given (at most 125 bytes).
  --close [CODE [REASON]]     After the messages and pings, send a Close frame with CODE (default 1000) and
                              REASON (at most 123 bytes), then wait for the server's. CODE must be one an
                              endpoint may send: 1000-1003, 1007-1014 or 3000-4999.
  --duration SECONDS          Stay connected this long after the handshake, then close (with 1000, or with the
                              code and reason of --close when both are given).
  --no-auto-pong              Do not answer the server's pings.

Heartbeat (while the connection is open; durations in seconds, or with a unit: 500ms, 2s, 1m):
  --ping-interval S           Send a protocol ping every S (payload "wsi-hb-N") and measure each pong's round
                              trip.
  --pong-timeout S            A pong later than S after its ping is a miss (default: the interval). Misses in
                              a row make the heartbeat late, then dead.
  --heartbeat-message TEXT    With --heartbeat-interval S: send TEXT (plain text or JSON) as a text message
  --heartbeat-interval S      every S instead of pings. "{{seq}}" in TEXT becomes 1, 2, ... and "{{now_ms}}"
                              the time in ms since 1970. With --pong-timeout, any message from the server
                              counts as the reply.
  --heartbeat PRESET|SPEC     Behave like a known client stack (browser, python-websockets, dotnet ...) or
                              as SPEC: none, ping:S[,timeout=S], pong:S, app:S[,timeout=S]. A preset gives
                              up at the first miss, as its library does.
  --dead-after N              Misses in a row before the heartbeat is dead (default 2; fewer are "late").
  --on-dead close|abort|keep  When dead: close (default; Close 1011 "keepalive ping timeout", then the TCP
                              connection, as Python websockets does), abort (drop TCP without a Close, as
                              Node ws's terminate()), or keep the connection and only report it.
  --stop-answering-pings-after N
                              Answer the server's first N pings, then no more: plays a hung client whose
                              TCP connection stays up (0: never answer; see also --no-auto-pong).
  --reconnect [MAX]           When the connection ends without our own clean close, open a new one after an
                              exponential backoff (1 s, 2 s, 4 s ... up to 30 s, less up to half of it at
                              random: "equal jitter"), at most MAX times in a row (default: no limit; the
                              count starts over after a connection that lasted 5 s). The --send, --send-hex
                              and --ping messages are sent again on each new connection (auth, subscribe).
  --reconnect-delay S         The first reconnect delay (default 1 s); later ones double.

Optional values: --ping and --close take the next argument as their value unless it starts with '-' or, before
the URL has been given, contains "://". --ping=TEXT and --close=CODE always take the value after '=' (use them
for a text starting with '-' or an empty one); a REASON follows CODE as the next argument under the same rule.
Required values may also be written --option=value. "--" ends the options.

Protocol and limits:
  --tolerant                  Record protocol violations and go on, instead of failing the connection as a
                              browser does (the default).
  --max-message BYTES         Largest frame and message accepted (after inflation); default 64 MiB.

TLS and proxy:
  --insecure                  Connect despite certificate errors (they are still reported).
  --ca FILE                   Trust the CA certificates in this PEM file, on top of the system's.
  --cert FILE, --key FILE     Client certificate and its unencrypted private key (PEM), for mutual TLS.
  --proxy URL                 Connect through http://[user:pass@]host:port or socks5://[user:pass@]host:port.

Output:
  --json                      One JSON object per line instead of the transcript, each with "event" and "t"
                              (seconds since start): handshake, frame, message, heartbeat (each pong with
                              "rtt_ms", each miss, with "missed" in a row and "state" healthy, late or
                              dead), reconnect ("attempt", "delay_ms"), error, close. Payloads are UTF-8
                              text, or base64 with "payload_encoding": "base64" for binary or non-UTF-8
                              data, cut at 4 KiB with "truncated": true.
  --record FILE               Also record the session to FILE (a WS Inspector recording, SQLite): every frame
                              with its whole payload, the handshake, heartbeat events, the close and the
                              diagnosis, committed every 100 ms, so a killed process loses at most that. With
                              --reconnect, connection N goes to FILE-N (before the suffix). Open it with
                              wsinspector FILE, or use it with export, diagnose and simulate --from. An existing
                              recording is replaced; any other existing file is left alone (exit status 4).
  -h, --help                  Show this help.

Exit status:
  0  the connection was closed cleanly (both Close frames), or --duration was reached
     (with --reconnect: the last connection's end decides)
  1  the handshake failed: no TCP connection, a refusal (non-101), an invalid 101, a timeout
  2  usage error: unknown option, bad URL, bad hex, bad close code, unreadable file, a missing or
     invalid --profile, a profile variable or secret without a value ...
  3  abnormal end: the connection dropped without a closing handshake, a protocol violation failed it, or TLS
     failed (also when TLS fails during the connection's setup, before the HTTP handshake)
  4  --record: the recording could not be created or written (the connection is closed at once)
)");
}

} // namespace wsi::cli
