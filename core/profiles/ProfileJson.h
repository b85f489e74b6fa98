// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/profiles/SessionProfile.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace wsi {

// A SessionProfile as a JSON document with "schema": currentSchema.
//
// Reading is all or nothing: the first problem ends it with a message naming the source (a file name), the field's
// path ("headers[2].value") and what was expected, and no profile comes back. Only "schema", "name" and "url" are
// required; any other field may be left out (its default applies) but must have the right type when present.
//
// Older schemas are migrated before reading (migrate()). Schema 0 is what development builds before profiles had
// a version wrote: no "schema" key, "name" and "url" strings, "headers" as an object of name to value, and
// "subprotocols" as one comma-separated string. Nothing else existed then.
class ProfileJson
{
public:
    static constexpr int currentSchema = 1;

    enum class Secrets : quint8 {
        Omit,    // secret values become SessionProfile::secretPlaceholder (profile files, default exports)
        Include, // an export the user explicitly asked to carry secrets
    };

    static QJsonObject toJson(const SessionProfile &profile, Secrets secrets = Secrets::Omit);
    static QByteArray toBytes(const SessionProfile &profile, Secrets secrets = Secrets::Omit);

    // source names the document in messages ("work.json: headers[2].value: expected a string, found a number").
    static std::optional<SessionProfile> fromBytes(const QByteArray &bytes, const QString &source, QString *error);
    static std::optional<SessionProfile> fromJson(const QJsonObject &document, const QString &source, QString *error);

    // Brings a document of an older schema to currentSchema; returns it unchanged when already current. Empty
    // *error on success.
    static QJsonObject migrate(const QJsonObject &document, QString *error);
};

} // namespace wsi
