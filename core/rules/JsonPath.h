// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// A place in a JSON text, written as the JSONPath subset people copy from their tools: `$` then members and
// elements, `$.user.name`, `$.items[0].id`, `$["a.b"]` or `$['a b']` for a name that is not a plain word. No
// wildcards, filters or slices: one path names at most one place.
//
// The edits work on the text itself rather than on a parsed tree: only the value at the place changes, so the
// members keep their order (QJsonDocument would sort them by name), numbers keep their exact text and the rest of
// the message is byte for byte what the peer sent.
class JsonPath final
{
public:
    struct Step {
        QString member;       // an object's member, when index < 0
        qsizetype index = -1; // an array's element
    };

    // The path `text`, or nullopt with *error saying what is wrong and at which character (from 1).
    static std::optional<JsonPath> parse(const QString &text, QString *error);

    const QString &text() const noexcept { return m_text; }
    const QList<Step> &steps() const noexcept { return m_steps; }

    // `json` with the value at this place set to `valueJson` (a JSON value's text): an existing member or element
    // replaced, a missing member added at the end of its object. nullopt when `json` is not one JSON value or the
    // place's parent is not there (a missing member on the way, an element past the end, a member of an array).
    std::optional<QByteArray> set(QByteArrayView json, QByteArrayView valueJson) const;
    // `json` without the member or element at this place (and the comma that separated it); nullopt when it is not
    // there or `json` is not JSON.
    std::optional<QByteArray> remove(QByteArrayView json) const;

private:
    struct Place;
    std::optional<Place> find(QByteArrayView json) const;

    QString m_text;
    QList<Step> m_steps;
};

} // namespace wsi
