// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/SessionFileReader.h"

#include "core/exchange/HarReader.h"
#include "core/recordings/RecordingReader.h"

#include <QFile>

namespace wsi::SessionFileReader {

Result read(const QString &path, const FrameLog::Budget &budget)
{
    Result result;
    result.format = SessionFileFormats::detectFile(path, &result.error);
    switch (result.format) {
    case SessionFileFormat::Recording:
        if (std::optional<SessionRecords> session = RecordingReader::readFile(path, &result.error, budget))
            result.sessions = QList<SessionRecords>{std::move(*session)};
        break;
    case SessionFileFormat::Har: {
        HarReader reader(HarReader::Options{budget, HarReader::Options{}.maxValueBytes});
        result.sessions = reader.readFile(path);
        result.entries = reader.entryCount();
        if (!result.sessions)
            result.error = reader.errorString();
        break;
    }
    case SessionFileFormat::Transcript:
    case SessionFileFormat::Empty: {
        // For the callers' own transcript readers, which name what a file is and what they accept.
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            result.transcript = file.readAll();
        } else {
            result.format = SessionFileFormat::Unreadable;
            result.error = QStringLiteral("cannot read '%1': %2").arg(path, file.errorString());
        }
        break;
    }
    case SessionFileFormat::Unreadable:
        break;
    }
    return result;
}

} // namespace wsi::SessionFileReader
