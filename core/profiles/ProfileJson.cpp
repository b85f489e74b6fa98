// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ProfileJson.h"

#include "core/profiles/ProfileVariables.h"
#include "core/rules/RuleFile.h"
#include "core/session/SessionRules.h"
#include "core/text/JsonTypeName.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

namespace wsi {
namespace {

// Thrown inside fromJson only, so that every reader can stop at the first problem without a half-filled profile
// escaping; caught before fromJson returns.
struct FieldError {
    QString path;
    QString message;
};

[[noreturn]] void fail(const QString &path, const QString &expected, const QJsonValue &found)
{
    throw FieldError{path, QStringLiteral("expected %1, found %2").arg(expected, jsonTypeName(found))};
}

QString join(const QString &path, QLatin1StringView key)
{
    return path.isEmpty() ? QString(key) : path + u'.' + key;
}

// Reads the fields of one JSON object, keeping the path for messages.
class ObjectReader
{
public:
    ObjectReader(QJsonObject object, QString path)
        : m_object(std::move(object))
        , m_path(std::move(path))
    {}

    QString path(QLatin1StringView key) const { return join(m_path, key); }
    const QJsonObject &json() const noexcept { return m_object; }

    QString string(QLatin1StringView key, const QString &fallback, bool required = false) const
    {
        const QJsonValue value = present(key, QStringLiteral("a string"), required);
        if (value.isUndefined())
            return fallback;
        if (!value.isString())
            fail(path(key), QStringLiteral("a string"), value);
        return value.toString();
    }
    bool boolean(QLatin1StringView key, bool fallback) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        if (!value.isBool())
            fail(path(key), QStringLiteral("true or false"), value);
        return value.toBool();
    }
    // JSON numbers are doubles: whole numbers up to 2^53 are exact, which covers every size and duration here.
    qint64 integer(QLatin1StringView key, qint64 fallback, qint64 minimum, qint64 maximum) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        return integerValue(value, path(key), minimum, maximum);
    }
    std::optional<qint64> optionalInteger(QLatin1StringView key, qint64 minimum) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        return integerValue(value, path(key), minimum, qint64(1) << 53);
    }
    double number(QLatin1StringView key, double fallback, double minimum, double maximum) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value.isDouble() || number < minimum || number > maximum)
            fail(path(key), QStringLiteral("a number from %1 to %2").arg(minimum).arg(maximum), value);
        return number;
    }
    QJsonArray array(QLatin1StringView key) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return {};
        if (!value.isArray())
            fail(path(key), QStringLiteral("an array"), value);
        return value.toArray();
    }
    std::optional<ObjectReader> object(QLatin1StringView key) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isObject())
            fail(path(key), QStringLiteral("an object"), value);
        return ObjectReader(value.toObject(), path(key));
    }
    QStringList strings(QLatin1StringView key) const
    {
        QStringList out;
        const QJsonArray items = array(key);
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isString())
                fail(QStringLiteral("%1[%2]").arg(path(key)).arg(i), QStringLiteral("a string"), items.at(i));
            out.append(items.at(i).toString());
        }
        return out;
    }
    // Each element of an array of objects, with its path "key[i]".
    template<typename Read>
    void eachObject(QLatin1StringView key, Read read) const
    {
        const QJsonArray items = array(key);
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemPath = QStringLiteral("%1[%2]").arg(path(key)).arg(i);
            if (!items.at(i).isObject())
                fail(itemPath, QStringLiteral("an object"), items.at(i));
            read(ObjectReader(items.at(i).toObject(), itemPath));
        }
    }

    template<typename Enum, qsizetype N>
    Enum choice(QLatin1StringView key, Enum fallback, const std::pair<QLatin1StringView, Enum> (&names)[N]) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fallback;
        QStringList written;
        for (const auto &[name, item] : names) {
            if (value.toString() == name)
                return item;
            written.append(u'"' + name + u'"');
        }
        const QString expected = QStringLiteral("one of ") + written.join(QStringLiteral(", "));
        // A wrong word is shown as written: "beep" says more than "a string".
        if (value.isString())
            throw FieldError{path(key), QStringLiteral("expected %1, found \"%2\"").arg(expected, value.toString())};
        fail(path(key), expected, value);
    }

private:
    QJsonValue present(QLatin1StringView key, const QString &expected, bool required) const
    {
        const QJsonValue value = m_object.value(key);
        if (required && value.isUndefined())
            throw FieldError{path(key), QStringLiteral("missing; expected %1").arg(expected)};
        return value;
    }
    static qint64 integerValue(const QJsonValue &value, const QString &path, qint64 minimum, qint64 maximum)
    {
        const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value.isDouble() || std::trunc(number) != number || number < double(minimum) || number > double(maximum))
            fail(path, QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum), value);
        return qint64(number);
    }

    QJsonObject m_object;
    QString m_path;
};

constexpr qint64 maxInt = std::numeric_limits<int>::max();
constexpr qint64 maxExact = qint64(1) << 53;

constexpr std::pair<QLatin1StringView, HeartbeatSettings::Kind> heartbeatKinds[] = {
    {QLatin1StringView("none"), HeartbeatSettings::Kind::None},
    {QLatin1StringView("ping"), HeartbeatSettings::Kind::Ping},
    {QLatin1StringView("pong"), HeartbeatSettings::Kind::Pong},
    {QLatin1StringView("app"), HeartbeatSettings::Kind::App},
};
constexpr std::pair<QLatin1StringView, HeartbeatSettings::WhenDead> whenDeadNames[] = {
    {QLatin1StringView("close"), HeartbeatSettings::WhenDead::Close},
    {QLatin1StringView("abort"), HeartbeatSettings::WhenDead::Abort},
    {QLatin1StringView("keep"), HeartbeatSettings::WhenDead::KeepOpen},
};
constexpr std::pair<QLatin1StringView, OnConnectMessage::Kind> onConnectKinds[] = {
    {QLatin1StringView("text"), OnConnectMessage::Kind::Text},
    {QLatin1StringView("binary"), OnConnectMessage::Kind::Binary},
    {QLatin1StringView("ping"), OnConnectMessage::Kind::Ping},
};

constexpr std::pair<QLatin1StringView, ProtocolMessage::Kind> protocolMessageKinds[] = {
    {QLatin1StringView("emit"), ProtocolMessage::Kind::Emit},
    {QLatin1StringView("subscribe"), ProtocolMessage::Kind::Subscribe},
    {QLatin1StringView("send"), ProtocolMessage::Kind::Send},
    {QLatin1StringView("publish"), ProtocolMessage::Kind::Publish},
    {QLatin1StringView("query"), ProtocolMessage::Kind::Query},
    {QLatin1StringView("invoke"), ProtocolMessage::Kind::Invoke},
    {QLatin1StringView("push"), ProtocolMessage::Kind::Push},
    {QLatin1StringView("perform"), ProtocolMessage::Kind::Perform},
    {QLatin1StringView("call"), ProtocolMessage::Kind::Call},
};

template<typename Enum, qsizetype N>
QString nameOf(Enum value, const std::pair<QLatin1StringView, Enum> (&names)[N])
{
    for (const auto &[name, item] : names) {
        if (item == value)
            return name;
    }
    return {};
}

QJsonValue optionalNumber(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

SessionProfile readProfile(const ObjectReader &root)
{
    SessionProfile profile;
    profile.name = root.string(QLatin1StringView("name"), {}, true);
    if (profile.name.trimmed().isEmpty())
        throw FieldError{QStringLiteral("name"), QStringLiteral("expected a non-empty name")};
    const QString url = root.string(QLatin1StringView("url"), {}, true);
    profile.options.url = QUrl(ProfileVariables::encodeUrlPlaceholders(url), QUrl::StrictMode);
    const QString scheme = profile.options.url.scheme().toLower();
    if (!profile.options.url.isValid() || profile.options.url.host().isEmpty() ||
        (scheme != QLatin1StringView("ws") && scheme != QLatin1StringView("wss")))
        throw FieldError{QStringLiteral("url"),
                         QStringLiteral("expected a ws:// or wss:// URL, found \"%1\"").arg(url)};

    root.eachObject(QLatin1StringView("headers"), [&](const ObjectReader &header) {
        profile.options.headers.append(header.string(QLatin1StringView("name"), {}, true).toUtf8(),
                                       header.string(QLatin1StringView("value"), {}, true).toUtf8());
    });
    profile.options.secretHeaders = root.strings(QLatin1StringView("secretHeaders"));
    profile.options.subprotocols = root.strings(QLatin1StringView("subprotocols"));
    profile.options.origin = root.string(QLatin1StringView("origin"), {});
    root.eachObject(QLatin1StringView("cookies"), [&](const ObjectReader &cookie) {
        profile.options.cookies.append({cookie.string(QLatin1StringView("name"), {}, true).toUtf8(),
                                        cookie.string(QLatin1StringView("value"), {}, true).toUtf8()});
    });
    profile.options.offerDeflate = root.boolean(QLatin1StringView("deflate"), true);

    if (const auto tls = root.object(QLatin1StringView("tls"))) {
        profile.options.tls.caFile = tls->string(QLatin1StringView("caFile"), {});
        profile.options.tls.clientCertificateFile = tls->string(QLatin1StringView("clientCertificateFile"), {});
        profile.options.tls.clientKeyFile = tls->string(QLatin1StringView("clientKeyFile"), {});
        profile.options.tls.ignoreErrors = tls->boolean(QLatin1StringView("ignoreErrors"), false);
    }
    const QString proxy = root.string(QLatin1StringView("proxy"), {});
    // A password kept in the keychain is written as the placeholder, "{{secret}}", which QUrl takes encoded only.
    profile.options.proxy = QUrl(ProfileVariables::encodeUrlPlaceholders(proxy), QUrl::StrictMode);
    if (!proxy.isEmpty() && !profile.options.proxy.isValid())
        throw FieldError{QStringLiteral("proxy"),
                         QStringLiteral("expected http://host:port or socks5://host:port, found \"%1\"").arg(proxy)};

    if (const auto limits = root.object(QLatin1StringView("limits"))) {
        ProtocolLimits &l = profile.options.limits;
        l.maxFramePayload =
            quint64(limits->integer(QLatin1StringView("maxFramePayload"), qint64(l.maxFramePayload), 1, maxExact));
        l.maxMessageSize =
            quint64(limits->integer(QLatin1StringView("maxMessageSize"), qint64(l.maxMessageSize), 1, maxExact));
        l.maxHandshakeSize = limits->integer(QLatin1StringView("maxHandshakeSize"), l.maxHandshakeSize, 1, maxExact);
        l.maxRefusalBodySize =
            limits->integer(QLatin1StringView("maxRefusalBodySize"), l.maxRefusalBodySize, 0, maxExact);
    }
    if (const auto timeouts = root.object(QLatin1StringView("timeouts"))) {
        profile.options.handshakeTimeoutMs =
            int(timeouts->integer(QLatin1StringView("handshakeMs"), profile.options.handshakeTimeoutMs, 1, maxInt));
        profile.options.closeTimeoutMs =
            int(timeouts->integer(QLatin1StringView("closeMs"), profile.options.closeTimeoutMs, 1, maxInt));
    }
    profile.options.autoPong = root.boolean(QLatin1StringView("autoPong"), true);
    profile.options.strict = root.boolean(QLatin1StringView("strict"), true);
    if (const auto budget = root.object(QLatin1StringView("budget"))) {
        profile.options.budget.maxStoredTotal =
            budget->integer(QLatin1StringView("maxStoredTotal"), profile.options.budget.maxStoredTotal, 0, maxExact);
        profile.options.budget.maxStoredPerFrame = budget->integer(
            QLatin1StringView("maxStoredPerFrame"), profile.options.budget.maxStoredPerFrame, 0, maxExact);
    }

    if (const auto protocol = root.object(QLatin1StringView("protocol"))) {
        AppProtocolSettings &p = profile.options.protocol;
        const QString mode = protocol->string(QLatin1StringView("mode"), QStringLiteral("none"));
        if (mode == QLatin1StringView("auto")) {
            p.mode = AppProtocolSettings::Mode::Auto;
        } else if (const auto named = AppProtocols::fromName(mode)) {
            p.mode = AppProtocolSettings::Mode::Speak;
            p.protocol = *named;
        } else if (mode != QLatin1StringView("none")) {
            throw FieldError{QStringLiteral("protocol.mode"),
                             QStringLiteral("expected none, auto or a protocol name, found \"%1\"").arg(mode)};
        }
        p.heartbeats = protocol->boolean(QLatin1StringView("heartbeats"), p.heartbeats);
        p.socketIoNamespace = protocol->string(QLatin1StringView("socketIoNamespace"), p.socketIoNamespace);
        p.socketIoAuth = protocol->string(QLatin1StringView("socketIoAuth"), {}).toUtf8();
        p.stompHost = protocol->string(QLatin1StringView("stompHost"), {});
        p.stompLogin = protocol->string(QLatin1StringView("stompLogin"), {});
        p.stompPasscode = protocol->string(QLatin1StringView("stompPasscode"), {});
        p.stompHeartbeatSendMs =
            protocol->integer(QLatin1StringView("stompHeartbeatSendMs"), p.stompHeartbeatSendMs, 0, maxInt);
        p.stompHeartbeatReceiveMs =
            protocol->integer(QLatin1StringView("stompHeartbeatReceiveMs"), p.stompHeartbeatReceiveMs, 0, maxInt);
        p.mqttClientId = protocol->string(QLatin1StringView("mqttClientId"), {});
        p.mqttKeepAliveSeconds =
            int(protocol->integer(QLatin1StringView("mqttKeepAliveSeconds"), p.mqttKeepAliveSeconds, 0, 65535));
        p.mqttUsername = protocol->string(QLatin1StringView("mqttUsername"), {});
        p.mqttPassword = protocol->string(QLatin1StringView("mqttPassword"), {});
        p.mqttCleanSession = protocol->boolean(QLatin1StringView("mqttCleanSession"), p.mqttCleanSession);
        p.graphqlInitPayload = protocol->string(QLatin1StringView("graphqlInitPayload"), {}).toUtf8();
        p.phoenixTopic = protocol->string(QLatin1StringView("phoenixTopic"), {});
        p.phoenixJoinPayload = protocol->string(QLatin1StringView("phoenixJoinPayload"), {}).toUtf8();
        p.actionCableIdentifier = protocol->string(QLatin1StringView("actionCableIdentifier"), {}).toUtf8();
        p.wampRealm = protocol->string(QLatin1StringView("wampRealm"), {});
        protocol->eachObject(QLatin1StringView("messages"), [&](const ObjectReader &item) {
            ProtocolMessage message;
            message.kind = item.choice(QLatin1StringView("kind"), message.kind, protocolMessageKinds);
            message.target = item.string(QLatin1StringView("target"), {});
            message.body = item.string(QLatin1StringView("body"), {}).toUtf8();
            for (const QString &arg : item.strings(QLatin1StringView("args")))
                message.args.append(arg.toUtf8());
            message.ack = item.boolean(QLatin1StringView("ack"), false);
            message.event = item.string(QLatin1StringView("event"), {});
            p.messages.append(message);
        });
    }
    if (const auto heartbeat = root.object(QLatin1StringView("heartbeat"))) {
        HeartbeatSettings &h = profile.options.heartbeat;
        h.kind = heartbeat->choice(QLatin1StringView("kind"), h.kind, heartbeatKinds);
        h.intervalMs = heartbeat->integer(QLatin1StringView("intervalMs"), h.intervalMs, 0, maxExact);
        h.replyTimeoutMs = heartbeat->optionalInteger(QLatin1StringView("replyTimeoutMs"), 0);
        h.missesUntilDead = int(heartbeat->integer(QLatin1StringView("missesUntilDead"), h.missesUntilDead, 1, maxInt));
        h.whenDead = heartbeat->choice(QLatin1StringView("whenDead"), h.whenDead, whenDeadNames);
        h.appMessage = heartbeat->string(QLatin1StringView("appMessage"), {}).toUtf8();
        h.stopAnsweringPingsAfter = int(
            heartbeat->integer(QLatin1StringView("stopAnsweringPingsAfter"), h.stopAnsweringPingsAfter, -1, maxInt));
        h.receiveTimeoutMs = heartbeat->optionalInteger(QLatin1StringView("receiveTimeoutMs"), 0);
        h.preset = heartbeat->string(QLatin1StringView("preset"), {});
    }
    if (const auto reconnect = root.object(QLatin1StringView("reconnect"))) {
        ReconnectPolicy &r = profile.options.reconnect;
        r.enabled = reconnect->boolean(QLatin1StringView("enabled"), r.enabled);
        r.maxAttempts = int(reconnect->integer(QLatin1StringView("maxAttempts"), r.maxAttempts, 0, maxInt));
        r.initialDelayMs = reconnect->integer(QLatin1StringView("initialDelayMs"), r.initialDelayMs, 0, maxExact);
        r.maxDelayMs = reconnect->integer(QLatin1StringView("maxDelayMs"), r.maxDelayMs, 0, maxExact);
        r.factor = reconnect->number(QLatin1StringView("factor"), r.factor, 1.0, 1000.0);
        r.jitter = reconnect->number(QLatin1StringView("jitter"), r.jitter, 0.0, 1.0);
        r.stableAfterMs = reconnect->integer(QLatin1StringView("stableAfterMs"), r.stableAfterMs, 0, maxExact);
    }
    if (const auto rules = root.object(QLatin1StringView("rules"))) {
        // The rule file's document, embedded as it is: read and checked as `connect --rules` reads a file.
        const QByteArray document = QJsonDocument(rules->json()).toJson(QJsonDocument::Indented);
        QString error;
        std::shared_ptr<RuleSet> parsed = RuleFile::parse(document, &error);
        if (parsed)
            error = SessionRules::refusal(*parsed);
        if (!error.isEmpty()) {
            // "rules[2].action: ..." names its place in the document already.
            const qsizetype colon = error.indexOf(QLatin1StringView(": "));
            const bool placed = error.startsWith(QLatin1StringView("rules")) && colon > 0;
            throw FieldError{placed ? error.left(colon) : QStringLiteral("rules"),
                             placed ? error.mid(colon + 2) : error};
        }
        profile.options.rules = std::move(parsed);
        profile.options.rulesDocument = document;
    }
    root.eachObject(QLatin1StringView("onConnect"), [&](const ObjectReader &message) {
        OnConnectMessage out;
        out.kind = message.choice(QLatin1StringView("kind"), OnConnectMessage::Kind::Text, onConnectKinds);
        const QString payload = message.string(QLatin1StringView("payload"), {});
        if (out.kind == OnConnectMessage::Kind::Binary) {
            // Binary payloads are hex so that the file stays text and diffable.
            const QByteArray digits = payload.toLatin1();
            const bool isHex = digits.size() % 2 == 0 && std::all_of(digits.begin(), digits.end(),
                                                                     [](char c) { return std::isxdigit(uchar(c)); });
            if (!isHex)
                throw FieldError{message.path(QLatin1StringView("payload")),
                                 QStringLiteral("expected hexadecimal digits, two per byte")};
            out.payload = QByteArray::fromHex(digits);
        } else {
            out.payload = payload.toUtf8();
        }
        profile.options.onConnectMessages.append(out);
    });
    profile.simulatorChain = root.strings(QLatin1StringView("simulatorChain"));
    root.eachObject(QLatin1StringView("templates"), [&](const ObjectReader &item) {
        MessageTemplate message;
        message.name = item.string(QLatin1StringView("name"), {}, true);
        message.format = item.string(QLatin1StringView("format"), message.format);
        if (message.format != QLatin1StringView("text") && message.format != QLatin1StringView("json") &&
            message.format != QLatin1StringView("hex"))
            throw FieldError{
                item.path(QLatin1StringView("format")),
                QStringLiteral("expected one of \"text\", \"json\", \"hex\", found \"%1\"").arg(message.format)};
        message.body = item.string(QLatin1StringView("body"), {});
        message.fragments = int(item.integer(QLatin1StringView("fragments"), 1, 1, maxInt));
        profile.messageTemplates.append(message);
    });
    root.eachObject(QLatin1StringView("variables"), [&](const ObjectReader &item) {
        ProfileVariable variable;
        variable.name = item.string(QLatin1StringView("name"), {}, true);
        if (!ProfileVariables::isValidName(variable.name))
            throw FieldError{item.path(QLatin1StringView("name")),
                             QStringLiteral("expected a variable name (a letter or '_', then letters, digits, '_', "
                                            "'.' or '-'; not \"secret\"), found \"%1\"")
                                 .arg(variable.name)};
        for (const ProfileVariable &earlier : std::as_const(profile.variables)) {
            if (earlier.name == variable.name)
                throw FieldError{item.path(QLatin1StringView("name")),
                                 QStringLiteral("variable \"%1\" is declared twice").arg(variable.name)};
        }
        variable.value = item.string(QLatin1StringView("value"), {});
        variable.secret = item.boolean(QLatin1StringView("secret"), false);
        profile.variables.append(variable);
    });
    return profile;
}

} // namespace

QJsonObject ProfileJson::toJson(const SessionProfile &profile, Secrets secrets)
{
    const auto secretValue = [&](const QByteArray &value) {
        return secrets == Secrets::Include ? QString::fromUtf8(value) : QString(SessionProfile::secretPlaceholder);
    };
    QJsonObject root;
    root.insert(QLatin1StringView("schema"), currentSchema);
    root.insert(QLatin1StringView("name"), profile.name);
    root.insert(QLatin1StringView("url"), ProfileVariables::decodeUrlPlaceholders(profile.options.url.toString()));
    QJsonArray headers;
    for (const HttpHeader &header : profile.options.headers) {
        const QString value =
            profile.isSecretHeader(header.name) ? secretValue(header.value) : QString::fromUtf8(header.value);
        headers.append(QJsonObject{{QLatin1StringView("name"), QString::fromUtf8(header.name)},
                                   {QLatin1StringView("value"), value}});
    }
    root.insert(QLatin1StringView("headers"), headers);
    root.insert(QLatin1StringView("secretHeaders"), QJsonArray::fromStringList(profile.options.secretHeaders));
    root.insert(QLatin1StringView("subprotocols"), QJsonArray::fromStringList(profile.options.subprotocols));
    root.insert(QLatin1StringView("origin"), profile.options.origin);
    QJsonArray cookies;
    for (const auto &[name, value] : profile.options.cookies)
        cookies.append(QJsonObject{{QLatin1StringView("name"), QString::fromUtf8(name)},
                                   {QLatin1StringView("value"), secretValue(value)}});
    root.insert(QLatin1StringView("cookies"), cookies);
    root.insert(QLatin1StringView("deflate"), profile.options.offerDeflate);
    root.insert(QLatin1StringView("tls"),
                QJsonObject{{QLatin1StringView("caFile"), profile.options.tls.caFile},
                            {QLatin1StringView("clientCertificateFile"), profile.options.tls.clientCertificateFile},
                            {QLatin1StringView("clientKeyFile"), profile.options.tls.clientKeyFile},
                            {QLatin1StringView("ignoreErrors"), profile.options.tls.ignoreErrors}});
    QUrl proxy = profile.options.proxy;
    if (secrets == Secrets::Omit && !proxy.password().isEmpty())
        proxy.setPassword(SessionProfile::secretPlaceholder);
    root.insert(QLatin1StringView("proxy"), ProfileVariables::decodeUrlPlaceholders(proxy.toString()));
    root.insert(
        QLatin1StringView("limits"),
        QJsonObject{{QLatin1StringView("maxFramePayload"), double(profile.options.limits.maxFramePayload)},
                    {QLatin1StringView("maxMessageSize"), double(profile.options.limits.maxMessageSize)},
                    {QLatin1StringView("maxHandshakeSize"), double(profile.options.limits.maxHandshakeSize)},
                    {QLatin1StringView("maxRefusalBodySize"), double(profile.options.limits.maxRefusalBodySize)}});
    root.insert(QLatin1StringView("timeouts"),
                QJsonObject{{QLatin1StringView("handshakeMs"), profile.options.handshakeTimeoutMs},
                            {QLatin1StringView("closeMs"), profile.options.closeTimeoutMs}});
    root.insert(QLatin1StringView("autoPong"), profile.options.autoPong);
    root.insert(QLatin1StringView("strict"), profile.options.strict);
    root.insert(
        QLatin1StringView("budget"),
        QJsonObject{{QLatin1StringView("maxStoredTotal"), double(profile.options.budget.maxStoredTotal)},
                    {QLatin1StringView("maxStoredPerFrame"), double(profile.options.budget.maxStoredPerFrame)}});
    const HeartbeatSettings &h = profile.options.heartbeat;
    root.insert(QLatin1StringView("heartbeat"),
                QJsonObject{{QLatin1StringView("kind"), nameOf(h.kind, heartbeatKinds)},
                            {QLatin1StringView("intervalMs"), double(h.intervalMs)},
                            {QLatin1StringView("replyTimeoutMs"), optionalNumber(h.replyTimeoutMs)},
                            {QLatin1StringView("missesUntilDead"), h.missesUntilDead},
                            {QLatin1StringView("whenDead"), nameOf(h.whenDead, whenDeadNames)},
                            {QLatin1StringView("appMessage"), QString::fromUtf8(h.appMessage)},
                            {QLatin1StringView("stopAnsweringPingsAfter"), h.stopAnsweringPingsAfter},
                            {QLatin1StringView("receiveTimeoutMs"), optionalNumber(h.receiveTimeoutMs)},
                            {QLatin1StringView("preset"), h.preset}});
    const AppProtocolSettings &p = profile.options.protocol;
    QJsonArray protocolMessages;
    for (const ProtocolMessage &message : p.messages) {
        QJsonArray args;
        for (const QByteArray &arg : message.args)
            args.append(QString::fromUtf8(arg));
        protocolMessages.append(QJsonObject{{QLatin1StringView("kind"), nameOf(message.kind, protocolMessageKinds)},
                                            {QLatin1StringView("target"), message.target},
                                            {QLatin1StringView("body"), QString::fromUtf8(message.body)},
                                            {QLatin1StringView("args"), args},
                                            {QLatin1StringView("ack"), message.ack},
                                            {QLatin1StringView("event"), message.event}});
    }
    // The STOMP passcode and MQTT password are secrets: left out unless secrets are included, like the proxy's.
    const auto secretText = [&](const QString &value) {
        return secrets == Secrets::Include || value.isEmpty() ? value : QString();
    };
    root.insert(QLatin1StringView("protocol"),
                QJsonObject{{QLatin1StringView("mode"),
                             p.mode == AppProtocolSettings::Mode::None   ? QStringLiteral("none")
                             : p.mode == AppProtocolSettings::Mode::Auto ? QStringLiteral("auto")
                                                                         : AppProtocols::name(p.protocol)},
                            {QLatin1StringView("heartbeats"), p.heartbeats},
                            {QLatin1StringView("socketIoNamespace"), p.socketIoNamespace},
                            {QLatin1StringView("socketIoAuth"), QString::fromUtf8(p.socketIoAuth)},
                            {QLatin1StringView("stompHost"), p.stompHost},
                            {QLatin1StringView("stompLogin"), p.stompLogin},
                            {QLatin1StringView("stompPasscode"), secretText(p.stompPasscode)},
                            {QLatin1StringView("stompHeartbeatSendMs"), double(p.stompHeartbeatSendMs)},
                            {QLatin1StringView("stompHeartbeatReceiveMs"), double(p.stompHeartbeatReceiveMs)},
                            {QLatin1StringView("mqttClientId"), p.mqttClientId},
                            {QLatin1StringView("mqttKeepAliveSeconds"), p.mqttKeepAliveSeconds},
                            {QLatin1StringView("mqttUsername"), p.mqttUsername},
                            {QLatin1StringView("mqttPassword"), secretText(p.mqttPassword)},
                            {QLatin1StringView("mqttCleanSession"), p.mqttCleanSession},
                            {QLatin1StringView("graphqlInitPayload"), QString::fromUtf8(p.graphqlInitPayload)},
                            {QLatin1StringView("phoenixTopic"), p.phoenixTopic},
                            {QLatin1StringView("phoenixJoinPayload"), QString::fromUtf8(p.phoenixJoinPayload)},
                            {QLatin1StringView("actionCableIdentifier"), QString::fromUtf8(p.actionCableIdentifier)},
                            {QLatin1StringView("wampRealm"), p.wampRealm},
                            {QLatin1StringView("messages"), protocolMessages}});
    const ReconnectPolicy &r = profile.options.reconnect;
    root.insert(QLatin1StringView("reconnect"),
                QJsonObject{{QLatin1StringView("enabled"), r.enabled},
                            {QLatin1StringView("maxAttempts"), r.maxAttempts},
                            {QLatin1StringView("initialDelayMs"), double(r.initialDelayMs)},
                            {QLatin1StringView("maxDelayMs"), double(r.maxDelayMs)},
                            {QLatin1StringView("factor"), r.factor},
                            {QLatin1StringView("jitter"), r.jitter},
                            {QLatin1StringView("stableAfterMs"), double(r.stableAfterMs)}});
    QJsonArray onConnect;
    for (const OnConnectMessage &message : profile.options.onConnectMessages) {
        const QString payload = message.kind == OnConnectMessage::Kind::Binary
                                    ? QString::fromLatin1(message.payload.toHex())
                                    : QString::fromUtf8(message.payload);
        onConnect.append(QJsonObject{{QLatin1StringView("kind"), nameOf(message.kind, onConnectKinds)},
                                     {QLatin1StringView("payload"), payload}});
    }
    root.insert(QLatin1StringView("onConnect"), onConnect);
    if (!profile.options.rulesDocument.isEmpty()) {
        // Kept as the object it is rather than as a string, so that the profile file stays readable; a document
        // that is not one (it was refused when read) is left out.
        const QJsonDocument rules = QJsonDocument::fromJson(profile.options.rulesDocument);
        if (rules.isObject())
            root.insert(QLatin1StringView("rules"), rules.object());
    }
    root.insert(QLatin1StringView("simulatorChain"), QJsonArray::fromStringList(profile.simulatorChain));
    QJsonArray templates;
    for (const MessageTemplate &message : profile.messageTemplates)
        templates.append(QJsonObject{{QLatin1StringView("name"), message.name},
                                     {QLatin1StringView("format"), message.format},
                                     {QLatin1StringView("body"), message.body},
                                     {QLatin1StringView("fragments"), message.fragments}});
    root.insert(QLatin1StringView("templates"), templates);
    QJsonArray variables;
    for (const ProfileVariable &variable : profile.variables) {
        const QString value = variable.secret ? secretValue(variable.value.toUtf8()) : variable.value;
        variables.append(QJsonObject{{QLatin1StringView("name"), variable.name},
                                     {QLatin1StringView("value"), value},
                                     {QLatin1StringView("secret"), variable.secret}});
    }
    root.insert(QLatin1StringView("variables"), variables);
    return root;
}

QByteArray ProfileJson::toBytes(const SessionProfile &profile, Secrets secrets)
{
    return QJsonDocument(toJson(profile, secrets)).toJson(QJsonDocument::Indented);
}

std::optional<SessionProfile> ProfileJson::fromBytes(const QByteArray &bytes, const QString &source, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("%1: not valid JSON at byte %2: %3")
                         .arg(source)
                         .arg(parseError.offset)
                         .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error)
            *error = QStringLiteral("%1: expected a JSON object (a profile), found an array").arg(source);
        return std::nullopt;
    }
    return fromJson(document.object(), source, error);
}

std::optional<SessionProfile> ProfileJson::fromJson(const QJsonObject &document, const QString &source, QString *error)
{
    QString migrationError;
    const QJsonObject current = migrate(document, &migrationError);
    if (!migrationError.isEmpty()) {
        if (error)
            *error = source + QStringLiteral(": ") + migrationError;
        return std::nullopt;
    }
    try {
        return readProfile(ObjectReader(current, {}));
    } catch (const FieldError &problem) {
        if (error)
            *error = QStringLiteral("%1: %2: %3").arg(source, problem.path, problem.message);
        return std::nullopt;
    }
}

QJsonObject ProfileJson::migrate(const QJsonObject &document, QString *error)
{
    error->clear();
    const QJsonValue schemaValue = document.value(QLatin1StringView("schema"));
    int schema = 0;
    if (!schemaValue.isUndefined()) {
        const double number = schemaValue.toDouble(-1);
        if (!schemaValue.isDouble() || number < 1 || std::trunc(number) != number) {
            *error = QStringLiteral("schema: expected a whole number from 1, found %1").arg(jsonTypeName(schemaValue));
            return {};
        }
        if (number > currentSchema) {
            *error = QStringLiteral("schema: this profile uses schema %1, written by a newer WS Inspector; this one "
                                    "reads up to schema %2")
                         .arg(qint64(number))
                         .arg(currentSchema);
            return {};
        }
        schema = int(number);
    }
    QJsonObject out = document;
    if (schema == 0) {
        // Schema 0 -> 1: headers were an object of name to value (which could not keep order or repeats) and
        // subprotocols a comma-separated string.
        const QJsonValue headers = out.value(QLatin1StringView("headers"));
        if (!headers.isUndefined()) {
            if (!headers.isObject()) {
                *error = QStringLiteral("headers: expected an object of name to value (schema 0), found %1")
                             .arg(jsonTypeName(headers));
                return {};
            }
            QJsonArray list;
            const QJsonObject map = headers.toObject();
            for (auto it = map.begin(); it != map.end(); ++it)
                list.append(
                    QJsonObject{{QLatin1StringView("name"), it.key()}, {QLatin1StringView("value"), it.value()}});
            out.insert(QLatin1StringView("headers"), list);
        }
        const QJsonValue subprotocols = out.value(QLatin1StringView("subprotocols"));
        if (!subprotocols.isUndefined()) {
            if (!subprotocols.isString()) {
                *error = QStringLiteral("subprotocols: expected a comma-separated string (schema 0), found %1")
                             .arg(jsonTypeName(subprotocols));
                return {};
            }
            QJsonArray list;
            for (const QString &item : subprotocols.toString().split(u',', Qt::SkipEmptyParts))
                list.append(item.trimmed());
            out.insert(QLatin1StringView("subprotocols"), list);
        }
        out.insert(QLatin1StringView("schema"), 1);
    }
    return out;
}

} // namespace wsi
