// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/SessionRecorder.h"

#include "core/keepalive/DisconnectDiagnoser.h"
#include "core/keepalive/SessionEvidence.h"
#include "core/profiles/ProfileJson.h"
#include "core/recordings/RecordingWriter.h"
#include "core/records/FrameLog.h"
#include "core/records/HeartbeatHistory.h"
#include "core/records/PayloadOverflow.h"
#include "core/session/Session.h"
#include "core/session/SessionRules.h"

#include <QJsonDocument>
#include <QThread>

namespace wsi {

SessionRecorder::SessionRecorder(std::shared_ptr<const FrameLog> log, std::shared_ptr<const HeartbeatHistory> heartbeat,
                                 const QString &path)
    : m_path(path)
    , m_log(std::move(log))
    , m_heartbeat(std::move(heartbeat))
    , m_overflow(std::make_shared<PayloadOverflow>())
{
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &SessionRecorder::flush);
}

SessionRecorder::~SessionRecorder() = default;

SessionRecorder *SessionRecorder::start(Session *session, const QString &path, QThread *thread,
                                        const QString &appVersion)
{
    auto *recorder = new SessionRecorder(session->frameLog(), session->heartbeatHistory(), path);
    session->setRecording(path, recorder->m_overflow);
    if (session->rules())
        recorder->m_ruleMarks = session->rules()->marks();
    // A profile needs a name; the URL says which session this was.
    SessionProfile profile;
    profile.name = session->options().url.toString();
    profile.options = session->options();
    recorder->startOn(thread, appVersion, ProfileJson::toJson(profile), session->options().url);

    // The session's records are copied on its own thread, where it is known to exist, and handed over queued. The
    // recorder outlives these connections: it deletes itself only after the session's end reached it.
    QObject::connect(
        session, &Session::handshakeFinished, session,
        [session, recorder] {
            QMetaObject::invokeMethod(recorder,
                                      [recorder, records = session->records()] { recorder->onHandshake(records); });
        },
        Qt::DirectConnection);
    auto ended = std::make_shared<bool>(false);
    QObject::connect(
        session, &Session::closed, session,
        [session, recorder, ended] {
            *ended = true;
            QMetaObject::invokeMethod(recorder,
                                      [recorder, records = session->records()] { recorder->onEnded(records); });
        },
        Qt::DirectConnection);
    // A session deleted before it ever ended (never opened, or torn down with its manager): what was published is
    // written, without a close.
    QObject::connect(
        session, &QObject::destroyed, session,
        [recorder, ended] {
            if (!*ended)
                QMetaObject::invokeMethod(recorder, [recorder] { recorder->onEnded(std::nullopt); });
        },
        Qt::DirectConnection);
    return recorder;
}

SessionRecorder *SessionRecorder::start(const Source &source, const QString &path, QThread *thread,
                                        const QString &appVersion)
{
    auto *recorder = new SessionRecorder(source.log, source.heartbeat, path);
    recorder->m_ruleMarks = source.ruleMarks;
    recorder->startOn(thread, appVersion, source.options, source.url);
    return recorder;
}

void SessionRecorder::startOn(QThread *thread, const QString &appVersion, const QJsonObject &options, const QUrl &url)
{
    m_flushTimer.moveToThread(thread);
    moveToThread(thread);
    QMetaObject::invokeMethod(this, [this, appVersion, options, url] { create(appVersion, options, url); });
}

void SessionRecorder::recordHandshake(const SessionRecords &records)
{
    QMetaObject::invokeMethod(this, [this, records] { onHandshake(records); });
}

void SessionRecorder::recordEnd(const std::optional<SessionRecords> &records)
{
    QMetaObject::invokeMethod(this, [this, records] { onEnded(records); });
}

void SessionRecorder::create(const QString &appVersion, const QJsonObject &options, const QUrl &url)
{
    m_writer = std::make_unique<RecordingWriter>();
    QString error;
    if (!m_writer->create(m_path, RecordingWriter::SessionInfo{url, QDateTime(), appVersion, options}, &error)) {
        fail(error);
        return;
    }
    if (m_ruleMarks && (!m_writer->begin(&error) || !m_writer->writeRules(m_ruleMarks->rules(), &error) ||
                        !m_writer->commit(&error))) {
        fail(error);
        return;
    }
    m_flushTimer.start();
}

void SessionRecorder::fail(const QString &error)
{
    if (m_failed)
        return;
    m_failed = true;
    m_flushTimer.stop();
    m_writer.reset();
    Q_EMIT failed(error);
}

bool SessionRecorder::writeNewRecords(QString *error)
{
    if (!m_writer->writeNewRecords(*m_log, m_written, m_overflow.get(), error))
        return false;
    if (m_ruleMarks && !m_writer->writeNewRuleMarks(*m_ruleMarks, m_ruleMarksWritten, error))
        return false;
    if (!m_heartbeat)
        return true;
    // The protocol's heartbeat as negotiated, once its handshake told it, in the same transaction as the events
    // published with it.
    if (const ProtocolHeartbeat negotiated = m_heartbeat->protocolHeartbeat();
        negotiated != m_protocolHeartbeatWritten) {
        if (!m_writer->writeInfo(QStringLiteral("protocol_heartbeat"),
                                 QString::fromUtf8(QJsonDocument(negotiated.toJson()).toJson(QJsonDocument::Compact)),
                                 error))
            return false;
        m_protocolHeartbeatWritten = negotiated;
    }
    // Both heartbeats' events, the WebSocket one's and the application protocol's, each with its source.
    const qsizetype heartbeatEvents = m_heartbeat->eventCount();
    for (; m_heartbeatEventsWritten < heartbeatEvents; ++m_heartbeatEventsWritten) {
        if (!m_writer->writeHeartbeatEvent(m_heartbeatEventsWritten, m_heartbeat->event(m_heartbeatEventsWritten),
                                           error))
            return false;
    }
    return true;
}

void SessionRecorder::flush()
{
    if (!m_writer)
        return;
    QString error;
    if (m_log->frameCount() == m_written.frames && m_log->messageCount() == m_written.messages &&
        (!m_heartbeat || (m_heartbeat->eventCount() == m_heartbeatEventsWritten &&
                          m_heartbeat->protocolHeartbeat() == m_protocolHeartbeatWritten)) &&
        m_log->roundTripCount() == m_written.roundTrips &&
        (!m_ruleMarks || m_ruleMarks->progress() == m_ruleMarksWritten)) {
        // A quiet session commits nothing, and its file removed now would go unnoticed until the next message.
        if (!m_writer->fileStillInPlace(&error))
            fail(error);
        return;
    }
    if (!m_writer->begin(&error) || !writeNewRecords(&error) || !m_writer->commit(&error))
        fail(error);
}

void SessionRecorder::onHandshake(const SessionRecords &records)
{
    if (!m_writer)
        return;
    QString error;
    if (!m_writer->begin(&error) ||
        !m_writer->writeInfo(QStringLiteral("started_at"), records.startedAt.toUTC().toString(Qt::ISODateWithMs),
                             &error) ||
        !m_writer->writeHandshake(records.handshake, &error) || !m_writer->commit(&error))
        fail(error);
}

void SessionRecorder::onEnded(const std::optional<SessionRecords> &records)
{
    if (m_writer) {
        QString error;
        bool written = m_writer->begin(&error) && writeNewRecords(&error);
        if (written && records && records->close) {
            // The handshake again: a refused or failed one ends the session without handshakeFinished(true).
            written = m_writer->writeInfo(QStringLiteral("started_at"),
                                          records->startedAt.toUTC().toString(Qt::ISODateWithMs), &error) &&
                      m_writer->writeHandshake(records->handshake, &error) &&
                      m_writer->writeClose(*records->close, &error) &&
                      (records->holds.isEmpty() || m_writer->writeHolds(records->holds, &error));
            const DisconnectDiagnosis diagnosis = DisconnectDiagnoser::diagnose(SessionEvidence::fromRecords(*records));
            if (written && diagnosis.abnormal)
                written = m_writer->writeDiagnosis(diagnosis.toJson(), &error);
        }
        if (!written || !m_writer->commit(&error)) {
            fail(error);
        } else {
            m_flushTimer.stop();
            m_writer.reset(); // closes the file: it is complete
            Q_EMIT finished(m_path);
        }
    }
    deleteLater();
}

} // namespace wsi
