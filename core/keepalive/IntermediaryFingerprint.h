// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/FingerprintClue.h"

#include <QByteArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsi {

class HttpHeaders;
class IntermediaryCatalog;

// One entry of resources/fingerprints.json: a response header field, a pattern its value matches
// (case-insensitive, PCRE2 syntax through QRegularExpression), the catalog intermediaries it names, and the page
// that says the field is sent.
struct IntermediaryFingerprint {
    QByteArray header;
    QRegularExpression pattern;
    QStringList intermediaries;
    QString source;
    QString note;

    // The first field line of that name whose value matches; nullopt when none does.
    std::optional<FingerprintClue> match(const HttpHeaders &response) const;

    // Reads one entry; nullopt with a message naming the entry (`where`) and the field. Every id must be a model of
    // the catalog, so that a clue always leads to knobs.
    static std::optional<IntermediaryFingerprint> fromJson(const QJsonObject &object, const QString &where,
                                                           const IntermediaryCatalog &catalog, QString *error);
};

} // namespace wsi
