// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RecordedTraffic.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace wsi {

// Reads the traffic of a real session for the simulator. Today that is the JSON-lines transcript of
// `wsinspector-cli connect --json` ("frame" events with "t" in seconds and "dir" out = client, in = server);
// recordings and HAR files will be further formats here. Anything else is refused with the line and the reason.
namespace RecordedTrafficReader {

std::optional<RecordedTraffic> readFile(const QString &path, QString *error);
std::optional<RecordedTraffic> readTranscript(const QByteArray &bytes, const QString &sourceName, QString *error);

} // namespace RecordedTrafficReader
} // namespace wsi
