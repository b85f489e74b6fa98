// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/profiles/ProfileSecrets.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace wsi {
namespace {

constexpr int schemaVersion = 1;
constexpr QLatin1StringView proxyPasswordKey{"proxy:password"};

// Keys count repeats of a name so that two Authorization headers keep their own values.
class KeyCounter
{
public:
    QString next(QLatin1StringView kind, const QString &name)
    {
        const QString base = kind + u':' + name.toLower();
        return base + u'#' + QString::number(++m_seen[base]);
    }

private:
    QHash<QString, int> m_seen;
};

bool isPlaceholder(QStringView value)
{
    return value == SessionProfile::secretPlaceholder;
}

} // namespace

ProfileSecrets ProfileSecrets::extract(const SessionProfile &profile)
{
    ProfileSecrets secrets;
    KeyCounter keys;
    for (const HttpHeader &header : profile.options.headers) {
        if (!profile.isSecretHeader(header.name))
            continue;
        const QString key = keys.next(QLatin1StringView("header"), QString::fromUtf8(header.name));
        if (const QString value = QString::fromUtf8(header.value); !isPlaceholder(value))
            secrets.m_values.insert(key, value);
    }
    for (const auto &[name, value] : profile.options.cookies) {
        const QString key = keys.next(QLatin1StringView("cookie"), QString::fromUtf8(name));
        if (const QString text = QString::fromUtf8(value); !isPlaceholder(text))
            secrets.m_values.insert(key, text);
    }
    if (const QString password = profile.options.proxy.password(); !password.isEmpty() && !isPlaceholder(password))
        secrets.m_values.insert(proxyPasswordKey, password);
    for (const ProfileVariable &variable : profile.variables) {
        // Variable names are case-sensitive, as written in "{{name}}".
        if (variable.secret && !variable.value.isEmpty() && !isPlaceholder(variable.value))
            secrets.m_values.insert(QStringLiteral("variable:") + variable.name, variable.value);
    }
    return secrets;
}

int ProfileSecrets::applyTo(SessionProfile &profile) const
{
    int filled = 0;
    KeyCounter keys;
    HttpHeaders headers;
    for (const HttpHeader &header : profile.options.headers) {
        QByteArray value = header.value;
        if (profile.isSecretHeader(header.name)) {
            const QString key = keys.next(QLatin1StringView("header"), QString::fromUtf8(header.name));
            if (isPlaceholder(QString::fromUtf8(value)) && m_values.contains(key)) {
                value = m_values.value(key).toUtf8();
                ++filled;
            }
        }
        headers.append(header.name, value);
    }
    profile.options.headers = headers;
    for (auto &[name, value] : profile.options.cookies) {
        const QString key = keys.next(QLatin1StringView("cookie"), QString::fromUtf8(name));
        if (isPlaceholder(QString::fromUtf8(value)) && m_values.contains(key)) {
            value = m_values.value(key).toUtf8();
            ++filled;
        }
    }
    if (isPlaceholder(profile.options.proxy.password()) && m_values.contains(proxyPasswordKey)) {
        profile.options.proxy.setPassword(m_values.value(proxyPasswordKey));
        ++filled;
    }
    for (ProfileVariable &variable : profile.variables) {
        const QString key = QStringLiteral("variable:") + variable.name;
        if (variable.secret && (variable.value.isEmpty() || isPlaceholder(variable.value)) && m_values.contains(key)) {
            variable.value = m_values.value(key);
            ++filled;
        }
    }
    return filled;
}

QByteArray ProfileSecrets::toBytes() const
{
    QJsonObject values;
    for (auto it = m_values.begin(); it != m_values.end(); ++it)
        values.insert(it.key(), it.value());
    return QJsonDocument(
               QJsonObject{{QLatin1StringView("schema"), schemaVersion}, {QLatin1StringView("values"), values}})
        .toJson(QJsonDocument::Compact);
}

std::optional<ProfileSecrets> ProfileSecrets::fromBytes(const QByteArray &bytes, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<ProfileSecrets> {
        if (error)
            *error = QStringLiteral("the keychain entry is not readable: ") + why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(QStringLiteral("expected a JSON object"));
    const QJsonObject root = document.object();
    if (root.value(QLatin1StringView("schema")).toInt(-1) != schemaVersion)
        return fail(QStringLiteral("expected schema %1").arg(schemaVersion));
    const QJsonValue values = root.value(QLatin1StringView("values"));
    if (!values.isObject())
        return fail(QStringLiteral("values: expected an object"));
    ProfileSecrets secrets;
    const QJsonObject map = values.toObject();
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it.value().isString())
            return fail(QStringLiteral("values.%1: expected a string").arg(it.key()));
        secrets.m_values.insert(it.key(), it.value().toString());
    }
    return secrets;
}

} // namespace wsi
