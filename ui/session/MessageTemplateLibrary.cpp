// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/MessageTemplateLibrary.h"

#include "ui/session/Composer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace wsi {

MessageTemplateLibrary::MessageTemplateLibrary(QObject *parent)
    : QObject(parent)
{}

std::optional<MessageTemplate> MessageTemplateLibrary::find(const QString &name) const
{
    for (const MessageTemplate &t : m_templates) {
        if (t.name == name)
            return t;
    }
    return std::nullopt;
}

bool MessageTemplateLibrary::save(const MessageTemplate &messageTemplate, QString *error)
{
    MessageTemplate saved = messageTemplate;
    saved.name = saved.name.trimmed();
    if (saved.name.isEmpty()) {
        if (error)
            *error = tr("A template needs a name");
        return false;
    }
    saved.fragments = std::max(1, saved.fragments);
    const auto byName = [](const MessageTemplate &a, const MessageTemplate &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    };
    const auto existing = std::find_if(m_templates.begin(), m_templates.end(),
                                       [&](const MessageTemplate &t) { return t.name == saved.name; });
    if (existing != m_templates.end())
        *existing = saved;
    else
        m_templates.insert(std::upper_bound(m_templates.begin(), m_templates.end(), saved, byName), saved);
    Q_EMIT changed();
    return true;
}

bool MessageTemplateLibrary::remove(const QString &name)
{
    const auto removed = m_templates.removeIf([&](const MessageTemplate &t) { return t.name == name; });
    if (removed == 0)
        return false;
    Q_EMIT changed();
    return true;
}

QByteArray MessageTemplateLibrary::toJson() const
{
    QJsonArray list;
    for (const MessageTemplate &t : m_templates) {
        list.append(QJsonObject{{QStringLiteral("name"), t.name},
                                {QStringLiteral("format"), t.format},
                                {QStringLiteral("body"), t.body},
                                {QStringLiteral("fragments"), t.fragments}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("schema"), schemaVersion}, {QStringLiteral("templates"), list}})
        .toJson(QJsonDocument::Compact);
}

bool MessageTemplateLibrary::loadJson(const QByteArray &json, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(tr("Templates: not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = document.object();
    const int schema = root.value(QStringLiteral("schema")).toInt(-1);
    if (schema != schemaVersion)
        return fail(tr("Templates: schema %1 is not known to this version (it reads schema %2)")
                        .arg(schema)
                        .arg(schemaVersion));
    const QJsonValue listValue = root.value(QStringLiteral("templates"));
    if (!listValue.isArray())
        return fail(tr("Templates: \"templates\" must be an array"));
    MessageTemplateLibrary loaded;
    const QJsonArray list = listValue.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject entry = list.at(i).toObject();
        MessageTemplate t;
        t.name = entry.value(QStringLiteral("name")).toString();
        const QString format = entry.value(QStringLiteral("format")).toString();
        if (!Composer::formatFromName(format))
            return fail(tr("Templates: entry %1 (\"%2\"): \"format\" must be \"text\", \"json\" or \"hex\"")
                            .arg(i + 1)
                            .arg(t.name));
        t.format = format;
        t.body = entry.value(QStringLiteral("body")).toString();
        t.fragments = entry.value(QStringLiteral("fragments")).toInt(1);
        QString why;
        if (!loaded.save(t, &why))
            return fail(tr("Templates: entry %1: %2").arg(i + 1).arg(why));
    }
    m_templates = loaded.m_templates;
    Q_EMIT changed();
    return true;
}

} // namespace wsi
