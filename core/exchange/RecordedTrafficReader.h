// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/keepalive/RecordedTraffic.h"
#include "core/records/SessionRecords.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsi {

// Reads the traffic of a real session for the simulator, from a file whose format is told by its content
// (SessionFileFormats::detect): the JSON-lines transcript of `wsinspector-cli connect --json` ("frame" events with
// "t" in seconds and "dir" out = client, in = server), or a HAR file, whose first WebSocket entry with messages is
// replayed (HarReader, SessionTraffic). Anything else is refused with the line or the byte and the reason.
namespace RecordedTrafficReader {

std::optional<RecordedTraffic> readFile(const QString &path, QString *error);
std::optional<RecordedTraffic> readTranscript(const QByteArray &bytes, const QString &sourceName, QString *error);
// The first session with frames among those read from a file (HAR entries, recordings); nullopt with *error when
// none has any.
std::optional<RecordedTraffic> fromSessions(const QList<SessionRecords> &sessions, const QString &sourceName,
                                            QString *error);

} // namespace RecordedTrafficReader
} // namespace wsi
