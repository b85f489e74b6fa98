// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/SessionEvidence.h"
#include "core/records/SessionRecords.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wsi {

// Reads the evidence of real sessions for a diagnosis, from a file whose format is told by its content
// (SessionFileFormats::detect): the JSON-lines transcript of `wsinspector-cli connect --json` (handshake, frame
// and close events; others are skipped), one evidence per connection, in order, since with --reconnect each
// handshake event starts a new one; or a HAR file, one evidence per WebSocket entry (HarReader). Anything else is
// refused with the line or the byte and the reason, naming what is accepted.
namespace SessionEvidenceReader {

std::optional<QList<SessionEvidence>> readFile(const QString &path, QString *error);
std::optional<QList<SessionEvidence>> readTranscript(const QByteArray &bytes, const QString &sourceName,
                                                     QString *error);
// One evidence per session read from a file (HAR entries, recordings); `sourceName` names the file.
QList<SessionEvidence> fromSessions(const QList<SessionRecords> &sessions, const QString &sourceName);

} // namespace SessionEvidenceReader
} // namespace wsi
