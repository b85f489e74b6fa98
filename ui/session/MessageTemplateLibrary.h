// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/MessageTemplate.h" // core/profiles: the same record profiles keep

#include <QList>
#include <QObject>

#include <optional>

namespace wsi {

// The user's saved messages, shared by every session's composer and kept across runs. Names are unique (saving
// under an existing name replaces it) and the list stays sorted by name, as menus show it.
//
// Stored as JSON: {"schema": 1, "templates": [{"name", "format": "text"|"json"|"hex", "body", "fragments"}]}.
class MessageTemplateLibrary final : public QObject
{
    Q_OBJECT

public:
    static constexpr int schemaVersion = 1;

    explicit MessageTemplateLibrary(QObject *parent = nullptr);

    const QList<MessageTemplate> &templates() const noexcept { return m_templates; }
    std::optional<MessageTemplate> find(const QString &name) const;
    // False (and *error) for an empty name; otherwise adds or replaces.
    bool save(const MessageTemplate &messageTemplate, QString *error = nullptr);
    bool remove(const QString &name);

    QByteArray toJson() const;
    // Replaces the library with the document's templates; on any error (with *error naming the template and the
    // field) the library is left as it was.
    bool loadJson(const QByteArray &json, QString *error = nullptr);

Q_SIGNALS:
    void changed();

private:
    QList<MessageTemplate> m_templates;
};

} // namespace wsi
