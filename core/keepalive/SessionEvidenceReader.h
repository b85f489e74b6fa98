// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SessionEvidence.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// Reads the evidence of real sessions for a diagnosis. Today that is the JSON-lines transcript of
// `wsinspector-cli connect --json` (handshake, frame and close events; others are skipped): one evidence per
// connection, in order, since with --reconnect each handshake event starts a new one. Recordings and HAR files are
// to be added here. Anything else is refused with the line and the reason, naming what is accepted.
namespace SessionEvidenceReader {

std::optional<QList<SessionEvidence>> readFile(const QString &path, QString *error);
std::optional<QList<SessionEvidence>> readTranscript(const QByteArray &bytes, const QString &sourceName,
                                                     QString *error);

} // namespace SessionEvidenceReader
} // namespace wsi
