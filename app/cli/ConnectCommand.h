// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/cli/ConnectArguments.h"
#include "app/cli/TranscriptPrinter.h"
#include "core/exchange/CaptureEventOrder.h"
#include "core/session/Reconnector.h"
#include "core/session/Session.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>

namespace wsi::cli {

class SignalWatcher;

// `wsinspector-cli connect URL ...`: Sessions on the main thread's event loop, one per connection (a Reconnector
// makes a new one for each --reconnect). The session sends the requested traffic once the connection is open;
// this prints what it recorded as the session reports it (one coalesced framesAppended / heartbeatUpdated per
// batch, never by polling), and ends the event loop with the exit status when no further connection follows.
class ConnectCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectCommand)

public:
    // arguments: what follows "connect" on the command line. Returns the exit status.
    static int run(const QStringList &arguments);
    ~ConnectCommand() override;

private:
    explicit ConnectCommand(ConnectArguments arguments, QObject *parent = nullptr);

    void start();
    void onSessionStarted(Session *session, int connection);
    void onReconnectScheduled(int attempt, qint64 delayMs, int connection);
    void onFinished();
    void onHandshakeFinished(bool accepted);
    void onClosed();
    void onDurationElapsed();
    void onTerminationRequested(int signalNumber);
    // Prints the frames and heartbeat events recorded since the last call in time order, each frame followed by
    // the message it completed, if any.
    void printNewFrames();
    CaptureEventOrder::Visitor printingVisitor();
    int exitStatus() const;
    double elapsedSeconds() const { return double(m_clock.nsecsElapsed()) / 1e9; }

    void startRecording(Session *session, int connection);
    void onRecordingFailed(const QString &path, const QString &error);
    void exitWhenRecordingsAreWritten();

    ConnectArguments m_arguments;
    std::unique_ptr<TranscriptPrinter> m_printer;
    Reconnector m_reconnector;
    Session *m_session = nullptr; // the current connection's; a child of this command
    std::shared_ptr<const FrameLog> m_log;
    std::shared_ptr<const HeartbeatHistory> m_heartbeats;
    SignalWatcher *m_signals;
    QTimer m_durationTimer;
    QElapsedTimer m_clock;       // for events without a recorded time (the handshake, errors): started with the session
    CaptureEventOrder m_printed; // how far the session's events are printed
    qsizetype m_unsentPrinted = 0; // how many of the rules' unsent messages are printed
    bool m_handshakePrinted = false;
    bool m_durationReached = false;
    int m_terminationRequests = 0;
    // --record: the recorders write on a thread of their own; the process exits once they have all finished.
    QThread *m_recordingThread = nullptr;
    int m_recordingsUnfinished = 0;
    bool m_recordingFailed = false; // and the connection was ended for it (not --on-record-error continue)
    bool m_exitRequested = false;
};

} // namespace wsi::cli
