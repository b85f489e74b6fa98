// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/RecordingReader.h"

#include "core/appprotocol/AppProtocol.h"
#include "core/profiles/ProfileJson.h"
#include "core/recordings/RecordingFormat.h"
#include "core/recordings/RecordingHandshakeFields.h"

#include <QAtomicInteger>
#include <QFile>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtEndian>

namespace wsi {

namespace {

QAtomicInteger<quint64> connectionCounter;

enum class FileKind { Missing, Unreadable, NotSqlite, OtherSqlite, Recording };

FileKind kindOf(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return FileKind::Missing;
    if (!file.open(QIODevice::ReadOnly))
        return FileKind::Unreadable;
    const QByteArray header = file.read(72);
    if (!header.startsWith(QByteArrayLiteral("SQLite format 3\0")) || header.size() < 72)
        return FileKind::NotSqlite;
    return qFromBigEndian<qint32>(header.constData() + 68) == RecordingFormat::applicationId ? FileKind::Recording
                                                                                             : FileKind::OtherSqlite;
}

// A payload the log keeps only while the budget lets it: the rest of a recording's payloads stay on disk.
qint64 roomLeft(const FrameLog &log)
{
    return std::max<qint64>(0, log.budget().maxStoredTotal - log.payloadBytesStored());
}

// The payloads of a table in index order, for reading in step with its records; a payload above the per-frame cap
// comes back NULL, so SQLite never reads its pages (length() of a blob needs only the row's header).
bool payloadsInStep(QSqlQuery &query, const char *table, qint64 perFrameCap)
{
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT CASE WHEN length(payload) <= ? THEN payload END FROM %1 ORDER BY idx")
                      .arg(QLatin1StringView(table)));
    query.bindValue(0, perFrameCap);
    return query.exec();
}

} // namespace

RecordingReader::RecordingReader()
    : m_connectionName(QStringLiteral("wsi-recording-reader-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{}

RecordingReader::~RecordingReader()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = {};
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool RecordingReader::looksLikeRecording(const QString &path)
{
    return kindOf(path) == FileKind::Recording;
}

QString RecordingReader::failure(const QString &what, const QString &detail) const
{
    return QStringLiteral("Cannot read %1 from the recording %2: %3").arg(what, m_path, detail);
}

bool RecordingReader::open(const QString &path, QString *error)
{
    m_path = path;
    switch (kindOf(path)) {
    case FileKind::Missing:
        *error = QStringLiteral("%1: no such file").arg(path);
        return false;
    case FileKind::Unreadable:
        *error = QStringLiteral("%1: cannot be read (permissions?)").arg(path);
        return false;
    case FileKind::NotSqlite:
        *error = QStringLiteral("%1 is not a WS Inspector recording: it is not an SQLite file").arg(path);
        return false;
    case FileKind::OtherSqlite:
        *error = QStringLiteral("%1 is an SQLite database of another application, not a WS Inspector recording "
                                "(its application_id is not \"WSIR\")")
                     .arg(path);
        return false;
    case FileKind::Recording:
        break;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid()) {
        *error = QStringLiteral("Cannot open %1: Qt's SQLite driver (QSQLITE) is not available").arg(path);
        return false;
    }
    m_db.setDatabaseName(path);
    // Read-write open is not needed, but a recording whose writer was killed has a WAL that SQLite replays, and
    // a reader of a live recording needs the shared-memory index: both work with a read-only connection as long
    // as the -shm file can be created, which is the normal case.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    if (!m_db.open()) {
        *error = QStringLiteral("Cannot open the recording %1: %2").arg(path, m_db.lastError().text());
        return false;
    }
    QSqlQuery version(m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        *error = QStringLiteral("Cannot open the recording %1: %2").arg(path, version.lastError().text());
        return false;
    }
    const int schema = version.value(0).toInt();
    m_schema = schema;
    if (schema > RecordingFormat::schemaVersion) {
        *error = QStringLiteral("%1 was written by a newer WS Inspector (recording schema %2; this version reads up "
                                "to schema %3)")
                     .arg(path)
                     .arg(schema)
                     .arg(RecordingFormat::schemaVersion);
        return false;
    }
    if (schema < 1) {
        *error =
            QStringLiteral("%1 is not a complete recording: its schema was never written (user_version 0)").arg(path);
        return false;
    }
    return true;
}

std::optional<SessionRecords> RecordingReader::readFile(const QString &path, QString *error,
                                                        const FrameLog::Budget &budget)
{
    RecordingReader reader;
    if (!reader.open(path, error))
        return std::nullopt;
    return reader.read(budget, error);
}

std::optional<SessionRecords> RecordingReader::read(const FrameLog::Budget &budget, QString *error)
{
    SessionRecords session;
    session.source = SessionRecords::Source::Recording;
    session.sourcePath = m_path;
    session.recordingPath = m_path;

    QSqlQuery info(m_db);
    if (!info.exec(QStringLiteral("SELECT key, value FROM info"))) {
        *error = failure(QStringLiteral("the session's details"), info.lastError().text());
        return std::nullopt;
    }
    HeartbeatSettings heartbeatSettings;
    ProtocolHeartbeat protocolHeartbeat;
    while (info.next()) {
        const QString key = info.value(0).toString();
        const QString value = info.value(1).toString();
        if (key == QLatin1StringView("url")) {
            session.url = QUrl(value);
        } else if (key == QLatin1StringView("started_at")) {
            session.startedAt = QDateTime::fromString(value, Qt::ISODateWithMs);
        } else if (key == QLatin1StringView("options")) {
            // The settings matter here only for the heartbeat view and the exports' secret names; a profile that does
            // not read is no reason to refuse the frames.
            QString ignored;
            const QJsonObject options = QJsonDocument::fromJson(value.toUtf8()).object();
            if (const auto profile = ProfileJson::fromJson(options, m_path, &ignored)) {
                heartbeatSettings = profile->options.heartbeat;
                session.secretHeaders = profile->options.secretHeaders;
                if (profile->options.protocol.mode == AppProtocolSettings::Mode::Speak)
                    session.protocol = AppProtocols::name(profile->options.protocol.protocol);
            }
        } else if (key == QLatin1StringView("protocol_heartbeat")) {
            protocolHeartbeat = ProtocolHeartbeat::fromJson(QJsonDocument::fromJson(value.toUtf8()).object());
        }
    }
    if (!session.url.isValid()) {
        *error =
            failure(QStringLiteral("the session's details"), QStringLiteral("the info table has no valid \"url\""));
        return std::nullopt;
    }

    QSqlQuery handshake(m_db);
    if (!handshake.exec(QStringLiteral("SELECT * FROM handshake"))) {
        *error = failure(QStringLiteral("the handshake"), handshake.lastError().text());
        return std::nullopt;
    }
    if (handshake.next()) // none when the writer stopped before the handshake finished
        session.handshake = RecordingHandshakeFields::fromRow(handshake.record());

    const auto log = std::make_shared<FrameLog>(budget);
    session.log = log;
    QList<qsizetype> singleFrameMessages;
    if (!readFrames(*log, singleFrameMessages, error) || !readMessages(*log, singleFrameMessages, error) ||
        !readRoundTrips(*log, error))
        return std::nullopt;

    if (m_schema >= RecordingFormat::ruleMarksSchema && !readRuleMarks(session, error))
        return std::nullopt;

    QSqlQuery heartbeat(m_db);
    // Before schema 2 the table had no source and no interval: its events were the WebSocket heartbeat's.
    const QLatin1StringView sourceColumns = m_schema >= RecordingFormat::heartbeatSourceSchema
                                                ? QLatin1StringView("source, interval_ns")
                                                : QLatin1StringView("0, -1");
    if (!heartbeat.exec(QStringLiteral("SELECT t_ns, kind, health, health_changed, rtt_ns, frame, sequence, missed, %1"
                                       " FROM heartbeat_events ORDER BY idx")
                            .arg(sourceColumns))) {
        *error = failure(QStringLiteral("the heartbeat events"), heartbeat.lastError().text());
        return std::nullopt;
    }
    const auto history = std::make_shared<HeartbeatHistory>(heartbeatSettings);
    history->setProtocolHeartbeat(protocolHeartbeat);
    session.heartbeat = history;
    while (heartbeat.next()) {
        HeartbeatEvent event;
        event.timeNs = heartbeat.value(0).toLongLong();
        event.kind =
            HeartbeatEvent::Kind(std::clamp(heartbeat.value(1).toInt(), 0, int(HeartbeatEvent::Kind::Answered)));
        event.health = HeartbeatEvent::Health(std::clamp(heartbeat.value(2).toInt(), 0, 2));
        event.healthChanged = heartbeat.value(3).toBool();
        event.rttNs = heartbeat.value(4).toLongLong();
        event.frame = qsizetype(heartbeat.value(5).toLongLong());
        if (event.frame < -1 || event.frame >= session.log->frameCount()) {
            *error = failure(QStringLiteral("the heartbeat events"),
                             QStringLiteral("an event refers to frame %1, but the recording has %2 frames")
                                 .arg(event.frame)
                                 .arg(session.log->frameCount()));
            return std::nullopt;
        }
        event.sequence = heartbeat.value(6).toULongLong();
        event.missed = heartbeat.value(7).toInt();
        event.source = HeartbeatEvent::Source(std::clamp(heartbeat.value(8).toInt(), 0, 1));
        event.intervalNs = std::max<qint64>(-1, heartbeat.value(9).toLongLong());
        history->append(event);
    }

    QSqlQuery close(m_db);
    // Every column, by name: recordings made before ended_by existed lack it.
    if (!close.exec(QStringLiteral("SELECT * FROM close"))) {
        *error = failure(QStringLiteral("how the connection ended"), close.lastError().text());
        return std::nullopt;
    }
    if (close.next()) {
        const QSqlRecord row = close.record();
        const auto column = [&row](const char *name) { return row.value(QString::fromLatin1(name)); };
        CloseRecord record;
        record.initiator = CloseRecord::Initiator(std::clamp(column("initiator").toInt(), 0, 2));
        record.code = quint16(column("code").toUInt());
        record.reason = column("reason").toString();
        record.clean = column("clean").toBool();
        record.closeSent = column("close_sent").toBool();
        record.closeReceived = column("close_received").toBool();
        record.atNs = column("at_ns").toLongLong();
        record.idleInNs = column("idle_in_ns").toLongLong();
        record.idleOutNs = column("idle_out_ns").toLongLong();
        record.error = column("error").toString();
        // A name this version does not know (a newer one's) is still our end, of an unknown kind.
        if (const QString endedBy = column("ended_by").toString(); !endedBy.isEmpty())
            record.ownEnd = OwnEnd{OwnEnd::reasonNamed(endedBy).value_or(OwnEnd::Reason::Aborted),
                                   column("ended_by_detail").toString()};
        session.close = record;
    }
    if (m_schema >= RecordingFormat::holdsSchema && !readHolds(session, error))
        return std::nullopt;
    return session;
}

bool RecordingReader::readRuleMarks(SessionRecords &session, QString *error)
{
    QSqlQuery rules(m_db);
    rules.setForwardOnly(true);
    if (!rules.exec(QStringLiteral("SELECT idx, name, action FROM rules ORDER BY idx"))) {
        *error = failure(QStringLiteral("the relay's rules"), rules.lastError().text());
        return false;
    }
    QList<FrameRuleMarks::RuleName> names;
    while (rules.next()) {
        if (rules.value(0).toLongLong() != names.size()) {
            *error =
                failure(QStringLiteral("the relay's rules"), QStringLiteral("rule %1 is missing (the next one is %2)")
                                                                 .arg(names.size())
                                                                 .arg(rules.value(0).toLongLong()));
            return false;
        }
        names.append({rules.value(1).toString(), rules.value(2).toString()});
    }
    if (names.isEmpty())
        return true; // not relayed with rules
    QSqlQuery runs(m_db);
    runs.setForwardOnly(true);
    if (!runs.exec(QStringLiteral("SELECT first_frame, last_frame, rule FROM rule_frames ORDER BY first_frame"))) {
        *error = failure(QStringLiteral("the frames rules acted on"), runs.lastError().text());
        return false;
    }
    const qsizetype ruleCount = names.size();
    auto marks = std::make_shared<FrameRuleMarks>(std::move(names));
    const qsizetype frames = session.log->frameCount();
    while (runs.next()) {
        const qint64 first = runs.value(0).toLongLong();
        const qint64 last = runs.value(1).toLongLong();
        const qint64 rule = runs.value(2).toLongLong();
        if (first < 0 || last < first || last >= frames || rule < 0 || rule >= ruleCount) {
            *error = failure(QStringLiteral("the frames rules acted on"),
                             QStringLiteral("a row marks frames %1 to %2 with rule %3, but the recording has %4 "
                                            "frames and %5 rules")
                                 .arg(first)
                                 .arg(last)
                                 .arg(rule)
                                 .arg(frames)
                                 .arg(ruleCount));
            return false;
        }
        marks->mark(qsizetype(first), qsizetype(last), qsizetype(rule));
    }
    session.ruleMarks = std::move(marks);
    return true;
}

bool RecordingReader::readHolds(SessionRecords &session, QString *error)
{
    QSqlQuery holds(m_db);
    if (!holds.exec(QStringLiteral("SELECT id, frame, from_client, rule, held_ns, decided_ns, outcome FROM holds"
                                   " ORDER BY idx"))) {
        *error = failure(QStringLiteral("the held messages"), holds.lastError().text());
        return false;
    }
    while (holds.next()) {
        HoldRecord hold;
        hold.id = holds.value(0).toULongLong();
        hold.frameIndex = holds.value(1).toLongLong();
        if (hold.frameIndex < 0 || hold.frameIndex >= session.log->frameCount()) {
            *error = failure(QStringLiteral("the held messages"),
                             QStringLiteral("a hold refers to frame %1, but the recording has %2 frames")
                                 .arg(hold.frameIndex)
                                 .arg(session.log->frameCount()));
            return false;
        }
        hold.from = holds.value(2).toBool() ? Endpoint::Client : Endpoint::Server;
        hold.rule = holds.value(3).toString();
        hold.heldAtNs = holds.value(4).toLongLong();
        hold.decidedAtNs = std::max<qint64>(-1, holds.value(5).toLongLong());
        // An outcome this version does not know (a newer one's) reads as still waiting: shown, never guessed.
        hold.outcome = HoldRecord::outcomeNamed(holds.value(6).toString()).value_or(HoldRecord::Outcome::Waiting);
        session.holds.append(hold);
    }
    return true;
}

bool RecordingReader::readFrames(FrameLog &log, QList<qsizetype> &singleFrameMessages, QString *error)
{
    QSqlQuery violations(m_db);
    violations.setForwardOnly(true);
    if (!violations.exec(QStringLiteral("SELECT frame, rule, detail FROM frame_violations ORDER BY frame, rowid"))) {
        *error = failure(QStringLiteral("the frames' violations"), violations.lastError().text());
        return false;
    }
    bool moreViolations = violations.next();

    // The records in one pass, and the payloads in a second pass in step with it for as long as the log's budget
    // has room, so a recording larger than the budget never has all its payloads read.
    QSqlQuery frames(m_db);
    frames.setForwardOnly(true);
    // length(payload) alone tells a payload not recorded (NULL) without reading it: SQLite reads no overflow page
    // for length(), where `payload IS NULL` reads the whole payload.
    if (!frames.exec(QStringLiteral("SELECT idx, t_ns, flags, opcode, header_length, length, masking_key,"
                                    " violation_mask, length(payload) FROM frames ORDER BY idx"))) {
        *error = failure(QStringLiteral("the frames"), frames.lastError().text());
        return false;
    }
    QSqlQuery payloads(m_db);
    bool loadingPayloads = payloadsInStep(payloads, "frames", log.budget().maxStoredPerFrame);

    qsizetype expected = 0;
    while (frames.next()) {
        const qsizetype index = qsizetype(frames.value(0).toLongLong());
        if (index != expected) {
            *error = failure(QStringLiteral("the frames"),
                             QStringLiteral("frame %1 is missing (the next one is %2)").arg(expected).arg(index));
            return false;
        }
        ++expected;
        FrameRecord record;
        record.timeNs = frames.value(1).toLongLong();
        const quint16 flags = quint16(frames.value(2).toUInt());
        if (flags & RecordingFormat::endsSingleFrameMessage)
            singleFrameMessages.append(index);
        record.flags = flags & ~quint16(FrameRecord::HasViolationDetails | RecordingFormat::endsSingleFrameMessage);
        record.opcode = quint8(frames.value(3).toUInt());
        record.headerLength = quint8(frames.value(4).toUInt());
        record.payloadLength = frames.value(5).toULongLong();
        qToBigEndian<quint32>(quint32(frames.value(6).toLongLong()), record.maskingKey.data());
        record.violationMask = quint64(frames.value(7).toLongLong());
        const bool notRecorded = frames.value(8).isNull();
        const qint64 recordedLength = frames.value(8).toLongLong();

        ViolationList details;
        while (moreViolations && violations.value(0).toLongLong() <= index) {
            const int rule = violations.value(1).toInt();
            if (violations.value(0).toLongLong() == index && rule >= 0 && rule < int(ViolationRule::Count))
                details.append(Violation{ViolationRule(rule), violations.value(2).toString()});
            moreViolations = violations.next();
        }

        QByteArray payload;
        if (loadingPayloads) {
            loadingPayloads = payloads.next() && roomLeft(log) > 0;
            if (loadingPayloads && recordedLength <= roomLeft(log))
                payload = payloads.value(0).toByteArray();
        }
        // Not loaded now (budget) or not in the file at all: the log shows the frame without its payload, and
        // the views ask the recording for it (framePayload) and say "not recorded" only when that fails.
        if ((notRecorded && record.payloadLength > 0 && !record.has(FrameRecord::PayloadDiscarded)) ||
            payload.size() < recordedLength)
            record.flags |= FrameRecord::PayloadTruncated;
        log.appendFrame(record, payload, details);
    }
    if (frames.lastError().isValid()) {
        *error = failure(QStringLiteral("the frames"), frames.lastError().text());
        return false;
    }
    return true;
}

bool RecordingReader::readMessages(FrameLog &log, const QList<qsizetype> &singleFrameMessages, QString *error)
{
    // Messages are in the order of their last frames: the rows of the messages table merged with the messages of
    // one plain frame, which are their frames (see RecordingFormat).
    qsizetype nextSingle = 0;
    auto appendSingleFrameMessagesBefore = [&](qsizetype frame) {
        for (; nextSingle < singleFrameMessages.size() && singleFrameMessages.at(nextSingle) < frame; ++nextSingle) {
            const qsizetype index = singleFrameMessages.at(nextSingle);
            log.appendMessage(RecordingFormat::singleFrameMessage(log.frame(index), index), {});
        }
    };
    QSqlQuery messages(m_db);
    messages.setForwardOnly(true);
    if (!messages.exec(QStringLiteral("SELECT idx, t_ns, first_frame, last_frame, wire_length, length, frame_count,"
                                      " type, direction, compressed, shares_frame_payload, length(payload)"
                                      " FROM messages ORDER BY idx"))) {
        *error = failure(QStringLiteral("the messages"), messages.lastError().text());
        return false;
    }
    QSqlQuery payloads(m_db);
    bool loadingPayloads = payloadsInStep(payloads, "messages", log.budget().maxStoredPerFrame);
    while (messages.next()) {
        MessageRecord record;
        record.timeNs = messages.value(1).toLongLong();
        record.firstFrame = messages.value(2).toULongLong();
        record.lastFrame = messages.value(3).toULongLong();
        record.wireLength = messages.value(4).toULongLong();
        record.length = messages.value(5).toULongLong();
        record.frameCount = quint32(messages.value(6).toUInt());
        record.type = MessageType(std::clamp(messages.value(7).toInt(), 0, 1));
        record.direction = Direction(std::clamp(messages.value(8).toInt(), 0, 1));
        record.compressed = messages.value(9).toBool();
        record.sharesFramePayload = messages.value(10).toBool();
        if (record.firstFrame > record.lastFrame || record.lastFrame >= quint64(log.frameCount())) {
            *error = failure(QStringLiteral("the messages"),
                             QStringLiteral("message %1 refers to frames %2-%3, but the recording has %4 frames")
                                 .arg(messages.value(0).toLongLong())
                                 .arg(record.firstFrame)
                                 .arg(record.lastFrame)
                                 .arg(log.frameCount()));
            return false;
        }
        QByteArray payload;
        if (loadingPayloads) {
            loadingPayloads = payloads.next() && roomLeft(log) > 0;
            if (loadingPayloads && !record.sharesFramePayload && messages.value(11).toLongLong() <= roomLeft(log))
                payload = payloads.value(0).toByteArray();
        }
        appendSingleFrameMessagesBefore(qsizetype(record.lastFrame));
        log.appendMessage(record, payload);
    }
    appendSingleFrameMessagesBefore(log.frameCount());
    return true;
}

bool RecordingReader::readRoundTrips(FrameLog &log, QString *error)
{
    QSqlQuery roundTrips(m_db);
    roundTrips.setForwardOnly(true);
    if (!roundTrips.exec(QStringLiteral("SELECT ping_frame, pong_frame, rtt_ns FROM round_trips ORDER BY rowid"))) {
        *error = failure(QStringLiteral("the ping round trips"), roundTrips.lastError().text());
        return false;
    }
    // Views index the log with these: a damaged or hostile file must not point them past its frames.
    const auto isFrame = [&log](qint64 index) { return index >= 0 && index < log.frameCount(); };
    while (roundTrips.next()) {
        const qint64 ping = roundTrips.value(0).toLongLong();
        const qint64 pong = roundTrips.value(1).toLongLong();
        if (!isFrame(ping) || !isFrame(pong)) {
            *error = failure(QStringLiteral("the ping round trips"),
                             QStringLiteral("a round trip refers to frames %1 and %2, but the recording has %3 frames")
                                 .arg(ping)
                                 .arg(pong)
                                 .arg(log.frameCount()));
            return false;
        }
        log.appendRoundTrip(RoundTrip{qsizetype(ping), qsizetype(pong), roundTrips.value(2).toLongLong()});
    }
    return true;
}

std::optional<QByteArray> RecordingReader::payload(const char *table, qsizetype index, QString *error)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT payload FROM %1 WHERE idx = ?").arg(QLatin1StringView(table)));
    query.bindValue(0, qint64(index));
    if (!query.exec()) {
        *error = failure(QStringLiteral("a payload"), query.lastError().text());
        return std::nullopt;
    }
    if (!query.next()) {
        *error =
            QStringLiteral("The recording %1 has no %2 %3").arg(m_path, QLatin1StringView(table).chopped(1)).arg(index);
        return std::nullopt;
    }
    if (query.value(0).isNull()) {
        *error = QStringLiteral("The recording %1 does not hold this payload: it was never read (over the frame "
                                "limit) or could not be recorded")
                     .arg(m_path);
        return std::nullopt;
    }
    return query.value(0).toByteArray();
}

std::optional<QByteArray> RecordingReader::framePayload(qsizetype index, QString *error)
{
    return payload("frames", index, error);
}

std::optional<QByteArray> RecordingReader::messagePayload(qsizetype index, const MessageRecord &record, QString *error)
{
    // A message that is its single frame's payload is stored once, with the frame.
    if (record.sharesFramePayload)
        return framePayload(qsizetype(record.firstFrame), error);
    return payload("messages", index, error);
}

} // namespace wsi
