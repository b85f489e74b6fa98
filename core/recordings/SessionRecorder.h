// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/recordings/RecordingWriter.h"
#include "core/records/ProtocolHeartbeat.h"
#include "core/records/SessionRecords.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class QThread;

namespace wsi {

class FrameLog;
class HeartbeatHistory;
class PayloadOverflow;
class Session;

// Records one session to a recording file (RecordingWriter) as it happens, on a recording thread of its own, so
// neither the network thread nor the GUI thread ever waits for the disk.
//
// Every flushIntervalMs it reads what the session appended since the last time (its FrameLog and HeartbeatHistory
// are readable from any thread without locks) and writes it in one transaction: a process killed at any moment
// loses at most that interval. Payloads the log could not keep in memory come through the log's PayloadOverflow,
// so the file holds every payload in full. After the session ends it writes the close, the last frames and, after
// an abnormal end, the disconnect diagnosis; then it emits finished() and deletes itself.
class SessionRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRecorder)

public:
    static constexpr int flushIntervalMs = 100;

    // Starts recording `session`, which must not be open yet (nor its open() posted), into `path` on `thread` (a
    // running QThread). If the file cannot be created or written, or is removed while it is written, failed() says
    // why and the session goes on unrecorded.
    static SessionRecorder *start(Session *session, const QString &path, QThread *thread, const QString &appVersion);

    // A connection some other producer records (the capture proxy's relay), which hands its records over itself
    // with recordHandshake() and recordEnd(). Its FrameLog should send what its budget cannot keep to
    // payloadOverflow() (FrameLog::setOverflow) before its first frame.
    struct Source {
        std::shared_ptr<const FrameLog> log;
        std::shared_ptr<const HeartbeatHistory> heartbeat; // may be null
        QUrl url;
        QJsonObject options;                             // the connection's settings as the info table keeps them
        std::shared_ptr<const FrameRuleMarks> ruleMarks; // the relay's rules and the frames they acted on; may be null
    };
    static SessionRecorder *start(const Source &source, const QString &path, QThread *thread,
                                  const QString &appVersion);
    ~SessionRecorder() override;

    QString path() const { return m_path; }
    std::shared_ptr<PayloadOverflow> payloadOverflow() const { return m_overflow; }
    // Any thread, each at most once and in this order; recordEnd() completes the file and ends the recorder
    // (nullopt: the connection went away without records of its end).
    void recordHandshake(const SessionRecords &records);
    void recordEnd(const std::optional<SessionRecords> &records);

Q_SIGNALS:
    void failed(const QString &error);
    // Everything is in the file, which is closed.
    void finished(const QString &path);

private:
    SessionRecorder(std::shared_ptr<const FrameLog> log, std::shared_ptr<const HeartbeatHistory> heartbeat,
                    const QString &path);
    void startOn(QThread *thread, const QString &appVersion, const QJsonObject &options, const QUrl &url);
    void create(const QString &appVersion, const QJsonObject &options, const QUrl &url);
    void flush();
    void onHandshake(const SessionRecords &records);
    // nullopt: the session was deleted before it ended.
    void onEnded(const std::optional<SessionRecords> &records);
    bool writeNewRecords(QString *error);
    void fail(const QString &error);

    QString m_path;
    std::shared_ptr<const FrameLog> m_log;
    std::shared_ptr<const HeartbeatHistory> m_heartbeat;
    std::shared_ptr<const FrameRuleMarks> m_ruleMarks;
    FrameRuleMarks::Progress m_ruleMarksWritten;
    std::shared_ptr<PayloadOverflow> m_overflow;
    std::unique_ptr<RecordingWriter> m_writer;
    QTimer m_flushTimer;
    RecordingWriter::LogPosition m_written;
    qsizetype m_heartbeatEventsWritten = 0;
    ProtocolHeartbeat m_protocolHeartbeatWritten; // none until the protocol's handshake tells it
    bool m_failed = false;
};

} // namespace wsi
