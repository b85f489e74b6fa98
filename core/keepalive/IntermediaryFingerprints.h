// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/FingerprintClue.h"
#include "core/keepalive/IntermediaryFingerprint.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

class HttpHeaders;
class IntermediaryCatalog;

// The fingerprint table: how intermediaries of the catalog name themselves in the upgrade response
// (resources/fingerprints.json, compiled into wsi_core beside the catalog).
class IntermediaryFingerprints
{
public:
    // The table shipped with the application, checked against the built-in catalog. A broken built-in table is a
    // build defect, so it aborts with the loader's message.
    static const IntermediaryFingerprints &builtIn();
    static QString builtInPath();

    // Parses a table; nullopt and a message naming the entry and field on any error.
    static std::optional<IntermediaryFingerprints> fromJson(const QByteArray &json, const IntermediaryCatalog &catalog,
                                                            QString *error);

    const QList<IntermediaryFingerprint> &fingerprints() const { return m_fingerprints; }
    // Every clue the response carries, in table order; one per field line at most (two entries matching the same
    // line, as Server and x-envoy-* for Envoy, give two clues naming the same intermediary).
    QList<FingerprintClue> identify(const HttpHeaders &response) const;

private:
    QList<IntermediaryFingerprint> m_fingerprints;
};

} // namespace wsi
