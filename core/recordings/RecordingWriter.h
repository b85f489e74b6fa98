// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/records/CloseRecord.h"
#include "core/records/FrameLog.h"
#include "core/records/FrameRuleMarks.h"
#include "core/records/HandshakeRecord.h"
#include "core/records/HeartbeatEvent.h"
#include "core/records/HoldRecord.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QUrl>

#include <array>
#include <optional>

namespace wsi {

// Writes one session's recording (see RecordingFormat): an SQLite file in WAL mode, filled in transactions, each
// of which survives the process being killed once committed (WAL with synchronous=NORMAL: the commit is in the
// operating system's hands, only a power loss could still take it). The WAL stays bounded (4.2 MB, plus one commit
// larger than that) and is checkpointed into the file and deleted when the writer is destroyed; a recording
// that is still small then (a connection attempt that failed) is rewritten in a few KB.
//
// Qt SQL connections belong to the thread that opened them: create, use and destroy a writer on one thread
// (SessionRecorder's recording thread).
class RecordingWriter final
{
public:
    struct SessionInfo {
        QUrl url;
        QDateTime startedAt;
        QString appVersion;
        QJsonObject options; // the session's settings as a profile JSON, secrets left out
    };

    RecordingWriter();
    ~RecordingWriter();
    Q_DISABLE_COPY_MOVE(RecordingWriter)

    // Creates the file (replacing an earlier recording or an empty file, never any other file) with its schema.
    bool create(const QString &path, const SessionInfo &info, QString *error);
    QString path() const { return m_path; }

    // Everything written between begin() and commit() lands in the file together, or not at all. commit() also
    // fails when the file is no longer at path() (see fileStillInPlace()).
    bool begin(QString *error);
    bool commit(QString *error);
    // Whether path() still names the file being written. Removed or renamed away, the file keeps being written
    // (SQLite holds it open) but nothing on disk leads to it: the recording would be lost without a word. One
    // stat(), cheap enough for every commit.
    bool fileStillInPlace(QString *error) const;

    // How far a log has been written.
    struct LogPosition {
        qsizetype frames = 0;
        qsizetype messages = 0;
        qsizetype roundTrips = 0;
    };
    // Writes what `log` appended since `position` (at most up to frame maxFrames, -1: all) and moves `position` on.
    // Payloads the log did not keep in full are taken from `overflow` (may be null: then they are NULL in the file).
    // Safe while the log's writer keeps appending: it writes only what was published when it began.
    bool writeNewRecords(const FrameLog &log, LogPosition &position, PayloadOverflow *overflow, QString *error,
                         qsizetype maxFrames = -1);

    // payload: the whole payload; nullopt when it was never read or could not be kept. endsSingleFrameMessage: the
    // frame is a whole message by itself, which then gets no row of its own (see RecordingFormat).
    bool writeFrame(qsizetype index, const FrameRecord &record, std::optional<QByteArrayView> payload,
                    const ViolationList &violations, bool endsSingleFrameMessage, QString *error);
    // For a frame written before its message was known.
    bool markSingleFrameMessage(qsizetype frameIndex, QString *error);
    // payload: the inflated message; ignored when the message shares its single frame's payload.
    bool writeMessage(qsizetype index, const MessageRecord &record, std::optional<QByteArrayView> payload,
                      QString *error);
    bool writeRoundTrip(const RoundTrip &roundTrip, QString *error);
    bool writeHeartbeatEvent(qsizetype index, const HeartbeatEvent &event, QString *error);
    bool writeHandshake(const HandshakeRecord &handshake, QString *error);
    // The relay's rules, by their index in its set, which the rule marks refer to.
    bool writeRules(const QList<FrameRuleMarks::RuleName> &rules, QString *error);
    // Writes the runs `marks` added since `written` (and the last one written again, which may have grown), and
    // moves `written` on.
    bool writeNewRuleMarks(const FrameRuleMarks &marks, FrameRuleMarks::Progress &written, QString *error);
    bool writeClose(const CloseRecord &close, QString *error);
    // Every hold of the connection (it replaces what was written before).
    bool writeHolds(const QList<HoldRecord> &holds, QString *error);
    bool writeDiagnosis(const QJsonObject &diagnosis, QString *error);
    // Sets one entry of the info table (see RecordingFormat).
    bool writeInfo(const QString &key, const QString &value, QString *error);

private:
    // create() but for telling a file removed while it was being created from the error SQLite makes of that.
    bool createSchema(const QString &path, const SessionInfo &info, QString *error);
    // Rewrites a recording that holds little with small pages, when closing it (see compactBelowBytes).
    void compactIfSmall();
    // Moves everything in the WAL into the file and empties the WAL; false when it could not.
    bool checkpointIntoFile();
    bool execute(QSqlQuery &query, const char *what, QString *error);
    bool prepare(QSqlQuery &query, const char *sql, QString *error);

    QString m_connectionName;
    QString m_path;
    // The file's identity on its file system, taken when it was created (see fileStillInPlace()).
    struct FileIdentity {
        quint64 device = 0;
        quint64 inode = 0;
    };
    std::optional<FileIdentity> m_fileIdentity;
    QSqlDatabase m_db;
    QSqlQuery m_frameInsert;
    QSqlQuery m_violationInsert;
    QSqlQuery m_messageInsert;
    QSqlQuery m_roundTripInsert;
    QSqlQuery m_heartbeatInsert;
    QSqlQuery m_markSingleFrameMessage;
    QSqlQuery m_ruleFramesInsert;
    // The frames insert's columns 2-7 as last bound (see writeFrame()).
    std::array<qint64, 6> m_lastFrameBinds{};
    bool m_frameBindsValid = false;
};

} // namespace wsi
