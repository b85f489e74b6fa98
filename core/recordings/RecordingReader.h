// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/SessionRecords.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace wsi {

// Opens a recording (see RecordingFormat) read-only: the whole session for the views (read()), or single payloads
// on demand for frames whose payload the in-memory log did not keep (framePayload()). Works on a recording that is
// still being written (WAL readers never block the writer) and on one whose writer was killed: everything up to
// the writer's last commit is there.
//
// Like every Qt SQL connection, a reader belongs to the thread that opened it.
class RecordingReader final
{
public:
    RecordingReader();
    ~RecordingReader();
    Q_DISABLE_COPY_MOVE(RecordingReader)

    // Whether the file starts like a recording (an SQLite file with the recording's application id), without
    // opening it as a database: how the file-opening code tells recordings from HAR and transcripts.
    static bool looksLikeRecording(const QString &path);

    // Fails with a sentence naming the file and what is wrong: not SQLite, another application's database, a newer
    // schema, a damaged file.
    bool open(const QString &path, QString *error);

    // The whole session. Payloads are loaded while `budget` has room; the rest stay in the file and are marked
    // PayloadTruncated in the log (framePayload() reads them back).
    std::optional<SessionRecords> read(const FrameLog::Budget &budget, QString *error);

    // The whole payload of frame / message `index` as recorded; nullopt with *error when the recording does not
    // hold it (never read because it was over the frame limit, or lost) or the index does not exist.
    std::optional<QByteArray> framePayload(qsizetype index, QString *error);
    // `record` is message `index` of the session's log (live or read from this file).
    std::optional<QByteArray> messagePayload(qsizetype index, const MessageRecord &record, QString *error);

    // Convenience: open, read, close.
    static std::optional<SessionRecords> readFile(const QString &path, QString *error,
                                                  const FrameLog::Budget &budget = FrameLog::Budget{});

private:
    std::optional<QByteArray> payload(const char *table, qsizetype index, QString *error);
    bool readFrames(FrameLog &log, QList<qsizetype> &singleFrameMessages, QString *error);
    bool readMessages(FrameLog &log, const QList<qsizetype> &singleFrameMessages, QString *error);
    bool readRoundTrips(FrameLog &log, QString *error);
    // The relay's rules and the frames they acted on (schema 3), into session.ruleMarks when there are any.
    bool readRuleMarks(SessionRecords &session, QString *error);
    bool readHolds(SessionRecords &session, QString *error);
    QString failure(const QString &what, const QString &detail) const;

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
    int m_schema = 0; // the file's RecordingFormat schema (PRAGMA user_version), known once open
};

} // namespace wsi
