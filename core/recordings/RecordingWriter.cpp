// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingWriter.h"

#include "core/home/DataHome.h"
#include "core/recordings/RecordingFailure.h"
#include "core/recordings/RecordingFormat.h"
#include "core/recordings/RecordingHandshakeFields.h"
#include "core/recordings/WriteCoalescingVfs.h"
#include "core/records/PayloadOverflow.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QVariant>
#include <QtEndian>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/stat.h>
#endif

namespace wsi {

namespace {

QAtomicInteger<quint64> connectionCounter;

// Every commit appends each page it changed, whole, to the WAL: a slow feed's commit changes one page (the frames
// table's last leaf), so the page size is what a commit costs on disk. 64 KiB pages made a feed of 5 small messages
// a second write 316 KB/s; 4 KiB pages write 22 KB/s for it and record small frames as fast (wsi_bench_recording,
// same run). Alone they recorded payloads of 1 KiB and more at about 0.5-0.6 times the rate, in system calls: four
// per page. Written through WriteCoalescingVfs they take as few calls per byte as 64 KiB pages did
// (docs/performance.md).
constexpr int pageSize = 4096;
// SQLite checkpoints the WAL into the file (a passive checkpoint, run by the commit that crossed it) once it holds
// this many pages, and starts it over from the beginning with the next commit: the WAL stays under walSizeLimit
// (4.2 MB), plus the pages of one commit that is larger by itself (while it is the latest).
constexpr int walCheckpointPages = 1024;
// The WAL's size at the checkpoint: its header and the pages, each with its frame header. A WAL that one large
// commit made longer is cut back to this when it starts over, instead of staying as large as that commit.
constexpr qint64 walSizeLimit = 32 + qint64(walCheckpointPages) * (pageSize + 24);
// A recording this small when it closes (a connection attempt that failed, a session of a few messages) is rewritten
// with small pages: otherwise its nine tables and one index would keep a 4 KiB page each, and every failed reconnect
// attempt would leave about 48 KB for a few hundred bytes of handshake.
constexpr qint64 compactBelowBytes = 256 * 1024;
constexpr int compactPageSize = 512;

// A file may be replaced only when it is empty or an earlier recording: `--record important.db` must never
// destroy a database that is not ours.
bool mayReplace(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.exists() || file.size() == 0)
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 exists and cannot be read: %2").arg(path, file.errorString());
        return false;
    }
    // The SQLite header: the magic string, and the application id at offset 68 (big-endian).
    const QByteArray header = file.read(72);
    const bool isSqlite = header.startsWith(QByteArrayLiteral("SQLite format 3\0"));
    const bool isRecording = isSqlite && header.size() == 72 &&
                             qFromBigEndian<qint32>(header.constData() + 68) == RecordingFormat::applicationId;
    if (!isRecording) {
        *error = QStringLiteral("%1 exists and is not a WS Inspector recording; not replacing it").arg(path);
        return false;
    }
    return true;
}

QVariant blob(std::optional<QByteArrayView> bytes)
{
    if (!bytes)
        return QVariant(QMetaType::fromType<QByteArray>());
    // Never a null QByteArray for a recorded empty payload: NULL means "not recorded". The bytes are not copied:
    // the driver binds them for the statement's execution only, while the caller's payload is alive.
    return QVariant(bytes->isEmpty() ? QByteArray("", 0) : QByteArray::fromRawData(bytes->data(), bytes->size()));
}

#ifdef Q_OS_UNIX
// The identity of the file `path` names now; nullopt when nothing does (errno says why).
std::optional<std::pair<quint64, quint64>> deviceAndInode(const QString &path)
{
    struct stat status {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return std::nullopt;
    return std::pair{quint64(status.st_dev), quint64(status.st_ino)};
}
#endif

} // namespace

RecordingWriter::RecordingWriter()
    : m_connectionName(QStringLiteral("wsi-recording-writer-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{}

RecordingWriter::~RecordingWriter()
{
    m_frameInsert = QSqlQuery(QSqlDatabase());
    m_violationInsert = QSqlQuery(QSqlDatabase());
    m_messageInsert = QSqlQuery(QSqlDatabase());
    m_roundTripInsert = QSqlQuery(QSqlDatabase());
    m_heartbeatInsert = QSqlQuery(QSqlDatabase());
    m_markSingleFrameMessage = QSqlQuery(QSqlDatabase());
    m_ruleFramesInsert = QSqlQuery(QSqlDatabase());
    if (m_db.isValid()) {
        QString removed;
        const bool inPlace = m_db.isOpen() && fileStillInPlace(&removed);
        // SQLite neither checkpoints nor deletes the WAL of a file that was removed or renamed away: its -wal and
        // -shm would be left where the file was. The WAL goes into the file now (a renamed file is then complete),
        // truncated to nothing, and both are removed once it is closed.
        const bool leftoversToRemove = !inPlace && m_db.isOpen() && checkpointIntoFile();
        if (inPlace)
            compactIfSmall();
        // Closing the last connection checkpoints the WAL into the file and deletes it.
        m_db.close();
        m_db = {};
        QSqlDatabase::removeDatabase(m_connectionName);
        if (leftoversToRemove && QFileInfo(m_path + QStringLiteral("-wal")).size() == 0) {
            QFile::remove(m_path + QStringLiteral("-wal"));
            QFile::remove(m_path + QStringLiteral("-shm"));
        }
    }
}

bool RecordingWriter::checkpointIntoFile()
{
    QSqlQuery query(m_db);
    // The result row: busy (0 when it completed), WAL frames, frames checkpointed.
    return query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) && query.next() && query.value(0).toInt() == 0;
}

void RecordingWriter::compactIfSmall()
{
    if (!m_db.isOpen())
        return;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA page_count")) || !query.next() ||
        query.value(0).toLongLong() * pageSize > compactBelowBytes)
        return;
    // The page size of a WAL database cannot change: leave WAL mode first (which checkpoints the WAL and deletes
    // it). This needs the only connection to the file; with a reader open it fails, and the recording stays as it
    // is, complete, just larger. The file stays in rollback-journal mode: a reader needs no -shm file for it.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = DELETE")) || !query.next() ||
        query.value(0).toString().compare(QLatin1StringView("delete"), Qt::CaseInsensitive) != 0)
        return;
    if (query.exec(QStringLiteral("PRAGMA page_size = %1").arg(compactPageSize)))
        query.exec(QStringLiteral("VACUUM"));
}

bool RecordingWriter::execute(QSqlQuery &query, const char *what, QString *error)
{
    if (query.exec())
        return true;
    *error = QStringLiteral("Cannot write %1 to the recording %2: %3")
                 .arg(QLatin1StringView(what), m_path, query.lastError().text());
    return false;
}

bool RecordingWriter::prepare(QSqlQuery &query, const char *sql, QString *error)
{
    query = QSqlQuery(m_db);
    if (query.prepare(QLatin1StringView(sql)))
        return true;
    *error = QStringLiteral("Cannot prepare the recording %1: %2").arg(m_path, query.lastError().text());
    return false;
}

bool RecordingWriter::create(const QString &path, const SessionInfo &info, QString *error)
{
    m_path = path;
    if (!mayReplace(path, error))
        return false;
    for (const QString &file : QStringList{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
        if (QFile::exists(file) && !QFile::remove(file)) {
            *error = QStringLiteral("Cannot replace %1").arg(file);
            return false;
        }
    }
    {
        // Created here, owner-only, before SQLite opens it: a recording holds every header and payload, and SQLite
        // gives its -wal and -shm files the database file's permissions.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, DataHome::privateFile)) {
            *error = QStringLiteral("Cannot create the recording %1: %2").arg(path, file.errorString());
            return false;
        }
    }
#ifdef Q_OS_UNIX
    // Taken before SQLite opens the file by its name: the same file (nobody else knows of it yet).
    if (const auto identity = deviceAndInode(path))
        m_fileIdentity = FileIdentity{identity->first, identity->second};
#endif
    if (createSchema(path, info, error))
        return true;
    // SQLite says "disk I/O error" or "attempt to write a readonly database" when the file it is filling is removed
    // under it: the removal is what the user can act on.
    if (QString removed; !fileStillInPlace(&removed))
        *error = removed;
    return false;
}

bool RecordingWriter::createSchema(const QString &path, const SessionInfo &info, QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid()) {
        *error = QStringLiteral("Cannot record: Qt's SQLite driver (QSQLITE) is not available");
        return false;
    }
    // Through the VFS that sends writes in runs (four system calls fewer per page); the ordinary way when that VFS is
    // not in the SQLite library Qt's driver uses (a Qt built with its own copy).
    bool opened = false;
    if (WriteCoalescingVfs::registerOnce()) {
        m_db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI"));
        m_db.setDatabaseName(WriteCoalescingVfs::uriFor(path));
        opened = m_db.open();
    }
    if (!opened) {
        m_db.setConnectOptions();
        m_db.setDatabaseName(path);
        opened = m_db.open();
    }
    if (!opened) {
        *error = QStringLiteral("Cannot create the recording %1: %2").arg(path, m_db.lastError().text());
        return false;
    }
    QSqlQuery query(m_db);
    const QString pragmas[] = {
        QStringLiteral("PRAGMA page_size = %1").arg(pageSize),
        QStringLiteral("PRAGMA application_id = %1").arg(RecordingFormat::applicationId),
        QStringLiteral("PRAGMA user_version = %1").arg(RecordingFormat::schemaVersion),
        QStringLiteral("PRAGMA journal_mode = WAL"),
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        QStringLiteral("PRAGMA wal_autocheckpoint = %1").arg(walCheckpointPages),
        QStringLiteral("PRAGMA journal_size_limit = %1").arg(walSizeLimit),
    };
    for (const QString &pragma : pragmas) {
        if (!query.exec(pragma)) {
            *error = QStringLiteral("Cannot create the recording %1: %2").arg(path, query.lastError().text());
            return false;
        }
    }
    if (!begin(error))
        return false;
    for (const char *statement : RecordingFormat::schema) {
        if (!query.exec(QLatin1StringView(statement))) {
            *error = QStringLiteral("Cannot create the recording %1: %2").arg(path, query.lastError().text());
            return false;
        }
    }
    QSqlQuery infoInsert(m_db);
    if (!infoInsert.prepare(QStringLiteral("INSERT INTO info (key, value) VALUES (?, ?)")))
        return execute(infoInsert, "the session's details", error);
    const QPair<QString, QString> entries[] = {
        {QStringLiteral("url"), info.url.toString()},
        {QStringLiteral("started_at"), info.startedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("app_version"), info.appVersion},
        {QStringLiteral("options"), QString::fromUtf8(QJsonDocument(info.options).toJson(QJsonDocument::Compact))},
    };
    for (const auto &[key, value] : entries) {
        if (value.isEmpty()) // not known yet (the start time comes with the handshake)
            continue;
        infoInsert.bindValue(0, key);
        infoInsert.bindValue(1, value);
        if (!execute(infoInsert, "the session's details", error))
            return false;
    }
    return prepare(m_frameInsert,
                   "INSERT INTO frames (idx, t_ns, flags, opcode, header_length, length, masking_key, violation_mask,"
                   " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   error) &&
           prepare(m_violationInsert, "INSERT INTO frame_violations (frame, rule, detail) VALUES (?, ?, ?)", error) &&
           prepare(m_messageInsert,
                   "INSERT INTO messages (idx, t_ns, first_frame, last_frame, wire_length, length, frame_count, type,"
                   " direction, compressed, shares_frame_payload, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   error) &&
           prepare(m_roundTripInsert, "INSERT INTO round_trips (ping_frame, pong_frame, rtt_ns) VALUES (?, ?, ?)",
                   error) &&
           prepare(m_markSingleFrameMessage, "UPDATE frames SET flags = flags | ? WHERE idx = ?", error) &&
           prepare(m_ruleFramesInsert,
                   "INSERT OR REPLACE INTO rule_frames (first_frame, last_frame, rule) VALUES (?, ?, ?)", error) &&
           prepare(m_heartbeatInsert,
                   "INSERT INTO heartbeat_events (idx, t_ns, kind, health, health_changed, rtt_ns, frame, sequence,"
                   " missed, source, interval_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   error) &&
           commit(error);
}

bool RecordingWriter::begin(QString *error)
{
    if (m_db.transaction())
        return true;
    *error = QStringLiteral("Cannot write to the recording %1: %2").arg(m_path, m_db.lastError().text());
    return false;
}

bool RecordingWriter::commit(QString *error)
{
    if (!m_db.commit()) {
        *error = QStringLiteral("Cannot write to the recording %1: %2").arg(m_path, m_db.lastError().text());
        return false;
    }
    return fileStillInPlace(error);
}

bool RecordingWriter::fileStillInPlace(QString *error) const
{
#ifdef Q_OS_UNIX
    if (!m_fileIdentity)
        return true;
    const auto identity = deviceAndInode(m_path);
    // Another error (a folder made unreadable) says nothing of the file, which is still written where it was.
    const bool gone = identity ? identity->first != m_fileIdentity->device || identity->second != m_fileIdentity->inode
                               : errno == ENOENT || errno == ENOTDIR;
#else
    // Windows does not let an open file be removed or renamed unless its opener allows it: only its absence tells.
    const bool gone = !m_path.isEmpty() && !QFileInfo::exists(m_path);
#endif
    if (!gone)
        return true;
    *error = RecordingFailure::fileRemoved(m_path);
    return false;
}

bool RecordingWriter::writeNewRecords(const FrameLog &log, LogPosition &position, PayloadOverflow *overflow,
                                      QString *error, qsizetype maxFrames)
{
    // Counts first: every record below them is published, and so is the overflow payload of each (the log hands a
    // payload over before it publishes the record).
    const qsizetype frames = maxFrames < 0 ? log.frameCount() : std::min(maxFrames, log.frameCount());
    const qsizetype messages = log.messageCount();
    const qsizetype roundTrips = log.roundTripCount();

    // Messages of one plain frame become a flag on that frame: on the frames written now, or, for a frame written
    // by an earlier call, an update. A message whose last frame is not written yet waits for the next call.
    QList<bool> singleFrameMessage(frames - position.frames, false);
    QList<qsizetype> explicitMessages;
    QList<qsizetype> earlierFramesToMark;
    qsizetype nextMessage = position.messages;
    for (; nextMessage < messages; ++nextMessage) {
        const MessageRecord &message = log.message(nextMessage);
        const qsizetype last = qsizetype(message.lastFrame);
        if (last >= frames)
            break;
        if (!RecordingFormat::isSingleFrameMessage(message, log.frame(last)))
            explicitMessages.append(nextMessage);
        else if (last >= position.frames)
            singleFrameMessage[last - position.frames] = true;
        else
            earlierFramesToMark.append(last);
    }

    for (qsizetype i = position.frames; i < frames; ++i) {
        const FrameRecord &record = log.frame(i);
        std::optional<QByteArray> overflowPayload;
        std::optional<QByteArrayView> payload;
        if (record.has(FrameRecord::PayloadTruncated)) {
            overflowPayload = overflow ? overflow->takeFrame(i) : std::nullopt;
            if (overflowPayload)
                payload = QByteArrayView(*overflowPayload);
        } else if (!record.has(FrameRecord::PayloadDiscarded)) {
            payload = log.framePayload(i);
        }
        if (!writeFrame(i, record, payload, log.frameViolations(i), singleFrameMessage[i - position.frames], error))
            return false;
    }
    for (const qsizetype frame : std::as_const(earlierFramesToMark)) {
        if (!markSingleFrameMessage(frame, error))
            return false;
    }
    for (const qsizetype i : std::as_const(explicitMessages)) {
        const MessageRecord &record = log.message(i);
        std::optional<QByteArray> overflowPayload;
        std::optional<QByteArrayView> payload;
        if (!record.sharesFramePayload && record.payloadTruncated()) {
            overflowPayload = overflow ? overflow->takeMessage(i) : std::nullopt;
            if (overflowPayload)
                payload = QByteArrayView(*overflowPayload);
        } else {
            payload = log.messagePayload(i);
        }
        if (!writeMessage(i, record, payload, error))
            return false;
    }
    for (qsizetype i = position.roundTrips; i < roundTrips; ++i) {
        if (!writeRoundTrip(log.roundTrip(i), error))
            return false;
    }
    position = LogPosition{frames, nextMessage, roundTrips};
    return true;
}

bool RecordingWriter::markSingleFrameMessage(qsizetype frameIndex, QString *error)
{
    m_markSingleFrameMessage.bindValue(0, int(RecordingFormat::endsSingleFrameMessage));
    m_markSingleFrameMessage.bindValue(1, qint64(frameIndex));
    return execute(m_markSingleFrameMessage, "a frame", error);
}

bool RecordingWriter::writeFrame(qsizetype index, const FrameRecord &record, std::optional<QByteArrayView> payload,
                                 const ViolationList &violations, bool endsSingleFrameMessage, QString *error)
{
    // In the file a payload is either whole or NULL: the log's "kept only in part" does not apply here.
    quint16 flags = record.flags & ~quint16(FrameRecord::PayloadTruncated);
    if (endsSingleFrameMessage)
        flags |= RecordingFormat::endsSingleFrameMessage;
    QSqlQuery &q = m_frameInsert;
    q.bindValue(0, qint64(index));
    q.bindValue(1, record.timeNs);
    // A prepared query keeps its bound values from one execution to the next, and binding through Qt SQL costs
    // more than SQLite's insert itself: columns that mostly repeat from frame to frame are bound only on change.
    const qint64 repeating[] = {flags,
                                record.opcode,
                                record.headerLength,
                                qint64(record.payloadLength),
                                qint64(qFromBigEndian<quint32>(record.maskingKey.data())),
                                qint64(record.violationMask)}; // fewer than 64 rules: never negative
    for (int column = 0; column < int(std::size(repeating)); ++column) {
        if (!m_frameBindsValid || m_lastFrameBinds[column] != repeating[column]) {
            q.bindValue(2 + column, repeating[column]);
            m_lastFrameBinds[column] = repeating[column];
        }
    }
    m_frameBindsValid = true;
    q.bindValue(8, blob(payload));
    if (!execute(q, "a frame", error))
        return false;
    for (const Violation &violation : violations) {
        m_violationInsert.bindValue(0, qint64(index));
        m_violationInsert.bindValue(1, int(violation.rule));
        m_violationInsert.bindValue(2, violation.detail);
        if (!execute(m_violationInsert, "a frame's violations", error))
            return false;
    }
    return true;
}

bool RecordingWriter::writeMessage(qsizetype index, const MessageRecord &record, std::optional<QByteArrayView> payload,
                                   QString *error)
{
    QSqlQuery &q = m_messageInsert;
    q.bindValue(0, qint64(index));
    q.bindValue(1, record.timeNs);
    q.bindValue(2, qint64(record.firstFrame));
    q.bindValue(3, qint64(record.lastFrame));
    q.bindValue(4, qint64(record.wireLength));
    q.bindValue(5, qint64(record.length));
    q.bindValue(6, qint64(record.frameCount));
    q.bindValue(7, int(record.type));
    q.bindValue(8, int(record.direction));
    q.bindValue(9, int(record.compressed));
    q.bindValue(10, int(record.sharesFramePayload));
    q.bindValue(11, record.sharesFramePayload ? blob(std::nullopt) : blob(payload));
    return execute(q, "a message", error);
}

bool RecordingWriter::writeRoundTrip(const RoundTrip &roundTrip, QString *error)
{
    m_roundTripInsert.bindValue(0, qint64(roundTrip.pingFrame));
    m_roundTripInsert.bindValue(1, qint64(roundTrip.pongFrame));
    m_roundTripInsert.bindValue(2, roundTrip.rttNs);
    return execute(m_roundTripInsert, "a ping's round trip", error);
}

bool RecordingWriter::writeHeartbeatEvent(qsizetype index, const HeartbeatEvent &event, QString *error)
{
    QSqlQuery &q = m_heartbeatInsert;
    q.bindValue(0, qint64(index));
    q.bindValue(1, event.timeNs);
    q.bindValue(2, int(event.kind));
    q.bindValue(3, int(event.health));
    q.bindValue(4, int(event.healthChanged));
    q.bindValue(5, event.rttNs);
    q.bindValue(6, qint64(event.frame));
    q.bindValue(7, qint64(event.sequence));
    q.bindValue(8, event.missed);
    q.bindValue(9, int(event.source));
    q.bindValue(10, event.intervalNs);
    return execute(q, "a heartbeat event", error);
}

bool RecordingWriter::writeHandshake(const HandshakeRecord &h, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO handshake (id, request, request_headers, response_received, response, http_version,"
        " status, reason, response_headers, body, body_truncated, accepted, subprotocol, extensions, deflate,"
        " violations, explanation, dns_ns, connect_ns, tls_ns, upgrade_ns, peer, certificates, tls_errors,"
        " tls_protocol, tls_cipher, relay_declined_deflate) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QVariantList values = RecordingHandshakeFields::toColumns(h);
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values.at(i));
    return execute(q, "the handshake", error);
}

bool RecordingWriter::writeRules(const QList<FrameRuleMarks::RuleName> &rules, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO rules (idx, name, action) VALUES (?, ?, ?)"));
    for (qsizetype i = 0; i < rules.size(); ++i) {
        q.bindValue(0, qint64(i));
        q.bindValue(1, rules.at(i).name);
        q.bindValue(2, rules.at(i).action);
        if (!execute(q, "the relay's rules", error))
            return false;
    }
    return true;
}

bool RecordingWriter::writeNewRuleMarks(const FrameRuleMarks &marks, FrameRuleMarks::Progress &written, QString *error)
{
    // The last run written may have grown since: written again, over its row.
    for (const FrameRuleMarks::Run &run : marks.runsSince(written)) {
        m_ruleFramesInsert.bindValue(0, run.first);
        m_ruleFramesInsert.bindValue(1, run.last);
        m_ruleFramesInsert.bindValue(2, run.rule);
        if (!execute(m_ruleFramesInsert, "the frames a rule acted on", error))
            return false;
    }
    return true;
}

bool RecordingWriter::writeClose(const CloseRecord &c, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO close (id, initiator, code, reason, clean, close_sent,"
                             " close_received, at_ns, idle_in_ns, idle_out_ns, error, ended_by, ended_by_detail)"
                             " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QVariant endedBy = c.ownEnd ? QVariant(OwnEnd::reasonName(c.ownEnd->reason)) : QVariant();
    const QVariant endedByDetail = c.ownEnd ? QVariant(c.ownEnd->detail) : QVariant();
    const QVariant values[] = {
        int(c.initiator), int(c.code), c.reason,    int(c.clean), int(c.closeSent), int(c.closeReceived),
        c.atNs,           c.idleInNs,  c.idleOutNs, c.error,      endedBy,          endedByDetail};
    for (int i = 0; i < int(std::size(values)); ++i)
        q.bindValue(i, values[i]);
    return execute(q, "how the connection ended", error);
}

bool RecordingWriter::writeHolds(const QList<HoldRecord> &holds, QString *error)
{
    QSqlQuery clear(m_db);
    if (!clear.exec(QStringLiteral("DELETE FROM holds")))
        return execute(clear, "the held messages", error);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO holds (idx, id, frame, from_client, rule, held_ns, decided_ns, outcome)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < holds.size(); ++i) {
        const HoldRecord &hold = holds.at(i);
        const QVariant values[] = {qint64(i), qint64(hold.id), hold.frameIndex,  int(hold.from == Endpoint::Client),
                                   hold.rule, hold.heldAtNs,   hold.decidedAtNs, HoldRecord::outcomeName(hold.outcome)};
        for (int v = 0; v < int(std::size(values)); ++v)
            q.bindValue(v, values[v]);
        if (!execute(q, "the held messages", error))
            return false;
    }
    return true;
}

bool RecordingWriter::writeDiagnosis(const QJsonObject &diagnosis, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO diagnosis (id, json) VALUES (1, ?)"));
    q.bindValue(0, QString::fromUtf8(QJsonDocument(diagnosis).toJson(QJsonDocument::Compact)));
    return execute(q, "the diagnosis", error);
}

bool RecordingWriter::writeInfo(const QString &key, const QString &value, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)"));
    q.bindValue(0, key);
    q.bindValue(1, value.isNull() ? QString(QLatin1StringView("")) : value);
    return execute(q, "the session's details", error);
}

} // namespace wsi
